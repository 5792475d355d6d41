"""The ``scripted`` provider: says the scenario's authored line, with no model at all.

The persona engine chooses that line under the same rules it applies to a model's reply,
so a scripted conversation is a faithful, deterministic rehearsal, not a placeholder.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from app.llm.base import ChatRequest, LLMError, word_chunks


class ScriptedChatModel:
    """Streams ``request.authored_reply`` word by word."""

    model_id = "scripted"
    caches_prompts = False

    async def stream(self, request: ChatRequest) -> AsyncGenerator[str]:
        """Yield the authored line in word-sized chunks, as a model would stream."""
        if not request.authored_reply:
            raise LLMError("The scripted provider needs an authored line for this turn.")
        for chunk in word_chunks(request.authored_reply):
            yield chunk
