"""The scenario a practitioner rehearses: who the simulated person is and what they say.

Models forbid unknown keys so a trainer's typo (``opening_lien``) is an error with a line
number, not a silently ignored field.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SeedRef = Annotated[str, StringConstraints(pattern=r"^\d{3}:\d+(-\d+)?$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class Strict(BaseModel):
    """Base for trainer-authored YAML: unknown keys are mistakes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonRole(StrEnum):
    """Whether the person speaks about themselves or about someone they care for."""

    PATIENT = "patient"
    CARER = "carer"


class Person(Strict):
    """The simulated person, as the model is told to play them."""

    name: NonEmpty
    age: int = Field(ge=0, le=120)
    role: PersonRole = PersonRole.PATIENT
    cares_for: str | None = Field(
        default=None, description="For a carer: who they speak about, e.g. 'her father, 86'."
    )
    about: NonEmpty = Field(description="Who they are and their situation, in a few sentences.")
    speaking_style: NonEmpty = Field(description="Voice: register, pace, words they use.")
    reply_sentences: int = Field(default=3, ge=1, le=8, description="Most sentences in one reply.")


class ScriptedLine(Strict):
    """An authored reply, said when its cue words appear in the practitioner's turn."""

    cues: list[NonEmpty] = Field(
        default_factory=list,
        description="Words or phrases; any one present in the practitioner's turn selects "
        "this line. Empty means the line is only used in rotation.",
    )
    codes: list[NonEmpty] = Field(
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


class Scenario(Strict):
    """One scenario file in ``scenarios/``."""

    id: Slug
    title: NonEmpty
    seed_refs: list[SeedRef] = Field(min_length=1, description="Seed lines, e.g. '000:666-668'.")
    setting: NonEmpty
    time_available_minutes: int = Field(ge=1, le=120)
    content_warnings: list[NonEmpty] = Field(default_factory=list)
    brief: NonEmpty = Field(description="What the practitioner reads before starting.")
    person: Person
    opening_line: NonEmpty = Field(description="The person's first words.")
    open_facts: list[NonEmpty] = Field(
        min_length=1, description="What the person shares freely when asked."
    )
    scripted: Scripted
