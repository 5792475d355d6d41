"""Conversation and turn shapes shared by the engine, the store and the web layer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from app.domain.persona_state import PersonaStep, ReplyChecks


class Speaker(StrEnum):
    """Who said a turn."""

    PRACTITIONER = "practitioner"
    PERSON = "person"


class ConversationStatus(StrEnum):
    """Whether the practitioner can still add turns."""

    ACTIVE = "active"
    ENDED = "ended"


class Turn(BaseModel):
    """One utterance in a conversation, as stored."""

    index: int = Field(ge=0)
    speaker: Speaker
    text: str
    codes: list[str] = Field(default_factory=list)
    created_at: datetime | None = None
    model: str | None = None
    latency_ms: int | None = None
    first_token_ms: int | None = None
    fallback: bool = Field(default=False, description="The authored line replaced the model's.")
    persona: PersonaStep | None = Field(
        default=None, description="Practitioner turns: what the turn did to the person's state."
    )
    checks: ReplyChecks | None = Field(
        default=None, description="Person turns: how the reply was made and what was caught."
    )


class ConversationView(BaseModel):
    """A conversation as the transcript page and the CLI show it."""

    id: int
    scenario_id: str
    scenario_title: str
    status: ConversationStatus
    llm_provider: str
    started_at: datetime
    ended_at: datetime | None = None
    turns: list[Turn]

    @property
    def released(self) -> list[str]:
        """Ids of the hidden facts released so far, in order."""
        return [r.id for turn in self.turns if turn.persona for r in turn.persona.released]

    def for_practitioner(self) -> ConversationView:
        """The view without the person's state: hidden from the practitioner until the end."""
        turns = [turn.model_copy(update={"persona": None, "checks": None}) for turn in self.turns]
        return self.model_copy(update={"turns": turns})

    @property
    def awaiting_reply(self) -> bool:
        """The last turn is the practitioner's: the person has yet to answer."""
        return bool(self.turns) and self.turns[-1].speaker is Speaker.PRACTITIONER


class ConversationSummary(BaseModel):
    """One row of the past-conversations list."""

    id: int
    scenario_id: str
    scenario_title: str
    status: ConversationStatus
    started_at: datetime
    turn_count: int
