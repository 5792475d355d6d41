"""Re-rehearsal: branch at an earlier turn from the person's state there; keep the original."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from app.config import Settings
from app.domain.persona import PersonaMode
from app.llm.base import ChatRequest
from app.llm.fake import FunctionChatModel
from app.services.branching import BranchingService
from app.services.runtime import build_runtime
from app.store.db import transaction
from app.store.models import TurnRow
from tests.web.helpers import soup
from tests.web.trainer_helpers import (
    CLOSED,
    EARNS_COLD_HOUSE,
    FACTS,
    LECTURE,
    OPEN,
    SCENARIOS,
    branch,
    exchange,
    start_heating,
    trainer_json,
)

COLD_HOUSE = FACTS["cold-house"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The scenario with hidden facts the tests can earn on a chosen turn."""
    return settings.model_copy(update={"scenarios_dir": SCENARIOS})


async def _original(client: httpx.AsyncClient) -> int:
    """Turn 1 (index 1) earns nothing; turn 2 (index 3) earns cold-house."""
    conversation_id = await start_heating(client)
    await exchange(client, conversation_id, OPEN)
    await exchange(client, conversation_id, EARNS_COLD_HOUSE)
    return conversation_id


def _released(body: dict[str, object]) -> dict[str, int | None]:
    facts = body["trainer"]["facts"]  # type: ignore[index]
    return {fact["id"]: fact["released_turn"] for fact in facts}


async def test_a_branch_starts_with_the_turns_before_the_fork_and_keeps_the_original(
    client: httpx.AsyncClient,
) -> None:
    original = await _original(client)
    before = await trainer_json(client, original)
    branch_id = await branch(client, original, 3)
    assert branch_id != original

    copied = await trainer_json(client, branch_id)
    assert [t["text"] for t in copied["turns"]] == [t["text"] for t in before["turns"][:3]]
    assert copied["turns"][1]["persona"] == before["turns"][1]["persona"]
    assert copied["status"] == "active"
    assert await trainer_json(client, original) == before, "the original is untouched"


async def test_a_fact_released_after_the_fork_must_be_earned_again_on_the_branch(
    client: httpx.AsyncClient,
) -> None:
    original = await _original(client)
    assert _released(await trainer_json(client, original))["cold-house"] == 2
    branch_id = await branch(client, original, 3)

    reply = await exchange(client, branch_id, CLOSED)
    body = await trainer_json(client, branch_id)
    new_turn = body["turns"][3]
    assert new_turn["persona"]["released"] == []
    assert new_turn["persona"]["trust_before"] == body["turns"][1]["persona"]["trust_after"]
    assert _released(body) == {"cold-house": None, "her-garden": None}
    assert "heating" not in reply

    await exchange(client, branch_id, EARNS_COLD_HOUSE)
    assert _released(await trainer_json(client, branch_id))["cold-house"] == 3
    assert _released(await trainer_json(client, original))["cold-house"] == 2


async def test_switcher_lists_both_branches_with_their_first_differing_turn(
    client: httpx.AsyncClient,
) -> None:
    original = await _original(client)
    branch_id = await branch(client, original, 1)
    fresh = soup(await client.get(f"/conversations/{branch_id}"))
    notice = fresh.select_one(".fork-notice")
    assert "your turn 1" in notice.get_text()
    assert OPEN in notice.get_text()
    assert fresh.select_one(".trainer-only") is None, "no trust figures for the practitioner"
    assert fresh.select_one("#say-text").has_attr("autofocus")

    await exchange(client, branch_id, LECTURE)
    for page_id in (original, branch_id):
        page = soup(await client.get(f"/conversations/{page_id}"))
        items = page.select("nav.branch-switcher li")
        assert [int(li["data-conversation"]) for li in items] == [original, branch_id]
        current = page.select_one("nav.branch-switcher a[aria-current=page]")
        assert current["href"] == f"/conversations/{page_id}"
        assert LECTURE in items[1].select_one(".branch-detail").get_text()
        assert "turn 1" in items[1].select_one(".branch-detail").get_text()

    family = (await client.get(f"/conversations/{branch_id}/branches")).json()
    assert family["root_id"] == original
    assert [b["first_turn"] for b in family["branches"]] == [None, LECTURE]
    assert family["fork"]["replaced"] == OPEN
    assert family["fork"]["trust"] is None, "the state at the fork is for trainers"
    trainer = (await client.get(f"/conversations/{branch_id}/branches?view=trainer")).json()
    replaced = (await trainer_json(client, original))["turns"][1]["persona"]
    assert trainer["fork"]["trust"] == replaced["trust_before"]
    assert trainer["fork"]["emotion"] == replaced["emotion_before"]
    assert trainer["fork"]["released"] == []


