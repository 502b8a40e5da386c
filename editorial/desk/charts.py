"""Geometry for the insights page's bar charts, drawn as plain SVG by templates.

No chart library: two kinds of bar chart need a few lines of arithmetic, and
the templates (desk/_charts.html) keep the markup accessible (a title, a
description, and the same numbers as a table beside every chart).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    maximum: int
    left: float  # where the bars start (after the axis labels)
    baseline: float  # columns: the y of the axis; rows: unused
    ticks: tuple[tuple[float, int], ...]  # (position, value) of the scale's lines


def nice_maximum(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def columns(
    items: Sequence[tuple[str, int]],
    *,
    width: int = 720,
    height: int = 220,
    left: int = 40,
    top: int = 12,
    bottom: int = 28,
) -> Chart:
    """Vertical bars, one per item, on a scale from 0 to a round maximum."""
    maximum = nice_maximum(max((v for _, v in items), default=0))
    plot_h = height - top - bottom
    slot = (width - left) / max(len(items), 1)
    bars = []
    for i, (label, value) in enumerate(items):
        h = plot_h * value / maximum
        bars.append(
            Bar(
                label,
                value,
                round(left + i * slot + slot * 0.15, 2),
                round(top + plot_h - h, 2),
                round(slot * 0.7, 2),
                round(h, 2),
            )
        )
    ticks = tuple(
        (round(top + plot_h - plot_h * f, 2), round(maximum * f)) for f in (0, 0.5, 1)
    )
    return Chart(width, height, tuple(bars), maximum, left, top + plot_h, ticks)


def rows(
    items: Sequence[tuple[str, int]],
    *,
    width: int = 560,
    left: int = 150,
    right: int = 48,
    bar: int = 20,
    gap: int = 10,
) -> Chart:
    """Horizontal bars, one row per item, labels on the left, values on the right."""
    maximum = nice_maximum(max((v for _, v in items), default=0))
    plot_w = width - left - right
    height = max(len(items), 1) * (bar + gap) + gap
    bars = tuple(
        Bar(
            label,
            value,
            left,
            gap + i * (bar + gap),
            round(plot_w * value / maximum, 2),
            bar,
        )
        for i, (label, value) in enumerate(items)
    )
    return Chart(width, height, bars, maximum, left, height, ())
