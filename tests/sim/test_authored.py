"""Authored lines: a line counts as said even when cut short, and said lines rotate."""

from __future__ import annotations

from app.domain.conversation import Speaker, Turn
from app.domain.scenario import Scenario, Scripted, ScriptedLine
from app.llm.scripted import ScriptedChatModel
from app.sim.engine import PersonaEngine
from app.sim.session import LocalConversation
from tests.sim.helpers import hold

CLOSED = ["Have you had any tests?", "Is it worse at night?", "Did you take anything?"] * 2


def _with_closed_lines(scenario: Scenario, *lines: str) -> Scenario:
    scripted = Scripted(
        lines=[ScriptedLine(codes=["closed_question"], say=line) for line in lines],
        fallback=["Right."],
    )
    return scenario.model_copy(update={"scripted": scripted})


async def _replies(engine: PersonaEngine, scenario: Scenario, turns: list[str]) -> list[str]:
    talk = LocalConversation(engine, scenario, ScriptedChatModel())
    return [(await talk.exchange(text)).person.text for text in turns]


async def test_a_line_cut_to_the_sentence_limit_still_counts_as_said(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    long = "No. Well, yes. It comes and goes, depending on the day."
    rules = engine.rules(scenario)
    assert scenario.person.reply_sentences <= 2
    assert rules.guarded_sentences <= 2
    chosen = _with_closed_lines(scenario, long, "Sometimes, I suppose.")
    replies = await _replies(engine, chosen, CLOSED[:3])
    assert replies == ["No. Well, yes.", "Sometimes, I suppose.", "No. Well, yes."]


async def test_once_every_fitting_line_is_said_they_rotate(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    chosen = _with_closed_lines(scenario, "Yes.", "Not really.", "A bit.")
    replies = await _replies(engine, chosen, CLOSED[:5])
    assert replies == ["Yes.", "Not really.", "A bit.", "Yes.", "Not really."]


def test_turns_without_a_record_are_matched_by_their_text(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    long = "No. Well, yes. It comes and goes, depending on the day."
    chosen = _with_closed_lines(scenario, long, "Sometimes, I suppose.")
    history = hold(engine, chosen, CLOSED[:3])
    said = [turn.text for turn in history[1:] if turn.speaker is Speaker.PERSON]
    assert said == ["No. Well, yes.", "Sometimes, I suppose.", "No. Well, yes."]


async def test_the_record_keeps_the_whole_authored_line(
    engine: PersonaEngine, scenario: Scenario
) -> None:
    long = "No. Well, yes. It comes and goes, depending on the day."
    talk = LocalConversation(engine, _with_closed_lines(scenario, long), ScriptedChatModel())
    exchange = await talk.exchange(CLOSED[0])
    assert exchange.person.text == "No. Well, yes."
    assert exchange.person.checks is not None
    assert exchange.person.checks.authored == long
    assert isinstance(talk.turns[0], Turn)
