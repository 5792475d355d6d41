"""The summary figures with their bands, each explained in one plain sentence.

Numbers never appear alone: every figure carries what it measures and what its band means
(MITI 4.2.1 and 3.1.1 bands; BRAN from seed 003:38; the SDM estimate is OPTION-5-style).
"""

from __future__ import annotations

from app.domain.scorecard import ScoreCard
from app.reports.model import Figure

_BRAN_WORDS = {
    "benefits": "benefits",
    "risks": "risks",
    "alternatives": "alternatives",
    "do_nothing": "doing nothing",
}
_BAND_WORDS = {
    "good": "in the published 'good' band",
    "fair": "in the published 'fair' band, not yet 'good'",
    "below fair": "below the published 'fair' band",
}


def figures(card: ScoreCard) -> list[Figure]:
    """The five figures of the summary, in reading order."""
    s = card.summary
    return [
        _banded(
            card,
            "percent_open_questions",
            "Open questions",
            s.percent_open_questions,
            "The share of your questions that were open, which let the person tell their "
            "story in their own words.",
            100.0,
            (50.0, 70.0),
            "%",
        ),
        _banded(
            card,
            "reflection_question_ratio",
            "Reflections per question",
            s.reflection_question_ratio,
            "How many reflections you offered for each question you asked; reflections "
            "show the person they were heard.",
            3.0,
            (1.0, 2.0),
            ":1",
        ),
        _banded(
            card,
            "percent_complex_reflections",
            "Complex reflections",
            s.percent_complex_reflections,
            "The share of your reflections that added meaning or feeling rather than "
            "repeating the person's words.",
            100.0,
            (40.0, 50.0),
            "%",
        ),
        _sdm(card),
        _bran(card),
    ]


def _banded(
    card: ScoreCard,
    key: str,
    title: str,
    value: float | None,
    explanation: str,
    scale_max: float,
    marks: tuple[float, float],
    unit: str,
) -> Figure:
    band = card.bands.get(key)
    fair, good = marks
    if value is None:
        note = "Not measured: there was nothing to count it from in this conversation."
        display = "not measured"
    else:
        display = f"{value:g}{unit}"
        note = (
            f"At {display} this is {_BAND_WORDS.get(band or '', 'not banded')} "
            f"(fair from {fair:g}{unit}, good from {good:g}{unit})."
        )
    return Figure(
        key=key,
        title=title,
        value=value,
        display=display,
        band=band,
        explanation=explanation,
        band_note=note,
        scale_max=scale_max,
        fair=fair,
        good=good,
    )


def _sdm(card: ScoreCard) -> Figure:
    value = card.summary.sdm_score
    items = ", ".join(f"{name} {score}/4" for name, score in card.sdm_items.items())
    note = (
        f"Made up of five items, each 0 to 4: {items}. There is no published band; "
        "compare it with your own earlier attempts."
        if value is not None
        else "Not measured: you had no turns to score."
    )
    return Figure(
        key="sdm_score",
        title="Shared decision making (estimate)",
        value=value,
        display="not measured" if value is None else f"{value}/100",
        band=None,
        explanation="An OPTION-5-style estimate from 0 to 100 of how far you involved the "
        "person in the decision.",
        band_note=note,
        scale_max=100.0,
    )


def _bran(card: ScoreCard) -> Figure:
    bran = card.summary.bran.model_dump()
    heard = [_BRAN_WORDS[k] for k, v in bran.items() if v]
    missing = [_BRAN_WORDS[k] for k, v in bran.items() if not v]
    count = len(heard)
    note = (
        "All four came up."
        if not missing
        else f"Not heard: {', '.join(missing)}." + (f" Heard: {', '.join(heard)}." if heard else "")
    )
    return Figure(
        key="bran",
        title="BRAN coverage",
        value=float(count),
        display=f"{count} of 4",
        band="good" if count == 4 else None,
        explanation="Whether benefits, risks, alternatives and doing nothing each came up, so "
        "the person could weigh every option.",
        band_note=note,
        scale_max=4.0,
        good=4.0,
    )
