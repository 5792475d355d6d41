"""The trainer view: the person's hidden state per turn, and never in the practitioner's view."""

from __future__ import annotations

import httpx
import pytest
from bs4 import BeautifulSoup

from app.config import Settings
from tests.web.helpers import HX, soup
from tests.web.trainer_helpers import (
    CLOSED,
    EARNS_COLD_HOUSE,
    FACTS,
    LECTURE,
    OPEN,
    SCENARIOS,
    exchange,
    start_heating,
    trainer_json,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The scenario with hidden facts the tests can earn on a chosen turn."""
    return settings.model_copy(update={"scenarios_dir": SCENARIOS})


async def _two_turns(client: httpx.AsyncClient) -> int:
    """Turn 1 earns nothing; turn 2 earns cold-house."""
    conversation_id = await start_heating(client)
    await exchange(client, conversation_id, OPEN)
    await exchange(client, conversation_id, EARNS_COLD_HOUSE)
    return conversation_id


def _panel(page: BeautifulSoup) -> BeautifulSoup:
    panel = page.select_one("#trainer-panel")
    assert panel is not None
    return panel


async def test_practitioner_page_and_json_hold_none_of_the_hidden_state(
    client: httpx.AsyncClient,
) -> None:
    conversation_id = await _two_turns(client)
    page = await client.get(f"/conversations/{conversation_id}")
    parsed = soup(page)
    assert parsed.select_one("#trainer-panel") is None
    assert parsed.select("meter, .turn-state, .facts, .fork-notice") == []
    response = await client.get(f"/conversations/{conversation_id}.json")
    body = response.json()
    assert "trainer" not in body
    assert all(turn["persona"] is None and turn["checks"] is None for turn in body["turns"])
    for fact in FACTS.values():
        assert fact.fact not in page.text
        assert fact.fact not in response.text
    # The trainer asked for it: the same conversation shows the released fact.
    trainer = await client.get(f"/conversations/{conversation_id}?view=trainer")
    assert FACTS["cold-house"].fact in _panel(soup(trainer)).get_text()


async def test_trainer_view_shows_codes_trust_emotion_and_releases_per_turn(
    client: httpx.AsyncClient,
) -> None:
    conversation_id = await _two_turns(client)
    stored = [t for t in (await trainer_json(client, conversation_id))["turns"] if t["persona"]]
    panel = _panel(soup(await client.get(f"/conversations/{conversation_id}?view=trainer")))

    states = panel.select("ol.turn-states > li.turn-state")
    assert [s["id"] for s in states] == [f"state-{t['index']}" for t in stored]
    for state, turn in zip(states, stored, strict=True):
        step = turn["persona"]
        assert [c.get_text() for c in state.select(".codes li:not(.signal) code")] == turn["codes"]
        assert state.select_one(".trust-before").get_text() == f"{step['trust_before']:.2f}"
        assert state.select_one(".trust-after").get_text() == f"{step['trust_after']:.2f}"
        assert float(state.select_one("meter")["value"]) == step["trust_after"]
        assert state.select_one("meter")["aria-label"] == f"Trust after turn {step['turn']}"
        assert step["emotion_after"] in state.get_text()
    assert stored[1]["persona"]["trust_after"] > stored[0]["persona"]["trust_before"]

    first, second = states
    assert first.select(".released li") == []
    released = second.select_one(".released li[data-fact=cold-house]")
    assert released.select_one("strong").get_text() == FACTS["cold-house"].fact
    assert "bills" in released.select_one(".why").get_text()

    facts = {li["id"]: li for li in panel.select("ul.facts > li.fact")}
    assert set(facts) == {"fact-cold-house", "fact-her-garden"}
    assert "released" in facts["fact-cold-house"]["class"]
    assert facts["fact-cold-house"].select_one(".fact-status").get_text() == "Released on turn 2"
    assert "pending" in facts["fact-her-garden"]["class"]
    assert "what_matters" in facts["fact-her-garden"].select_one(".conditions").get_text()


async def test_trust_chart_has_a_point_per_turn_and_a_text_alternative(
    client: httpx.AsyncClient,
) -> None:
    conversation_id = await _two_turns(client)
    panel = _panel(soup(await client.get(f"/conversations/{conversation_id}?view=trainer")))
    svg = panel.select_one("figure.trust-chart svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.select_one(f"title#{title_id}").get_text()
    description = svg.select_one(f"desc#{desc_id}").get_text()
    afters = [el.get_text() for el in panel.select(".trust-after")]
    assert description.count("after your turn") == 2
    assert all(value in description for value in afters)
    heights = [float(circle["cy"]) for circle in svg.select("circle.trust-point")]
    assert len(heights) == 3
    assert heights[2] < heights[0], "trust rose, so the last point sits higher"
    assert panel.select_one("#state-now [data-trust]")["data-trust"] == afters[-1]


async def test_lecturing_lowers_trust_and_releases_nothing(client: httpx.AsyncClient) -> None:
    conversation_id = await start_heating(client)
    await exchange(client, conversation_id, LECTURE)
    panel = _panel(soup(await client.get(f"/conversations/{conversation_id}?view=trainer")))
    state = panel.select_one("li.turn-state")
    before = float(state.select_one(".trust-before").get_text())
    after = float(state.select_one(".trust-after").get_text())
    assert after < before
    assert "down" in state.select_one(".delta")["class"]
    assert "persuade" in state.select_one(".delta").get_text()
    assert panel.select(".fact.released") == []


async def test_panel_partial_is_refreshed_after_each_new_turn(client: httpx.AsyncClient) -> None:
    conversation_id = await start_heating(client)
    url = f"/conversations/{conversation_id}/trainer"
    empty = await client.get(url, headers=HX)
    assert "<html" not in empty.text
    panel = _panel(soup(empty))
    assert panel["hx-get"] == url
    assert panel["hx-swap"] == "outerHTML"
    assert "from:#transcript" in panel["hx-trigger"]
    assert panel["hx-sync"] == "this:replace", "a refresh asked for mid-flight is not lost"
    assert panel.select(".turn-state") == []

    await client.post(f"/conversations/{conversation_id}/turns", data={"text": CLOSED}, headers=HX)
    said = _panel(soup(await client.get(url, headers=HX)))
    assert len(said.select(".turn-state")) == 1
    assert said.select(".turn-state .reply-checks") == [], "no reply yet"
    await exchange_reply(client, conversation_id)
    replied = _panel(soup(await client.get(url, headers=HX)))
    assert "scripted" in replied.select_one(".turn-state .reply-checks").get_text()


async def exchange_reply(client: httpx.AsyncClient, conversation_id: int) -> None:
    stream = await client.get(f"/conversations/{conversation_id}/reply")
    assert stream.status_code == 200


async def test_trainer_json_adds_the_hidden_facts_and_their_status(
    client: httpx.AsyncClient,
) -> None:
    conversation_id = await _two_turns(client)
    body = await trainer_json(client, conversation_id)
    facts = {fact["id"]: fact for fact in body["trainer"]["facts"]}
    assert facts["cold-house"]["fact"] == FACTS["cold-house"].fact
    assert facts["cold-house"]["released_turn"] == 2
    assert facts["her-garden"]["released_turn"] is None
    assert [t["number"] for t in body["trainer"]["turns"]] == [1, 2]
    assert body["turns"][3]["persona"]["released"][0]["id"] == "cold-house"


async def test_view_must_be_practitioner_or_trainer(client: httpx.AsyncClient) -> None:
    conversation_id = await start_heating(client)
    response = await client.get(f"/conversations/{conversation_id}?view=admin")
    assert response.status_code == 422


async def test_trainer_view_keeps_itself_without_javascript(client: httpx.AsyncClient) -> None:
    conversation_id = await start_heating(client)
    page = soup(await client.get(f"/conversations/{conversation_id}?view=trainer"))
    assert page.select_one("#say-form input[name=view]")["value"] == "trainer"
    assert page.select_one("#practitioner-view-link")["href"] == f"/conversations/{conversation_id}"
    said = await client.post(
        f"/conversations/{conversation_id}/turns", data={"text": CLOSED, "view": "trainer"}
    )
    assert said.status_code == 303
    assert said.headers["location"] == f"/conversations/{conversation_id}?view=trainer"
    practitioner = soup(await client.get(f"/conversations/{conversation_id}"))
    link = practitioner.select_one("#trainer-view-link")
    assert link["href"] == f"/conversations/{conversation_id}?view=trainer"
