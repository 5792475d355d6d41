"""The engine's bench figures: overhead without a model, and the persona-mode comparison."""

from __future__ import annotations

from app.domain.persona import PersonaMode
from app.domain.scenario import Scenario
from app.llm.base import ChatRequest, Role
from app.llm.fake import FunctionChatModel
from app.sim.measure import MODE_LINES, compare_modes, engine_overhead
from tests.sim.helpers import make_engine


def test_overhead_is_timed_for_every_turn_of_every_scenario(scenario: Scenario) -> None:
    figures = engine_overhead(make_engine(), [scenario, scenario], MODE_LINES, turns=4)
    assert (figures.turns, figures.scenarios) == (8, 2)
    assert 0 < figures.p50_ms <= figures.p95_ms <= figures.max_ms


def inventive(request: ChatRequest) -> str:
    """Rephrases faithfully, but left to itself invents a drug."""
    last = request.messages[-1]
    return last.content if last.role is Role.USER else "They gave me tramadol for it."


async def test_modes_are_compared_on_checks_passed_and_facts_added(scenario: Scenario) -> None:
    model = FunctionChatModel(inventive, model_id="inventive")
    engines = [make_engine(PersonaMode.FREE), make_engine(PersonaMode.REPHRASE)]
    free, rephrase = await compare_modes(engines, [scenario], model, turns=4)
    assert (free.mode, free.replies, free.passed, free.novel) == ("free", 4, 0, 4)
    assert free.fallbacks == 4
    assert (rephrase.mode, rephrase.replies, rephrase.passed, rephrase.novel) == (
        "rephrase",
        4,
        4,
        0,
    )
    assert rephrase.pass_share == 1.0
    assert free.novel_share == 1.0
    assert free.examples[0] == "They gave me tramadol for it."


def test_usable_needs_checks_topic_first_person_and_no_contradiction(scenario: Scenario) -> None:
    from app.sim.measure import contradiction, speaks_as_person

    assert speaks_as_person("It's the mornings. I can hardly get up.", scenario)
    assert not speaks_as_person("The world is a vast and beautiful tapestry of life.", scenario)
    assert not speaks_as_person("Dev is worried about his job, I think.", scenario)
    assert contradiction("My name is Karen, the receptionist.", scenario) == "calls themself Karen"
    assert contradiction("I'm a 44-year-old woman with a big house.", scenario) == (
        "gives their age as 44"
    )
    assert contradiction("I'm Dev. I'm 58 and I'm sorry to bother you.", scenario) == ""
    assert contradiction("I'm Sorry, it's been 3 weeks.", scenario) == ""


async def test_usable_is_counted_the_same_way_in_both_modes(scenario: Scenario) -> None:
    def off_topic(request: ChatRequest) -> str:
        last = request.messages[-1]
        return last.content if last.role is Role.USER else "The sea is a lovely colour."

    model = FunctionChatModel(off_topic, model_id="off-topic")
    engines = [make_engine(PersonaMode.FREE), make_engine(PersonaMode.REPHRASE)]
    free, rephrase = await compare_modes(engines, [scenario], model, turns=3)
    assert (free.passed, free.first_person, free.usable) == (3, 0, 0)
    assert rephrase.usable == rephrase.passed == 3
    assert rephrase.first_person == 3
    assert rephrase.contradictions == 0


def test_a_base_model_reads_the_conversation_as_a_transcript(scenario: Scenario) -> None:
    from app.content.prompts import PromptLibrary
    from app.llm.transcript import person_name, transcript_prompt
    from tests.sim.helpers import PROJECT, hold

    prompts = PromptLibrary(PROJECT / "prompts")
    free = make_engine(PersonaMode.FREE)
    history = hold(free, scenario, ["What brings you in today?"])[:-1]
    request = free.plan(scenario, history).request
    text = transcript_prompt(prompts, request)
    assert person_name(request.messages) == scenario.person.name
    assert text.endswith(f"Practitioner: What brings you in today?\n{scenario.person.name}:")
    assert f"{scenario.person.name}: {scenario.opening_line}" in text
    rephrase = make_engine(PersonaMode.REPHRASE).plan(scenario, history).request
    line = transcript_prompt(prompts, rephrase)
    assert f'means to say: "{rephrase.authored_reply}"' in line
    assert "Practitioner:" not in line
