"""Adapter from any LangChain chat model to Rehearse's ``ChatModel``.

Both the ``openai`` and ``embedded`` providers are ``ChatOpenAI`` instances behind this
adapter, so the local and the remote path share one code path. Retries and timeouts live
here (the client's own retries are switched off) so they are bounded and observable; a
retry only happens before the first chunk, never in the middle of a reply.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, cast

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    BaseMessageChunk,
    HumanMessage,
    SystemMessage,
)

from app.llm.base import ChatMessage, ChatRequest, LLMError, LLMTimeout, LLMUnavailable, Role

_RETRY_BACKOFF_S = 0.5


@dataclass(frozen=True)
class Limits:
    """How long to wait and how often to try again."""

    first_token_timeout_s: float = 30.0
    timeout_s: float = 60.0
    max_retries: int = 2


class LangChainChatModel:
    """Streams from a LangChain chat model with timeouts, bounded retries and clear errors."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        model_id: str,
        endpoint: str,
        limits: Limits | None = None,
        caches_prompts: bool = False,
        rebuild: Callable[[], BaseChatModel] | None = None,
    ) -> None:
        self.chat_model = chat_model
        self._rebuild = rebuild
        self._loop: asyncio.AbstractEventLoop | None = None
        self.caches_prompts = caches_prompts
        self.model_id = model_id
        self.endpoint = endpoint
        self.limits = limits or Limits()

    def _bind_to_running_loop(self) -> None:
        """Give each event loop its own client.

        The OpenAI client pools connections on the loop that opened them; a command that
        calls ``asyncio.run`` more than once (bench, the CLI, tests) would otherwise reuse a
        connection whose loop is closed ("Event loop is closed").
        """
        loop = asyncio.get_running_loop()
        if self._rebuild is not None and self._loop is not None and self._loop is not loop:
            self.chat_model = self._rebuild()
        self._loop = loop

    async def stream(self, request: ChatRequest) -> AsyncGenerator[str]:
        """Yield reply chunks; retry transient failures that happen before the first chunk."""
        self._bind_to_running_loop()
        for attempt in range(self.limits.max_retries + 1):
            started = False
            try:
                async with aclosing(self._stream_once(request)) as chunks:
                    async for chunk in chunks:
                        started = True
                        yield chunk
                return
            except LLMUnavailable:
                if started or attempt == self.limits.max_retries:
                    raise
            await asyncio.sleep(_RETRY_BACKOFF_S * (attempt + 1))

    async def _stream_once(self, request: ChatRequest) -> AsyncGenerator[str]:
        kwargs: dict[str, Any] = {"max_tokens": request.max_tokens}
        if request.temperature is not None:
            kwargs["temperature"] = request.temperature
        # astream is an async generator at run time; typed as an iterator, so cast to close it.
        source = cast(
            AsyncGenerator[BaseMessageChunk],
            self.chat_model.astream(to_langchain(request.messages), **kwargs),
        )
        async with aclosing(source) as chunks, aclosing(self._with_deadlines(chunks)) as texts:
            async for text in texts:
                yield text

    async def _with_deadlines(self, chunks: AsyncIterator[BaseMessageChunk]) -> AsyncGenerator[str]:
        """Apply the first-token and whole-reply timeouts to a chunk stream."""
        deadline = asyncio.get_running_loop().time() + self.limits.timeout_s
        wait = self.limits.first_token_timeout_s
        while True:
            try:
                chunk = await asyncio.wait_for(anext(chunks), timeout=min(wait, _left(deadline)))
            except StopAsyncIteration:
                return
            except Exception as exc:  # every failure becomes one of our three errors
                raise self._translate(exc) from exc
            wait = self.limits.timeout_s
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                yield text

    def _translate(self, exc: BaseException) -> LLMError:
        where = f"{self.model_id} at {self.endpoint}"
        if isinstance(exc, TimeoutError | openai.APITimeoutError):
            return LLMTimeout(f"The language model ({where}) did not answer in time.")
        if isinstance(exc, openai.APIConnectionError):
            return LLMUnavailable(
                f"Could not reach the language model ({where}). Is the server running, and "
                "is REHEARSE_LLM_BASE_URL right?"
            )
        if isinstance(exc, openai.APIStatusError):
            return LLMUnavailable(
                f"The language model ({where}) refused the request: HTTP {exc.status_code}."
            )
        return LLMError(f"The language model ({where}) failed: {type(exc).__name__}: {exc}")


def to_langchain(messages: list[ChatMessage]) -> list[BaseMessage]:
    """Convert Rehearse messages to LangChain's message classes."""
    kinds: dict[Role, type[BaseMessage]] = {
        Role.SYSTEM: SystemMessage,
        Role.USER: HumanMessage,
        Role.ASSISTANT: AIMessage,
    }
    return [kinds[message.role](content=message.content) for message in messages]


def _left(deadline: float) -> float:
    return max(0.001, deadline - asyncio.get_running_loop().time())
