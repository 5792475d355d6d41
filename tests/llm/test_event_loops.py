"""A chat model used from several ``asyncio.run`` calls gets a fresh client per loop.

The OpenAI client pools connections on the loop that opened them; the CLI, ``rehearse
bench`` and module-scoped test fixtures call the same model from more than one loop, where
a stale pooled connection failed with "Event loop is closed" (seen in CI).
"""

from __future__ import annotations

import asyncio

from langchain_core.language_models import FakeListChatModel

from app.llm.base import ChatMessage, ChatRequest, complete
from app.llm.langchain_adapter import LangChainChatModel

REQUEST = ChatRequest(messages=[ChatMessage(role="user", content="Hello")])


def test_each_event_loop_gets_its_own_client() -> None:
    built: list[FakeListChatModel] = []

    def rebuild() -> FakeListChatModel:
        built.append(FakeListChatModel(responses=["Again."]))
        return built[-1]

    first = FakeListChatModel(responses=["Hello there."])
    model = LangChainChatModel(first, model_id="fake", endpoint="memory", rebuild=rebuild)

    assert asyncio.run(complete(model, REQUEST)).text == "Hello there."
    assert built == []  # the first loop keeps the client it was given

    assert asyncio.run(complete(model, REQUEST)).text == "Again."
    assert len(built) == 1
    assert model.chat_model is built[0]


async def test_one_loop_keeps_one_client() -> None:
    calls: list[int] = []

    def rebuild() -> FakeListChatModel:
        calls.append(1)
        return FakeListChatModel(responses=["x"])

    model = LangChainChatModel(
        FakeListChatModel(responses=["a", "b"]), model_id="fake", endpoint="memory", rebuild=rebuild
    )
    assert (await complete(model, REQUEST)).text == "a"
    assert (await complete(model, REQUEST)).text == "b"
    assert calls == []
