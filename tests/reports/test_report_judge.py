"""REHEARSE_SCORING_METHOD=judge in the app: the report is scored by the LLM judge in the
background, shows progress meanwhile, says which method produced its codes and levels, and
falls back to the rules (saying so) when the judge fails. The judge is a fake backend.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from pydantic import BaseModel

from app.config import ScoringMethod, Settings
from app.content.rubrics import load_rubric
from app.llm.base import ChatMessage, LLMUnavailable

SDM = load_rubric(Path(__file__).resolve().parents[2] / "rubrics" / "sdm-core.yaml")
SCENARIO = "prostate-decision"
HX_POLL = {"HX-Request": "true", "HX-Trigger": "scoring"}
LINES = ("How many times do you get up at night?", "What matters most to you about this?")
PRACTITIONER_TURNS = (1, 3)  # the person opens the conversation at turn 0


def codes_reply() -> str:
    """The judge codes both turns as open questions (the rules call the first closed)."""
    turns = [
        {"turn": t, "codes": [{"code": "open_question", "quote": line}]}
        for t, line in zip(PRACTITIONER_TURNS, LINES, strict=True)
    ]
    return json.dumps({"turns": turns})


def criteria_reply() -> str:
    """Every criterion not yet seen, but open questions established, citing turn 1."""
    criteria = [
        {"id": c.id, "level": "not_yet", "evidence": [], "rationale": "Not seen yet."}
        for c in SDM.criteria
    ]
    opened = next(c for c in criteria if c["id"] == "open-questions")
    opened.update(
        level="established",
        evidence=[{"turn": 1, "quote": "get up at night"}],
        rationale="You asked about nights.",
    )
    return json.dumps({"criteria": criteria})


class FakeJudge:
    """A judge backend: answers each prompt by its schema, once ``go`` is set."""

    def __init__(self, *, fail: Exception | None = None) -> None:
        self.model_id = "judge-model"
        self.notes: list[str] = []
        self.go = asyncio.Event()
        self.go.set()
        self.fail = fail
        self.calls = 0

    async def reply(self, messages: list[ChatMessage], schema: type[BaseModel]) -> str:
        self.calls += 1
        await self.go.wait()
        if self.fail is not None:
            raise self.fail
        return criteria_reply() if schema.__name__ == "CriteriaReply" else codes_reply()


@pytest.fixture
def judge() -> FakeJudge:
    return FakeJudge()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """REHEARSE_SCORING_METHOD=judge."""
    return settings.model_copy(update={"scoring_method": ScoringMethod.JUDGE})


@pytest.fixture
def app(app: FastAPI, judge: FakeJudge) -> FastAPI:
    """The app with the fake judge behind it."""
    app.state.judge_backend = judge
    return app


def soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


async def say(client: httpx.AsyncClient, conversation_id: int, line: str) -> None:
    said = await client.post(f"/conversations/{conversation_id}/turns", data={"text": line})
    assert said.status_code == 303
    await client.get(f"/conversations/{conversation_id}/reply")


async def hold(client: httpx.AsyncClient, *, end: bool = True) -> int:
    started = await client.post(f"/scenarios/{SCENARIO}/conversations")
    conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
    for line in LINES:
        await say(client, conversation_id, line)
    if end:
        await client.post(f"/conversations/{conversation_id}/end")
    return conversation_id


async def poll_until_done(client: httpx.AsyncClient, conversation_id: int) -> httpx.Response:
    for _ in range(100):
        part = await client.get(f"/conversations/{conversation_id}/report/scoring", headers=HX_POLL)
        if part.headers.get("HX-Refresh") == "true":
            return part
        await asyncio.sleep(0.02)
    raise AssertionError("the judge never finished")


def open_questions(page: BeautifulSoup) -> BeautifulSoup:
    found: BeautifulSoup = page.select_one("#criterion-open-questions")
    return found


async def test_pending_while_the_judge_thinks_then_the_judges_report(
    client: httpx.AsyncClient, judge: FakeJudge
) -> None:
    conversation_id = await hold(client)
    judge.go.clear()  # the judge is slow: the page must not wait for it
    page = soup(await client.get(f"/conversations/{conversation_id}/report"))
    scoring = page.select_one("#scoring")
    assert "scoring-pending" in scoring["class"]
    assert scoring["hx-get"] == f"/conversations/{conversation_id}/report/scoring"
    assert scoring.select_one("[role=status] progress") is not None
    coded = scoring.select_one(".codes-by").get_text()
    assert "coder" in coded
    assert "judge" not in coded
    assert scoring.select_one(".levels-by").get_text() == "the rubric's rules"
    assert "still scoring" in scoring.select_one(".scoring-notes").get_text()
    # Meanwhile the whole report is there, from the rules: turn 1 is a closed question.
    assert open_questions(page).select_one(".kind").get_text() == "a chance missed"
    still = await client.get(f"/conversations/{conversation_id}/report/scoring", headers=HX_POLL)
    assert "HX-Refresh" not in still.headers

    judge.go.set()
    await poll_until_done(client, conversation_id)
    done = soup(await client.get(f"/conversations/{conversation_id}/report"))
    scoring = done.select_one("#scoring")
    assert "scoring-done" in scoring["class"]
    assert scoring.get("hx-get") is None
    assert scoring.select_one(".codes-by").get_text() == "the LLM judge (judge-model)"
    assert scoring.select_one(".levels-by").get_text() == "the LLM judge (judge-model)"
    criterion = open_questions(done)
    assert criterion.select_one(".level-badge").get_text() == "Established"
    assert criterion.select_one(".kind").get_text() == "cited by the judge"
    card = (await client.get(f"/conversations/{conversation_id}/report.json")).json()
    assert card["scoring"] == {
        "requested": "judge",
        "codes": "judge",
        "criteria": "judge",
        "model": "judge-model",
        "notes": [],
    }
    assert card["turns"][1]["codes"] == ["open_question"]
    calls = judge.calls
    await client.get(f"/conversations/{conversation_id}/report")
    assert judge.calls == calls, "a stored card is shown without asking the judge again"


async def test_a_new_turn_asks_the_judge_again(client: httpx.AsyncClient, judge: FakeJudge) -> None:
    conversation_id = await hold(client, end=False)
    await client.get(f"/conversations/{conversation_id}/report")
    await poll_until_done(client, conversation_id)
    card = (await client.get(f"/conversations/{conversation_id}/report.json")).json()
    assert card["scoring"]["criteria"] == "judge"
    calls = judge.calls
    await say(client, conversation_id, "What else is on your mind?")
    judge.go.clear()
    page = soup(await client.get(f"/conversations/{conversation_id}/report"))
    assert "scoring-pending" in page.select_one("#scoring")["class"]
    judge.go.set()
    await poll_until_done(client, conversation_id)
    assert judge.calls > calls


@pytest.mark.parametrize(
    ("fail", "status", "note"),
    [
        (LLMUnavailable("endpoint down"), "done", "could not code the turns"),
        (RuntimeError("the judge broke"), "failed", "RuntimeError: the judge broke"),
    ],
)
async def test_judge_failure_falls_back_to_the_rules_and_says_so(
    client: httpx.AsyncClient, judge: FakeJudge, fail: Exception, status: str, note: str
) -> None:
    judge.fail = fail
    conversation_id = await hold(client)
    await client.get(f"/conversations/{conversation_id}/report")
    await poll_until_done(client, conversation_id)
    page = soup(await client.get(f"/conversations/{conversation_id}/report"))
    scoring = page.select_one("#scoring")
    assert f"scoring-{status}" in scoring["class"]
    assert scoring.select_one(".levels-by").get_text() == "the rubric's rules"
    assert note in scoring.select_one(".scoring-notes").get_text()
    assert open_questions(page).select_one(".kind").get_text() == "a chance missed"
    card = (await client.get(f"/conversations/{conversation_id}/report.json")).json()
    assert card["scoring"]["requested"] == "judge"
    assert card["scoring"]["criteria"] == "rules"
    assert card["turns"][1]["codes"] == ["closed_question"]


async def test_exports_before_the_judge_has_run_say_so(
    client: httpx.AsyncClient, judge: FakeJudge
) -> None:
    conversation_id = await hold(client)
    card = (await client.get(f"/conversations/{conversation_id}/report.json")).json()
    assert judge.calls == 0
    assert card["scoring"]["requested"] == "judge"
    assert card["scoring"]["criteria"] == "rules"
    assert "has not scored" in card["scoring"]["notes"][0]
    polled = await client.get(f"/conversations/{conversation_id}/report/scoring", headers=HX_POLL)
    assert "HX-Refresh" not in polled.headers  # the poll started it; not done yet
    await poll_until_done(client, conversation_id)
    card = (await client.get(f"/conversations/{conversation_id}/report.json")).json()
    assert card["scoring"]["criteria"] == "judge"
