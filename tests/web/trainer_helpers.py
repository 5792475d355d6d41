"""Shared by the trainer-view and branching tests: a scenario with two hidden facts.

``heating-worry``: "cold-house" is released by an open question (or reflection, empathy)
about money or bills; "her-garden" by what_matters once cold-house is out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from app.content.scenarios import load_scenario
from tests.web.helpers import HX, sse_events

SCENARIOS = Path(__file__).resolve().parent / "trainer_scenarios"
SCENARIO_ID = "heating-worry"
FACTS = {fact.id: fact for fact in load_scenario(SCENARIOS / f"{SCENARIO_ID}.yaml").hidden_facts}

OPEN = "Tell me about how things have been."
EARNS_COLD_HOUSE = "How are you managing with the bills at the moment?"
LECTURE = "You should eat properly, you know."
CLOSED = "Do you sleep well?"


async def start_heating(client: httpx.AsyncClient) -> int:
    response = await client.post(f"/scenarios/{SCENARIO_ID}/conversations")
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


async def exchange(client: httpx.AsyncClient, conversation_id: int, text: str) -> str:
    """Say ``text`` and stream the reply to its end; return the reply's end-event HTML."""
    said = await client.post(
        f"/conversations/{conversation_id}/turns", data={"text": text}, headers=HX
    )
    assert said.status_code == 200, said.text
    events = sse_events((await client.get(f"/conversations/{conversation_id}/reply")).text)
    assert events[-1][0] == "end"
    return events[-1][1]


async def branch(client: httpx.AsyncClient, conversation_id: int, turn_index: int) -> int:
    """Branch at ``turn_index`` through the form; return the new conversation's id."""
    response = await client.post(
        f"/conversations/{conversation_id}/branches", data={"turn": str(turn_index)}
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("?")[0].rsplit("/", 1)[1])


async def trainer_json(client: httpx.AsyncClient, conversation_id: int) -> dict[str, Any]:
    response = await client.get(f"/conversations/{conversation_id}.json?view=trainer")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body
