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
_STACK_MARGIN, _STACK_ROW, _STACK_BAR = 10, 46, 20  # stacked bars: edge, row pitch, bar height


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its data table."""

    id: str
    caption: str
    svg: Markup
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    notes: Sequence[str] = field(default_factory=tuple)


def _text(
    x: float, y: float, words: str, *, anchor: str = "middle", size: int = 12, fill: str = INK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
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


def stacked_bars(
    chart_id: str,
    caption: str,
    bars: Sequence[tuple[str, Sequence[int]]],
    *,
    series: Sequence[tuple[str, str]],
    of: int,
    label_header: str,
    css_class: str = "stacked-chart",
) -> Chart:
    """One labelled horizontal bar per entry of ``bars``, split into its counts.

    Each bar's counts follow ``series`` (name, fill), stacked left to right in that order, as
    shares of ``of`` (a full bar), so bars of one chart compare by length. A segment names its
    series and count in a tooltip and, where it is wide enough, shows the count in white, so
    fills must carry white text at 4.5:1; a legend names the fills in the same order, and the
    table (``label_header``, then one column per series) holds the same counts.
    """
    if of < 1:
        raise ValueError(f"a stacked bar needs a whole of at least 1, not {of}")
    plot = _W - 2 * _STACK_MARGIN
    height = _STACK_MARGIN + _STACK_ROW * len(bars) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" role="img" '
        f'aria-labelledby="{chart_id}-caption" class="chart {css_class}">'
    ]
    for i, (label, counts) in enumerate(bars):
        top = _STACK_MARGIN + i * _STACK_ROW
        parts.append(_text(_STACK_MARGIN, top + 12, label, anchor="start"))
        x = float(_STACK_MARGIN)
        for (name, fill), count in zip(series, counts, strict=True):
            if count:
                width = plot * count / of
                parts.append(_segment(x, top + 18, width, fill, f"{name}: {count} of {of}", count))
                x += width
    parts.append(_legend(series, height - 12, step=plot / len(series)))
    parts.append("</svg>")
    headers = [label_header, *(name for name, _ in series)]
    rows = [[label, *(str(count) for count in counts)] for label, counts in bars]
    return Chart(chart_id, caption, Markup("".join(parts)), headers, rows)


def _segment(x: float, y: float, width: float, fill: str, title: str, count: int) -> str:
    parts = [
        f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_STACK_BAR}" '
        f'fill="{fill}" stroke="#ffffff"><title>{escape(title)}</title></rect>'
    ]
    if width >= 16:  # room for the count inside the segment
        parts.append(_text(x + width / 2, y + 14, str(count), fill="#ffffff"))
    return "".join(parts)


def _legend(series: Sequence[tuple[str, str]], y: float, *, step: float) -> str:
    parts = []
    x = float(_STACK_MARGIN)
    for name, fill in series:
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{fill}"/>')
        parts.append(_text(x + 16, y, name, anchor="start"))
        x += step
    return "".join(parts)


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
