"""Provider selection, the scripted provider, and the openai provider over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from app.config import Settings
from app.llm.base import ChatMessage, ChatRequest, LLMUnavailable, complete
from app.llm.registry import build_chat_model
from app.llm.scripted import ScriptedChatModel
from tests.support.loopback import Posted, Reply, serve_posts

REQUEST = ChatRequest(
    messages=[ChatMessage(role="user", content="Hello")],
    authored_reply="I'd rather just get it sorted, to be honest.",
)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


async def test_scripted_says_the_authored_line_in_chunks() -> None:
    chunks = [chunk async for chunk in ScriptedChatModel().stream(REQUEST)]
    assert len(chunks) > 3
    assert "".join(chunks) == REQUEST.authored_reply


async def test_scripted_without_an_authored_line_is_an_error() -> None:
    with pytest.raises(Exception, match="needs an authored line"):
        _ = [
            c
            async for c in ScriptedChatModel().stream(
                REQUEST.model_copy(update={"authored_reply": None})
            )
        ]


def test_unknown_provider_names_the_known_ones() -> None:
    with pytest.raises(LLMUnavailable, match="Choose one of: embedded, openai, scripted"):
        build_chat_model(settings(), "llamafile")


def test_missing_embedded_model_file_is_explained(tmp_path: object) -> None:
    with pytest.raises(LLMUnavailable, match="does not exist"):
        build_chat_model(settings(embedded_model_path="/nonexistent/model.gguf"), "embedded")


@dataclass
class CannedEndpoint:
    """A real OpenAI-compatible HTTP server on 127.0.0.1 that replays canned answers."""

    base_url: str
    status: int = 200
    pieces: tuple[str, ...] = ()
    requests: list[dict[str, object]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def endpoint() -> Iterator[CannedEndpoint]:
    """Serve /v1/chat/completions on a free loopback port for the test's duration."""
    canned = CannedEndpoint(base_url="")

    def respond(posted: Posted) -> Reply:
        canned.requests.append(posted.body)
        canned.headers.append(posted.headers)
        if canned.status != 200:
            return Reply(canned.status, "application/json", b'{"error": {"message": "overloaded"}}')
        return Reply(200, "text/event-stream", _sse(*canned.pieces))

    with serve_posts(respond) as base_url:
        canned.base_url = base_url
        yield canned


def _sse(*pieces: str) -> bytes:
    lines = []
    for piece in pieces:
        chunk = {
            "id": "c1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
        }
        lines.append(f"data: {json.dumps(chunk)}\n\n")
    lines.append("data: [DONE]\n\n")
    return "".join(lines).encode()


async def test_openai_provider_streams_from_the_configured_endpoint(
    endpoint: CannedEndpoint,
) -> None:
    endpoint.pieces = ("I'm ", "worried.")
    model = build_chat_model(
        settings(llm_base_url=endpoint.base_url, llm_model="llama3.1", llm_api_key="k"), "openai"
    )
    completion = await complete(model, REQUEST)
    assert completion.text == "I'm worried."
    body = endpoint.requests[0]
    assert body["model"] == "llama3.1"
    assert body["stream"] is True
    assert body["messages"] == [{"role": "user", "content": "Hello"}]
    assert {k.lower(): v for k, v in endpoint.headers[0].items()}["authorization"] == "Bearer k"


async def test_openai_provider_http_error_is_a_clear_message(endpoint: CannedEndpoint) -> None:
    endpoint.status = 503
    model = build_chat_model(settings(llm_base_url=endpoint.base_url, llm_max_retries=1), "openai")
    with pytest.raises(LLMUnavailable, match="refused the request: HTTP 503"):
        await complete(model, REQUEST)
    assert len(endpoint.requests) == 2


async def test_openai_provider_with_nothing_listening_says_so() -> None:
    model = build_chat_model(
        settings(llm_base_url="http://127.0.0.1:9/v1", llm_max_retries=0), "openai"
    )
    with pytest.raises(LLMUnavailable, match="Could not reach the language model"):
        await complete(model, REQUEST)
