"""The stacked-bar chart: segments as shares of the whole in series order, a legend, and the
same counts as a table."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.reports.charts import ACCENT, GOOD, MUTED, stacked_bars

SERIES = [("Low", MUTED), ("Middle <", ACCENT), ("High", GOOD)]


def _svg(markup: str) -> BeautifulSoup:
    svg = BeautifulSoup(markup, "html.parser").svg
    assert svg is not None
    return svg


def test_each_bar_is_split_into_its_counts_in_series_order() -> None:
    chart = stacked_bars(
        "spread",
        "How far each group got",
        [("Group A", [2, 0, 6]), ("Group B & C", [0, 8, 0])],
        series=SERIES,
        of=8,
        label_header="Group",
    )
    svg = _svg(chart.svg)
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "spread-caption"
    assert svg["class"] == ["chart", "stacked-chart"]
    segments = [rect for rect in svg.find_all("rect") if rect.title]
    assert [rect.title.get_text() for rect in segments] == [
        "Low: 2 of 8",
        "High: 6 of 8",
        "Middle <: 8 of 8",
    ]
    assert [rect["fill"] for rect in segments] == [MUTED, GOOD, ACCENT]
    low, high, middle = (float(rect["width"]) for rect in segments)
    assert high == pytest.approx(3 * low, abs=0.1)  # a segment's length is its share
    assert middle == pytest.approx(low + high, abs=0.1)  # every full bar is as long
    assert float(segments[1]["x"]) == pytest.approx(float(segments[0]["x"]) + low, abs=0.1)
    labels = [text.get_text() for text in svg.find_all("text")]
    assert labels[:2] == ["Group A", "2"]
    assert labels[-3:] == ["Low", "Middle <", "High"]  # the legend, in series order
    assert list(chart.headers) == ["Group", "Low", "Middle <", "High"]
    assert [list(row) for row in chart.rows] == [
        ["Group A", "2", "0", "6"],
        ["Group B & C", "0", "8", "0"],
    ]


def test_a_narrow_segment_keeps_its_tooltip_but_not_its_count_label() -> None:
    chart = stacked_bars(
        "narrow", "c", [("Only", [1, 99, 0])], series=SERIES, of=100, label_header="x"
    )
    svg = _svg(chart.svg)
    assert [rect.title.get_text() for rect in svg.find_all("rect") if rect.title] == [
        "Low: 1 of 100",
        "Middle <: 99 of 100",
    ]
    assert "1" not in [text.get_text() for text in svg.find_all("text")]


def test_a_chart_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        stacked_bars("none", "c", [("Only", [0, 0, 0])], series=SERIES, of=0, label_header="x")


def test_counts_must_match_the_series() -> None:
    with pytest.raises(ValueError, match="shorter|longer"):
        stacked_bars("odd", "c", [("Only", [1, 1])], series=SERIES, of=2, label_header="x")
