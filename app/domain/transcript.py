"""A transcript to score: the input of ``rehearse score-transcript`` (DESIGN.md section 9)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.domain.conversation import Speaker


class TranscriptTurn(BaseModel):
    """One utterance: who said it and what they said."""

    speaker: Speaker
    text: str


class Transcript(BaseModel):
    """A whole conversation, in order; turn ``index`` is the position in ``turns``."""

    scenario: str | None = Field(default=None, description="The scenario id, if there was one.")
    turns: list[TranscriptTurn]
