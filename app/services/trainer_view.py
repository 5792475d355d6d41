"""What trainers and assessors see beside a conversation: the person's hidden side.

Every practitioner turn stores its persona step (codes, trust and emotion before and after,
facts released and why); every reply stores how it was made. This module joins those
records with the scenario's hidden facts, so a trainer can watch the person open up or
close down turn by turn. The practitioner never gets this view before the report.
"""

from __future__ import annotations

from pydantic import BaseModel

from app.domain.conversation import ConversationView, Speaker, Turn
from app.domain.facts import ReleaseCondition
from app.domain.persona_state import Band, PersonaStep, ReplyChecks, StateDefaults
from app.domain.scenario import Scenario
from app.services.rehearsal import RehearsalService
from app.sim.state import advance


class ReleasedFact(BaseModel):
    """A hidden fact released on a turn, with its text and the condition that held."""

    id: str
    fact: str
    reason: str


class TurnState(BaseModel):
    """One practitioner turn as a trainer sees it, with the reply it got."""

    index: int
    number: int
    text: str
    codes: list[str]
    signals: list[str]
    effects: dict[str, float]
    trust_before: float
    trust_after: float
    emotion_before: str
    emotion_after: str
    band: Band
    released: list[ReleasedFact]
    note: str
    reply: ReplyChecks | None = None
    reply_fallback: bool = False
    replayed: bool = False

    @property
    def change(self) -> float:
        """How far trust moved on this turn."""
        return round(self.trust_after - self.trust_before, 3)


class FactStatus(BaseModel):
    """A hidden fact of the scenario: released (on which turn, why) or not yet."""

    id: str
    fact: str
    conditions: list[str]
    released_turn: int | None = None
    reason: str | None = None

    @property
    def released(self) -> bool:
        """The practitioner has earned it."""
        return self.released_turn is not None


class TrainerView(BaseModel):
    """The trainer's panel: trust over the conversation, each turn, every hidden fact."""

    start_trust: float
    start_emotion: str
    guarded_below: float
    open_from: float
    turns: list[TurnState]
    facts: list[FactStatus]

    @property
    def trust(self) -> float:
        """Trust now."""
        return self.turns[-1].trust_after if self.turns else self.start_trust

    @property
    def emotion(self) -> str:
        """Emotion now."""
        return self.turns[-1].emotion_after if self.turns else self.start_emotion

    @property
    def band(self) -> Band:
        """Guarded, neutral or open now."""
        if self.trust < self.guarded_below:
            return Band.GUARDED
        return Band.OPEN if self.trust >= self.open_from else Band.NEUTRAL

    @property
    def trust_points(self) -> list[float]:
        """Trust at the start and after each practitioner turn."""
        return [self.start_trust, *(turn.trust_after for turn in self.turns)]


class TrainerTranscript(ConversationView):
    """The transcript JSON with the trainer's view: only for ``?view=trainer``."""

    trainer: TrainerView


def trainer_view(service: RehearsalService, conversation_id: int) -> TrainerView:
    """The trainer's view of a stored conversation."""
    view = service.view(conversation_id)
    scenario = service.scenario_of(conversation_id)
    return build_trainer_view(view, scenario, service.engine.rules(scenario))


def trainer_transcript(service: RehearsalService, conversation_id: int) -> TrainerTranscript:
    """The full transcript (persona steps and checks included) with the trainer's view."""
    view = service.view(conversation_id)
    scenario = service.scenario_of(conversation_id)
    panel = build_trainer_view(view, scenario, service.engine.rules(scenario))
    return TrainerTranscript(**dict(view), trainer=panel)


def build_trainer_view(
    view: ConversationView, scenario: Scenario, rules: StateDefaults
) -> TrainerView:
    """Join the turns' stored records with the scenario's hidden facts."""
    facts = {fact.id: fact.fact for fact in scenario.hidden_facts}
    states: list[TurnState] = []
    for position, turn in enumerate(view.turns):
        if turn.speaker is Speaker.PRACTITIONER:
            step, replayed = _step_of(turn, view.turns[:position], scenario, rules)
            states.append(_turn_state(turn, step, facts, replayed))
        elif states and states[-1].reply is None and turn.checks is not None:
            states[-1] = states[-1].model_copy(
                update={"reply": turn.checks, "reply_fallback": turn.fallback}
            )
    return TrainerView(
        start_trust=rules.trust,
        start_emotion=rules.emotion,
        guarded_below=rules.guarded_below,
        open_from=rules.open_from,
        turns=states,
        facts=_fact_statuses(scenario, states),
    )


def _step_of(
    turn: Turn, history: list[Turn], scenario: Scenario, rules: StateDefaults
) -> tuple[PersonaStep, bool]:
    """The stored step, or (turns saved before steps were stored) the step worked out again."""
    if turn.persona is not None:
        return turn.persona, False
    return advance(scenario, rules, history, turn.text, turn.codes), True


def _turn_state(turn: Turn, step: PersonaStep, facts: dict[str, str], replayed: bool) -> TurnState:
    released = [
        ReleasedFact(id=r.id, fact=facts.get(r.id, r.id), reason=r.reason) for r in step.released
    ]
    return TurnState(
        index=turn.index,
        number=step.turn,
        text=turn.text,
        codes=turn.codes,
        signals=step.signals,
        effects=step.effects,
        trust_before=step.trust_before,
        trust_after=step.trust_after,
        emotion_before=step.emotion_before,
        emotion_after=step.emotion_after,
        band=step.band,
        released=released,
        note=step.note,
        replayed=replayed,
    )


def _fact_statuses(scenario: Scenario, states: list[TurnState]) -> list[FactStatus]:
    when = {fact.id: (state.number, fact.reason) for state in states for fact in state.released}
    return [
        FactStatus(
            id=fact.id,
            fact=fact.fact,
            conditions=[describe_condition(condition) for condition in fact.release],
            released_turn=when[fact.id][0] if fact.id in when else None,
            reason=when[fact.id][1] if fact.id in when else None,
        )
        for fact in scenario.hidden_facts
    ]


def describe_condition(condition: ReleaseCondition) -> str:
    """A release condition in words, e.g. "open_question or empathy; about work or golf"."""
    parts: list[str] = []
    if condition.any_of:
        parts.append(" or ".join(condition.any_of))
    if condition.topic:
        parts.append("about " + " or ".join(f"'{word}'" for word in condition.topic))
    if condition.after_turn is not None:
        parts.append(f"from turn {condition.after_turn}")
    if condition.min_trust is not None:
        parts.append(f"trust at least {condition.min_trust:.2f}")
    if condition.after_facts:
        parts.append("after " + ", ".join(condition.after_facts))
    return "; ".join(parts)
