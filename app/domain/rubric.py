"""A rubric: the criteria a conversation is scored on (DESIGN.md section 6).

Each criterion has one measure over the turn codes (``evidence``), four level descriptors on
the seeds' behavioural scale (000:1690) with a "what it is not" line each, thresholds that
say when a level is reached, and optional limits. Scores are formative: there is no pass
mark, only where the practitioner is now and the next step.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, field_validator, model_validator

from app.domain.rubric_rules import (
    LEVEL_ORDER,
    Evidence,
    LevelName,
    LoweredBy,
    Order,
    Requires,
)
from app.domain.scenario import NonEmpty, SeedRef, Slug, Strict

# Which threshold keys make sense for each measure.
_THRESHOLD_KEYS = {
    "count": {"min_count"},
    "coverage": {"min_count", "min_share"},
    "share": {"min_count", "min_share"},
    "after": {"min_count", "min_share"},
    "before": {"min_count", "min_share"},
    "absence": {"max_count"},
}


class Threshold(Strict):
    """When a level is reached: every condition given must hold."""

    min_count: int | None = Field(default=None, ge=0, description="At least this many.")
    min_share: float | None = Field(
        default=None, ge=0, le=1, description="At least this share of the chances (0 to 1)."
    )
    max_count: int | None = Field(default=None, ge=0, description="At most this many slips.")

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.given():
            raise ValueError("give at least one of min_count, min_share, max_count")
        return self

    def given(self) -> dict[str, float]:
        """The conditions set, by key."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


class LevelText(Strict):
    """What a level looks like, written to the practitioner, and what it is not."""

    descriptor: NonEmpty = Field(description="What this level looks like, to 'you'.")
    what_it_is_not: NonEmpty = Field(description="What looks like this level but is not.")


class ReachedLevel(LevelText):
    """A level above "not yet seen": its descriptor plus when it is reached."""

    when: Threshold


class Levels(Strict):
    """The four levels, from "not yet seen" to "exemplary"."""

    not_yet: LevelText
    emerging: ReachedLevel
    established: ReachedLevel
    exemplary: ReachedLevel

    def text(self, level: LevelName) -> LevelText:
        """The descriptor of ``level``."""
        found: LevelText = getattr(self, level.value)
        return found

    def reached(self) -> list[tuple[LevelName, ReachedLevel]]:
        """The three levels with thresholds, highest first."""
        return [(name, getattr(self, name.value)) for name in reversed(LEVEL_ORDER[1:])]


class Criterion(Strict):
    """One criterion: what it is, where it comes from, how it is measured and levelled."""

    id: Slug
    title: NonEmpty
    description: NonEmpty
    seed_refs: list[SeedRef] = Field(min_length=1, description="Seed lines, e.g. '000:1273'.")
    evidence: Evidence
    levels: Levels
    requires: Requires | None = None
    order: Order | None = None
    lowered_by: LoweredBy | None = None

    @model_validator(mode="after")
    def _thresholds_fit(self) -> Self:
        allowed = _THRESHOLD_KEYS[self.evidence.kind]
        for name, level in self.levels.reached():
            wrong = set(level.when.given()) - allowed
            if wrong:
                raise ValueError(
                    f"levels.{name}.when: {', '.join(sorted(wrong))} does not fit the "
                    f"'{self.evidence.kind}' measure (use {', '.join(sorted(allowed))})"
                )
        _check_rising(self.levels)
        return self


def _check_rising(levels: Levels) -> None:
    """Each level must ask at least as much as the one below it."""
    ladder = list(reversed(levels.reached()))  # emerging, established, exemplary
    for (low_name, low), (high_name, high) in zip(ladder, ladder[1:], strict=False):
        low_given, high_given = low.when.given(), high.when.given()
        for key, value in low_given.items():
            higher = high_given.get(key)
            if higher is None:
                raise ValueError(f"levels.{high_name}.when: needs {key}, as {low_name} has it")
            easier = higher > value if key == "max_count" else higher < value
            if easier:
                raise ValueError(
                    f"levels.{high_name}.when.{key} asks less than levels.{low_name}.when.{key}"
                )


class Rubric(Strict):
    """One rubric file in ``rubrics/``."""

    id: Slug
    title: NonEmpty
    description: NonEmpty
    seed_refs: list[SeedRef] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, criteria: list[Criterion]) -> list[Criterion]:
        seen: set[str] = set()
        for criterion in criteria:
            if criterion.id in seen:
                raise ValueError(f"criterion id '{criterion.id}' is used twice")
            seen.add(criterion.id)
        return criteria

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id; KeyError if there is none."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
