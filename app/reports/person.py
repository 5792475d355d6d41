"""The simulated person's view: how trust and feeling moved, and what they shared or kept back.

Read from the persona steps stored on practitioner turns (or replayed from the scenario's
rules for a transcript file, see ``replay.py``). Concerns kept back are explained in the
person's own voice from the release conditions they were waiting for, so "you never asked
what mattered to me" is traceable to a rule, not invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.facts import HiddenFact, ReleaseCondition
from app.domain.persona_state import PersonaStep
from app.domain.scenario import Scenario
from app.reports.model import FactView, PersonSource, PersonView, TrustPoint
from app.scoring.labels import label

# What the person would say was missing, per code a release condition waited for.
_MISSING: dict[str, str] = {
    "what_matters": "you never asked what mattered to me",
    "strengths": "you never asked what I'm managing or good at",
    "open_question": "you didn't ask me an open question about it",
    "screening": "you never asked if there was anything else",
    "empathy": "you didn't pick up on how I was feeling",
    "complex_reflection": "you didn't show me you'd understood what was underneath",
    "simple_reflection": "you didn't show me you'd heard me",
    "ask_permission": "you didn't ask what I already knew",
    "involvement": "you didn't ask how I wanted to decide",
    "summary": "you didn't check you'd got the whole picture",
}


@dataclass(frozen=True)
class PersonRecords:
    """Persona steps by practitioner turn index, the scenario, and where they came from."""

    source: PersonSource
    person_name: str = "The person"
    scenario: Scenario | None = None
    steps: Mapping[int, PersonaStep] = field(default_factory=dict)


NO_RECORDS = PersonRecords(source="none")


def person_view(records: PersonRecords) -> PersonView:
    """The person's side, or an empty view saying there are no records."""
    view = PersonView(source=records.source, person_name=records.person_name)
    if records.source == "none" or not records.steps:
        return view.model_copy(update={"source": "none"})
    ordered = sorted(records.steps.items())
    first = ordered[0][1]
    view.start_trust, view.start_emotion = first.trust_before, first.emotion_before
    view.points = [
        TrustPoint(turn=i, trust=s.trust_after, emotion=s.emotion_after, band=s.band.value)
        for i, s in ordered
    ]
    if records.scenario is not None:
        view.shared, view.kept_back = _facts(records.scenario, ordered)
    view.summary = _summary(view)
    return view


def _facts(
    scenario: Scenario, ordered: list[tuple[int, PersonaStep]]
) -> tuple[list[FactView], list[FactView]]:
    released = {r.id: (i, r.reason) for i, step in ordered for r in step.released}
    last = ordered[-1][1]
    shared: list[FactView] = []
    kept: list[FactView] = []
    for fact in scenario.hidden_facts:
        if fact.id in released:
            turn, reason = released[fact.id]
            why = f"I told you after turn {turn}, because of {_plain(reason)}."
            shared.append(FactView(id=fact.id, words=fact.say, turn=turn, why=why))
        else:
            kept.append(FactView(id=fact.id, words=fact.say, why=kept_back_why(fact, last)))
    return shared, kept


def _plain(reason: str) -> str:
    """The engine's reason ('what_matters; touching ...') with code names in words."""
    parts = [_word(part) for part in reason.split("; ")]
    return "; ".join(parts) or "what you said"


def _word(part: str) -> str:
    return label(part) if "_" in part and " " not in part else part


def kept_back_why(fact: HiddenFact, last: PersonaStep) -> str:
    """Why the person kept ``fact`` back, in their voice, from its release conditions."""
    if last.band.value == "guarded":
        return "I never felt safe enough with you to say it; by the end I was still guarded."
    reasons = [_missing(condition) for condition in fact.release]
    found = [reason for reason in dict.fromkeys(reasons) if reason]
    if not found:
        return "We never got that far."
    joined = "; and ".join(found[:2])
    return joined[:1].upper() + joined[1:] + "."


def _missing(condition: ReleaseCondition) -> str:
    for code in condition.any_of:
        if code in _MISSING:
            text = _MISSING[code]
            if condition.topic and code in {"open_question", "empathy", "complex_reflection"}:
                text = text.replace(" about it", "") + f" about {condition.topic[0]}"
            return text
    if condition.min_trust is not None:
        return "I didn't trust you enough yet"
    return ""


def _summary(view: PersonView) -> str:
    """One first-person sentence on how the conversation left the person."""
    if not view.points or view.start_trust is None:
        return ""
    end = view.points[-1]
    change = end.trust - view.start_trust
    if change > 0.05:
        moved = "I trusted you more by the end than at the start"
    elif change < -0.05:
        moved = "I trusted you less by the end than at the start"
    else:
        moved = "My trust in you ended about where it started"
    return f"{moved}, and I was feeling {end.emotion} when we finished."
