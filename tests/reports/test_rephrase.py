"""Authored rephrasings read as something a practitioner would say: whole sentences, no
quoted fragments, no stutters, and the closed question's own topic kept."""

from __future__ import annotations

import re

import pytest

from app.domain.rubric import Rubric
from app.reports import rephrase
from app.reports.bench import bench_transcript
from app.reports.missed import missed_moments
from app.scoring.engine import score
from app.scoring.rules import RuleCoder
from tests.reports.conftest import card_of

_QUOTES = re.compile('[\u201c\u201d\u2018"\u2026()]|\\.\\.\\.')
_OPEN_START = ("What", "How", "Where", "Tell", "So", "Before", "I've", "You", "There", "That")


def assert_speech(text: str) -> None:
    """Capitalised, ends like a sentence, no quote marks or ellipses, no word said twice."""
    assert text[:1].isupper(), text
    assert text.endswith(("?", ".")), text
    assert not _QUOTES.search(text), text
    words = re.findall(r"[a-z']+", text.lower())
    assert all(a != b for a, b in zip(words, words[1:], strict=False)), text
    for sentence in rephrase.sentences(text):
        assert sentence[:1].isupper(), text
    assert len(words) <= 40, text


@pytest.mark.parametrize("name", ["paternalistic", "person_centred", "bench"])
def test_every_suggestion_for_the_fixtures_reads_as_speech(rubric: Rubric, name: str) -> None:
    if name == "bench":
        card = score(bench_transcript(40), rubric, RuleCoder())
    else:
        card = card_of(name, rubric)
    moments = missed_moments(card.turns)
    if name == "paternalistic":
        assert len(moments) >= 8
    for moment in moments:
        assert_speech(moment.suggestion)
        assert moment.suggestion.startswith(_OPEN_START), moment.suggestion
        assert moment.suggestion != moment.said


def test_jargon_is_named_to_be_explained_not_repeated_in_a_sentence(rubric: Rubric) -> None:
    moments = missed_moments(card_of("paternalistic", rubric).turns)
    unchecked = [m for m in moments if m.kind == "information_unchecked"]
    assert unchecked
    first = unchecked[0]
    assert first.suggestion.startswith("I've just used some medical words there: BPH, LUTS")
    assert "without saying what it means" in first.why
    assert "everyday words" in first.suggestion


# A closed question, and a word of its topic the open question must keep.
CLOSED = [
    ("How many times do you get up at night?", "night"),
    ("Do you have a weak stream?", "stream"),
    ("Any blood in your urine?", "urine"),
    ("Do you have any allergies?", "allergies"),
    ("Are you on any blood thinners?", "thinners"),
    ("Is it affecting your sleep?", "sleep"),
    ("Is your chest better?", "chest"),
    ("Is he sleeping?", "sleeping"),
    ("Are you taking your tablets?", "tablets"),
    ("Are you eating properly?", "eating"),
    ("Are you in pain?", "pain"),
    ("Do you smoke?", "smoking"),
    ("Do you check your sugars?", "sugars"),
    ("Do you use a stick?", "stick"),
    ("Do you want your wife to come home?", "wife"),
    ("Does your dad take his tablets?", "dad"),
    ("Has he had any falls?", "falls"),
    ("Have you had any falls?", "falls"),
    ("Have you tried patches?", "patches"),
    ("Have you been to the GP yet?", "GP"),
    ("Any questions?", "questions"),
]


@pytest.mark.parametrize(("closed", "topic"), CLOSED)
def test_closed_questions_open_up_on_their_own_topic(closed: str, topic: str) -> None:
    opened = rephrase.open_question(closed, "")
    assert_speech(opened)
    assert opened.startswith(("What", "How", "Where", "Tell")), opened
    assert topic in opened, opened
    assert opened.lower() != closed.lower()


@pytest.mark.parametrize(
    "check", ["Does that make sense?", "Is that OK?", "Do you understand?", "Is that right?"]
)
def test_a_closed_check_becomes_an_open_one(check: str) -> None:
    assert rephrase.open_question(check, "") == "What do you make of that so far?"


def test_reflections_turn_the_persons_words_to_the_second_person() -> None:
    said = "My mate Brian had an operation and he's still in pads."
    reflected = rephrase.reflect_instead(said)
    assert_speech(reflected)
    assert reflected.startswith("So your mate Brian had an operation")
    assert "my " not in reflected.lower()
    assert rephrase.reflection("I was up all night with it.") == "So you were up all night with it."


@pytest.mark.parametrize("short", ["No.", "Right.", "...", "Well, I don't know.", "If you say so."])
def test_short_or_unsure_replies_are_not_quoted_back(short: str) -> None:
    assert rephrase.reflection(short) == ""
    suggestion = rephrase.reflect_instead(short)
    assert_speech(suggestion)
    words = short.strip(".").strip()
    if words:
        assert not re.search(rf"\b{re.escape(words)}\b", suggestion, re.I), suggestion
