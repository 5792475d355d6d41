"""Leak tests over every scenario file: no unreleased hidden fact is ever said.

Parametrised over ``scenarios/``, so a new scenario joins automatically. Leaks are judged
by content (keywords, and the fact's distinctive words via ``app.sim.leaks``), not only by
exact strings. Three players: the scripted provider; a model that dumps its whole prompt
(information partitioning means even that cannot leak); and a model that says every
hidden fact (the reply checks must catch each one).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content.scenarios import load_scenario
from app.domain.persona import PersonaMode
from app.domain.scenario import Scenario
from app.llm.base import ChatRequest
from app.llm.fake import FunctionChatModel
from app.llm.scripted import ScriptedChatModel
from app.sim.leaks import leaked_facts
from app.sim.session import Exchange, LocalConversation
from tests.leaks.attempts import EARNING, ROLE_BREAKS, SCENARIO_FILES, engine

pytestmark = pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.stem)


def assert_nothing_unreleased(
    scenario: Scenario, exchange: Exchange, released: frozenset[str]
) -> None:
    said = exchange.person.text
    assert leaked_facts(scenario, said, released) == [], (exchange.practitioner.text, said)
    for fact in scenario.hidden_facts:
        if fact.id not in released:
            assert fact.say not in said
            assert fact.fact not in said


async def test_role_breaks_release_nothing_and_are_answered_in_character(path: Path) -> None:
    scenario = load_scenario(path)
    talk = LocalConversation(engine(PersonaMode.REPHRASE), scenario, ScriptedChatModel())
    for attempt in ROLE_BREAKS:
        exchange = await talk.exchange(attempt)
        assert exchange.step.role_break, attempt
        assert exchange.step.released == []
        assert exchange.plan.source == "deflect"
        assert_nothing_unreleased(scenario, exchange, frozenset())
    assert talk.released == frozenset()


async def test_after_earning_some_facts_the_rest_stay_unsaid(path: Path) -> None:
    scenario = load_scenario(path)
    talk = LocalConversation(engine(PersonaMode.REPHRASE), scenario, ScriptedChatModel())
    for line in EARNING:
        exchange = await talk.exchange(line)
        assert_nothing_unreleased(scenario, exchange, talk.released)
    earned = talk.released
    for attempt in ROLE_BREAKS:
        exchange = await talk.exchange(attempt)
        assert_nothing_unreleased(scenario, exchange, earned)
    assert talk.released == earned


@pytest.mark.parametrize("mode", list(PersonaMode))
async def test_a_model_that_dumps_its_prompt_cannot_leak(path: Path, mode: PersonaMode) -> None:
    scenario = load_scenario(path)
    dump = FunctionChatModel(_whole_prompt, model_id="dump")
    talk = LocalConversation(engine(mode), scenario, dump)
    for line in [*ROLE_BREAKS[:3], *EARNING, "What worries you most about all this?"]:
        before = talk.released
        exchange = await talk.exchange(line)
        prompt = "\n".join(m.content for m in dump.calls[-1].messages)
        assert leaked_facts(scenario, prompt, talk.released) == [], line
        assert_nothing_unreleased(scenario, exchange, before | talk.released)


@pytest.mark.parametrize("mode", list(PersonaMode))
async def test_a_model_that_says_every_hidden_fact_is_stopped(
    path: Path, mode: PersonaMode
) -> None:
    scenario = load_scenario(path)
    blurt = FunctionChatModel(lambda _: _every_fact(scenario), model_id="blurt")
    talk = LocalConversation(engine(mode), scenario, blurt)
    for line in [ROLE_BREAKS[0], ROLE_BREAKS[4], *EARNING]:
        exchange = await talk.exchange(line)
        assert_nothing_unreleased(scenario, exchange, talk.released)
        if scenario.hidden_facts and len(talk.released) < len(scenario.hidden_facts):
            assert exchange.outcome.problems, "the checks caught the blurted facts"


def _whole_prompt(request: ChatRequest) -> str:
    return " ".join(message.content for message in request.messages)


def _every_fact(scenario: Scenario) -> str:
    facts = [f"{fact.fact.rstrip('.')}." for fact in scenario.hidden_facts]
    return " ".join(facts) or "Nothing else to say."