async def test_past_conversations_show_branches_under_their_conversation(
    client: httpx.AsyncClient,
) -> None:
    original = await _original(client)
    first = await branch(client, original, 1)
    await exchange(client, first, LECTURE)
    second = await branch(client, first, 1)  # a branch of a branch joins the same family
    other = await start_heating(client)
    page = soup(await client.get("/conversations"))
    rows = page.select("table.history tbody > tr")
    assert [row["id"] for row in rows] == [f"conversation-{other}", f"conversation-{original}"]
    links = [a["href"] for a in rows[1].select("ul.branches a")]
    assert links == [f"/conversations/{first}", f"/conversations/{second}"]
    assert rows[0].select("ul.branches") == []


async def test_every_practitioner_turn_offers_a_keyboard_usable_branch_action(
    client: httpx.AsyncClient,
) -> None:
    original = await _original(client)
    page = soup(await client.get(f"/conversations/{original}"))
    for turn in page.select("#transcript li.turn"):
        form = turn.select_one("form.branch-action")
        if "person" in turn["class"]:
            assert form is None
            continue
        assert form["method"] == "post"
        assert form["action"] == f"/conversations/{original}/branches"
        assert form.select_one("input[name=turn]")["value"] == turn["id"].removeprefix("turn-")
        button = form.select_one("button[type=submit]")
        assert button.get_text(" ", strip=True).startswith("Try a different response here")
        said = turn.select_one(".text").get_text()
        assert said[:20] in button.select_one(".visually-hidden").get_text()


@pytest.mark.parametrize(("turn", "message"), [(0, "is the person's"), (9, "has no turn 9")])
async def test_only_the_practitioners_own_turns_can_be_branched(
    client: httpx.AsyncClient, turn: int, message: str
) -> None:
    original = await _original(client)
    response = await client.post(f"/conversations/{original}/branches", data={"turn": str(turn)})
    assert response.status_code == 409
    assert message in soup(response).select_one("[role=alert]").get_text()
    family = (await client.get(f"/conversations/{original}/branches")).json()
    assert len(family["branches"]) == 1, "no branch was made"


async def test_an_ended_conversation_can_be_branched_from_the_trainer_view(
    client: httpx.AsyncClient,
) -> None:
    original = await _original(client)
    await client.post(f"/conversations/{original}/end")
    response = await client.post(
        f"/conversations/{original}/branches", data={"turn": "3", "view": "trainer"}
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.endswith("?view=trainer")
    page = soup(await client.get(location))
    assert page.select_one("#say-form") is not None, "the branch is active"
    assert page.select_one(".fork-notice .trainer-only") is not None


async def test_state_at_the_fork_is_replayed_for_turns_saved_without_a_step(
    settings: Settings,
) -> None:
    """Turns from before persona steps were stored still give the branch its state."""
    runtime = build_runtime(settings)
    try:
        service = runtime.service
        original = service.start("heating-worry")
        for text in (EARNS_COLD_HOUSE, CLOSED):
            service.say(original, text)
            async for _ in service.stream_reply(original):
                pass
        with transaction(service.sessions) as session:
            session.execute(update(TurnRow).values(persona=None))
        branching = BranchingService(service)

        branch_id = branching.branch(original, 3)
        step = service.view(branch_id).turns[1].persona
        assert step is not None, "the copied turn got its step back"
        assert [r.id for r in step.released] == [COLD_HOUSE.id]
        assert branching.state_at(branch_id, 3).released == {COLD_HOUSE.id}
        assert service.view(original).turns[1].persona is None, "the original is untouched"

        earlier = branching.branch(original, 1)
        assert branching.state_at(earlier, 1).released == set()
    finally:
        runtime.close()


class TestPrompt:
    """What the model is told on a branch: never a fact the original released later."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"persona_mode": PersonaMode.FREE})

    @pytest.fixture
    def chat_model(self) -> FunctionChatModel:
        return FunctionChatModel(lambda _: "Mm. I get by, you know.", model_id="function")

    async def test_the_branch_prompt_leaves_out_a_fact_released_after_the_fork(
        self, client: httpx.AsyncClient, chat_model: FunctionChatModel
    ) -> None:
        original = await _original(client)
        in_original = _prompt(chat_model.calls[-1])
        assert COLD_HOUSE.fact in in_original, "the original's prompt has the earned fact"

        branch_id = await branch(client, original, 3)
        chat_model.calls.clear()
        await exchange(client, branch_id, CLOSED)
        prompts = [_prompt(call) for call in chat_model.calls]
        assert prompts
        assert all(COLD_HOUSE.fact not in p and COLD_HOUSE.say not in p for p in prompts)
        assert all(EARNS_COLD_HOUSE not in p for p in prompts), "the replaced turn is gone"

        chat_model.calls.clear()
        await exchange(client, branch_id, EARNS_COLD_HOUSE)
        assert COLD_HOUSE.fact in _prompt(chat_model.calls[-1]), "earned on the branch"


def _prompt(request: ChatRequest) -> str:
    return "\n".join(message.content for message in request.messages)
