"""A whole conversation in memory: the turn loop of the service without a database.

The leak tests, the scenario regression tests and ``rehearse bench`` hold conversations
this way; the rehearsal service does the same steps (code, advance, plan, voice) with the
store in between, so what is measured and tested here is what the app does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.conversation import Speaker, Turn
from app.domain.persona_state import PersonaStep
from app.domain.scenario import Scenario
from app.llm.base import ChatModel
from app.sim.engine import PersonaEngine, ReplyPlan
from app.sim.reply import Outcome, reply_outcome
from app.sim.state import state_after


@dataclass(frozen=True)
class Exchange:
    """One practitioner turn and the person's reply, with the plan behind the reply."""

    practitioner: Turn
    person: Turn
    plan: ReplyPlan
    outcome: Outcome

    @property
    def step(self) -> PersonaStep:
        """What the practitioner turn did to the person."""
        assert self.practitioner.persona is not None
        return self.practitioner.persona


@dataclass
class LocalConversation:
    """A conversation with ``scenario`` held in memory, voiced by ``model``."""

    engine: PersonaEngine
    scenario: Scenario
    model: ChatModel
    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.turns:
            self.turns.append(
                Turn(index=0, speaker=Speaker.PERSON, text=self.scenario.opening_line)
            )

    def say(self, text: str) -> Turn:
        """Code and store a practitioner turn with what it did to the person."""
        coding = self.engine.code_turn(text, self.turns)
        step = self.engine.advance(self.scenario, self.turns, text, coding.codes)
        turn = Turn(
            index=len(self.turns),
            speaker=Speaker.PRACTITIONER,
            text=text,
            codes=coding.codes,
            persona=step,
        )
        self.turns.append(turn)
        return turn

    async def reply(self) -> tuple[ReplyPlan, Outcome, Turn]:
        """Plan, voice and store the person's reply to the last practitioner turn."""
        plan = self.engine.plan(self.scenario, self.turns)
        outcome = await reply_outcome(self.model, plan, self.scenario)
        turn = Turn(
            index=len(self.turns),
            speaker=Speaker.PERSON,
            text=outcome.text,
            model=self.model.model_id,
            fallback=outcome.fallback,
            checks=outcome.checks(),
        )
        self.turns.append(turn)
        return plan, outcome, turn

    async def exchange(self, text: str) -> Exchange:
        """Say ``text`` and hear the reply."""
        practitioner = self.say(text)
        plan, outcome, person = await self.reply()
        return Exchange(practitioner=practitioner, person=person, plan=plan, outcome=outcome)

    @property
    def released(self) -> frozenset[str]:
        """Ids of the hidden facts released so far."""
        return state_after(self.turns, self.engine.rules(self.scenario)).released
