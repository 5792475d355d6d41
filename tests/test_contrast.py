"""WCAG 2.x contrast, measured from the stylesheets rather than assumed.

Every rule of every stylesheet in ``static/css/`` that sets a text colour is paired with
the backgrounds it can sit on: its own background if it sets one, the background of an
ancestor rule it is written under (``.site-header a`` sits on ``.site-header``), or else
every surface the stylesheets paint (the page, panels, turns, notices). A hover or
current-state background is paired with the colour of the rule it modifies. Text must reach
4.5:1 (SC 1.4.3, every size, so no large-text allowance is taken); focus outlines,
form-control borders, state markers and the SVG charts' strokes must reach 3:1 against what
they sit on (SC 1.4.11).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.reports import charts

CSS = Path(__file__).resolve().parents[1] / "static" / "css"
SHEETS = tuple(sorted(path.name for path in CSS.glob("*.css")))
TEXT, GRAPHIC = 4.5, 3.0
WHITE = "#ffffff"

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_VAR = re.compile(r"var\((--[\w-]+)\)")
_STATE = re.compile(r":(?:hover|focus|focus-visible|active|target)\b|\[aria-current[^\]]*\]")
# Borders that carry meaning (SC 1.4.11): a form control's edge, a turn marked as a missed
# moment, a released fact. Other borders only frame panels and need no contrast.
_MEANINGFUL_BORDERS = ("textarea", ".missed", ".fact.released", "button")


@dataclass(frozen=True)
class Rule:
    sheet: str
    selector: str
    props: dict[str, str]


def rules() -> list[Rule]:
    """Every rule of both sheets, one per selector of a selector list (inside @media too)."""
    found: list[Rule] = []
    for sheet in SHEETS:
        text = _COMMENT.sub("", (CSS / sheet).read_text(encoding="utf-8"))
        for selectors, body in _RULE.findall(text):
            props: dict[str, str] = {}
            for declaration in body.split(";"):
                name, _, value = declaration.partition(":")
                if value.strip():
                    props[name.strip().lower()] = value.strip()
            for selector in selectors.split(","):
                selector = " ".join(selector.split())
                if selector and not selector.startswith("@"):
                    found.append(Rule(sheet, selector, props))
    return found


RULES = rules()
VARIABLES: dict[str, set[str]] = {}
for _rule in RULES:
    for _name, _value in _rule.props.items():
        if _name.startswith("--"):
            VARIABLES.setdefault(_name, set()).add(_value)


def colours(value: str | None) -> set[str]:
    """The colours a declaration can take (custom properties resolved); none for inherit."""
    if not value:
        return set()
    found = {_long(h) for h in _HEX.findall(value)}
    for name in _VAR.findall(value):
        for resolved in VARIABLES.get(name, set()):
            found |= colours(resolved)
    if re.search(r"(^|\s)white\b", value):
        found.add(WHITE)
    return found


def _long(hex_colour: str) -> str:
    digits = hex_colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.lower()


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def background(rule: Rule) -> set[str]:
    return colours(rule.props.get("background") or rule.props.get("background-color"))


BACKGROUNDS = [r for r in RULES if background(r)]
TRUST_CHART = {c for r in BACKGROUNDS if r.selector == ".trust-chart svg" for c in background(r)}
# Surfaces: painted areas any text may sit on (the page, panels, turns, notices).
SURFACES = {WHITE} | {
    c
    for r in BACKGROUNDS
    if "color" not in r.props and not _STATE.search(r.selector)
    for c in background(r)
}
SURFACES |= {c for r in BACKGROUNDS if r.selector == "body" for c in background(r)}


def behind(rule: Rule) -> set[str]:
    """What ``rule``'s text or marks sit on: its own, an ancestor rule's, or any surface."""
    own = background(rule)
    if own:
        return own
    ancestors = [r for r in BACKGROUNDS if rule.selector.startswith(r.selector + " ")]
    if ancestors:
        return set().union(*(background(r) for r in ancestors))
    return SURFACES


@dataclass(frozen=True)
class Pair:
    where: str
    what: str
    fg: str
    bg: str
    minimum: float

    @property
    def ratio(self) -> float:
        return contrast(self.fg, self.bg)


def text_pairs() -> Iterator[Pair]:
    for rule in RULES:
        for fg in colours(rule.props.get("color")):
            for bg in behind(rule):
                yield Pair(f"{rule.sheet} {rule.selector}", "text", fg, bg, TEXT)
    for rule in BACKGROUNDS:  # a state's background under the text colour it keeps
        if "color" in rule.props or not _STATE.search(rule.selector):
            continue
        base = _STATE.sub("", rule.selector)
        for other in RULES:
            if other.selector == base:
                for fg in colours(other.props.get("color")):
                    for bg in background(rule):
                        yield Pair(f"{rule.sheet} {rule.selector}", "text", fg, bg, TEXT)


def graphic_pairs() -> Iterator[Pair]:
    for rule in RULES:
        where = f"{rule.sheet} {rule.selector}"
        marks = [
            ("outline", rule.props.get("outline")),
            ("outline", rule.props.get("outline-color")),
            ("stroke", rule.props.get("stroke")),
        ]
        if not rule.selector.startswith(".trust-chart svg"):
            marks.append(("fill", rule.props.get("fill")))
        if any(part in rule.selector for part in _MEANINGFUL_BORDERS):
            for name in ("border", "border-left", "border-color"):
                marks.append((name, rule.props.get(name)))
        for what, value in marks:
            targets = behind(rule)
            if rule.selector.startswith((".trust-line", ".trust-point", ".band-line")):
                targets = TRUST_CHART | {WHITE}  # drawn inside the trust chart's SVG
            for fg in colours(value):
                for bg in targets - {fg}:
                    yield Pair(where, what, fg, bg, GRAPHIC)


def chart_pairs() -> Iterator[Pair]:
    """The report's SVG charts: text on white, lines and marks on white and on the bar track."""
    yield Pair("charts.py text", "text", charts.INK, WHITE, TEXT)
    for name in ("ACCENT", "FAIR", "GOOD", "GRID"):
        for bg in (WHITE, charts.TRACK):
            yield Pair(f"charts.py {name}", "stroke", getattr(charts, name), bg, GRAPHIC)


ALL = [*text_pairs(), *graphic_pairs(), *chart_pairs()]


def test_the_stylesheets_were_read() -> None:
    selectors = {r.selector for r in RULES}
    assert {"body", ".level-badge.level-emerging", ".code", ".coded-turn.missed"} <= selectors
    assert len([p for p in ALL if p.what == "text"]) > 100
    assert {"#005eb8", "#1b1f24"} <= {p.fg for p in ALL}
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_colour_pair_meets_its_minimum() -> None:
    failing = sorted(
        {
            f"{p.where}: {p.what} {p.fg} on {p.bg} is {p.ratio:.2f}:1 < {p.minimum}"
            for p in ALL
            if p.ratio < p.minimum
        }
    )
    assert not failing, "\n".join(failing)
