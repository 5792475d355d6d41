"""Closed-question runs: asking permission or checking understanding is not interrogation."""

from __future__ import annotations

import pytest

from app.content.scenarios import load_scenario
from app.domain.scenario import Scenario
from app.sim.engine import PersonaEngine
from app.sim.signals import engine_signals
from tests.sim.helpers import PROJECT, hold

CLOSED = ["Is he eating?", "Does he sleep at night?"]


@pytest.fixture(scope="module")
def carer() -> Scenario:
    return load_scenario(PROJECT / "scenarios" / "carer-in-crisis.yaml")


@pytest.mark.parametrize(
    "checking",
    [
        "Would it be okay if I told you about some help that's available?",
        "So you're doing everything for him on your own, and you're exhausted. Is that right?",
        "So it sounds like the nights are the worst. Have I got that right?",
        "Does that make sense?",
    ],
)
def test_a_check_after_closed_questions_is_not_a_run(
    engine: PersonaEngine, carer: Scenario, checking: str
) -> None:
    history = hold(engine, carer, CLOSED)
    assert all("closed_question" in turn.codes for turn in history if turn.persona)
    codes = engine.code_turn(checking, history).codes
    step = engine.advance(carer, history, checking, codes)
    assert "closed_question_run" not in step.signals
    assert step.trust_after >= step.trust_before


@pytest.mark.parametrize(
    "codes",
    [
        ["closed_question", "ask_permission"],
        ["closed_question", "summary"],
        ["closed_question", "clarification"],
        ["closed_question", "chunk_check"],
    ],
)
def test_checking_codes_neither_count_nor_continue_a_run(
    engine: PersonaEngine, carer: Scenario, codes: list[str]
) -> None:
    rules = engine.rules(carer)
    history = hold(engine, carer, CLOSED)
    assert engine_signals("Right?", codes, history, rules) == []
    after = hold(engine, carer, [*CLOSED, "Would it be okay if I asked about nights?"])
    assert "closed_question_run" not in engine_signals(
        "Is he eating?", ["closed_question"], after, rules
    )


def test_plain_closed_questions_still_make_a_run(engine: PersonaEngine, carer: Scenario) -> None:
    history = hold(engine, carer, CLOSED)
    step = engine.advance(carer, history, "Is he taking his tablets?", ["closed_question"])
    assert "closed_question_run" in step.signals
    assert step.trust_after < step.trust_before
