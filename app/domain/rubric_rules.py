"""The words of the rubric rule language: code names, levels, measures and limits.

A criterion's ``evidence`` names one measure over the turn codes; its levels say how much
of that measure reaches each level; its limits cap or lower the level afterwards. Every
model forbids unknown keys, so a trainer's typo is an error with a line number rather than a
rule that silently never fires. ``rubrics/README.md`` documents each key for trainers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from app.domain.coding import CODE_BOOK
from app.domain.scenario import Strict

# The code book of DESIGN.md section 5, plus ``person_asks``: a person turn with a question in
# it, so "advice preceded by a request from the person" can be written as a rule.
PERSON_ASKS = "person_asks"
RULE_CODES = frozenset((*CODE_BOOK, PERSON_ASKS))


def _known_code(code: str) -> str:
    if code not in RULE_CODES:
        raise ValueError(f"unknown code '{code}' (the code names are listed in rubrics/README.md)")
    return code


Code = Annotated[str, AfterValidator(_known_code)]
Codes = Annotated[list[Code], Field(min_length=1)]


class LevelName(StrEnum):
    """The four-point behavioural scale (seed 000:1690), lowest first."""

    NOT_YET = "not_yet"
    EMERGING = "emerging"
    ESTABLISHED = "established"
    EXEMPLARY = "exemplary"

    @property
    def rank(self) -> int:
        """0 for not_yet up to 3 for exemplary."""
        return LEVEL_ORDER.index(self)


LEVEL_ORDER: tuple[LevelName, ...] = tuple(LevelName)


# --- what to measure -----------------------------------------------------------------------


class CountRule(Strict):
    """Practitioner turns coded with any of ``codes``."""

    codes: Codes


class ShareRule(Strict):
    """Of the turns coded with any of ``of``, those also coded with any of ``codes``."""

    codes: Codes
    of: Codes


class CoverageRule(Strict):
    """How many different ``codes`` appear anywhere in the conversation."""

    codes: Codes


class AfterRule(Strict):
    """Each turn with ``codes`` is a chance; taken when ``followed_by`` comes soon after."""

    codes: Codes
    followed_by: Codes
    within_turns: int = Field(
        default=1, ge=0, le=20, description="Practitioner turns after it; 0 = the same turn only."
    )
    need: Literal["any", "all"] = Field(
        default="any", description="any: one of followed_by is enough; all: every one is needed."
    )


class BeforeRule(Strict):
    """Each turn with ``codes`` is a chance; taken when ``preceded_by`` came just before."""

    codes: Codes
    preceded_by: Codes
    within_turns: int | None = Field(
        default=None, ge=1, le=20, description="Practitioner turns back; omit for anywhere earlier."
    )
    same_turn: bool = Field(default=True, description="Whether the turn itself may supply it.")


class AbsenceRule(Strict):
    """Turns coded with any of ``codes`` are slips: fewer is better (use ``max_count``)."""

    codes: Codes
    min_turns: int = Field(
        default=4, ge=1, description="Fewer practitioner turns than this is too little to judge."
    )


class Evidence(Strict):
    """What the criterion measures: exactly one rule."""

    count: CountRule | None = None
    share: ShareRule | None = None
    coverage: CoverageRule | None = None
    after: AfterRule | None = None
    before: BeforeRule | None = None
    absence: AbsenceRule | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if len(self.set_rules()) != 1:
            raise ValueError(f"give exactly one of {', '.join(type(self).model_fields)}")
        return self

    def set_rules(self) -> list[str]:
        """The names of the rules given (one, once validated)."""
        return [name for name in type(self).model_fields if getattr(self, name) is not None]

    @property
    def kind(self) -> str:
        """The rule's name: count, share, coverage, after, before or absence."""
        return self.set_rules()[0]

    @property
    def rule(self) -> CountRule | ShareRule | CoverageRule | AfterRule | BeforeRule | AbsenceRule:
        """The one rule given."""
        rule: CountRule | ShareRule | CoverageRule | AfterRule | BeforeRule | AbsenceRule = getattr(
            self, self.kind
        )
        return rule


# --- what caps or lowers the level ---------------------------------------------------------


class Requires(Strict):
    """Unless every one of ``codes`` appears somewhere, the level is at most ``at_most``."""

    codes: Codes
    at_most: LevelName


class Order(Strict):
    """If a ``then`` code comes before the first ``first`` code, cap the level at ``at_most``."""

    first: Codes
    then: Codes
    at_most: LevelName


class LoweredBy(Strict):
    """Each ``turns_per_level`` turns coded with any of ``codes`` lower the level one step."""

    codes: Codes
    turns_per_level: int = Field(default=1, ge=1)
