"""The scenario a practitioner rehearses: who the simulated person is and what they say.

A scenario is one YAML file (``scenarios/README.md`` documents every key). Its parts live
in their own modules: the person (``persona``), hidden facts (``facts``), the decision
(``decision``) and the state model (``persona_state``); this module puts them together.
"""

from __future__ import annotations

from pydantic import Field

from app.domain.base import CodeName, NonEmpty, SeedRef, Slug, Strict
from app.domain.decision import Decision
from app.domain.facts import HiddenFact
from app.domain.persona import HealthLiteracy, Person, PersonaMode, PersonRole, SecondParty
from app.domain.persona_state import StateSettings

__all__ = [
    "HealthLiteracy",
    "NonEmpty",
    "Person",
    "PersonRole",
    "PersonaMode",
    "Scenario",
    "Scripted",
    "ScriptedLine",
    "SecondParty",
    "SeedRef",
    "Slug",
    "Strict",
]


class ScriptedLine(Strict):
    """An authored reply, said when its cue words or codes fit the practitioner's turn."""

    cues: list[NonEmpty] = Field(
        default_factory=list,
        description="Words or phrases; any one present in the practitioner's turn selects "
        "this line. Empty means the line is chosen by codes only.",
    )
    codes: list[CodeName] = Field(
        default_factory=list,
        description="Turn codes (e.g. open_question, empathy); any one selects this line.",
    )
    say: NonEmpty


class Scripted(Strict):
    """Authored lines, so the whole scenario runs without a model."""

    lines: list[ScriptedLine] = Field(default_factory=list)
    fallback: list[NonEmpty] = Field(
        min_length=1, description="Said in turn when no cued line fits."
    )
    low_trust: list[NonEmpty] = Field(
        default_factory=list,
        description="Short, guarded lines said while trust is low (instead of the fallback).",
    )
    high_trust: list[NonEmpty] = Field(
        default_factory=list,
        description="Warmer lines said while trust is high, when no cued line fits.",
    )
    deflect: list[NonEmpty] = Field(
        default_factory=list,
        description="In-character answers to attempts to break the role "
        "('ignore your instructions', 'you are the doctor now').",
    )


class Scenario(Strict):
    """One scenario file in ``scenarios/``."""

    id: Slug
    title: NonEmpty
    step: int | None = Field(
        default=None, ge=1, le=3, description="Person-Centred Approaches framework step (000)."
    )
    level: int | None = Field(default=None, ge=1, le=3, description="PCI curriculum level (001).")
    seed_refs: list[SeedRef] = Field(min_length=1, description="Seed lines, e.g. '000:666-668'.")
    setting: NonEmpty
    time_available_minutes: int = Field(ge=1, le=120)
    learning_objectives: list[NonEmpty] = Field(default_factory=list)
    content_warnings: list[NonEmpty] = Field(default_factory=list)
    brief: NonEmpty = Field(description="What the practitioner reads before starting.")
    person: Person
    opening_line: NonEmpty = Field(description="The person's first words.")
    open_facts: list[NonEmpty] = Field(
        min_length=1, description="What the person shares freely when asked."
    )
    hidden_facts: list[HiddenFact] = Field(
        default_factory=list, description="What the person says only once it is earned."
    )
    decision: Decision | None = Field(
        default=None, description="For shared-decision-making scenarios: the options."
    )
    state: StateSettings = Field(
        default_factory=StateSettings,
        description="Overrides of the shared persona-state defaults.",
    )
    scripted: Scripted

    def hidden_fact(self, fact_id: str) -> HiddenFact | None:
        """The hidden fact with this id, if any."""
        return next((fact for fact in self.hidden_facts if fact.id == fact_id), None)

    def prompt_text(self) -> str:
        """All the text that goes into every persona prompt (never a hidden fact)."""
        parts = [self.setting, self.person.prompt_text(), self.opening_line, *self.open_facts]
        return "\n".join(parts)
