"""What a practitioner turn is coded with (DESIGN.md section 5)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Behaviour(StrEnum):
    """Top-level behaviour, as in AnnoMI, so the coder can be measured against experts."""

    QUESTION = "question"
    REFLECTION = "reflection"
    THERAPIST_INPUT = "therapist_input"
    OTHER = "other"


class TurnCoding(BaseModel):
    """The codes for one practitioner turn, each with the words that evidence it."""

    behaviour: Behaviour
    question_type: str = Field(default="", description="open, closed or empty.")
    reflection_type: str = Field(default="", description="simple, complex or empty.")
    codes: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict)
    confidence: float = Field(default=1.0, ge=0, le=1)
    method: str = "rules"
