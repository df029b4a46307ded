"""Geometry and accessibility of the report's SVG charts."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from safeaudit.report.svg import (
    BAR_FULL,
    BAR_LEFT,
    BAR_WIDTH,
    RADAR_RADIUS,
    RADAR_SIZE,
    Bar,
    band,
    bar_chart,
    bar_chart_height,
    bar_length,
    radar_chart,
    radar_point,
)

BARS = [
    Bar(1, "Filtering", 100.0),
    Bar(2, "Policies", 50.0),
    Bar(3, "Training", 0.0),
    Bar(4, "Curriculum", None),
]


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (0, 0.0),
        (50, BAR_FULL / 2),
        (100, BAR_FULL),
        (150, BAR_FULL),
        (-5, 0.0),
        (None, 0.0),
        (33.3, round(BAR_FULL * 0.333, 2)),
    ],
)
def test_bar_length(percent: float | None, expected: float) -> None:
    assert bar_length(percent) == pytest.approx(expected)


def test_bands() -> None:
    assert [band(p) for p in (100, 75, 74.9, 0.1, 0, None)] == [
        "good",
        "good",
        "some",
        "some",
        "none",
        "empty",
    ]


def test_bar_chart_geometry() -> None:
    svg = ET.fromstring(bar_chart(BARS, title="Scores", desc="All areas"))
    assert svg.get("viewBox") == f"0 0 {BAR_WIDTH} {bar_chart_height(len(BARS))}"
    bars = [r for r in svg.iter("rect") if "bar" in (r.get("class") or "").split()]
    # Zero and missing scores draw no bar at all; the others are in proportion.
    assert [float(r.get("width", "0")) for r in bars] == [BAR_FULL, BAR_FULL / 2]
    assert all(float(r.get("x", "-1")) == BAR_LEFT for r in bars)
    ys = [float(r.get("y", "0")) for r in svg.iter("rect") if r.get("class") == "track"]
    assert ys == sorted(ys) and len(set(ys)) == len(BARS)
    values = [t.text for t in svg.iter("text") if t.get("class") == "bar-value"]
    assert values == ["100.0%", "50.0%", "0.0%", "no score"]


def test_charts_have_text_alternatives() -> None:
    for chart in (
        bar_chart(BARS, title="T <1>", desc="D & d", ident="b"),
        radar_chart(BARS, title="T <1>", desc="D & d", ident="r"),
    ):
        svg = ET.fromstring(chart)
        assert svg.get("role") == "img"
        title, desc = svg.find("title"), svg.find("desc")
        assert title is not None and title.text == "T <1>"
        assert desc is not None and desc.text == "D & d"
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_radar_points() -> None:
    centre = RADAR_SIZE / 2
    assert radar_point(0, 4, 1.0, centre, 100) == (centre, centre - 100)  # straight up
    assert radar_point(1, 4, 1.0, centre, 100) == (centre + 100, centre)  # then clockwise
    assert radar_point(2, 4, 0.5, centre, 100) == (centre, centre + 50)
    assert radar_point(3, 4, 0.0, centre, 100) == (centre, centre)
    assert radar_point(0, 3, 2.0, centre, 100) == (centre, centre - 100)  # clamped
    x, y = radar_point(1, 3, 1.0, 0, 1)
    assert math.hypot(x, y) == pytest.approx(1, abs=0.01)


def test_radar_shape_follows_scores() -> None:
    svg = ET.fromstring(radar_chart(BARS, title="t", desc="d"))
    shape = next(p for p in svg.iter("polygon") if p.get("class") == "score-area")
    points = [tuple(map(float, pair.split(","))) for pair in (shape.get("points") or "").split()]
    centre = RADAR_SIZE / 2
    assert points[0] == (centre, centre - RADAR_RADIUS)
    assert points[1] == (centre + RADAR_RADIUS / 2, centre)
    assert points[2] == points[3] == (centre, centre)
    rings = [p for p in svg.iter("polygon") if "ring" in (p.get("class") or "")]
    assert len(rings) == 4
    assert [t.text for t in svg.iter("text")] == ["1", "2", "3", "4"]


def test_radar_needs_three_areas() -> None:
    assert radar_chart(BARS[:2], title="t", desc="d") == ""


def test_labels_are_escaped() -> None:
    chart = bar_chart([Bar(1, '<script>alert("x")</script> & co', 10)], title="t", desc="d")
    assert "<script>" not in chart
    assert re.search(r"&lt;script&gt;alert\(&quot;x&quot;\)&lt;/script&gt; &amp; co", chart)
    ET.fromstring(chart)  # still well-formed
