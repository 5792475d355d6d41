"""The report a practitioner reads after a conversation: every shape the templates use.

Built from a score card plus the person's recorded state (``build.py``), rendered to HTML,
PDF, CSV and JSON (``render.py``, ``export.py``). Rendering reads only these shapes, so a
stored report stays readable after the scoring engine moves on (STYLE.md item 13).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.domain.rubric_rules import LevelName
from app.domain.scorecard import ScoreCard

EvidenceKind = Literal["shown", "missed", "slip", "cited"]
RephrasingSource = Literal["template", "llm"]
PersonSource = Literal["recorded", "replayed", "none"]


class Point(BaseModel):
    """One statement of the opening, with the turns that show it."""

    text: str
    turns: list[int] = Field(default_factory=list)


class Opening(BaseModel):
    """What went well and the one or two things to try next time."""

    went_well: list[Point]
    try_next: list[Point]


class Reaction(BaseModel):
    """What the person said (and, where recorded, felt) on the turn after the evidence."""

    turn: int
    words: str
    emotion_before: str | None = None
    emotion_after: str | None = None
    trust_change: float | None = None


class EvidenceItem(BaseModel):
    """Quoted practitioner words behind a criterion, with the person's reaction."""

    turn: int
    code: str
    code_label: str
    words: str
    kind: EvidenceKind
    reaction: Reaction | None = None


class CriterionView(BaseModel):
    """One criterion as the practitioner reads it."""

    id: str
    title: str
    level: LevelName
    level_label: str
    rank: int = Field(ge=0, le=3)
    descriptor: str
    feedback: str
    evidence: list[EvidenceItem]


class MissedMoment(BaseModel):
    """A turn where a better move was available, and how it might have been said."""

    turn: int
    kind: str
    title: str
    said: str
    why: str
    suggestion: str
    source: RephrasingSource = "template"


class TrustPoint(BaseModel):
    """The person's trust and feeling after one practitioner turn."""

    turn: int = Field(description="The practitioner turn's index in the transcript.")
    trust: float
    emotion: str
    band: str


class FactView(BaseModel):
    """A hidden concern, in the person's own words, and why it came out or stayed in."""

    id: str
    words: str
    turn: int | None = None
    why: str


class PersonView(BaseModel):
    """The simulated person's side of the conversation."""

    source: PersonSource
    person_name: str
    start_trust: float | None = None
    start_emotion: str | None = None
    points: list[TrustPoint] = Field(default_factory=list)
    shared: list[FactView] = Field(default_factory=list)
    kept_back: list[FactView] = Field(default_factory=list)
    summary: str = ""


class Figure(BaseModel):
    """One summary figure with its band and a sentence on what it means."""

    key: str
    title: str
    value: float | None
    display: str
    band: str | None
    explanation: str
    band_note: str
    scale_max: float
    fair: float | None = None
    good: float | None = None


class CodeChip(BaseModel):
    """A code as a small label."""

    code: str
    label: str


class AnnotatedTurn(BaseModel):
    """A transcript turn with its codes as labels."""

    index: int
    speaker: str
    text: str
    codes: list[CodeChip] = Field(default_factory=list)
    missed: bool = False


class CodeCount(BaseModel):
    """A code used in the conversation and the turns that carry it (for the filter)."""

    code: str
    label: str
    turns: list[int]


class ProgressPoint(BaseModel):
    """One attempt's value on a criterion (rank 0-3) or a figure."""

    attempt: int
    label: str
    value: float | None


class ProgressSeries(BaseModel):
    """One criterion or figure across attempts."""

    key: str
    title: str
    scale_max: float
    points: list[ProgressPoint]


class Progress(BaseModel):
    """Across the practitioner's attempts, oldest first, this one last."""

    criteria: list[ProgressSeries]
    figures: list[ProgressSeries]


class Narrative(BaseModel):
    """The optional model-written narrative, and where it stands."""

    status: Literal["off", "pending", "ready", "failed"] = "off"
    text: str = ""
    model: str | None = None
    message: str = ""


class ScoringView(BaseModel):
    """Which method produced the codes and the levels, in words, and where the judge stands.

    ``status`` is ``pending`` while the LLM judge is still scoring (the rules' card is shown
    meanwhile), ``failed`` when it could not (the rules' card stands), ``done`` otherwise.
    """

    status: Literal["done", "pending", "failed"] = "done"
    requested: str = "rules"
    codes_by: str = "the rule coder"
    levels_by: str = "the rubric's rules"
    notes: list[str] = Field(default_factory=list)


class Report(BaseModel):
    """Everything a report shows about one conversation."""

    version: Literal[1] = 1
    title: str
    person_name: str
    opening: Opening
    criteria: list[CriterionView]
    missed: list[MissedMoment]
    rephrasing_source: RephrasingSource = "template"
    rephrasing_model: str | None = None
    person: PersonView
    figures: list[Figure]
    transcript: list[AnnotatedTurn]
    codes: list[CodeCount]
    card: ScoreCard
    progress: Progress | None = None
    narrative: Narrative = Field(default_factory=Narrative)
    scoring: ScoringView = Field(default_factory=ScoringView)

    def turns_with(self, code: str | None) -> list[AnnotatedTurn]:
        """The transcript filtered to practitioner turns carrying ``code`` (all if None)."""
        if not code:
            return self.transcript
        return [t for t in self.transcript if any(c.code == code for c in t.codes)]
