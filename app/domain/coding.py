"""What a practitioner turn is coded with (DESIGN.md section 5)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

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


# The fine codes of DESIGN.md section 5, in code-book order. Scenario files may only name
# these (and the engine signals below), so a misspelt code is an error, not a dead rule.
CodeBookName = Literal[
    "introduction",
    "agenda_setting",
    "open_question",
    "closed_question",
    "screening",
    "simple_reflection",
    "complex_reflection",
    "empathy",
    "affirmation",
    "normalisation",
    "summary",
    "clarification",
    "signposting",
    "ask_permission",
    "giving_information",
    "advice",
    "chunk_check",
    "teach_back",
    "option_talk",
    "benefits",
    "risks",
    "alternatives",
    "do_nothing",
    "what_matters",
    "strengths",
    "involvement",
    "goal_setting",
    "persuade",
    "judgement",
    "jargon",
]
CODE_BOOK: tuple[str, ...] = get_args(CodeBookName)

# What the persona engine adds to a turn's codes, from the conversation so far.
ENGINE_SIGNALS: tuple[str, ...] = (
    "role_break",  # asks the person to leave their part, reveal a prompt, or be someone else
    "closed_question_run",  # the third (or later) closed-question-only turn in a row
    "premature_advice",  # advice or persuasion before asking permission or what matters
    "lecture",  # a long stretch of information with no question to the person
)
