"""The shapes the judge must answer in: pydantic models that become the JSON schema.

They are sent as the ``response_format`` schema (strict: every key required, no others) and
used again to validate every reply, so a reply that drifts from the schema is caught even
where the endpoint does not enforce it. Code names and levels are enums in the schema, so a
capable model cannot invent a code; turn numbers and quotes are checked afterwards against
the transcript (``quotes.py``), which a schema cannot express.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.domain.coding import CODE_BOOK, CodeBookName

CodeName = CodeBookName
LevelValue = Literal["not_yet", "emerging", "established", "exemplary"]
CODE_NAMES: tuple[str, ...] = CODE_BOOK


class _Reply(BaseModel):
    """Strict: unknown keys are an error, as the JSON schema says."""

    model_config = ConfigDict(extra="forbid")


class CodeQuote(_Reply):
    """One code on a turn and the exact words of the turn that show it."""

    code: CodeName
    quote: str = Field(description="Words copied exactly from the turn that show this code.")


class TurnCodes(_Reply):
    """Every code one practitioner turn carries (an empty list if none fits)."""

    turn: int = Field(description="The turn number, as given in the transcript.")
    codes: list[CodeQuote]


class CodesReply(_Reply):
    """The judge's codes for every practitioner turn."""

    turns: list[TurnCodes]


class TurnQuote(_Reply):
    """Words from one practitioner turn that evidence a criterion."""

    turn: int
    quote: str = Field(description="Words copied exactly from that turn.")


class CriterionLevel(_Reply):
    """The judge's level for one criterion, the turns behind it, and why."""

    id: str = Field(description="The criterion id, as given.")
    level: LevelValue
    evidence: list[TurnQuote]
    rationale: str = Field(description="One or two sentences to the practitioner: why this level.")


class CriteriaReply(_Reply):
    """The judge's level for every criterion of the rubric."""

    criteria: list[CriterionLevel]
