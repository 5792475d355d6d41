"""From a measure to a level: thresholds first, then the criterion's caps and lowering.

The level is the highest whose ``when`` holds. ``requires`` and ``order`` cap it, and
``lowered_by`` takes it down one step per so many slips. Each limit that changed the level
is kept, with its turns, so the feedback can say why. Every quoted turn is marked with its
``outcome`` here, where the rule's meaning is known: a hit met the criterion, a miss was a
chance not taken (or, for an ``absence`` rule, a slip), and a limit's turns are slips.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.domain.rubric import Criterion, Threshold
from app.domain.rubric_rules import LEVEL_ORDER, LevelName
from app.domain.scorecard import Quote, QuoteOutcome
from app.scoring.labels import LEVEL_LABELS, first_upper, join
from app.scoring.measures import Measure
from app.scoring.moments import Moment


@dataclass
class Limit:
    """A cap or a lowering that changed the level, and the level it kept out of reach."""

    reason: str
    blocked: LevelName
    turns: list[Quote] = field(default_factory=list)


@dataclass
class Verdict:
    """The level reached by the measure, and the level after limits."""

    measured: LevelName
    level: LevelName
    limits: list[Limit] = field(default_factory=list)


def judge(criterion: Criterion, found: Measure, moments: Sequence[Moment]) -> Verdict:
    """The criterion's level for this conversation (and each of ``found``'s quotes marked)."""
    _mark(criterion, found)
    measured = _by_thresholds(criterion, found)
    verdict = Verdict(measured=measured, level=measured)
    _apply_requires(criterion, moments, verdict)
    _apply_order(criterion, moments, verdict)
    _apply_lowering(criterion, moments, verdict)
    return verdict


def _mark(criterion: Criterion, found: Measure) -> None:
    """Say of each quote whether it met the criterion or fell short, and how."""
    missed: QuoteOutcome = "slip" if criterion.evidence.kind == "absence" else "missed"
    found.hits = _marked(found.hits, "met")
    found.misses = _marked(found.misses, missed)


def _marked(quotes: list[Quote], outcome: QuoteOutcome) -> list[Quote]:
    return [q.model_copy(update={"outcome": outcome}) for q in quotes]


def met(threshold: Threshold, found: Measure) -> bool:
    """Whether every condition of ``threshold`` holds for ``found``."""
    if threshold.min_count is not None and found.count < threshold.min_count:
        return False
    if threshold.min_share is not None and (
        found.share is None or found.share < threshold.min_share
    ):
        return False
    return threshold.max_count is None or found.count <= threshold.max_count


def _by_thresholds(criterion: Criterion, found: Measure) -> LevelName:
    if not found.judgeable:
        return LevelName.NOT_YET
    for name, level in criterion.levels.reached():
        if met(level.when, found):
            return name
    return LevelName.NOT_YET


def _cap(verdict: Verdict, at_most: LevelName, reason: str, turns: list[Quote]) -> None:
    if verdict.level.rank > at_most.rank:
        blocked = LEVEL_ORDER[at_most.rank + 1]
        verdict.level = at_most
        verdict.limits.append(Limit(reason=reason, blocked=blocked, turns=turns))


def _apply_requires(criterion: Criterion, moments: Sequence[Moment], verdict: Verdict) -> None:
    rule = criterion.requires
    if rule is None:
        return
    missing = [c for c in rule.codes if not any(c in m.codes for m in moments if m.practitioner)]
    if missing:
        reason = (
            f"{first_upper(join(missing, 'and'))} did not come up, so this stays at "
            f"{LEVEL_LABELS[rule.at_most].lower()}."
        )
        _cap(verdict, rule.at_most, reason, [])


def _apply_order(criterion: Criterion, moments: Sequence[Moment], verdict: Verdict) -> None:
    rule = criterion.order
    if rule is None:
        return
    turns = [m for m in moments if m.practitioner]
    first = next((m for m in turns if m.has(rule.first)), None)
    then = next((m for m in turns if m.has(rule.then)), None)
    if then is None or (first is not None and first.index <= then.index):
        return
    when = "never" if first is None else f"only at turn {first.index}"
    reason = (
        f"{first_upper(join(rule.then))} came at turn {then.index}, before {join(rule.first)} "
        f"({when}), so this stays at {LEVEL_LABELS[rule.at_most].lower()}."
    )
    _cap(verdict, rule.at_most, reason, _marked([then.quote(rule.then)], "slip"))


def _apply_lowering(criterion: Criterion, moments: Sequence[Moment], verdict: Verdict) -> None:
    rule = criterion.lowered_by
    if rule is None:
        return
    slips = [m for m in moments if m.practitioner and m.has(rule.codes)]
    steps = len(slips) // rule.turns_per_level
    if not steps or verdict.level is LevelName.NOT_YET:
        return
    lowered = LEVEL_ORDER[max(0, verdict.level.rank - steps)]
    turn_words = "turn" if len(slips) == 1 else "turns"
    reason = (
        f"{first_upper(join(rule.codes))} in {len(slips)} {turn_words} lowered this from "
        f"{LEVEL_LABELS[verdict.level].lower()} to {LEVEL_LABELS[lowered].lower()}."
    )
    verdict.limits.append(
        Limit(
            reason=reason,
            blocked=verdict.level,
            turns=_marked([m.quote(rule.codes) for m in slips], "slip"),
        )
    )
    verdict.level = lowered
