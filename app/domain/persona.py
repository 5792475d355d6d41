"""Who the simulated person is and how they speak: what the model is told to play.

Everything here goes into every persona prompt, so nothing here may give away a hidden
fact (the content loader checks the hidden facts' keywords against this text).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from app.domain.base import NonEmpty, Strict


class PersonRole(StrEnum):
    """Whether the person speaks about themselves or about someone else."""

    PATIENT = "patient"
    CARER = "carer"
    PROXY = "proxy"


class HealthLiteracy(StrEnum):
    """How easily the person finds, understands and uses health information (001:1228)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class PersonaMode(StrEnum):
    """How a language model voices the person.

    ``free``: the model writes the reply from the persona prompt. ``rephrase``: the model only
    rephrases the authored line for this moment in the person's voice, which keeps a tiny
    model on script (``rehearse bench`` compares the two).
    """

    FREE = "free"
    REPHRASE = "rephrase"


class SecondParty(Strict):
    """Someone else in the room, e.g. the cared-for person or a partner."""

    name: NonEmpty
    relation: NonEmpty = Field(description="Who they are to the person, e.g. 'her father'.")
    about: NonEmpty = Field(description="What they are like and how they take part.")
    speaks: bool = Field(
        default=False,
        description="True if the person may quote or report what they say in the room.",
    )


class Person(Strict):
    """The simulated person, as the model is told to play them."""

    name: NonEmpty
    age: int = Field(ge=0, le=120)
    role: PersonRole = Field(
        default=PersonRole.PATIENT,
        description="patient; carer (speaks about someone they care for); proxy (decides "
        "on someone else's behalf, e.g. a parent or an attorney).",
    )
    cares_for: str | None = Field(
        default=None,
        description="For a carer or proxy: who they speak about, e.g. 'her father, 86'.",
    )
    second_party: SecondParty | None = Field(
        default=None, description="Someone else present in the conversation, if any."
    )
    about: NonEmpty = Field(description="Who they are: life, family, work, what they enjoy.")
    situation: str | None = Field(
        default=None, description="Why they are here today, in their own terms."
    )
    knows: list[NonEmpty] = Field(
        default_factory=list,
        description="What they already know or believe about their condition and options.",
    )
    health_literacy: HealthLiteracy = HealthLiteracy.MEDIUM
    communication_needs: list[NonEmpty] = Field(
        default_factory=list,
        description="Needs the practitioner should notice, e.g. 'finds numbers hard'.",
    )
    speaking_style: NonEmpty = Field(description="Voice: register, pace, words they use.")
    reply_sentences: int = Field(default=3, ge=1, le=8, description="Most sentences in one reply.")

    def prompt_text(self) -> str:
        """Everything about the person that goes into every prompt, as one text."""
        parts = [self.about, self.situation or "", self.speaking_style, *self.knows]
        parts += [*self.communication_needs, self.cares_for or ""]
        if self.second_party is not None:
            parts += [self.second_party.about, self.second_party.relation]
        return "\n".join(part for part in parts if part)
