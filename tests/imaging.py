"""Test images made on the spot with Pillow (and a few crafted by hand)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw

RED = (220, 20, 20)
BLUE = (20, 20, 220)

# A position in Berlin, as a camera writes it.
GPS = {
    1: "N",
    2: (52.0, 31.0, 12.0),
    3: "E",
    4: (13.0, 24.0, 36.0),
}


def picture(width: int = 1600, height: int = 900, mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue, a white square in the middle."""
    image = Image.new("RGB", (width, height), BLUE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2 - 1, height - 1), fill=RED)
    side = min(width, height) // 4
    cx, cy = width // 2, height // 2
    draw.rectangle((cx - side // 2, cy - side // 2, cx + side // 2, cy + side // 2))
    return image.convert(mode) if mode != "RGB" else image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(width: int = 1600, height: int = 900) -> bytes:
    return encoded(picture(width, height), "JPEG", quality=90)


def png(width: int = 1600, height: int = 900) -> bytes:
    return encoded(picture(width, height, "RGBA"), "PNG")


def webp(width: int = 1600, height: int = 900) -> bytes:
    return encoded(picture(width, height), "WEBP", quality=90)


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


XMP_NS = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
    b'1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.'
    b'adobe.com/photoshop/1.0/" photoshop:City="Secret Village"/></rdf:RDF>'
    b"</x:xmpmeta>"
)
IPTC_MARK = b"Photoshop 3.0\x00"


def _iptc() -> bytes:
    # One IPTC record (2:90 City) inside a Photoshop image resource block.
    city = b"Secret Village"
    record = b"\x1c\x02\x5a" + struct.pack(">H", len(city)) + city
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"
    resource += struct.pack(">I", len(record)) + record
    return IPTC_MARK + resource


def camera_jpeg(width: int = 1600, height: int = 900, orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS and an orientation, XMP, IPTC."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = GPS
    body = encoded(picture(width, height), "JPEG", quality=90, exif=exif.tobytes())
    assert body[:2] == b"\xff\xd8"
    extra = _segment(0xE1, XMP_NS + XMP_PACKET) + _segment(0xED, _iptc())
    return body[:2] + extra + body[2:]


def png_bomb(width: int = 10_000, height: int = 10_000) -> bytes:
    """A small PNG whose pixels would fill gigabytes: 1-bit rows of zeros."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height))
    data += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def has_metadata(data: bytes) -> list[str]:
    """Every kind of metadata found in an encoded file (empty when clean)."""
    found = []
    if b"Exif\x00\x00" in data or b"EXIF" in data:
        found.append("exif")
    if b"http://ns.adobe.com/xap" in data or b"xmpmeta" in data:
        found.append("xmp")
    if IPTC_MARK in data or b"8BIM" in data:
        found.append("iptc")
    if b"ICC_PROFILE" in data or b"ICCP" in data:
        found.append("icc")
    if b"PhoneMaker" in data or b"Secret Village" in data:
        found.append("text")
    image = Image.open(io.BytesIO(data))
    if image.getexif():
        found.append("exif-parsed")
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "photoshop"):
        if image.info.get(key):
            found.append(f"info:{key}")
    return found
