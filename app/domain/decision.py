"""The decision in a shared-decision-making scenario: options, values, and where they land.

For trainers, assessors and scoring (BRAN per option, options including doing nothing); it
never goes into the persona prompt, which would hand the model the informed preference.
"""

from __future__ import annotations

from pydantic import Field

from app.domain.base import NonEmpty, SeedRef, Slug, Strict


class OptionView(Strict):
    """Benefits and risks of one option, from one point of view."""

    benefits: list[NonEmpty] = Field(default_factory=list)
    risks: list[NonEmpty] = Field(default_factory=list)


class DecisionOption(Strict):
    """One reasonable course of action."""

    id: Slug
    name: NonEmpty
    do_nothing: bool = Field(
        default=False, description="This option is doing nothing, or watchful waiting."
    )
    person_view: OptionView = Field(description="Benefits and risks as the person sees them.")
    clinical_view: OptionView = Field(
        description="Benefits and risks as a clinician would state them."
    )
    seed_refs: list[SeedRef] = Field(default_factory=list)


class Preference(Strict):
    """An option the person prefers, and why."""

    option: Slug
    why: NonEmpty


class Decision(Strict):
    """The choice the conversation is about."""

    question: NonEmpty = Field(description="The decision, e.g. 'what to do about his prostate'.")
    options: list[DecisionOption] = Field(
        min_length=2, description="At least two, one of them doing nothing (do_nothing: true)."
    )
    values: list[NonEmpty] = Field(
        min_length=1, description="What matters to the person when choosing."
    )
    risk_attitude: NonEmpty = Field(description="How the person weighs risk against benefit.")
    leaning: Preference | None = Field(
        default=None, description="What they lean towards at the start, if anything."
    )
    informed_preference: Preference = Field(
        description="What they end up preferring once well informed and listened to."
    )
