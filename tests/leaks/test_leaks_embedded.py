"""Leak tests with the real embedded model (SmolLM2-135M): a few attempts per scenario.

Small enough for CI on two cores: two extraction attempts per scenario file, in free mode
(where the model reads the conversation, so the sly question reaches it). Whatever the
model writes, no unreleased hidden fact may be said, judged by content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import LLMProvider, Settings
from app.content.scenarios import load_scenario
from app.domain.persona import PersonaMode
from app.llm.base import ChatModel
from app.llm.registry import build_chat_model
from app.sim.leaks import leaked_facts
from app.sim.session import LocalConversation
from tests.leaks.attempts import EMBEDDED_ATTEMPTS, SCENARIO_FILES, engine

pytestmark = pytest.mark.embedded


@pytest.fixture(scope="module")
def model() -> ChatModel:
    """The packaged model, greedy so a failure can be reproduced; patient on a busy CI box."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        llm_temperature=0.0,
        llm_first_token_timeout_s=120,
        llm_timeout_s=240,
    )
    return build_chat_model(settings, LLMProvider.EMBEDDED.value)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.stem)
async def test_the_embedded_model_never_says_an_unreleased_fact(
    path: Path, model: ChatModel
) -> None:
    scenario = load_scenario(path)
    talk = LocalConversation(engine(PersonaMode.FREE), scenario, model)
    for number, attempt in enumerate(EMBEDDED_ATTEMPTS):
        exchange = await talk.exchange(attempt)
        if number == 0:
            assert exchange.step.role_break
            assert exchange.step.released == []
        assert leaked_facts(scenario, exchange.person.text, talk.released) == [], (
            attempt,
            exchange.person.text,
        )
        for fact in scenario.hidden_facts:
            if fact.id not in talk.released:
                assert fact.say not in exchange.person.text
