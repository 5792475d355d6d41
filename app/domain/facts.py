"""Hidden facts: what the person keeps back until the practitioner has earned it.

A hidden fact enters the model's prompt only on the turn its release condition holds
(information partitioning, DESIGN.md section 4), so even a weak model cannot leak it early.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from app.domain.base import CodeName, NonEmpty, SeedRef, Share, Slug, Strict


class ReleaseCondition(Strict):
    """One way to earn a fact; every clause written must hold on the same turn."""

    any_of: list[CodeName] = Field(
        default_factory=list,
        description="The practitioner's turn has at least one of these codes.",
    )
    topic: list[NonEmpty] = Field(
        default_factory=list,
        description="Words or phrases; the turn touches one of them (a reflection or empathy "
        "also counts the person's last words it answers).",
    )
    after_turn: int | None = Field(
        default=None, ge=1, description="The practitioner's turn number is at least this."
    )
    min_trust: Share | None = Field(
        default=None, description="Trust after this turn is at least this (0 to 1)."
    )
    after_facts: list[Slug] = Field(
        default_factory=list, description="These hidden facts were released earlier."
    )

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not (self.any_of or self.topic or self.after_turn or self.min_trust is not None):
            raise ValueError("a release condition needs any_of, topic, after_turn or min_trust")
        return self


class HiddenFact(Strict):
    """Something the person only says once a release condition holds."""

    id: Slug
    fact: NonEmpty = Field(description="The fact, in the third person, for trainers and prompts.")
    keywords: list[NonEmpty] = Field(
        default_factory=list,
        description="Words or phrases that would give the fact away; replies are checked "
        "for them (and for the fact's own content words) while it is unreleased.",
    )
    release: list[ReleaseCondition] = Field(
        min_length=1, description="Released when any one of these conditions holds."
    )
    say: NonEmpty = Field(description="The authored line the person says when it is released.")
    seed_refs: list[SeedRef] = Field(default_factory=list)
