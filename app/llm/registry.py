"""Build the configured chat model from settings; third parties can register more."""

from __future__ import annotations

from collections.abc import Callable

import openai
from langchain_openai import ChatOpenAI

from app.config import LLMProvider, PromptStyle, Settings
from app.content.prompts import PromptLibrary
from app.llm.base import ChatModel, LLMUnavailable
from app.llm.embedded import DEFAULT_MODEL_ID, default_model_path, start_server
from app.llm.langchain_adapter import LangChainChatModel, Limits
from app.llm.scripted import ScriptedChatModel
from app.llm.transcript import TranscriptChatModel

Factory = Callable[[Settings], ChatModel]
_factories: dict[str, Factory] = {}


def register(name: str, factory: Factory) -> None:
    """Make ``REHEARSE_LLM_PROVIDER=name`` build its chat model with ``factory``."""
    _factories[name] = factory


def build_chat_model(settings: Settings, provider: str | None = None) -> ChatModel:
    """The chat model for ``provider`` (default: the configured one)."""
    name = provider or settings.llm_provider.value
    if name not in _factories:
        known = ", ".join(sorted(_factories))
        raise LLMUnavailable(f"Unknown LLM provider '{name}'. Choose one of: {known}.")
    return _factories[name](settings)


def _limits(settings: Settings) -> Limits:
    return Limits(
        first_token_timeout_s=settings.llm_first_token_timeout_s,
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def openai_chat_model(settings: Settings) -> ChatModel:
    """Any OpenAI-compatible endpoint: OpenAI, Azure, Ollama, vLLM, a llama.cpp server."""

    def chat() -> ChatOpenAI:
        return configured_openai_chat(settings)

    return LangChainChatModel(
        chat(),
        model_id=settings.llm_model,
        endpoint=configured_endpoint(settings),
        limits=_limits(settings),
        rebuild=chat,
    )


def configured_endpoint(settings: Settings) -> str:
    """The ``openai`` provider's endpoint, as shown in messages."""
    return settings.llm_base_url or "https://api.openai.com/v1"


def configured_openai_chat(
    settings: Settings, *, temperature: float | None = None, streaming: bool = True
) -> ChatOpenAI:
    """A client for the ``openai`` provider's endpoint (the persona and the judge share it)."""
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return _chat_openai(
        settings,
        settings.llm_model,
        settings.llm_base_url,
        api_key,
        temperature=settings.llm_temperature if temperature is None else temperature,
        streaming=streaming,
    )


def _chat_openai(
    settings: Settings,
    model: str,
    base_url: str | None,
    api_key: str,
    *,
    temperature: float,
    streaming: bool = True,
) -> ChatOpenAI:
    """A client with its own retries off: the adapter (or the judge) retries, boundedly.

    Each call gets its own async HTTP client: LangChain otherwise shares one cached client
    per endpoint, whose pooled connections stay bound to the first event loop.
    """
    return ChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=api_key,
        temperature=temperature,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        streaming=streaming,
        http_async_client=openai.DefaultAsyncHttpxClient(timeout=settings.llm_timeout_s),
    )


def embedded_chat_model(settings: Settings) -> ChatModel:
    """The in-process llama.cpp model, through its loopback OpenAI-compatible endpoint."""
    path = settings.embedded_model_path or default_model_path()
    server = start_server(
        path, threads=settings.embedded_threads, context=settings.embedded_context
    )
    model_id = DEFAULT_MODEL_ID if settings.embedded_model_path is None else path.stem
    if settings.embedded_prompt_style is PromptStyle.TRANSCRIPT:
        return TranscriptChatModel(
            server.base_url,
            model_id=f"{model_id} (transcript)",
            prompts=PromptLibrary(settings.prompts_dir),
            temperature=settings.llm_temperature,
            timeout_s=settings.llm_timeout_s,
        )

    def chat() -> ChatOpenAI:
        return _chat_openai(
            settings,
            model_id,
            server.base_url,
            "embedded",
            temperature=settings.llm_temperature,
        )

    return LangChainChatModel(
        chat(),
        model_id=model_id,
        endpoint=server.base_url,
        limits=_limits(settings),
        caches_prompts=True,  # llama.cpp keeps the slot's prompt between requests
        rebuild=chat,
    )


def scripted_chat_model(settings: Settings) -> ChatModel:
    """Authored lines, no model."""
    return ScriptedChatModel()


register(LLMProvider.OPENAI.value, openai_chat_model)
register(LLMProvider.EMBEDDED.value, embedded_chat_model)
register(LLMProvider.SCRIPTED.value, scripted_chat_model)
