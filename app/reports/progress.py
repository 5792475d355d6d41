"""Progress across attempts: each criterion's level and each figure, attempt by attempt."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.scorecard import ScoreCard
from app.reports.model import Progress, ProgressPoint, ProgressSeries

# Figure key -> (title, scale maximum).
FIGURES: dict[str, tuple[str, float]] = {
    "percent_open_questions": ("Open questions (%)", 100.0),
    "reflection_question_ratio": ("Reflections per question", 3.0),
    "percent_complex_reflections": ("Complex reflections (%)", 100.0),
    "sdm_score": ("Shared decision making estimate (0-100)", 100.0),
    "bran": ("BRAN coverage (of 4)", 4.0),
}


def progress(attempts: Sequence[tuple[str, ScoreCard]]) -> Progress:
    """Series over ``attempts`` (label, card), oldest first; criteria from the last card."""
    if not attempts:
        return Progress(criteria=[], figures=[])
    latest = attempts[-1][1]
    criteria = [
        ProgressSeries(
            key=c.id,
            title=c.title,
            scale_max=3.0,
            points=[
                _point(n, label, _rank(card, c.id)) for n, (label, card) in _numbered(attempts)
            ],
        )
        for c in latest.criteria
    ]
    figures = [
        ProgressSeries(
            key=key,
            title=title,
            scale_max=top,
            points=[
                _point(n, label, figure_value(card, key))
                for n, (label, card) in _numbered(attempts)
            ],
        )
        for key, (title, top) in FIGURES.items()
    ]
    return Progress(criteria=criteria, figures=figures)


def figure_value(card: ScoreCard, key: str) -> float | None:
    """One figure of a card as a number (BRAN as how many of the four came up)."""
    if key == "bran":
        return float(sum(card.summary.bran.model_dump().values()))
    value = getattr(card.summary, key)
    return None if value is None else float(value)


def _rank(card: ScoreCard, criterion_id: str) -> float | None:
    found = next((c for c in card.criteria if c.id == criterion_id), None)
    return None if found is None else float(found.level.rank)


def _numbered(attempts: Sequence[tuple[str, ScoreCard]]) -> list[tuple[int, tuple[str, ScoreCard]]]:
    return list(enumerate(attempts, start=1))


def _point(number: int, label: str, value: float | None) -> ProgressPoint:
    return ProgressPoint(attempt=number, label=label, value=value)
