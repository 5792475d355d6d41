"""The LangChain adapter: streaming, bounded retries, timeouts and clear errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from app.llm.base import ChatMessage, ChatRequest, LLMError, LLMTimeout, LLMUnavailable, complete
from app.llm.langchain_adapter import LangChainChatModel, Limits

REQUEST = ChatRequest(messages=[ChatMessage(role="user", content="Hello")], max_tokens=20)


def adapter(model: Any, **limits: float) -> LangChainChatModel:
    return LangChainChatModel(
        model,
        model_id="test-model",
        endpoint="http://127.0.0.1:1/v1",
        limits=Limits(
            **{"first_token_timeout_s": 1.0, "timeout_s": 2.0, "max_retries": 2, **limits}
        ),
    )


class FlakyChatModel(GenericFakeChatModel):
    """Fails to connect ``failures`` times, then streams its messages."""

    failures: int = 0
    attempts: int = 0
    delay_s: float = 0.0

    async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        self.attempts += 1
        if self.attempts <= self.failures:
            request = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")
            raise openai.APIConnectionError(request=request)
        await asyncio.sleep(self.delay_s)
        async for chunk in super()._astream(*args, **kwargs):
            yield chunk


def messages(*texts: str) -> Iterator[AIMessage]:
    return iter([AIMessage(content=text) for text in texts])


async def test_streams_chunks_from_a_langchain_model() -> None:
    model = adapter(GenericFakeChatModel(messages=messages("Well, I am worried about it.")))
    chunks = [chunk async for chunk in model.stream(REQUEST)]
    assert len(chunks) > 1
    assert "".join(chunks) == "Well, I am worried about it."


async def test_complete_times_the_reply() -> None:
    model = adapter(GenericFakeChatModel(messages=messages("Yes.")))
    completion = await complete(model, REQUEST)
    assert completion.text == "Yes."
    assert completion.model == "test-model"
    assert completion.first_token_ms is not None


async def test_connection_failures_are_retried_a_bounded_number_of_times() -> None:
    flaky = FlakyChatModel(messages=messages("Hello there."), failures=2)
    reply = "".join([chunk async for chunk in adapter(flaky).stream(REQUEST)])
    assert reply == "Hello there."
    assert flaky.attempts == 3


async def test_unreachable_model_gives_a_clear_message_after_retries() -> None:
    flaky = FlakyChatModel(messages=messages("never"), failures=10)
    with pytest.raises(LLMUnavailable, match=r"Could not reach the language model \(test-model"):
        _ = [chunk async for chunk in adapter(flaky, max_retries=1).stream(REQUEST)]
    assert flaky.attempts == 2


async def test_a_slow_first_token_times_out() -> None:
    slow = FlakyChatModel(messages=messages("late"), delay_s=1.0)
    with pytest.raises(LLMTimeout, match="did not answer in time"):
        _ = [chunk async for chunk in adapter(slow, first_token_timeout_s=0.05).stream(REQUEST)]


async def test_any_other_failure_becomes_an_llm_error() -> None:
    class Broken(GenericFakeChatModel):
        async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
            raise RuntimeError("model crashed")
            yield ChatGenerationChunk(message=AIMessageChunk(content=""))

    with pytest.raises(LLMError, match="model crashed"):
        _ = [chunk async for chunk in adapter(Broken(messages=messages("x"))).stream(REQUEST)]
