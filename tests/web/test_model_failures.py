"""A model that fails or drifts never costs the practitioner their conversation."""

from __future__ import annotations

import html

import httpx
import pytest
from bs4 import BeautifulSoup

from app.config import Settings
from app.domain.persona import PersonaMode
from app.llm.base import LLMTimeout, LLMUnavailable
from app.llm.fake import FakeChatModel
from tests.web.helpers import HX, sse_events, start, transcript


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These tests are about a model writing the reply itself: free mode."""
    return settings.model_copy(update={"persona_mode": PersonaMode.FREE})


@pytest.fixture
def chat_model() -> FakeChatModel:
    """A queue of replies and failures, filled by each test."""
    return FakeChatModel(model_id="fake-model")


async def say_and_stream(
    client: httpx.AsyncClient, conversation_id: int, text: str
) -> list[tuple[str, str]]:
    said = await client.post(
        f"/conversations/{conversation_id}/turns", data={"text": text}, headers=HX
    )
    assert said.status_code == 200
    return sse_events((await client.get(f"/conversations/{conversation_id}/reply")).text)


@pytest.mark.parametrize(
    "failure",
    [LLMUnavailable("Could not reach the language model (m at http://x)."), LLMTimeout("too slow")],
)
async def test_failure_shows_a_message_keeps_the_turn_and_can_be_retried(
    client: httpx.AsyncClient, chat_model: FakeChatModel, failure: Exception
) -> None:
    chat_model.enqueue(failure, "I just want it gone, to be honest.")
    conversation_id = await start(client)
    events = await say_and_stream(client, conversation_id, "How are you feeling about it?")
    assert [name for name, _ in events] == ["end"]
    failed = BeautifulSoup(events[0][1], "html.parser").select_one("li.failed")
    assert str(failure) in failed.get_text()
    assert failed.select_one("button")["hx-get"] == f"/conversations/{conversation_id}/pending"
    turns = await transcript(client, conversation_id)
    assert [t["speaker"] for t in turns] == ["person", "practitioner"]

    blocked = await client.post(
        f"/conversations/{conversation_id}/turns", data={"text": "Hello?"}, headers=HX
    )
    assert blocked.status_code == 422
    assert "not answered your last turn" in blocked.text

    retry = await client.get(f"/conversations/{conversation_id}/reply")
    assert sse_events(retry.text)[-1][0] == "end"
    turns = await transcript(client, conversation_id)
    assert turns[-1]["text"] == "I just want it gone, to be honest."
    assert turns[-1]["model"] == "fake-model"
    assert turns[-1]["fallback"] is False


async def test_out_of_character_reply_is_asked_for_again_then_replaced_by_the_authored_line(
    client: httpx.AsyncClient, chat_model: FakeChatModel
) -> None:
    chat_model.enqueue(
        "I'm Dr Khan, a urologist. How can I help you today?",
        "As an AI language model I cannot play Graham.",
    )
    conversation_id = await start(client)
    events = await say_and_stream(client, conversation_id, "What would you like to talk about?")
    turns = await transcript(client, conversation_id, trainer=True)
    assert turns[-1]["fallback"] is True
    assert "Dr Khan" not in turns[-1]["text"]
    assert not [data for name, data in events if name == "token" and "Dr Khan" in data]
    assert chat_model.calls[0].authored_reply == turns[-1]["text"]
    assert turns[-1]["checks"] == {
        "mode": "free",
        "attempts": 2,
        "problems": ["out of character", "out of character"],
        "source": "cued line",
        # The authored line as written: how the engine knows it was said (not cut here).
        "authored": chat_model.calls[0].authored_reply,
    }


async def test_a_failed_reply_is_regenerated_once_before_anything_is_shown(
    client: httpx.AsyncClient, chat_model: FakeChatModel
) -> None:
    chat_model.enqueue("I'm Dr Khan, a urologist.", "Well, it's the nights that get me.")
    conversation_id = await start(client)
    events = await say_and_stream(client, conversation_id, "How have things been?")
    streamed = html.unescape("".join(data for name, data in events if name == "token"))
    assert streamed.strip() == "Well, it's the nights that get me."
    turn = (await transcript(client, conversation_id, trainer=True))[-1]
    assert (turn["text"], turn["fallback"]) == ("Well, it's the nights that get me.", False)
    assert turn["checks"]["attempts"] == 2
    assert turn["checks"]["problems"] == ["out of character"]


async def test_rambling_reply_is_cut_to_the_scenario_length(
    client: httpx.AsyncClient, chat_model: FakeChatModel
) -> None:
    chat_model.enqueue(" ".join(f"Sentence number {n} is here." for n in range(1, 12)))
    conversation_id = await start(client)
    await say_and_stream(client, conversation_id, "Tell me more.")
    reply = (await transcript(client, conversation_id))[-1]["text"]
    assert reply.count("Sentence number") <= 4


async def test_prompt_has_persona_history_and_a_turn_note_but_no_scripted_lines(
    client: httpx.AsyncClient, chat_model: FakeChatModel
) -> None:
    chat_model.enqueue("Well, my mates had it bad.")
    conversation_id = await start(client)
    await say_and_stream(client, conversation_id, "What brings you here today?")
    request = chat_model.calls[0]
    system, *history, note = request.messages
    assert system.role == "system"
    assert "first person" in system.content
    assert [m.role for m in history] == ["assistant", "user"]
    assert history[-1].content == "What brings you here today?"
    assert note.role == "system"
    assert "Right now you feel" in note.content
    assert "Go on." not in system.content + note.content


async def test_starting_lets_a_prompt_caching_model_read_the_persona_first(
    client: httpx.AsyncClient, chat_model: FakeChatModel
) -> None:
    chat_model.caches_prompts = True  # type: ignore[misc]
    chat_model.enqueue("Hello.", "Well, I want it gone.")
    conversation_id = await start(client)
    warm = chat_model.calls[0]
    assert warm.max_tokens == 1
    assert [m.role for m in warm.messages] == ["system", "assistant"]
    await say_and_stream(client, conversation_id, "What brings you in?")
    assert chat_model.calls[1].messages[:2] == warm.messages, "same prefix: the cache is reused"
    assert (await transcript(client, conversation_id))[-1]["text"] == "Well, I want it gone."
