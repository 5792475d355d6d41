"""A chat model built on first use, so the app serves pages even when the model is broken.

A missing model file or an unknown provider then shows as a clear message on the
conversation page, instead of stopping the server from starting.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing

from app.llm.base import ChatModel, ChatRequest, LLMError


class LazyChatModel:
    """Builds the real chat model the first time a reply is wanted."""

    def __init__(self, build: Callable[[], ChatModel], *, model_id: str) -> None:
        self._build = build
        self._model: ChatModel | None = None
        self.model_id = model_id

    def load(self) -> ChatModel:
        """Build the model now (raises LLMError if it cannot be built)."""
        if self._model is None:
            self._model = self._build()
            self.model_id = self._model.model_id
        return self._model

    @property
    def caches_prompts(self) -> bool:
        """Whether the real model caches prompts; builds it (a model load is a warm-up too)."""
        try:
            return self.load().caches_prompts
        except LLMError:
            return False

    async def stream(self, request: ChatRequest) -> AsyncGenerator[str]:
        """Stream from the real model, building it first if need be."""
        async with aclosing(self.load().stream(request)) as chunks:
            async for chunk in chunks:
                yield chunk
