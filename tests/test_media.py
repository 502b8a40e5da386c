"""domain.media: uploads checked by decoding, cleaned, cut into renditions."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from editorial.domain import media
from editorial.domain.checklist.images import is_weak_alt
from editorial.domain.errors import InvalidInput
from tests import imaging


def _kinds(processed: media.ProcessedImage) -> dict[str, tuple[int, int, str]]:
    return {
        f"{r.kind}-{r.width}" if r.kind == "webp" else r.kind: (
            r.width,
            r.height,
            r.mime,
        )
        for r in processed.renditions
    }


@pytest.mark.parametrize(
    ("data", "source_format"),
    [
        (imaging.jpeg(), "JPEG"),
        (imaging.png(), "PNG"),
        (imaging.webp(), "WEBP"),
    ],
    ids=["jpeg", "png", "webp"],
)
def test_valid_images_are_accepted_with_every_rendition(data, source_format):
    processed = media.process(data)
    assert processed.source_format == source_format
    assert (processed.width, processed.height) == (1600, 900)
    assert _kinds(processed) == {
        "webp-480": (480, 270, "image/webp"),
        "webp-960": (960, 540, "image/webp"),
        "webp-1600": (1600, 900, "image/webp"),
        "jpeg": (1600, 900, "image/jpeg"),
        "crop-16x9": (1600, 900, "image/jpeg"),
        "crop-4x3": (1200, 900, "image/jpeg"),
        "crop-1x1": (900, 900, "image/jpeg"),
        "thumb": (640, 360, "image/webp"),
    }
    for rendition in processed.renditions:
        body = processed.files[rendition.name]
        decoded = Image.open(io.BytesIO(body))
        assert decoded.size == (rendition.width, rendition.height)
        assert (
            decoded.format
            == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[rendition.mime]
        )


def test_big_originals_give_crops_of_at_least_1200_px():
    processed = media.process(imaging.jpeg(3000, 2000))
    assert _kinds(processed)["crop-16x9"][:2] == (1600, 900)
    assert _kinds(processed)["crop-4x3"][:2] == (1600, 1200)
    assert _kinds(processed)["crop-1x1"][:2] == (1600, 1600)
    assert _kinds(processed)["jpeg"][:2] == (1600, 1067)


def test_small_originals_are_never_upscaled_except_the_thumbnail():
    processed = media.process(imaging.png(400, 300))
    assert _kinds(processed) == {
        "webp-400": (400, 300, "image/webp"),
        "jpeg": (400, 300, "image/jpeg"),
        "crop-16x9": (400, 225, "image/jpeg"),
        "crop-4x3": (400, 300, "image/jpeg"),
        "crop-1x1": (300, 300, "image/jpeg"),
        "thumb": (640, 360, "image/webp"),
    }


def test_crops_are_centred():
    assert media.centre_box(1600, 900, (1, 1)) == (350, 0, 1250, 900)
    assert media.centre_box(900, 1600, (16, 9)) == (0, 547, 900, 1053)
    assert media.centre_box(1600, 900, (16, 9)) == (0, 0, 1600, 900)


def test_names_are_content_hashes():
    processed = media.process(imaging.jpeg())
    again = media.process(imaging.jpeg())
    names = [r.name for r in processed.renditions]
    assert names == [r.name for r in again.renditions]
    # A 16:9 original: its 16:9 crop is the JPEG fallback, byte for byte, so
    # the two share one name (and one stored file).
    assert len(set(names)) == 7
    assert next(r.name for r in processed.renditions if r.kind == "jpeg") == next(
        r.name for r in processed.renditions if r.kind == "crop-16x9"
    )
    import hashlib

    for rendition in processed.renditions:
        digest = hashlib.sha256(processed.files[rendition.name]).hexdigest()
        ext = "webp" if rendition.mime == "image/webp" else "jpg"
        assert rendition.name == f"{digest[:32]}.{ext}"


def test_gps_exif_xmp_and_iptc_are_removed_and_orientation_applied():
    upload = imaging.camera_jpeg(1600, 900, orientation=6)
    # The upload really carries all of it (the test would prove nothing else).
    assert {"exif", "xmp", "iptc", "exif-parsed"} <= set(imaging.has_metadata(upload))
    processed = media.process(upload)
    # Orientation 6: the camera was turned; displayed, the picture is upright,
    # portrait, and what was its left (red) half is now on top.
    assert (processed.width, processed.height) == (900, 1600)
    for rendition in processed.renditions:
        body = processed.files[rendition.name]
        assert imaging.has_metadata(body) == [], rendition.kind
    fallback = next(r for r in processed.renditions if r.kind == "jpeg")
    picture = Image.open(io.BytesIO(processed.files[fallback.name])).convert("RGB")
    top = picture.getpixel((450, 100))
    bottom = picture.getpixel((450, 1500))
    assert top[0] > 180 and top[2] < 80, top  # red
    assert bottom[2] > 180 and bottom[0] < 80, bottom  # blue


def test_transparency_is_flattened_on_white():
    image = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    processed = media.process(imaging.encoded(image, "PNG"))
    fallback = next(r for r in processed.renditions if r.kind == "jpeg")
    pixel = Image.open(io.BytesIO(processed.files[fallback.name])).getpixel((10, 10))
    assert all(channel > 245 for channel in pixel)


def _refusal(data: bytes) -> str:
    with pytest.raises(InvalidInput) as caught:
        media.process(data)
    assert caught.value.field == "image"
    return caught.value.message


def test_a_text_file_named_like_a_photo_is_refused():
    assert _refusal(b"Meeting notes, not a photo.\n" * 20) == (
        "Choose a JPEG, PNG or WebP image."
    )


def test_svg_is_refused():
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10"'
        b' height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
    )
    assert _refusal(svg) == "Choose a JPEG, PNG or WebP image."


def test_other_image_formats_are_refused():
    gif = imaging.encoded(imaging.picture(50, 50), "GIF")
    assert _refusal(gif) == "Choose a JPEG, PNG or WebP image."


@pytest.mark.parametrize("maker", [imaging.jpeg, imaging.png, imaging.webp])
def test_a_truncated_image_is_refused(maker):
    data = maker(800, 600)
    assert (
        _refusal(data[: len(data) // 2]) == "The image file is damaged or incomplete."
    )


@pytest.mark.timeout(20)
def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = imaging.png_bomb(10_000, 10_000)
    assert len(bomb) < 100_000  # small on disk, 100 megapixels decoded
    assert _refusal(bomb) == "The image has too many pixels (at most 50 megapixels)."


@pytest.mark.timeout(20)
def test_an_image_over_our_pixel_budget_is_refused():
    # 60 megapixels: under Pillow's own warning threshold, over ours.
    assert _refusal(imaging.png_bomb(10_000, 6_000)) == (
        "The image has too many pixels (at most 50 megapixels)."
    )


def test_a_file_over_20_mb_is_refused_without_decoding():
    data = imaging.jpeg(200, 100) + b"\x00" * (21 * 1024 * 1024)
    assert _refusal(data) == "The image is larger than 20 MB."


def test_an_empty_upload_is_refused():
    assert _refusal(b"") == "Choose an image file to upload."


@pytest.mark.parametrize(
    ("alt", "name", "weak"),
    [
        ("IMG_2041.jpg", "IMG_2041.jpg", True),
        ("IMG_2041", "IMG_2041.jpg", True),
        ("dsc0012.png", "", True),
        ("Image", "", True),
        ("photo.", "", True),
        ("Photo", "council.jpg", True),
        ("Council members vote on the budget in the town hall", "IMG_1.jpg", False),
        ("", "IMG_1.jpg", False),  # missing alt is its own finding
    ],
)
def test_weak_alt_text(alt, name, weak):
    assert is_weak_alt(alt, name) is weak


def test_a_large_jpeg_keeps_its_true_size_when_decoded_at_a_reduced_scale():
    processed = media.process(imaging.jpeg(4800, 3200))
    assert (processed.width, processed.height) == (4800, 3200)
    assert _kinds(processed)["crop-1x1"][:2] == (1600, 1600)
    assert _kinds(processed)["webp-1600"][:2] == (1600, 1067)
