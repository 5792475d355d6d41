"""The one chat-model interface every provider implements.

A provider streams text for a ``ChatRequest``. The request carries the authored line the
persona engine would say in this state, so the ``scripted`` provider can speak it and
every other provider can fall back to it.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncGenerator
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field


class Role(StrEnum):
    """Chat roles, as OpenAI-compatible endpoints name them."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class ChatMessage(BaseModel):
    """One message of a prompt."""

    role: Role
    content: str


class ChatRequest(BaseModel):
    """What to generate: the prompt, limits, and the authored line for this moment."""

    messages: list[ChatMessage]
    max_tokens: int = Field(default=160, ge=1)
    temperature: float | None = None
    authored_reply: str | None = Field(
        default=None, description="The scenario's own line for this state; scripted says it."
    )


class Completion(BaseModel):
    """A finished reply with what it cost."""

    text: str
    model: str
    latency_ms: int
    first_token_ms: int | None = None
    chunks: int = 0


class LLMError(Exception):
    """The model could not produce a reply; the message is shown to the user as is."""


class LLMUnavailable(LLMError):
    """The model could not be reached or refused the request."""


class LLMTimeout(LLMError):
    """The model took longer than the configured timeout."""


@runtime_checkable
class ChatModel(Protocol):
    """A provider: streams the reply to a request, chunk by chunk."""

    model_id: str

    @property
    def caches_prompts(self) -> bool:
        """Reading the prompt ahead of the first reply makes that reply faster."""
        ...

    def stream(self, request: ChatRequest) -> AsyncGenerator[str]:
        """Yield the reply in chunks; raise LLMError subclasses on failure."""
        ...


async def complete(model: ChatModel, request: ChatRequest) -> Completion:
    """Collect a streamed reply into one Completion, timing the first chunk and the whole."""
    started = time.perf_counter()
    first_token_ms: int | None = None
    parts: list[str] = []
    async for chunk in model.stream(request):
        if first_token_ms is None:
            first_token_ms = _elapsed_ms(started)
        parts.append(chunk)
    return Completion(
        text="".join(parts),
        model=model.model_id,
        latency_ms=_elapsed_ms(started),
        first_token_ms=first_token_ms,
        chunks=len(parts),
    )


_WORD_CHUNKS = re.compile(r"\S+\s*|\s+")


def word_chunks(text: str) -> list[str]:
    """Split text into word-sized chunks that join back to exactly the same text."""
    return _WORD_CHUNKS.findall(text)


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
