"""Deterministic chat models for tests: a queue of replies, or a function of the request."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

from app.llm.base import ChatRequest, LLMError, word_chunks


class FakeChatModel:
    """Replies from a queue, in order; raises when the queue is empty so tests fail loudly."""

    caches_prompts = False

    def __init__(self, *replies: str | Exception, model_id: str = "fake") -> None:
        self.model_id = model_id
        self._queue: list[str | Exception] = list(replies)
        self.calls: list[ChatRequest] = []

    def enqueue(self, *replies: str | Exception) -> FakeChatModel:
        """Add replies (or exceptions to raise) to the end of the queue."""
        self._queue.extend(replies)
        return self

    async def stream(self, request: ChatRequest) -> AsyncGenerator[str]:
        """Yield the next queued reply in word chunks, or raise the queued exception."""
        self.calls.append(request)
        if not self._queue:
            raise AssertionError("FakeChatModel has no reply queued for this call")
        reply = self._queue.pop(0)
        if isinstance(reply, Exception):
            raise reply
        for chunk in word_chunks(reply):
            yield chunk


class FunctionChatModel:
    """Replies with whatever a function of the request returns."""

    caches_prompts = False

    def __init__(
        self, function: Callable[[ChatRequest], str], *, model_id: str = "function"
    ) -> None:
        self.model_id = model_id
        self._function = function
        self.calls: list[ChatRequest] = []

    async def stream(self, request: ChatRequest) -> AsyncGenerator[str]:
        """Yield the function's reply as one chunk."""
        self.calls.append(request)
        reply = self._function(request)
        if not reply:
            raise LLMError("FunctionChatModel returned nothing")
        yield reply
