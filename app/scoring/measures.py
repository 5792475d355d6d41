"""The six measures of the rubric rule language, each read off the coded turns.

Every measure gives a ``count`` and, where it has chances to take, a ``share`` of them,
plus the quoted turns behind both: ``hits`` (what evidences the skill) and ``misses``
(chances not taken, or slips for ``absence``). Levels are then decided on those numbers
alone, so each rule stays easy to explain to a trainer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.rubric_rules import (
    AbsenceRule,
    AfterRule,
    BeforeRule,
    CountRule,
    CoverageRule,
    Evidence,
    ShareRule,
)
from app.domain.scorecard import Quote
from app.scoring.moments import Moment


@dataclass
class Measure:
    """What one rule found in a conversation."""

    count: int
    share: float | None = None
    chances: int | None = None
    hits: list[Quote] = field(default_factory=list)
    misses: list[Quote] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # coverage: codes not heard
    judgeable: bool = True  # absence: enough turns to tell


def measure(evidence: Evidence, moments: Sequence[Moment]) -> Measure:
    """Apply the criterion's one rule to the coded turns."""
    function: Callable[[Any, Sequence[Moment]], Measure] = _MEASURES[evidence.kind]
    return function(evidence.rule, moments)


def _practitioner(moments: Sequence[Moment]) -> list[Moment]:
    return [m for m in moments if m.practitioner]


def _share(hits: int, chances: int) -> float | None:
    return hits / chances if chances else None


def _count(rule: CountRule, moments: Sequence[Moment]) -> Measure:
    found = [m for m in _practitioner(moments) if m.has(rule.codes)]
    return Measure(count=len(found), hits=[m.quote(rule.codes) for m in found])


def _share_of(rule: ShareRule, moments: Sequence[Moment]) -> Measure:
    chances = [m for m in _practitioner(moments) if m.has(rule.of)]
    taken = [m for m in chances if m.has(rule.codes)]
    missed = [m for m in chances if not m.has(rule.codes)]
    return Measure(
        count=len(taken),
        share=_share(len(taken), len(chances)),
        chances=len(chances),
        hits=[m.quote(rule.codes) for m in taken],
        misses=[m.quote(rule.of) for m in missed],
    )


def _coverage(rule: CoverageRule, moments: Sequence[Moment]) -> Measure:
    hits: list[Quote] = []
    absent: list[str] = []
    for code in dict.fromkeys(rule.codes):
        first = next((m for m in _practitioner(moments) if code in m.codes), None)
        if first is None:
            absent.append(code)
        else:
            hits.append(first.quote([code]))
    distinct = len(hits)
    return Measure(
        count=distinct,
        share=_share(distinct, distinct + len(absent)),
        chances=distinct + len(absent),
        hits=hits,
        absent=absent,
    )


def _after(rule: AfterRule, moments: Sequence[Moment]) -> Measure:
    turns = _practitioner(moments)
    result = Measure(count=0, chances=0)
    for position, moment in enumerate(turns):
        if not moment.has(rule.codes):
            continue
        window = turns[position : position + rule.within_turns + 1]
        support = [m for m in window if m.has(rule.followed_by)]
        seen = set().union(*(m.codes for m in window)) & set(rule.followed_by)
        taken = seen == set(rule.followed_by) if rule.need == "all" else bool(seen)
        _tally(
            result, moment.quote(rule.codes), taken, [m.quote(rule.followed_by) for m in support]
        )
    result.share = _share(result.count, result.chances or 0)
    return result


def _before(rule: BeforeRule, moments: Sequence[Moment]) -> Measure:
    result = Measure(count=0, chances=0)
    for position, moment in enumerate(moments):
        if not (moment.practitioner and moment.has(rule.codes)):
            continue
        window = _look_back(moments, position, rule.within_turns)
        if rule.same_turn:
            window.append(moment)
        support = [m for m in window if m.has(rule.preceded_by)]
        _tally(
            result,
            moment.quote(rule.codes),
            bool(support),
            [support[-1].quote(rule.preceded_by)] if support else [],
        )
    result.share = _share(result.count, result.chances or 0)
    return result


def _look_back(moments: Sequence[Moment], position: int, within: int | None) -> list[Moment]:
    """The turns before ``position``: back over ``within`` practitioner turns, or all of them."""
    window: list[Moment] = []
    passed = 0
    for moment in reversed(moments[:position]):
        if moment.practitioner:
            if within is not None and passed == within:
                break
            passed += 1
        window.append(moment)
    window.reverse()
    return window


def _tally(result: Measure, chance: Quote, taken: bool, support: list[Quote]) -> None:
    """Record one chance: a hit with the turns that completed it, or a miss."""
    result.chances = (result.chances or 0) + 1
    if taken:
        result.count += 1
        result.hits.append(chance)
        result.hits.extend(q for q in support if q not in result.hits)
    else:
        result.misses.append(chance)


def _absence(rule: AbsenceRule, moments: Sequence[Moment]) -> Measure:
    turns = _practitioner(moments)
    slips = [m for m in turns if m.has(rule.codes)]
    return Measure(
        count=len(slips),
        misses=[m.quote(rule.codes) for m in slips],
        judgeable=len(turns) >= rule.min_turns,
    )


_MEASURES: dict[str, Callable[[Any, Sequence[Moment]], Measure]] = {
    "count": _count,
    "share": _share_of,
    "coverage": _coverage,
    "after": _after,
    "before": _before,
    "absence": _absence,
}
