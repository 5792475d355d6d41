"""Information partitioning: an unreleased hidden fact is never in any prompt the model gets."""

from __future__ import annotations

import pytest

from app.domain.persona import PersonaMode
from app.domain.scenario import Scenario
from app.llm.base import ChatRequest
from app.llm.fake import FunctionChatModel
from app.sim.leaks import leaked_facts
from app.sim.session import LocalConversation
from tests.sim.helpers import make_engine

PERSON_CENTRED = [
    "Hello, I'm Sam, one of the GPs. What would you like to talk about today?",
    "What matters most to you about work at the moment?",
    "That sounds really hard. I can hear how much this is weighing on you.",
    "How have you been sleeping, and how are things at home?",
]


def prompt_text(request: ChatRequest) -> str:
    return "\n".join(message.content for message in request.messages)


def recording_model() -> FunctionChatModel:
    return FunctionChatModel(lambda request: request.authored_reply or "Right.", model_id="rec")


@pytest.mark.parametrize("mode", list(PersonaMode))
async def test_every_prompt_holds_only_open_and_released_facts(
    scenario: Scenario, mode: PersonaMode
) -> None:
    model = recording_model()
    talk = LocalConversation(make_engine(mode), scenario, model)
    released_before: list[frozenset[str]] = []
    for line in PERSON_CENTRED:
        released_before.append(talk.released)
        exchange = await talk.exchange(line)
        released_now = talk.released
        prompt = prompt_text(model.calls[-1])
        for fact in scenario.hidden_facts:
            if fact.id not in released_now:
                assert fact.fact not in prompt
                assert fact.say not in prompt
        assert leaked_facts(scenario, prompt, released_now) == [], exchange.step
    assert talk.released == {"job-fear", "low-mood", "night-caring"}, "all earned in the end"
    assert released_before[1] == frozenset(), "the first prompts were written with none"


async def test_free_mode_tells_the_model_a_fact_only_on_and_after_its_release(
    scenario: Scenario,
) -> None:
    model = recording_model()
    talk = LocalConversation(make_engine(PersonaMode.FREE), scenario, model)
    await talk.exchange(PERSON_CENTRED[0])
    assert "sack" not in prompt_text(model.calls[-1])
    exchange = await talk.exchange(PERSON_CENTRED[1])
    assert [r.id for r in exchange.step.released] == ["job-fear"]
    note = model.calls[-1].messages[-1]
    assert note.role == "system"
    assert scenario.hidden_facts[0].say in note.content, "the fact to say now, first person"
    await talk.exchange("Go on.")
    assert scenario.hidden_facts[0].fact in model.calls[-1].messages[-1].content, "still known"


async def test_rephrase_mode_shows_the_model_only_the_line_to_say(scenario: Scenario) -> None:
    model = recording_model()
    talk = LocalConversation(make_engine(PersonaMode.REPHRASE), scenario, model)
    exchange = await talk.exchange(PERSON_CENTRED[0])
    system, line = model.calls[-1].messages
    assert (system.role, line.role) == ("system", "user")
    assert line.content == exchange.plan.authored
    assert PERSON_CENTRED[0] not in prompt_text(model.calls[-1]), "no conversation in it"
