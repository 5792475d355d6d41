"""The base-model provider: the chat request goes out as a transcript to continue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.content.prompts import PromptLibrary
from app.llm.base import ChatMessage, ChatRequest, LLMUnavailable, complete
from app.llm.transcript import TranscriptChatModel
from tests.support.loopback import Posted, Reply, serve_posts

PROMPTS = PromptLibrary(Path(__file__).resolve().parents[2] / "prompts")
REQUEST = ChatRequest(
    messages=[
        ChatMessage(role="system", content="You are Graham, 67, a retired engineer."),
        ChatMessage(role="assistant", content="Morning."),
        ChatMessage(role="user", content="What matters most to you?"),
    ],
    authored_reply="The Sunday walks, I suppose.",
)


class Completions:
    """A loopback /v1/completions server that streams canned text pieces."""

    def __init__(self) -> None:
        self.pieces: tuple[str, ...] = ()
        self.status = 200
        self.requests: list[dict[str, object]] = []
        self.paths: list[str] = []
        self.base_url = ""


@pytest.fixture
def completions() -> Iterator[Completions]:
    canned = Completions()

    def respond(posted: Posted) -> Reply:
        canned.requests.append(posted.body)
        canned.paths.append(posted.path)
        if canned.status != 200:
            return Reply(canned.status, "text/event-stream", b'{"error": {"message": "broken"}}')
        events = []
        for piece in canned.pieces:
            event = {"id": "c", "object": "text_completion", "created": 1, "model": "m"}
            event["choices"] = [{"index": 0, "text": piece, "finish_reason": None}]
            events.append(f"data: {json.dumps(event)}\n\n")
        events.append("data: [DONE]\n\n")
        return Reply(200, "text/event-stream", "".join(events).encode())

    with serve_posts(respond) as base_url:
        canned.base_url = base_url
        yield canned


def model(base_url: str) -> TranscriptChatModel:
    return TranscriptChatModel(base_url, model_id="gemma", prompts=PROMPTS, temperature=0.7)


async def test_the_conversation_goes_out_as_a_transcript_ending_with_the_person(
    completions: Completions,
) -> None:
    completions.pieces = (" The Sunday", " walks, mostly.")
    completion = await complete(model(completions.base_url), REQUEST)
    assert completion.text.strip() == "The Sunday walks, mostly."
    assert completions.paths == ["/v1/completions"]
    body = completions.requests[0]
    prompt = str(body["prompt"])
    assert "What matters most to you?" in prompt
    assert prompt.rstrip().endswith("Graham:")
    assert "Graham:" in body["stop"]  # type: ignore[operator]
    assert body["stream"] is True


async def test_a_failing_endpoint_is_a_clear_error(completions: Completions) -> None:
    completions.status = 500
    with pytest.raises(LLMUnavailable, match="The model failed"):
        await complete(model(completions.base_url), REQUEST)
