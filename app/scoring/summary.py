"""Conversation-level figures: MITI-style counts with their published bands, BRAN, and an
OPTION-5-style shared-decision-making estimate.

Counts are of practitioner turns carrying a code (a turn with an open and a closed question
counts once for each). A figure with nothing to divide by is None, never 0.

MITI 4.2.1 bands: reflection:question ratio fair 1:1, good 2:1; complex reflections fair
40 %, good 50 %. MITI 3.1.1: open questions fair 50 %, good 70 %.

The SDM estimate follows the five OPTION-5 items (Elwyn et al.), each scored 0-4 from the
codes, summed and multiplied by 5 to give 0-100 (rubrics/README.md explains each item):

1. options: talk about options, up to 3 for three or more turns, +1 if doing nothing came up;
2. partnership: turns about how the person wants to decide (1 turn: 2, 2: 3, 3+: 4);
3. information: how many of benefits, risks, alternatives and doing nothing came up, at most
   3 unless understanding was checked (chunk and check or teach-back);
4. preferences: turns asking what matters (1 turn: 2, 2: 3, 3+: 4);
5. integration: 1 for asking what matters at all, +1 if before the first option or advice,
   +1 for returning to preferences (what matters, or a summary) after options came up, +1 for
   agreeing a way forward (how to decide, or goals) after options came up.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.scorecard import Bran, Summary
from app.scoring.moments import Moment

BANDS: dict[str, tuple[float, float]] = {
    "reflection_question_ratio": (1.0, 2.0),
    "percent_open_questions": (50.0, 70.0),
    "percent_complex_reflections": (40.0, 50.0),
}
BRAN_CODES = ("benefits", "risks", "alternatives", "do_nothing")
_LADDER = (0, 2, 3, 4)  # 0, 1, 2, 3+ turns


def band(figure: str, value: float | None) -> str | None:
    """'good', 'fair' or 'below fair' against the published band; None without a value."""
    if value is None:
        return None
    fair, good = BANDS[figure]
    if value >= good:
        return "good"
    return "fair" if value >= fair else "below fair"


def summarise(moments: Sequence[Moment]) -> tuple[Summary, dict[str, int]]:
    """The summary figures and the five SDM items behind ``sdm_score``."""
    turns = [m for m in moments if m.practitioner]
    n = _Counter(turns)
    questions = n("open_question") + n("closed_question")
    reflections = n("simple_reflection") + n("complex_reflection")
    items = sdm_items(turns)
    summary = Summary(
        reflection_question_ratio=_ratio(reflections, questions),
        percent_open_questions=_percent(n("open_question"), questions),
        percent_complex_reflections=_percent(n("complex_reflection"), reflections),
        sdm_score=5 * sum(items.values()) if turns else None,
        bran=Bran(**{code: n(code) > 0 for code in BRAN_CODES}),
    )
    return summary, items


def bands_of(summary: Summary) -> dict[str, str | None]:
    """Each banded figure's band."""
    return {figure: band(figure, getattr(summary, figure)) for figure in BANDS}


class _Counter:
    """How many turns carry a code."""

    def __init__(self, turns: Sequence[Moment]) -> None:
        self.turns = turns

    def __call__(self, code: str) -> int:
        return sum(1 for m in self.turns if code in m.codes)


def _ratio(top: int, bottom: int) -> float | None:
    return round(top / bottom, 2) if bottom else None


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def sdm_items(turns: Sequence[Moment]) -> dict[str, int]:
    """The five OPTION-5-style items, each 0-4."""
    n = _Counter(turns)
    checked = n("chunk_check") + n("teach_back") > 0
    bran = sum(1 for code in BRAN_CODES if n(code))
    return {
        "options": min(3, n("option_talk")) + (1 if n("do_nothing") else 0),
        "partnership": _LADDER[min(3, n("involvement"))],
        "information": min(bran, 4 if checked else 3),
        "preferences": _LADDER[min(3, n("what_matters"))],
        "integration": _integration(turns),
    }


def _integration(turns: Sequence[Moment]) -> int:
    """Whether preferences were asked early, revisited, and carried into a way forward."""
    asked = [m.index for m in turns if "what_matters" in m.codes]
    if not asked:
        return 0
    options = [m.index for m in turns if m.has(("option_talk", "advice"))]
    if not options:
        return 1
    start = options[0]
    after = [m for m in turns if m.index > start]
    return (
        1
        + (asked[0] < start)
        + any(m.has(("what_matters", "summary")) for m in after)
        + any(m.has(("involvement", "goal_setting")) for m in after)
    )
