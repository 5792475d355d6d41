"""The practitioner's path through the web app, on SQLite and PostgreSQL."""

from __future__ import annotations

import html

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.web.helpers import HX, SCENARIO, soup, sse_events, start, transcript


async def test_home_lists_scenarios_with_briefs_and_start_buttons(
    client: httpx.AsyncClient,
) -> None:
    page = soup(await client.get("/"))
    card = page.select_one(f"#scenario-{SCENARIO}")
    assert card is not None
    assert card.select_one("h2").get_text(strip=True)
    assert card.select_one(".brief").get_text(strip=True)
    form = card.select_one("form")
    assert form["action"] == f"/scenarios/{SCENARIO}/conversations"
    assert form["method"] == "post"


async def test_start_shows_the_opening_line_and_a_labelled_form(client: httpx.AsyncClient) -> None:
    conversation_id = await start(client)
    page = soup(await client.get(f"/conversations/{conversation_id}"))
    turns = page.select("#transcript li.turn")
    assert [t["class"][1] for t in turns] == ["person"]
    textarea = page.select_one("textarea#say-text")
    assert page.select_one("label[for=say-text]") is not None
    assert textarea["maxlength"] == "1500"
    assert page.select_one("form#say-form")["hx-post"] == f"/conversations/{conversation_id}/turns"


async def test_a_turn_streams_a_reply_that_is_saved(client: httpx.AsyncClient) -> None:
    conversation_id = await start(client)
    said = await client.post(
        f"/conversations/{conversation_id}/turns",
        data={"text": "What worries you most about this?"},
        headers=HX,
    )
    assert said.status_code == 200
    fragment = soup(said)
    assert "<html" not in said.text
    assert fragment.select_one("li.practitioner .text").get_text() == (
        "What worries you most about this?"
    )
    streaming = fragment.select_one("li.streaming")
    assert streaming["sse-connect"] == f"/conversations/{conversation_id}/reply"

    stream = await client.get(f"/conversations/{conversation_id}/reply")
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = sse_events(stream.text)
    names = [name for name, _ in events]
    assert names[-1] == "end"
    assert names[:-1]
    assert set(names[:-1]) == {"token"}
    final = BeautifulSoup(events[-1][1], "html.parser").select_one("li.person .text").get_text()
    streamed = html.unescape("".join(data for name, data in events if name == "token"))
    assert streamed.strip() == final

    turns = await transcript(client, conversation_id)
    assert [t["speaker"] for t in turns] == ["person", "practitioner", "person"]
    assert turns[2]["text"] == final
    assert turns[2]["model"] == "scripted"
    assert turns[1]["codes"], "the practitioner turn is coded"


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Please type something"), ("x" * 1501, "the limit is 1500")],
)
async def test_bad_messages_are_refused_with_a_message_and_nothing_saved(
    client: httpx.AsyncClient, text: str, message: str
) -> None:
    conversation_id = await start(client)
    refused = await client.post(
        f"/conversations/{conversation_id}/turns", data={"text": text}, headers=HX
    )
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == "#form-error"
    assert message in soup(refused).get_text()
    plain = await client.post(f"/conversations/{conversation_id}/turns", data={"text": text})
    assert plain.status_code == 422
    assert message in soup(plain).select_one("#form-error").get_text()
    assert len(await transcript(client, conversation_id)) == 1


async def test_plain_form_post_redirects_back_to_the_page(client: httpx.AsyncClient) -> None:
    conversation_id = await start(client)
    response = await client.post(
        f"/conversations/{conversation_id}/turns", data={"text": "Hello, I'm Sam."}
    )
    assert response.status_code == 303
    page = soup(await client.get(f"/conversations/{conversation_id}"))
    assert page.select_one("#transcript li.streaming") is not None, "reply still to come"


async def test_end_shows_transcript_and_refuses_new_turns(client: httpx.AsyncClient) -> None:
    conversation_id = await start(client)
    ended = await client.post(f"/conversations/{conversation_id}/end")
    assert ended.status_code == 303
    page = soup(await client.get(f"/conversations/{conversation_id}"))
    assert page.select_one("form#say-form") is None
    assert page.select_one(".status.ended") is not None
    refused = await client.post(
        f"/conversations/{conversation_id}/turns", data={"text": "one more"}, headers=HX
    )
    assert refused.status_code == 422
    assert "has ended" in refused.text


async def test_restart_starts_afresh_and_both_are_listed(client: httpx.AsyncClient) -> None:
    first = await start(client)
    restarted = await client.post(f"/conversations/{first}/restart")
    second = int(restarted.headers["location"].rsplit("/", 1)[1])
    assert second != first
    page = soup(await client.get("/conversations"))
    links = [a["href"] for a in page.select("table.history a")]
    assert links == [f"/conversations/{second}", f"/conversations/{first}"]


async def test_unknown_conversation_and_scenario_are_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/conversations/999")).status_code == 404
    missing = await client.post("/scenarios/no-such-scenario/conversations")
    assert missing.status_code == 404
    assert "no-such-scenario" in missing.text


async def test_htmx_start_uses_hx_redirect(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/scenarios/{SCENARIO}/conversations", headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/conversations/")
