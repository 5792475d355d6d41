"""A scored conversation, stored and exported as versioned JSON.

``version`` is bumped whenever the shape or the meaning of a field changes, so a stored
score card stays readable after the scoring engine moves on (STYLE.md item 13).
``export()`` gives the stable command-line contract of DESIGN.md section 9.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.domain.conversation import Speaker
from app.domain.rubric_rules import LevelName


class CodedTurn(BaseModel):
    """A turn with its codes and the words that evidence each code (none for the person)."""

    index: int = Field(ge=0)
    speaker: Speaker
    text: str
    codes: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict)


class Quote(BaseModel):
    """Words from one turn that evidence a criterion, and the code they carry."""

    turn: int = Field(ge=0)
    code: str
    words: str


class CriterionScore(BaseModel):
    """Where the conversation stands on one criterion, why, and the next step."""

    id: str
    title: str
    level: LevelName
    evidence_turns: list[int] = Field(description="Turn indexes to look at, in order.")
    quotes: list[Quote] = Field(default_factory=list)
    feedback: str


class Bran(BaseModel):
    """Whether each part of BRAN came up anywhere (seed 003:38)."""

    benefits: bool
    risks: bool
    alternatives: bool
    do_nothing: bool


class Summary(BaseModel):
    """Conversation-level figures; None where a figure is undefined (e.g. no questions)."""

    reflection_question_ratio: float | None
    percent_open_questions: float | None
    percent_complex_reflections: float | None
    sdm_score: int | None = Field(ge=0, le=100)
    bran: Bran


class ScoreCard(BaseModel):
    """Everything the scorer found in one conversation against one rubric."""

    version: Literal[1] = 1
    rubric_id: str
    rubric_title: str
    scenario: str | None
    coder: str = Field(description="Which coder coded the turns (e.g. 'rules').")
    turns: list[CodedTurn]
    criteria: list[CriterionScore]
    summary: Summary
    sdm_items: dict[str, int] = Field(description="The five 0-4 items behind sdm_score.")
    bands: dict[str, str | None] = Field(description="Each figure's published band, if any.")

    def export(self) -> dict[str, Any]:
        """The JSON object ``rehearse score-transcript`` prints: turns, criteria, summary."""
        criterion_keys = {"id", "title", "level", "evidence_turns", "feedback"}
        return {
            "turns": [turn.model_dump(mode="json") for turn in self.turns],
            "criteria": [c.model_dump(mode="json", include=criterion_keys) for c in self.criteria],
            "summary": self.summary.model_dump(mode="json"),
        }
