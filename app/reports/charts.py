"""Server-rendered SVG charts, each with the same data as a table (its text alternative).

Plain SVG strings, no library and nothing fetched, so the report works offline, prints,
and renders in the PDF. Text meets 4.5:1 and every line or mark 3:1 on what it is drawn on
(tests/test_contrast.py); each line also has point markers, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

INK = "#1b1f24"
MUTED = "#4a5360"
ACCENT = "#005eb8"
GRID = "#7a828e"  # grid lines and the bar's track edge: 3.4:1 on the track, 3.9:1 on white
FAIR = "#8a5a00"
GOOD = "#1e6b34"
TRACK = "#eef1f5"  # the band bar's empty track

_W, _H = 560, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 90, 16, 14, 40


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its data table."""

    id: str
    caption: str
    svg: Markup
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    notes: Sequence[str] = field(default_factory=tuple)


def _text(x: float, y: float, words: str, *, anchor: str = "middle", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}">{escape(words)}</text>'
    )


def line_chart(
    chart_id: str,
    caption: str,
    points: Sequence[tuple[str, float | None]],
    *,
    y_max: float,
    y_ticks: Sequence[tuple[float, str]],
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> Chart:
    """One series over labelled x positions (turns or attempts); None leaves a gap."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return _LEFT + i * step, _TOP + plot_h * (1 - value / y_max if y_max else 1)

    parts = [_frame(chart_id, caption)]
    for value, label in y_ticks:
        _, y = xy(0, value)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(_LEFT - 6, y + 4, label, anchor="end", size=11))
    every = max(1, len(points) // 12)
    for i, (label, _) in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            x, _ = xy(i, 0)
            parts.append(_text(x, _H - _BOTTOM + 16, label, size=11))
    coords = [xy(i, v) for i, (_, v) in enumerate(points) if v is not None]
    if len(coords) > 1:
        joined = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline points="{joined}" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>'
        )
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{ACCENT}"/>' for x, y in coords]
    parts.append("</svg>")
    return Chart(chart_id, caption, Markup("".join(parts)), headers, rows)


def band_bar(
    chart_id: str,
    caption: str,
    *,
    value: float | None,
    scale_max: float,
    fair: float | None,
    good: float | None,
    value_label: str,
) -> Chart:
    """A horizontal bar for one figure, with its fair and good marks."""
    width, height, left, right = 560, 64, 10, 20
    plot_w = width - left - right

    def x_of(v: float) -> float:
        return left + plot_w * min(max(v / scale_max, 0), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-caption" class="chart band-chart">',
        f'<rect x="{left}" y="14" width="{plot_w}" height="18" fill="{TRACK}" stroke="{GRID}"/>',
    ]
    if value is not None:
        parts.append(
            f'<rect x="{left}" y="14" width="{x_of(value) - left:.1f}" height="18" '
            f'fill="{ACCENT}"/>'
        )
    for mark, name, colour in ((fair, "fair", FAIR), (good, "good", GOOD)):
        if mark is not None:
            x = x_of(mark)
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="8" y2="38" stroke="{colour}" '
                f'stroke-width="3" stroke-dasharray="{"4 2" if name == "fair" else "none"}"/>'
            )
            parts.append(_text(x, 54, name, size=12))
    parts.append("</svg>")
    rows = [["you", value_label]]
    rows += [[name, _num(mark)] for mark, name in ((fair, "fair"), (good, "good")) if mark]
    return Chart(chart_id, caption, Markup("".join(parts)), ["", "value"], rows)


def _frame(chart_id: str, caption: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-labelledby="{chart_id}-caption" class="chart line-chart">'
        f"<title>{escape(caption)}</title>"
    )


def _num(value: float | None) -> str:
    if value is None:
        return "not measured"
    return f"{value:g}"
