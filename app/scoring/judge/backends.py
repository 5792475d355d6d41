"""Where the judge's replies come from: a LangChain chat model with structured output, or
any Rehearse ``ChatModel`` (the fakes in tests, the scripted and embedded providers).

Both return the reply's raw text; ``asking.py`` validates it, so every backend is held to
the same schema and quote checks.

The LangChain backend asks for ``response_format`` ``json_schema`` (strict) through
``with_structured_output``. Some OpenAI-compatible servers refuse that: llama-cpp-python's
server answers HTTP 500, others 400 naming ``response_format``. Then it switches, once and for
the rest of its life, to ``json_object`` mode, where the schema is only in the prompt and the
validation does the rest.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import BaseModel

from app.llm.base import (
    ChatMessage,
    ChatModel,
    ChatRequest,
    LLMError,
    LLMTimeout,
    LLMUnavailable,
    complete,
)
from app.llm.langchain_adapter import to_langchain

Mode = Literal["json_schema", "json_mode"]
REPLY_TOKENS = 4096  # a whole transcript's codes with quotes fits comfortably


class JudgeBackend(Protocol):
    """Anything that answers a judge prompt with text that should be JSON for ``schema``."""

    model_id: str
    notes: list[str]

    async def reply(self, messages: list[ChatMessage], schema: type[BaseModel]) -> str:
        """The raw reply; raise an LLMError subclass if the model could not answer."""
        ...


class ChatModelBackend:
    """A Rehearse chat model; the schema is in the prompt only."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model
        self.model_id = model.model_id
        self.notes: list[str] = []

    async def reply(self, messages: list[ChatMessage], schema: type[BaseModel]) -> str:
        """The model's whole reply at temperature 0."""
        request = ChatRequest(messages=messages, max_tokens=REPLY_TOKENS, temperature=0.0)
        return (await complete(self.model, request)).text


class StructuredBackend:
    """A LangChain chat model asked for JSON-schema output, with the json_object fallback."""

    def __init__(self, chat: BaseChatModel, *, model_id: str, endpoint: str) -> None:
        self.chat = chat
        self.model_id = model_id
        self.endpoint = endpoint
        self.mode: Mode = "json_schema"
        self.notes: list[str] = []

    async def reply(self, messages: list[ChatMessage], schema: type[BaseModel]) -> str:
        """The raw text of a structured reply."""
        prompt = to_langchain(messages)
        if self.mode == "json_schema":
            try:
                return await self._ask(prompt, schema)
            except openai.APIStatusError as exc:
                if not refuses_json_schema(exc):
                    raise self._translate(exc) from exc
                self.mode = "json_mode"
                self.notes.append(
                    f"{self.endpoint} refused JSON-schema output (HTTP {exc.status_code}); "
                    "the judge used JSON mode and checked the schema itself."
                )
        try:
            return await self._ask(prompt, schema)
        except openai.APIStatusError as exc:
            raise self._translate(exc) from exc

    async def _ask(self, prompt: list[BaseMessage], schema: type[BaseModel]) -> str:
        options: dict[str, Any] = {"method": self.mode, "include_raw": True}
        if self.mode == "json_schema":
            options["strict"] = True
        # The schema goes as a JSON-schema dict, not the class: with the class, the OpenAI
        # client validates the reply itself and raises, losing the text the retry must quote.
        runnable = self.chat.with_structured_output(schema.model_json_schema(), **options)
        try:
            result = await runnable.ainvoke(prompt)
        except openai.APIStatusError:
            raise
        except Exception as exc:  # every other failure becomes one of our errors
            raise self._translate(exc) from exc
        raw = result["raw"] if isinstance(result, dict) else None
        content = getattr(raw, "content", "")
        return content if isinstance(content, str) else ""

    def _translate(self, exc: BaseException) -> LLMError:
        where = f"{self.model_id} at {self.endpoint}"
        if isinstance(exc, TimeoutError | openai.APITimeoutError):
            return LLMTimeout(f"The judge ({where}) did not answer in time.")
        if isinstance(exc, openai.APIConnectionError):
            return LLMUnavailable(f"Could not reach the judge ({where}).")
        if isinstance(exc, openai.APIStatusError):
            return LLMUnavailable(
                f"The judge ({where}) refused the request: HTTP {exc.status_code}."
            )
        detail = " ".join(str(exc).split())
        return LLMError(f"The judge ({where}) failed: {type(exc).__name__}: {detail}")


def refuses_json_schema(exc: openai.APIStatusError) -> bool:
    """Whether an error means "this server does not do response_format json_schema"."""
    if exc.status_code == 500:
        return True  # llama-cpp-python's server
    text = str(exc).lower()
    return exc.status_code in (400, 422) and ("response_format" in text or "json_schema" in text)
