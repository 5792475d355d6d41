"""The report pages in the app: HTML, filter (htmx and plain), downloads, reflection, narrative."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from bs4 import BeautifulSoup

from app.config import LLMProvider, Settings
from app.llm.base import ChatModel
from app.llm.fake import FunctionChatModel

SCENARIO = "prostate-decision"
HX = {"HX-Request": "true"}
LINES = (
    "How many times do you get up at night?",
    "You need to have the operation, it's the sensible choice.",
    "What matters most to you about what happens next?",
)


def soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def hold(client: httpx.AsyncClient, lines: tuple[str, ...] = LINES) -> int:
    """Start a conversation, say each line, hear each reply, and end it."""
    started = await client.post(f"/scenarios/{SCENARIO}/conversations")
    conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
    for line in lines:
        said = await client.post(f"/conversations/{conversation_id}/turns", data={"text": line})
        assert said.status_code == 303
        await client.get(f"/conversations/{conversation_id}/reply")
    await client.post(f"/conversations/{conversation_id}/end")
    return conversation_id


async def test_report_page_from_recorded_persona_steps(client: httpx.AsyncClient) -> None:
    conversation_id = await hold(client)
    ended = soup(await client.get(f"/conversations/{conversation_id}"))
    assert ended.select_one("#report-link")["href"] == f"/conversations/{conversation_id}/report"
    response = await client.get(f"/conversations/{conversation_id}/report")
    assert response.status_code == 200
    page = soup(response)
    assert page.find("html") is not None
    assert page.select_one("#person .provenance") is None  # recorded, not replayed
    rows = page.select("#trust-chart tbody tr")
    assert len(rows) == len(LINES) + 1
    kinds = {li["class"][1] for li in page.select(".missed-moment")}
    assert {"kind-closed_question", "kind-lecturing"} <= kinds
    assert page.select_one("#narrative") is None  # no capable model configured
    assert page.select_one("link[href='/static/css/report.css']") is not None


@pytest.mark.parametrize(("headers", "partial"), [(HX, True), ({}, False)])
async def test_filter_by_code_with_htmx_or_plain_links(
    client: httpx.AsyncClient, headers: dict[str, str], partial: bool
) -> None:
    conversation_id = await hold(client)
    url = f"/conversations/{conversation_id}/report/transcript?code=closed_question"
    response = await client.get(url, headers=headers, follow_redirects=True)
    assert response.status_code == 200
    page = soup(response)
    assert (page.find("html") is None) is partial
    turns = page.select(".coded-turns > li")
    assert [li["id"] for li in turns] == ["turn-1"]


async def test_downloads(client: httpx.AsyncClient) -> None:
    conversation_id = await hold(client)
    base = f"/conversations/{conversation_id}/report"
    csv_text = (await client.get(f"{base}.csv")).text
    assert csv_text.startswith("index,speaker,text,codes,evidence")
    card = (await client.get(f"{base}.json")).json()
    assert card["turns"][1]["codes"] == ["closed_question"]
    assert {c["id"] for c in card["criteria"]} >= {"open-questions"}
    pdf = await client.get(f"{base}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


async def test_reflection_is_saved_and_shown_at_the_next_attempt(
    client: httpx.AsyncClient,
) -> None:
    first = await hold(client, LINES[:1])
    empty = await client.post(f"/conversations/{first}/reflection", data={"noticed": " "})
    assert empty.status_code == 422
    saved = await client.post(
        f"/conversations/{first}/reflection",
        data={"noticed": "I asked closed questions.", "goal": "Open with what matters."},
    )
    assert saved.status_code == 303
    report = soup(await client.get(f"/conversations/{first}/report"))
    assert report.select_one("#goal").get_text() == "Open with what matters."
    started = await client.post("/scenarios/carer-in-crisis/conversations")
    second = int(started.headers["location"].rsplit("/", 1)[1])
    page = soup(await client.get(f"/conversations/{second}"))
    assert page.select_one("#previous-goal")["hx-get"] == f"/conversations/{second}/previous-goal"
    goal = soup(await client.get(f"/conversations/{second}/previous-goal", headers=HX))
    assert goal.select_one(".goal").get_text() == "Open with what matters."
    none_yet = soup(await client.get(f"/conversations/{first}/previous-goal", headers=HX))
    assert none_yet.select_one(".goal") is None


async def test_progress_appears_from_the_second_attempt(client: httpx.AsyncClient) -> None:
    first = await hold(client, LINES[:1])
    assert soup(await client.get(f"/conversations/{first}/report")).select_one("#progress") is None
    second = await hold(client, LINES[2:])
    page = soup(await client.get(f"/conversations/{second}/report"))
    charts = page.select("#progress figure.chart-figure")
    criteria = (await client.get(f"/conversations/{second}/report.json")).json()["criteria"]
    assert len(charts) == len(criteria) + 5
    rows = page.select("#progress-what-matters-first tbody tr")
    levels = [row.find_all(["th", "td"])[1].get_text() for row in rows]
    assert len(levels) == 2
    assert levels[0] == "not yet seen"
    assert levels[1] != "not yet seen"


async def test_unknown_conversation_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/conversations/999/report")).status_code == 404


class TestNarrative:
    """With a capable endpoint the page shows progress, then the model's words."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"llm_provider": LLMProvider.OPENAI})

    @pytest.fixture
    def chat_model(self) -> ChatModel:
        def reply(request: object) -> str:
            text = request.messages[0].content  # type: ignore[attr-defined]
            if "<findings>" in text:
                return json.dumps(
                    {
                        "summary": "At turn 1 you asked a closed question.",
                        "rephrasings": [{"turn": 1, "text": "What are nights like?"}],
                    }
                )
            return "Mm."

        return FunctionChatModel(reply, model_id="coach")

    async def test_pending_then_ready(self, client: httpx.AsyncClient) -> None:
        conversation_id = await hold(client, LINES[:1])
        page = soup(await client.get(f"/conversations/{conversation_id}/report"))
        section = page.select_one("#narrative")
        assert section is not None
        poll = section.get("hx-get")
        if poll:  # still being written: the page polls and shows progress
            assert section.select_one("progress") is not None
        for _ in range(50):
            part = soup(await client.get(f"/conversations/{conversation_id}/report/narrative"))
            if part.select_one("#narrative").get("hx-get") is None:
                break
            await asyncio.sleep(0.05)
        assert "At turn 1 you asked a closed question." in part.get_text()
        full = soup(await client.get(f"/conversations/{conversation_id}/report"))
        assert full.select_one(".rephrasing-source")["data-source"] == "llm"
        assert full.select_one(".missed-moment .suggestion q").get_text() == "What are nights like?"
