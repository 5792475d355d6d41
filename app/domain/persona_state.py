"""The person's state (trust and emotion) and what each turn did to it.

Authored side: ``StateDefaults`` is the one shared defaults file (``app/sim/
persona-defaults.yaml``); ``StateSettings`` is a scenario's ``state:`` section, every key
optional, overriding those defaults. Recorded side: ``PersonaStep`` is stored on each
practitioner turn so trainers can see why the person opened up or closed down.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, Field, model_validator

from app.domain.base import NonEmpty, Share, SignalName, Strict

Effect = Annotated[float, Field(ge=-1, le=1)]


class Band(StrEnum):
    """How open the person is: trust below ``guarded_below``, between, or from ``open_from``."""

    GUARDED = "guarded"
    NEUTRAL = "neutral"
    OPEN = "open"


class BandEmotions(Strict):
    """The emotion the person settles into in each band."""

    guarded: NonEmpty
    neutral: NonEmpty
    open: NonEmpty


class BandEmotionOverrides(Strict):
    """A scenario's own emotion words per band; the rest come from the defaults."""

    guarded: NonEmpty | None = None
    neutral: NonEmpty | None = None
    open: NonEmpty | None = None


class StateDefaults(Strict):
    """Every rule of the state model, with its default value."""

    trust: Share = Field(description="Trust at the start, 0 (none) to 1 (complete).")
    emotion: NonEmpty = Field(description="Emotion at the start.")
    guarded_below: Share = Field(description="Below this trust the person is guarded.")
    open_from: Share = Field(description="From this trust on the person is open.")
    max_step: Share = Field(description="The most trust can change in one turn.")
    guarded_sentences: int = Field(ge=1, le=8, description="Most sentences when guarded.")
    closed_question_run: int = Field(ge=2, description="Closed-only turns in a row for a run.")
    lecture_words: int = Field(ge=10, description="Words of information with no question.")
    effects: dict[SignalName, Effect] = Field(description="Trust change per code or signal.")
    emotions: BandEmotions
    reactions: dict[SignalName, NonEmpty] = Field(
        description="Emotion on the turn right after a code or signal; the first that "
        "applies wins, the scenario's before the defaults'."
    )
    deflect: list[NonEmpty] = Field(
        min_length=1, description="In-character answers to role-break attempts."
    )

    @model_validator(mode="after")
    def _bands_in_order(self) -> Self:
        if self.guarded_below >= self.open_from:
            raise ValueError("guarded_below must be less than open_from")
        return self


class StateSettings(Strict):
    """A scenario's ``state:`` section: each key overrides the shared default."""

    trust: Share | None = None
    emotion: NonEmpty | None = None
    guarded_below: Share | None = None
    open_from: Share | None = None
    max_step: Share | None = None
    guarded_sentences: int | None = Field(default=None, ge=1, le=8)
    effects: dict[SignalName, Effect] = Field(default_factory=dict)
    emotions: BandEmotionOverrides = Field(default_factory=BandEmotionOverrides)
    reactions: dict[SignalName, NonEmpty] = Field(default_factory=dict)


class FactRelease(BaseModel):
    """A hidden fact released on a turn, and the condition that released it."""

    id: str
    reason: str


class PersonaStep(BaseModel):
    """What one practitioner turn did to the person: kept on that turn."""

    turn: int = Field(ge=1, description="The practitioner's turn number, from 1.")
    signals: list[str] = Field(default_factory=list, description="Engine signals.")
    effects: dict[str, float] = Field(default_factory=dict, description="Trust change each.")
    trust_before: float
    trust_after: float
    emotion_before: str
    emotion_after: str
    band: Band
    released: list[FactRelease] = Field(default_factory=list)
    note: str = Field(default="", description="Why nothing was released, when that matters.")

    @property
    def role_break(self) -> bool:
        """The turn tried to take the person out of their part."""
        return "role_break" in self.signals


class ReplyChecks(BaseModel):
    """How the person's reply was produced and what the checks caught: kept on that turn."""

    mode: str = Field(description="scripted, free or rephrase: how the reply was voiced.")
    attempts: int = Field(default=1, description="Replies asked of the model (1 + retries).")
    problems: list[str] = Field(
        default_factory=list, description="What the checks caught, one entry per failed try."
    )
    source: str = Field(
        default="",
        description="The rule that chose the authored line (e.g. 'released fear-of-pads', "
        "'deflect', 'cued line'): what was said on a fallback, what rephrase mode rephrased.",
    )
    authored: str = Field(
        default="",
        description="The authored line behind the reply, as written (before any cut to the "
        "sentence limit): how the engine knows which lines were said and rotates them.",
    )
