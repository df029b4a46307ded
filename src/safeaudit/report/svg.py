"""Inline SVG charts of area scores, drawn here so the report needs no script or other host."""

from __future__ import annotations

import math
from collections.abc import Sequence

from safeaudit.display import percent_text as display_percent_text
from safeaudit.frozen import Frozen


def escape(text: str) -> str:
    """What `html.escape` does, without importing `html`, which loads its table of 2,000
    named characters (a few milliseconds on every report; issue 17)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#x27;")


#: Score bands, shared with the report's text labels so a bar's colour matches its words.
MET_AT = 75.0

BAR_LABEL_HEIGHT = 18
BAR_HEIGHT = 16
BAR_GAP = 12
BAR_LEFT = 8
BAR_FULL = 340
BAR_WIDTH = 420


# A plain record, not a named tuple: as immutable, and quicker to define at import (issue 17).
class Bar(Frozen):
    """One area on a chart: its number in the data table, its name and its score (or none)."""

    __slots__ = _fields = ("number", "label", "percent")

    number: int
    label: str
    percent: float | None

    def __init__(self, number: int, label: str, percent: float | None) -> None:
        self._assign(number, label, percent)


def band(percent: float | None) -> str:
    """The CSS class of a score: good (75% or more), some (above 0), none (0) or empty."""
    if percent is None:
        return "empty"
    if percent >= MET_AT:
        return "good"
    return "some" if percent > 0 else "none"


def bar_length(percent: float | None, full: float = BAR_FULL) -> float:
    """Length of a bar for a percentage, clamped to 0..full; a missing score draws nothing."""
    if percent is None:
        return 0.0
    return round(full * max(0.0, min(percent, 100.0)) / 100, 2)


def bar_chart_height(count: int) -> int:
    return 24 + count * (BAR_LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent_text(percent: float | None) -> str:
    """The one percentage format (display.percent_text), "no score" when there is none."""
    return display_percent_text(percent, "no score")


def bar_chart(bars: Sequence[Bar], *, title: str, desc: str, ident: str = "bars") -> str:
    """A horizontal bar per area, each labelled with its name and score in words."""
    height = bar_chart_height(len(bars))
    parts = [
        f'<svg class="chart bar-chart" viewBox="0 0 {BAR_WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    plot_bottom = height - 20
    for tick in (0, 25, 50, 75, 100):
        x = _num(BAR_LEFT + bar_length(tick))
        cls = "tick met-line" if tick == MET_AT else "tick"
        parts.append(f'<line class="{cls}" x1="{x}" y1="4" x2="{x}" y2="{plot_bottom}"/>')
        parts.append(
            f'<text class="tick-label" x="{x}" y="{height - 6}" text-anchor="middle">{tick}%</text>'
        )
    value_x = _num(BAR_LEFT + BAR_FULL + 8)
    y = 4
    for bar in bars:
        length = bar_length(bar.percent)
        parts.append(
            f'<text class="bar-label" x="{BAR_LEFT}" y="{y + 13}">'
            f"{bar.number}. {escape(bar.label)}</text>"
        )
        top = y + BAR_LABEL_HEIGHT
        parts.append(
            f'<rect class="track" x="{BAR_LEFT}" y="{top}" width="{BAR_FULL}" '
            f'height="{BAR_HEIGHT}"/>'
        )
        if length > 0:
            parts.append(
                f'<rect class="bar {band(bar.percent)}" x="{BAR_LEFT}" y="{top}" '
                f'width="{_num(length)}" height="{BAR_HEIGHT}"/>'
            )
        parts.append(
            f'<text class="bar-value" x="{value_x}" '
            f'y="{top + 13}">{escape(percent_text(bar.percent))}</text>'
        )
        y += BAR_LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
    parts.append("</svg>")
    return "\n".join(parts)


def _direction(index: int, count: int) -> tuple[float, float]:
    """The cosine and sine of spoke `index` of `count`; spoke 0 points up."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return math.cos(angle), math.sin(angle)


def _along(
    direction: tuple[float, float], fraction: float, centre: float, radius: float
) -> tuple[float, float]:
    """A point on a spoke, unrounded: `_num` rounds it to two places as it is written, the
    same figure `round(..., 2)` gives, at half the cost (about 100 points a report)."""
    reach = radius * max(0.0, min(fraction, 1.0))
    return centre + reach * direction[0], centre + reach * direction[1]


def radar_point(
    index: int, count: int, fraction: float, centre: float, radius: float
) -> tuple[float, float]:
    """Where spoke `index` of `count` meets `fraction` of the radius; spoke 0 points up."""
    x, y = _along(_direction(index, count), fraction, centre, radius)
    return round(x, 2), round(y, 2)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


RADAR_SIZE = 360
RADAR_RADIUS = 140


def radar_chart(bars: Sequence[Bar], *, title: str, desc: str, ident: str = "radar") -> str:
    """A radar with one numbered spoke per area; empty when fewer than three areas."""
    count = len(bars)
    if count < 3:
        return ""
    centre, radius = RADAR_SIZE / 2, RADAR_RADIUS
    parts = [
        f'<svg class="chart radar-chart" viewBox="0 0 {RADAR_SIZE} {RADAR_SIZE}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]
    # Each spoke's direction is worked out once; the outer ring's corners are the spokes' ends.
    directions = [_direction(i, count) for i in range(count)]
    ends = [_along(d, 1.0, centre, radius) for d in directions]
    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = ends if ring == 1.0 else [_along(d, ring, centre, radius) for d in directions]
        cls = "ring met-line" if ring * 100 == MET_AT else "ring"
        parts.append(f'<polygon class="{cls}" points="{_polygon(ring_points)}"/>')
    middle = _num(centre)
    for (x, y), direction, bar in zip(ends, directions, bars, strict=True):
        parts.append(
            f'<line class="spoke" x1="{middle}" y1="{middle}" x2="{_num(x)}" y2="{_num(y)}"/>'
        )
        lx, ly = _along(direction, 1.0, centre, radius + 18)
        parts.append(
            f'<text class="spoke-label" x="{_num(lx)}" y="{_num(ly + 5)}" '
            f'text-anchor="middle">{bar.number}</text>'
        )
    shape = [
        _along(d, (bar.percent or 0) / 100, centre, radius)
        for d, bar in zip(directions, bars, strict=True)
    ]
    parts.append(f'<polygon class="score-area" points="{_polygon(shape)}"/>')
    for (x, y), bar in zip(shape, bars, strict=True):
        parts.append(
            f'<circle class="dot {band(bar.percent)}" cx="{_num(x)}" cy="{_num(y)}" '
            f'r="4"><title>{bar.number}. {escape(bar.label)}: '
            f"{escape(percent_text(bar.percent))}</title></circle>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
