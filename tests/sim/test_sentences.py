"""Sentence ends: a pause ("..." or an ellipsis character) inside a sentence is not an end."""

from __future__ import annotations

import pytest

from app.sim.checks import split_complete_sentences
from app.sim.gate import ReplyGate
from app.sim.text import first_sentences


@pytest.mark.parametrize(
    "text",
    [
        "I was... well, I was scared. Then it passed. And I forgot.",
        "I was\u2026 well, I was scared. Then it passed. And I forgot.",
        "I was... - no, I was scared. Then it passed. And I forgot.",
        "I was\u2026 \u2014 I was scared. Then it passed. And I forgot.",
    ],
)
def test_a_pause_before_lower_case_or_a_dash_is_not_a_sentence_end(text: str) -> None:
    assert first_sentences(text, 1) == text.split(" Then")[0]
    assert first_sentences(text, 2).endswith("Then it passed.")


def test_a_pause_before_a_new_sentence_ends_it() -> None:
    assert first_sentences("I don't know... Maybe. We'll see.", 1) == "I don't know..."
    assert first_sentences("I don't know\u2026 Maybe. We'll see.", 2) == "I don't know\u2026 Maybe."


def test_ordinary_ends_and_closing_quotes_still_split() -> None:
    assert first_sentences('He said "no." Then he left! Why? Who knows.', 3) == (
        'He said "no." Then he left! Why?'
    )


def test_streaming_waits_to_see_what_follows_a_pause() -> None:
    finished, rest = split_complete_sentences("Right. I was... ")
    assert finished == ["Right."]
    assert rest == "I was... "
    finished, rest = split_complete_sentences("Right. I was... well, scared. And")
    assert finished == ["Right.", "I was... well, scared."]
    assert rest == "And"


def test_the_gate_counts_a_sentence_with_pauses_once() -> None:
    gate = ReplyGate("Dev", max_sentences=2)
    shown: list[str] = []
    for chunk in ["I was", "... ", "well", ", I was", "… ", "- scared. ", "Then ", "it passed. "]:
        shown += gate.feed(chunk)
    shown += gate.close()
    assert shown == ["I was... well, I was… - scared.", "Then it passed."]
