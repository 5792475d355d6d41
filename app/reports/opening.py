"""The opening of a report: what went well and one or two things to try next time.

Every point names its turns and quotes the practitioner, so nothing reads as generic praise;
with nothing to build on, the opening says so rather than inventing a strength.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.reports.model import CriterionView, EvidenceItem, MissedMoment, Opening, Point

_WELL = 2
_NEXT = 2
_PRIORITY = (
    "lecturing",
    "advice_unasked",
    "closed_question",
    "information_unchecked",
    "options_without_nothing",
)


def opening(
    criteria: Sequence[CriterionView], missed: Sequence[MissedMoment], person: str
) -> Opening:
    """The strengths with the strongest evidence, then the most useful next steps."""
    return Opening(went_well=_went_well(criteria, person), try_next=_try_next(criteria, missed))


def _went_well(criteria: Sequence[CriterionView], person: str) -> list[Point]:
    # A turn that is a slip on any criterion is never held up as going well, even where
    # another criterion's rule counts it (advice after the person asked, but pressing).
    slips = {item.turn for c in criteria for item in c.evidence if item.kind == "slip"}
    shown = {c.id: [i for i in _shown(c) if i.turn not in slips] for c in criteria}
    ranked = sorted((c for c in criteria if c.rank >= 1 and shown[c.id]), key=lambda c: -c.rank)
    points: list[Point] = []
    for criterion in ranked[:_WELL]:
        item = shown[criterion.id][0]
        level = criterion.level_label.lower()
        text = f"{criterion.title} ({level}): at turn {item.turn} you said \u201c{item.words}\u201d"
        turns = [item.turn]
        if item.reaction is not None:
            text += f", and {person} answered \u201c{item.reaction.words}\u201d"
            turns.append(item.reaction.turn)
        ended = text.endswith(("\u201d", ".", "?", "!")) and text[-2:-1] in ".?!"
        points.append(Point(text=text if ended else text + ".", turns=turns))
    return points


def _shown(criterion: CriterionView) -> list[EvidenceItem]:
    return [item for item in criterion.evidence if item.kind == "shown"]


def _try_next(criteria: Sequence[CriterionView], missed: Sequence[MissedMoment]) -> list[Point]:
    chosen: list[MissedMoment] = []
    for kind in _PRIORITY:
        first = next((m for m in missed if m.kind == kind), None)
        if first is not None and len(chosen) < _NEXT:
            chosen.append(first)
    if chosen:
        return [
            Point(
                text=f"{m.title} at turn {m.turn}. Next time, try: \u201c{m.suggestion}\u201d",
                turns=[m.turn],
            )
            for m in chosen
        ]
    lowest = sorted((c for c in criteria if c.rank < 3), key=lambda c: c.rank)[:1]
    return [_step(c) for c in lowest]


def _step(criterion: CriterionView) -> Point:
    """The next step on a criterion, naming the turns it was seen at."""
    turns = sorted({e.turn for e in criterion.evidence})[:3]
    seen = f" (seen at turn {', '.join(map(str, turns))})" if turns else ""
    return Point(text=f"{criterion.title}{seen}: {_next_step(criterion.feedback)}", turns=turns)


def _next_step(feedback: str) -> str:
    """The 'Next step:' sentence of a criterion's feedback (or the whole feedback)."""
    _, found, rest = feedback.partition("Next step: ")
    return rest.strip() if found else feedback
