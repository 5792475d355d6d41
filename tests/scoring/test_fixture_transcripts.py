"""Two written consultations on the prostate scenario score clearly apart.

``person_centred.json`` has an introduction and agenda, open questions, reflections,
empathy, what matters before options, every option including watchful waiting with its
benefits and risks, permission, chunk and check, teach-back, a summary and goals.
``paternalistic.json`` has closed questions, jargon, lecturing and goes straight to
recommending surgery. The assertions leave room for the coder to improve.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.content.rubrics import load_rubric
from app.domain.conversation import Speaker
from app.domain.rubric_rules import LevelName
from app.domain.scorecard import ScoreCard
from app.domain.transcript import Transcript
from app.scoring.engine import score
from app.scoring.factory import default_coder

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "transcripts"
SDM = load_rubric(REPO / "rubrics" / "sdm-core.yaml")
FIXTURES_NAMES = ("person_centred", "paternalistic")


def load(name: str) -> Transcript:
    return Transcript.model_validate(json.loads((FIXTURES / f"{name}.json").read_text("utf-8")))


@pytest.fixture(scope="module")
def cards() -> dict[str, ScoreCard]:
    """Both fixtures scored once with the default coder."""
    return {name: score(load(name), SDM, default_coder()) for name in FIXTURES_NAMES}


def levels(card: ScoreCard) -> dict[str, LevelName]:
    return {c.id: c.level for c in card.criteria}


@pytest.mark.parametrize("name", FIXTURES_NAMES)
def test_fixture_is_a_prostate_consultation_of_12_to_16_turns(name: str) -> None:
    transcript = load(name)
    assert transcript.scenario == "prostate-decision"
    practitioner = [t for t in transcript.turns if t.speaker is Speaker.PRACTITIONER]
    assert 12 <= len(practitioner) <= 16


def test_sdm_estimates_are_far_apart(cards: dict[str, ScoreCard]) -> None:
    good = cards["person_centred"].summary.sdm_score
    poor = cards["paternalistic"].summary.sdm_score
    assert good is not None
    assert poor is not None
    assert good >= 80
    assert poor <= 20


def test_person_centred_reaches_established_on_most_criteria(
    cards: dict[str, ScoreCard],
) -> None:
    found = levels(cards["person_centred"])
    assert LevelName.NOT_YET not in found.values()
    strong = [cid for cid, level in found.items() if level.rank >= LevelName.ESTABLISHED.rank]
    assert len(strong) >= 12, found
    for cid in ("what-matters-first", "options-including-doing-nothing", "ask-before-advising"):
        assert found[cid].rank >= LevelName.ESTABLISHED.rank, cid


def test_paternalistic_is_mostly_not_yet_seen(cards: dict[str, ScoreCard]) -> None:
    found = levels(cards["paternalistic"])
    assert max(level.rank for level in found.values()) <= LevelName.EMERGING.rank, found
    not_yet = [cid for cid, level in found.items() if level is LevelName.NOT_YET]
    assert len(not_yet) >= 14, found
    for cid in ("options-including-doing-nothing", "no-lecturing-or-judgement", "plain-language"):
        assert found[cid] is LevelName.NOT_YET, cid


def test_every_criterion_is_at_least_as_good_for_the_person_centred_one(
    cards: dict[str, ScoreCard],
) -> None:
    good, poor = levels(cards["person_centred"]), levels(cards["paternalistic"])
    assert all(good[cid].rank >= poor[cid].rank for cid in good)
    assert sum(good[cid] is not poor[cid] for cid in good) >= 14


def test_question_figures_differ(cards: dict[str, ScoreCard]) -> None:
    good, poor = cards["person_centred"].summary, cards["paternalistic"].summary
    assert poor.percent_open_questions == 0.0
    assert good.percent_open_questions is not None
    assert good.percent_open_questions >= 50
    assert all(good.bran.model_dump().values())
    assert not poor.bran.do_nothing


def test_feedback_quotes_the_paternalistic_slips(cards: dict[str, ScoreCard]) -> None:
    card = cards["paternalistic"]
    lecture = next(c for c in card.criteria if c.id == "no-lecturing-or-judgement")
    assert '("Trust me")' in lecture.feedback
    jargon = next(c for c in card.criteria if c.id == "plain-language")
    assert "BPH" in jargon.feedback


@pytest.mark.parametrize("name", FIXTURES_NAMES)
def test_every_quote_carries_the_persons_reaction(cards: dict[str, ScoreCard], name: str) -> None:
    transcript = load(name)
    quotes = [q for c in cards[name].criteria for q in c.quotes]
    assert quotes
    for quote in quotes:
        after = transcript.turns[quote.turn + 1] if quote.turn + 1 < len(transcript.turns) else None
        expected = after.text if after and after.speaker is Speaker.PERSON else None
        assert quote.reaction == expected, quote
    assert any(q.reaction for q in quotes)
