"""A scored conversation, stored and exported as versioned JSON.

``version`` is bumped whenever the shape or the meaning of a field changes, so a stored
score card stays readable after the scoring engine moves on (STYLE.md item 13).
``export()`` gives the stable command-line contract of DESIGN.md section 9, plus additive
keys (``method``, ``reaction``, ``quotes``, ``bands``, ``scoring``) that say which method
produced each code and level, how the person reacted, and whether each quote met the
criterion or fell short (``outcome``); readers of the contract ignore them.
The additive fields all have defaults, so a card stored before they existed still loads.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.domain.conversation import Speaker
from app.domain.rubric_rules import LevelName

ScoringMethod = Literal["rules", "judge"]
# How a quoted turn stands against its criterion: "met" shows the skill; "missed" was a chance
# for it that was not taken; "slip" is what the criterion asks you not to do (or did too soon).
QuoteOutcome = Literal["met", "missed", "slip"]


class CodedTurn(BaseModel):
    """A turn with its codes and the words that evidence each code (none for the person)."""

    index: int = Field(ge=0)
    speaker: Speaker
    text: str
    codes: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict)
    method: str | None = Field(
        default=None, description="What coded this practitioner turn (e.g. 'rules', 'judge')."
    )
    reaction: str | None = Field(
        default=None, description="The person's next turn, if they spoke next (DESIGN.md 6)."
    )


class Quote(BaseModel):
    """Words from one turn that evidence a criterion, and the code they carry."""

    turn: int = Field(ge=0)
    code: str
    words: str
    reaction: str | None = Field(default=None, description="The person's next turn, if any.")
    outcome: QuoteOutcome | None = Field(
        default=None,
        description="met, missed or slip by the rubric's rule; None where the judge cited it.",
    )


class CriterionScore(BaseModel):
    """Where the conversation stands on one criterion, why, and the next step."""

    id: str
    title: str
    level: LevelName
    evidence_turns: list[int] = Field(description="Turn indexes to look at, in order.")
    quotes: list[Quote] = Field(default_factory=list)
    feedback: str
    method: ScoringMethod = Field(
        default="rules", description="rules: the rubric's rule; judge: the LLM judge."
    )


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


class ScoringInfo(BaseModel):
    """How the card was made: the method asked for, what actually did each part, and why."""

    requested: ScoringMethod = "rules"
    codes: str = Field(default="rules", description="What coded the turns.")
    criteria: ScoringMethod = Field(default="rules", description="What set the levels.")
    model: str | None = Field(default=None, description="The judge's model, if one was used.")
    notes: list[str] = Field(
        default_factory=list, description="Fallbacks and repairs, in plain words."
    )


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
    scoring: ScoringInfo = Field(default_factory=ScoringInfo)

    def export(self) -> dict[str, Any]:
        """The JSON object ``rehearse score-transcript`` prints: turns, criteria, summary.

        The contract keys come first, in the order of DESIGN.md section 9; the additive keys
        follow them.
        """
        return {
            "turns": [turn.model_dump(mode="json") for turn in self.turns],
            "criteria": [
                _ordered(c.model_dump(mode="json"), CRITERION_KEYS) for c in self.criteria
            ],
            "summary": self.summary.model_dump(mode="json"),
            "bands": dict(self.bands),
            "scoring": self.scoring.model_dump(mode="json"),
        }


# The keys of each exported criterion: the contract's five, then the additive ones.
CRITERION_KEYS = ("id", "title", "level", "evidence_turns", "feedback", "method", "quotes")


def _ordered(dumped: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: dumped[key] for key in keys}
