"""Build a report from a score card and the person's records: pure, no database or model.

The same card and records always give the same report; ``narrative.py`` may add a model's
words afterwards, and says so on the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.conversation import Speaker
from app.domain.rubric import Rubric
from app.domain.scorecard import CodedTurn, CriterionScore, ScoreCard
from app.reports.figures import figures
from app.reports.missed import missed_moments
from app.reports.model import (
    AnnotatedTurn,
    CodeChip,
    CodeCount,
    CriterionView,
    EvidenceItem,
    EvidenceKind,
    Progress,
    Reaction,
    Report,
)
from app.reports.opening import opening
from app.reports.person import NO_RECORDS, PersonRecords, person_view
from app.reports.scoring import scoring_view
from app.scoring.labels import LEVEL_LABELS, label

# The scoring engine marks each quote (``Quote.outcome``); the report only names it. A quote
# with no outcome was cited by the LLM judge, which does not say which way it points.
_KINDS: dict[str | None, EvidenceKind] = {
    "met": "shown",
    "missed": "missed",
    "slip": "slip",
    None: "cited",
}
_REACTION_CHARS = 120


def build_report(
    card: ScoreCard,
    *,
    title: str,
    rubric: Rubric | None = None,
    records: PersonRecords = NO_RECORDS,
    progress: Progress | None = None,
) -> Report:
    """The whole report for one scored conversation."""
    person = person_view(records)
    name = records.person_name if records.source != "none" else "the person"
    criteria = [_criterion(score, card, rubric, records) for score in card.criteria]
    missed = missed_moments(card.turns)
    return Report(
        title=title,
        person_name=person.person_name if records.source != "none" else "The person",
        opening=opening(criteria, missed, name),
        criteria=criteria,
        missed=missed,
        person=person,
        figures=figures(card),
        transcript=_annotated(card.turns, {m.turn for m in missed}),
        codes=_code_counts(card.turns),
        card=card,
        progress=progress,
        scoring=scoring_view(card),
    )


def _criterion(
    score: CriterionScore, card: ScoreCard, rubric: Rubric | None, records: PersonRecords
) -> CriterionView:
    descriptor = _descriptor(score, rubric)
    return CriterionView(
        id=score.id,
        title=score.title,
        level=score.level,
        level_label=LEVEL_LABELS[score.level],
        rank=score.level.rank,
        descriptor=descriptor,
        feedback=_detail(score.feedback, descriptor),
        evidence=_evidence(score, card.turns, records),
    )


def _descriptor(score: CriterionScore, rubric: Rubric | None) -> str:
    """The rubric's descriptor for the level reached (or the feedback's first sentence)."""
    if rubric is not None:
        try:
            return rubric.criterion(score.id).levels.text(score.level).descriptor.strip()
        except KeyError:
            pass
    head = score.feedback.split(": ", 1)[-1]
    return head.split(". ", 1)[0].rstrip(".") + "."


def _detail(feedback: str, descriptor: str) -> str:
    """The feedback without its opening "Level: descriptor", which the report shows apart."""
    _, found, rest = feedback.partition(descriptor)
    return rest.strip() if found and feedback.index(descriptor) < 40 else feedback


def _evidence(
    score: CriterionScore, turns: Sequence[CodedTurn], records: PersonRecords
) -> list[EvidenceItem]:
    items: list[EvidenceItem] = []
    for quote in score.quotes:
        turn = turns[quote.turn] if quote.turn < len(turns) else None
        if turn is None or turn.speaker is not Speaker.PRACTITIONER:
            continue
        items.append(
            EvidenceItem(
                turn=quote.turn,
                code=quote.code,
                code_label=label(quote.code),
                words=quote.words,
                kind=_KINDS[quote.outcome],
                reaction=reaction(turns, quote.turn, records),
            )
        )
    return items


def reaction(turns: Sequence[CodedTurn], index: int, records: PersonRecords) -> Reaction | None:
    """The person's next turn after practitioner turn ``index``, with their state change."""
    following = next((t for t in turns[index + 1 :] if t.speaker is Speaker.PERSON), None)
    if following is None:
        return None
    words = " ".join(following.text.split())
    if len(words) > _REACTION_CHARS:
        words = words[: _REACTION_CHARS - 1].rstrip() + "\u2026"
    step = records.steps.get(index)
    if step is None:
        return Reaction(turn=following.index, words=words)
    return Reaction(
        turn=following.index,
        words=words,
        emotion_before=step.emotion_before,
        emotion_after=step.emotion_after,
        trust_change=round(step.trust_after - step.trust_before, 3),
    )


def _annotated(turns: Sequence[CodedTurn], missed: set[int]) -> list[AnnotatedTurn]:
    return [
        AnnotatedTurn(
            index=t.index,
            speaker=t.speaker.value,
            text=t.text,
            codes=[CodeChip(code=c, label=label(c)) for c in t.codes],
            missed=t.index in missed,
        )
        for t in turns
    ]


def _code_counts(turns: Sequence[CodedTurn]) -> list[CodeCount]:
    found: dict[str, list[int]] = {}
    for turn in turns:
        for code in turn.codes:
            found.setdefault(code, []).append(turn.index)
    return [CodeCount(code=c, label=label(c), turns=t) for c, t in found.items()]
