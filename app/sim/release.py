"""Release conditions: has the practitioner earned a hidden fact on this turn, and how?

A condition is a conjunction of clauses (codes, topic, turn number, trust, earlier facts);
a fact lists several conditions and is released when any one holds. The reason names the
clauses that held, e.g. "complex_reflection touching 'pads'; trust 0.62 >= 0.5", so a
trainer can see why the person opened up.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.facts import ReleaseCondition
from app.domain.persona_state import FactRelease
from app.domain.scenario import Scenario
from app.sim.text import first_mention

# Turns that answer the person's last words: the topic of those words counts as touched.
_ANSWERING = frozenset({"simple_reflection", "complex_reflection", "empathy", "summary"})


@dataclass(frozen=True)
class TurnContext:
    """What a release condition is judged against."""

    turn: int
    text: str
    codes: frozenset[str]
    previous_person: str
    trust: float
    released: frozenset[str]


def condition_reason(condition: ReleaseCondition, ctx: TurnContext) -> str | None:
    """Why ``condition`` holds on this turn, or None if it does not."""
    parts: list[str] = []
    checks = (_codes, _topic, _turn, _trust, _facts)
    for check in checks:
        part = check(condition, ctx)
        if part is None:
            return None
        if part:
            parts.append(part)
    return "; ".join(parts)


def _codes(condition: ReleaseCondition, ctx: TurnContext) -> str | None:
    if not condition.any_of:
        return ""
    hit = next((code for code in condition.any_of if code in ctx.codes), None)
    return hit


def _topic(condition: ReleaseCondition, ctx: TurnContext) -> str | None:
    if not condition.topic:
        return ""
    word = first_mention(ctx.text, condition.topic)
    if word is not None:
        return f"touching '{word}'"
    if ctx.codes & _ANSWERING:
        word = first_mention(ctx.previous_person, condition.topic)
        if word is not None:
            return f"answering the person's words about '{word}'"
    return None


def _turn(condition: ReleaseCondition, ctx: TurnContext) -> str | None:
    if condition.after_turn is None:
        return ""
    return (
        f"turn {ctx.turn} >= {condition.after_turn}" if ctx.turn >= condition.after_turn else None
    )


def _trust(condition: ReleaseCondition, ctx: TurnContext) -> str | None:
    if condition.min_trust is None:
        return ""
    if ctx.trust < condition.min_trust:
        return None
    return f"trust {ctx.trust:.2f} >= {condition.min_trust:.2f}"


def _facts(condition: ReleaseCondition, ctx: TurnContext) -> str | None:
    if not condition.after_facts:
        return ""
    if not set(condition.after_facts) <= ctx.released:
        return None
    return "after " + ", ".join(condition.after_facts)


def next_release(scenario: Scenario, ctx: TurnContext) -> FactRelease | None:
    """The first unreleased fact (in file order) whose condition holds: one per turn.

    People disclose one thing at a time; the order of ``hidden_facts`` is the order in
    which a trainer expects them to come out when several are earned at once.
    """
    for fact in scenario.hidden_facts:
        if fact.id in ctx.released:
            continue
        for condition in fact.release:
            reason = condition_reason(condition, ctx)
            if reason is not None:
                return FactRelease(id=fact.id, reason=reason)
    return None
