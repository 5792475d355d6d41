"""An assessor's review: overrides of the machine's codes and levels, a summary, an outcome.

Every override carries a comment, and is stored beside the machine's value (never in place
of it), so human-machine agreement can be measured over all reviews.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from app.domain.rubric_rules import Code, LevelName


class Outcome(StrEnum):
    """What the assessor decided: the attempt is signed off, or returned for another try."""

    SIGNED_OFF = "signed_off"
    RETURNED = "returned"


class SubmissionStatus(StrEnum):
    SUBMITTED = "submitted"
    SIGNED_OFF = "signed_off"
    RETURNED = "returned"


class CodeOverride(BaseModel):
    """The assessor's codes for one practitioner turn, replacing the machine's, and why."""

    model_config = ConfigDict(frozen=True)

    codes: tuple[Code, ...]
    comment: str = Field(min_length=1)


class LevelOverride(BaseModel):
    """The assessor's level for one criterion, replacing the machine's, and why."""

    model_config = ConfigDict(frozen=True)

    level: LevelName
    comment: str = Field(min_length=1)
