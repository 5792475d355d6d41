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
