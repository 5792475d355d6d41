"""Reports of the two written consultations of the scoring issue, built once per test.

They are coded by the rule coder, whose codes for these two transcripts are known and
stable, so the tests pin what the report does with given codes; how well the default coder
codes them is the coder's own tests' concern.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.commands.scoring import find_rubric, read_transcript
from app.config import Settings
from app.domain.rubric import Rubric
from app.domain.scorecard import ScoreCard
from app.reports.files import report_for_file
from app.reports.model import Report
from app.scoring.engine import score
from app.scoring.rules import RuleCoder

PROJECT = Path(__file__).resolve().parents[2]
TRANSCRIPTS = PROJECT / "tests" / "fixtures" / "transcripts"


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    """The default rubric."""
    return find_rubric(PROJECT / "rubrics", "sdm-core")


@pytest.fixture(scope="session")
def project_settings() -> Settings:
    """Settings pointing at the project's own content."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        scenarios_dir=PROJECT / "scenarios",
        rubrics_dir=PROJECT / "rubrics",
        static_dir=PROJECT / "static",
        prompts_dir=PROJECT / "prompts",
    )


def card_of(name: str, rubric: Rubric) -> ScoreCard:
    """The score card of a fixture transcript."""
    return score(read_transcript(TRANSCRIPTS / f"{name}.json"), rubric, RuleCoder())


@pytest.fixture(scope="session")
def person_centred(rubric: Rubric, project_settings: Settings) -> Report:
    """The report of the person-centred consultation."""
    card = card_of("person_centred", rubric)
    return report_for_file(card, rubric, project_settings, title="person centred")


@pytest.fixture(scope="session")
def paternalistic(rubric: Rubric, project_settings: Settings) -> Report:
    """The report of the paternalistic consultation."""
    card = card_of("paternalistic", rubric)
    return report_for_file(card, rubric, project_settings, title="paternalistic")
