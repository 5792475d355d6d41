"""A base model as the persona: the chat prompt written out as a transcript to continue.

Gemma 3 270M is published only as a base model; with a chat template it is incoherent, so
it is used the way base models are: the persona prompt, then the conversation as
"Name: words" lines, ending with the person's name for the model to continue
(``prompts/persona_transcript.j2``), through the llama.cpp server's completion endpoint.
The persona-mode study (``python -m app.sim.study``, docs/persona-modes.md) measured this
against SmolLM2; ``REHEARSE_EMBEDDED_PROMPT_STYLE=transcript`` uses it in the app.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator
from typing import Any

import openai

from app.content.prompts import PromptLibrary
from app.llm.base import ChatMessage, ChatRequest, LLMTimeout, LLMUnavailable, Role

PRACTITIONER = "Practitioner"
_NAME = re.compile(r"You are ([^,.\n]+)[,.]")


class TranscriptChatModel:
    """Streams a base model's continuation of the transcript a chat request describes."""

    caches_prompts = False

    def __init__(
        self,
        base_url: str,
        *,
        model_id: str,
        prompts: PromptLibrary,
        temperature: float,
        timeout_s: float = 60.0,
    ) -> None:
        self.model_id = model_id
        self.prompts = prompts
        self.temperature = temperature
        self.timeout_s = timeout_s
        self.base_url = base_url
        self._client: openai.AsyncOpenAI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client_for_this_loop(self) -> openai.AsyncOpenAI:
        """A client per event loop: pooled connections belong to the loop that opened them."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = openai.AsyncOpenAI(
                base_url=self.base_url, api_key="embedded", max_retries=0
            )
            self._loop = loop
        return self._client

    def prompt(self, request: ChatRequest) -> str:
        """The transcript for ``request``."""
        return transcript_prompt(self.prompts, request)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[str]:
        """Yield the continuation up to the end of the person's line."""
        name = person_name(request.messages)
        kwargs: dict[str, Any] = {
            "model": self.model_id,
            "prompt": self.prompt(request),
            "max_tokens": request.max_tokens,
            "temperature": self.temperature,
            "stop": ["\n", f"{PRACTITIONER}:", f"{name}:"],
            "stream": True,
        }
        try:
            async with asyncio.timeout(self.timeout_s):
                events = await self._client_for_this_loop().completions.create(**kwargs)
                async for event in events:
                    text = event.choices[0].text if event.choices else ""
                    if text:
                        yield text
        except TimeoutError as exc:
            raise LLMTimeout(f"No complete reply within {self.timeout_s:.0f} s.") from exc
        except openai.OpenAIError as exc:
            raise LLMUnavailable(f"The model failed: {exc}") from exc


def person_name(messages: list[ChatMessage]) -> str:
    """The person's name, as the persona prompt's first line gives it ("You are Graham...")."""
    first = next((m.content for m in messages if m.role is Role.SYSTEM), "")
    match = _NAME.search(first)
    return match.group(1).strip() if match else "Me"


def transcript_prompt(prompts: PromptLibrary, request: ChatRequest) -> str:
    """Render the request as a transcript: system text first, then the turns.

    A rephrase request is one system message and the line to say (the engine's authored
    line); anything else is a conversation.
    """
    messages = request.messages
    name = person_name(messages)
    preamble = "\n\n".join(m.content for m in messages if m.role is Role.SYSTEM)
    talk = [m for m in messages if m.role is not Role.SYSTEM]
    rephrase = len(talk) == 1 and talk[0].content == request.authored_reply
    turns = [(name if m.role is Role.ASSISTANT else PRACTITIONER, m.content) for m in talk]
    return prompts.render(
        "persona_transcript",
        preamble=preamble,
        name=name,
        line=talk[0].content if rephrase else "",
        turns=turns,
    )
