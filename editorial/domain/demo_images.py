"""Lead images for the demo, drawn with Pillow on the spot (nothing downloaded).

One 1600x900 picture per category: a two-colour gradient and a simple motif
that fits the section, with alt text that says what is drawn. Drawing and
processing six pictures takes a few seconds at most, once per demo.
No Flask import.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

SIZE = (1600, 900)


@dataclass(frozen=True)
class DemoPicture:
    """A drawn picture and the words that go with it."""

    data: bytes
    filename: str
    alt: str
    caption: str
    credit: str


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    ramp = Image.linear_gradient("L").resize(SIZE)
    return ImageOps.colorize(ramp, top, bottom).convert("RGB")


def _chamber(draw: ImageDraw.ImageDraw) -> None:
    """A council building: pediment, six columns, steps."""
    draw.polygon([(450, 300), (800, 140), (1150, 300)], fill=(236, 232, 222))
    for i in range(6):
        x = 480 + i * 120
        draw.rectangle((x, 320, x + 60, 690), fill=(236, 232, 222))
    for step in range(3):
        draw.rectangle(
            (420 - step * 30, 700 + step * 30, 1180 + step * 30, 728 + step * 30),
            fill=(214, 208, 196),
        )


def _chart(draw: ImageDraw.ImageDraw) -> None:
    """A bar chart rising to the right, with a trend line."""
    heights = (180, 260, 230, 340, 420, 520)
    points = []
    for i, height in enumerate(heights):
        x = 300 + i * 180
        draw.rectangle((x, 760 - height, x + 110, 760), fill=(250, 214, 90))
        points.append((x + 55, 730 - height))
    draw.line(points, fill=(255, 255, 255), width=10)
    draw.line((260, 762, 1360, 762), fill=(255, 255, 255), width=6)


def _circuit(draw: ImageDraw.ImageDraw) -> None:
    """A circuit board: traces on a grid, with nodes."""
    for i in range(7):
        y = 170 + i * 95
        draw.line((200, y, 1400, y), fill=(90, 230, 210), width=4)
        for j in range(6):
            x = 260 + j * 210 + (i % 2) * 100
            draw.ellipse((x - 16, y - 16, x + 16, y + 16), fill=(240, 255, 250))
    draw.rounded_rectangle((640, 330, 960, 570), radius=24, fill=(20, 40, 60))


def _orbits(draw: ImageDraw.ImageDraw) -> None:
    """A bright body with three orbits and their moons."""
    cx, cy = 800, 450
    for r in (180, 290, 400):
        draw.ellipse(
            (cx - r, cy - r * 0.55, cx + r, cy + r * 0.55), outline="white", width=5
        )
    draw.ellipse((cx - 90, cy - 90, cx + 90, cy + 90), fill=(255, 224, 130))
    for x, y in ((cx + 180, cy), (cx - 200, cy - 150), (cx + 330, cy + 150)):
        draw.ellipse((x - 24, y - 24, x + 24, y + 24), fill=(230, 240, 255))


def _track(draw: ImageDraw.ImageDraw) -> None:
    """An athletics track seen from above: lanes and a finish line."""
    for lane in range(5):
        inset = lane * 45
        draw.rounded_rectangle(
            (180 + inset, 150 + inset, 1420 - inset, 750 - inset),
            radius=300 - inset,
            outline=(255, 255, 255),
            width=6,
        )
    draw.rectangle((1050, 150, 1070, 330), fill=(255, 255, 255))


def _stage(draw: ImageDraw.ImageDraw) -> None:
    """A theatre stage: curtains drawn open and a spotlight."""
    draw.polygon([(620, 0), (980, 0), (1150, 900), (450, 900)], fill=(255, 244, 200))
    for side in (0, 1):
        for fold in range(5):
            x0 = fold * 90 if side == 0 else 1600 - (fold + 1) * 90
            draw.rectangle((x0, 0, x0 + 80, 900), fill=(150 - fold * 12, 20, 40))
    draw.rectangle((0, 820, 1600, 900), fill=(60, 30, 20))


# category -> (gradient top, bottom, motif, alt text, caption)
_MOTIFS: dict[
    str,
    tuple[
        tuple[int, int, int],
        tuple[int, int, int],
        Callable[[ImageDraw.ImageDraw], None],
        str,
        str,
    ],
] = {
    "Politics": (
        (30, 50, 110),
        (160, 60, 80),
        _chamber,
        "Drawing of a columned council building against a blue and red evening sky",
        "Council chambers: where this week's decisions were made.",
    ),
    "Business": (
        (20, 90, 80),
        (10, 40, 50),
        _chart,
        "Yellow bar chart rising from left to right with a white trend line, on green",
        "Figures from the companies' own statements.",
    ),
    "Technology": (
        (10, 30, 60),
        (20, 110, 120),
        _circuit,
        "Teal circuit traces with white nodes around a dark chip, on a deep blue field",
        "Our technology desk covers software, networks and security.",
    ),
    "Science": (
        (10, 10, 40),
        (60, 40, 120),
        _orbits,
        "A glowing yellow sphere circled by three white orbits and small moons",
        "Research news, explained by our science desk.",
    ),
    "Sport": (
        (200, 80, 50),
        (120, 40, 30),
        _track,
        "Five white lanes of a running track seen from above on red-brown ground",
        "Results and signings from the weekend.",
    ),
    "Culture": (
        (40, 10, 20),
        (10, 5, 10),
        _stage,
        "A theatre stage between dark red curtains, lit by a single pale spotlight",
        "Stages, screens and shelves across the city.",
    ),
}


def picture_for(category: str) -> DemoPicture | None:
    """The demo picture of a category (None for a category we do not draw)."""
    found = _MOTIFS.get(category)
    if found is None:
        return None
    top, bottom, motif, alt, caption = found
    image = _gradient(top, bottom)
    motif(ImageDraw.Draw(image))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return DemoPicture(
        data=out.getvalue(),
        filename=f"{category.lower()}-demo.jpg",
        alt=alt,
        caption=caption,
        credit="Illustration: Editorial demo",
    )
