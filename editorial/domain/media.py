"""Uploaded images: checked by decoding, cleaned of metadata, cut into renditions.

An upload is accepted only if Pillow decodes it completely as JPEG, PNG or WebP,
within 20 MB and a pixel budget (Pillow's decompression-bomb guard stays on and
is treated as a refusal). Every file we keep is re-encoded from bare pixels, so
no EXIF (GPS position included), XMP, IPTC or ICC data survives, after the EXIF
orientation has been applied. The work happens once per upload:

- WebP renditions 480, 960 and 1600 px wide (never wider than the original) for
  `srcset`, and one JPEG fallback for `src`;
- 16:9, 4:3 and 1:1 centre crops, up to 1600 px wide (at least 1200 px where the
  original allows), for structured data and social cards;
- a 640x360 WebP thumbnail for teasers (shown at 320x180).

Each file is named by the SHA-256 of its own bytes: unguessable without the
file, and immutable, so it may be cached for a year. No Flask import.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from editorial.domain.content import Rendition
from editorial.domain.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
# 50 megapixels (a 8660x5773 photo); Pillow's own guard (89 MP warning, 179 MP
# error) also stays on, its warning counted as a refusal.
MAX_PIXELS = 50_000_000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
SRCSET_WIDTHS = (480, 960, 1600)
FALLBACK_WIDTH = 1600
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_MAX_WIDTH = 1600
THUMB_SIZE = (640, 360)
WEBP_QUALITY = 80
JPEG_QUALITY = 85
FIELD = "image"  # the form field a refusal belongs to

# At most two images decoded at once per process: a burst of large uploads
# cannot exhaust memory, and Pillow releases the GIL while it works, so other
# requests in threaded workers keep being served meanwhile.
_PROCESSING = threading.BoundedSemaphore(2)

NOT_AN_IMAGE = "Choose a JPEG, PNG or WebP image."
TOO_LARGE = "The image is larger than 20 MB."
TOO_MANY_PIXELS = "The image has too many pixels (at most 50 megapixels)."
DAMAGED = "The image file is damaged or incomplete."
EMPTY = "Choose an image file to upload."


@dataclass(frozen=True)
class ProcessedImage:
    """The result of one upload: the original's facts and the files to store."""

    source_hash: str
    width: int
    height: int
    source_format: str
    renditions: tuple[Rendition, ...]
    files: dict[str, bytes]  # name -> bytes, one per rendition


def decode(data: bytes) -> Image.Image:
    """The fully decoded image, or InvalidInput saying why it is refused."""
    if not data:
        raise InvalidInput(FIELD, EMPTY)
    if len(data) > MAX_BYTES:
        raise InvalidInput(FIELD, TOO_LARGE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidInput(FIELD, TOO_MANY_PIXELS) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            message = DAMAGED if _looks_like_ours(data) else NOT_AN_IMAGE
            raise InvalidInput(FIELD, message) from None
        if image.format not in FORMATS:
            raise InvalidInput(FIELD, NOT_AN_IMAGE)
        # Refused from the header alone, before a single pixel is decoded.
        if image.width * image.height > MAX_PIXELS:
            raise InvalidInput(FIELD, TOO_MANY_PIXELS)
        if image.format == "JPEG":
            # Decode at the smallest DCT scale still at least as large as any
            # rendition (both sides >= 1600 px where the original allows): a
            # 24-megapixel photo decodes at a quarter of its pixels.
            image.draft("RGB", (CROP_MAX_WIDTH, CROP_MAX_WIDTH))
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InvalidInput(FIELD, TOO_MANY_PIXELS) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise InvalidInput(FIELD, DAMAGED) from None
    return image


def _oriented_size(data: bytes) -> tuple[int, int]:
    """The original's size as displayed (EXIF orientations 5-8 turn it), read
    from the header; `decode` may load a JPEG at a reduced scale."""
    try:
        with Image.open(io.BytesIO(data)) as header:
            width, height = header.size
            turned = header.getexif().get(0x0112) in (5, 6, 7, 8)
    except Exception:  # decode() says what is wrong with the file
        return 0, 0
    return (height, width) if turned else (width, height)


def _looks_like_ours(data: bytes) -> bool:
    """Starts like a JPEG, PNG or WebP file (so a failure to open is damage)."""
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def _bare_rgb(image: Image.Image) -> Image.Image:
    """Orientation applied, transparency flattened on white, every byte of
    metadata gone: a new image made from the pixels alone."""
    oriented = ImageOps.exif_transpose(image) or image
    if oriented.mode in ("RGBA", "LA", "PA") or (
        oriented.mode == "P" and "transparency" in oriented.info
    ):
        rgba = oriented.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        oriented = flat
    rgb = oriented.convert("RGB")
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "WEBP":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _resized(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def centre_box(
    width: int, height: int, ratio: tuple[int, int]
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` centred in a width x height image."""
    rw, rh = ratio
    if width * rh > height * rw:  # wider than the ratio: trim the sides
        crop_w, crop_h = height * rw // rh, height
    else:
        crop_w, crop_h = width, width * rh // rw
    left = (width - crop_w) // 2
    top = (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def file_name(data: bytes, mime: str) -> str:
    """A file's name: the SHA-256 of its bytes (128 bits shown) and extension."""
    ext = {"image/webp": "webp", "image/jpeg": "jpg"}[mime]
    return f"{hashlib.sha256(data).hexdigest()[:32]}.{ext}"


def srcset_widths(width: int) -> list[int]:
    """The WebP widths made for an image `width` px wide (no upscaling)."""
    return sorted({min(w, width) for w in SRCSET_WIDTHS})


def process(data: bytes) -> ProcessedImage:
    """Check and process one upload (InvalidInput when refused)."""
    with _PROCESSING:
        image = decode(data)
        width, height = _oriented_size(data)
        source_format = str(image.format)
        clean = _bare_rgb(image)
        image.close()
        files: dict[str, bytes] = {}
        renditions: list[Rendition] = []

        def keep(picture: Image.Image, kind: str, fmt: str) -> None:
            body = _encode(picture, fmt)
            mime = "image/webp" if fmt == "WEBP" else "image/jpeg"
            name = file_name(body, mime)
            files[name] = body
            renditions.append(
                Rendition(name, kind, picture.width, picture.height, mime)
            )

        for size in srcset_widths(clean.width):
            keep(_resized(clean, size), "webp", "WEBP")
        keep(_resized(clean, FALLBACK_WIDTH), "jpeg", "JPEG")
        for key, ratio in CROPS.items():
            cropped = clean.crop(centre_box(clean.width, clean.height, ratio))
            keep(_resized(cropped, CROP_MAX_WIDTH), f"crop-{key}", "JPEG")
        keep(ImageOps.fit(clean, THUMB_SIZE, Image.Resampling.LANCZOS), "thumb", "WEBP")
        return ProcessedImage(
            source_hash=hashlib.sha256(data).hexdigest(),
            width=width,
            height=height,
            source_format=source_format,
            renditions=tuple(renditions),
            files=files,
        )
