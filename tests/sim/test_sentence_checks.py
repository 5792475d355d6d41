"""Sentence checks added after the persona-mode study: what small models were seen to write."""

from __future__ import annotations

import pytest

from app.sim.checks import LineWords, check_sentence, drifts, repeats


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("Right now you feel heard.", "out of character"),
        ("You feel listened to, so you say a little more.", "out of character"),
        ("Here's a possible answer: I've been to the hospital.", "out of character"),
        ("Fine. <|im_end|>", "out of character"),
        ("<start_of_turn>user", "out of character"),
        ("(Sarcastically) My health coach.", "a stage direction"),
        ("(narrating) The other night I was the one.", "a stage direction"),
        ("*sighs* Fine.", "a stage direction"),
    ],
)
def test_seen_failures_are_refused(sentence: str, problem: str) -> None:
    assert check_sentence(sentence, person_name="Graham").problem == problem


@pytest.mark.parametrize(
    "sentence",
    [
        "I feel right now like giving up.",
        "Fine (really), it's nothing.",
        "Here's the thing: nobody asks.",
        "My answer is no.",
    ],
)
def test_ordinary_speech_passes(sentence: str) -> None:
    assert check_sentence(sentence, person_name="Graham").ok


LINE = "I'm all right. Sit on this side, you know my bad ear. Tea's in the pot."


@pytest.mark.parametrize(
    ("sentence", "drifting"),
    [
        ("Tea is in the pot.", False),
        ("Sit this side, my bad ear.", False),
        ("I'm all right.", False),
        ("I'm dying of love.", True),
        ("The whole world is a world.", True),
        ("I'm sorry to", True),
        ("My ear is bad and the world is a vast and lovely tapestry of life.", True),
    ],
)
def test_a_rephrase_keeps_to_its_line(sentence: str, drifting: bool) -> None:
    assert drifts(sentence, LineWords.of(LINE)) is drifting


@pytest.mark.parametrize(
    ("sentence", "said", "looping"),
    [
        ("I'm here to listen.", "I've been so busy. I'm here to listen.", True),
        ("I'm a bit of a bit of a bit of a worrier.", "", True),
        ("I'm fine, I'm fine, I'm fine, I'm fine.", "", True),
        ("No, no, no.", "", False),
        ("I'm here to listen.", "I've been so busy.", False),
    ],
)
def test_a_reply_that_loops_is_refused(sentence: str, said: str, looping: bool) -> None:
    assert repeats(sentence, said) is looping


def test_a_run_of_two_words_three_times_loops() -> None:
    assert repeats("The risks, the risks, the risks, and the risk.", "")
    assert not repeats("One by one, we got there.", "")
