"""My data and deleting an attempt, through HTTP on SQLite and PostgreSQL: the download holds
the viewer's data and nobody else's; deletion takes the attempt and its branches, refuses a
signed-off attempt to its owner but not to an admin, and refuses everyone else."""

from __future__ import annotations

import json
from types import SimpleNamespace

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI

from app.domain.accounts import Role
from app.domain.review import Outcome
from app.services import audit, cohorts, reviews
from app.services.user_data import record_counts
from app.store.db import transaction
from app.store.models import Conversation, User
from app.web.htmx import TEMPLATES
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import soup, start, transcript
from tests.web.trainer_helpers import branch

ANA_SAYS = "What matters most to you about this decision?"
BOB_SAYS = "Bob is asking something else entirely."


async def hold(http: httpx.AsyncClient, line: str) -> int:
    """Start a conversation and say ``line`` in it."""
    conversation_id = await start(http)
    said = await http.post(f"/conversations/{conversation_id}/turns", data={"text": line})
    assert said.status_code == 303, said.text
    return conversation_id


async def try_again(http: httpx.AsyncClient, conversation_id: int) -> int:
    """Branch the conversation at the practitioner's first turn."""
    turns = await transcript(http, conversation_id)
    first = next(t["index"] for t in turns if t["speaker"] == "practitioner")
    return await branch(http, conversation_id, first)


def sign_off(app: FastAPI, conversation_id: int, assessor_id: int) -> None:
    """Submit the attempt to the assessor and have them sign it off."""
    with transaction(app.state.runtime.service.sessions) as session:
        conversation = session.get_one(Conversation, conversation_id)
        assessor = session.get_one(User, assessor_id)
        reviews.submit(session, conversation, assessor)
        reviews.create_review(
            session, conversation, assessor, machine_levels={}, outcome=Outcome.SIGNED_OFF
        )


def rows_about(app: FastAPI, *conversation_ids: int) -> int:
    with transaction(app.state.runtime.service.sessions) as session:
        counts = record_counts(session, list(conversation_ids))
    return sum(counts.model_dump().values())


def one(page: BeautifulSoup | Tag, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, selector
    return found


async def test_download_holds_my_conversations_and_nobody_elses(app: FastAPI) -> None:
    ana = add_user(app, "ana")
    add_user(app, "bob")
    async with signed_in(app, "bob") as bob:
        await hold(bob, BOB_SAYS)
    async with signed_in(app, "ana") as http:
        mine = await hold(http, ANA_SAYS)
        page = soup(await http.get("/account/data"))
        assert one(page, "a[href='/account/data.json']").get_text(strip=True) == (
            "Download all my data (JSON)"
        )
        download = await http.get("/account/data.json")

    assert download.status_code == 200
    assert download.headers["content-type"] == "application/json"
    assert download.headers["content-disposition"] == (
        'attachment; filename="rehearse-data-ana.json"'
    )
    data = json.loads(download.text)
    assert data["account"]["username"] == "ana"
    assert data["account"]["shares_with_reviewers"] is True
    assert [c["id"] for c in data["conversations"]] == [mine]
    assert ANA_SAYS in [t["text"] for t in data["conversations"][0]["turns"]]
    assert BOB_SAYS not in download.text
    assert "bob" not in download.text
    with transaction(app.state.runtime.service.sessions) as session:
        exports = [e.actor_id for e in audit.history(session, "user", ana) if e.action == "export"]
    assert exports == [ana]


async def test_my_data_lists_every_attempt_with_a_delete_link(app: FastAPI) -> None:
    add_user(app, "ana")
    async with signed_in(app, "ana") as http:
        original = await hold(http, ANA_SAYS)
        tried_again = await try_again(http, original)
        page = soup(await http.get("/account/data"))

    counts = {
        one(row, "th").get_text(strip=True): one(row, "td").get_text(strip=True)
        for row in page.select("table.counts tbody tr")
    }
    assert counts["Conversations (branches included)"] == "2"
    rows = {row["id"]: row for row in page.select("table.history tbody tr")}
    for conversation_id in (original, tried_again):
        row = rows[f"conversation-{conversation_id}"]
        assert one(row, f"a[href='/conversations/{conversation_id}/delete']")
    assert f"a branch of #{original}" in rows[f"conversation-{tried_again}"].get_text()


async def test_the_owner_deletes_an_attempt_with_its_branches(app: FastAPI) -> None:
    ana = add_user(app, "ana")
    async with signed_in(app, "ana") as http:
        original = await hold(http, ANA_SAYS)
        tried_again = await try_again(http, original)
        kept = await hold(http, "Another attempt, kept.")

        page = soup(await http.get(f"/conversations/{original}/delete"))
        listed = one(page, "ul.deletion-list").get_text(" ", strip=True)
        assert f"#{tried_again}" in listed
        form = one(page, f"form[action='/conversations/{original}/delete']")
        assert one(form, "input[name=csrf_token]")

        deleted = await http.post(f"/conversations/{original}/delete")
        assert deleted.status_code == 303
        assert deleted.headers["location"] == "/conversations?deleted=2"
        assert (await http.get(f"/conversations/{original}")).status_code == 404
        assert (await http.get(f"/conversations/{tried_again}")).status_code == 404
        assert (await http.get(f"/conversations/{kept}")).status_code == 200

    assert rows_about(app, original, tried_again) == 0
    with transaction(app.state.runtime.service.sessions) as session:
        (entry,) = audit.history(session, "conversation", original)
    assert (entry.actor_id, entry.action) == (ana, "delete")
    assert ANA_SAYS not in json.dumps(entry.detail)


async def test_a_signed_off_attempt_is_deleted_only_by_an_admin(app: FastAPI) -> None:
    add_user(app, "ana")
    ash = add_user(app, "ash", roles=[Role.ASSESSOR])
    add_user(app, "ada", roles=[Role.ADMIN])
    async with signed_in(app, "ana") as http:
        attempt = await hold(http, ANA_SAYS)
        sign_off(app, attempt, ash)

        page = soup(await http.get(f"/conversations/{attempt}/delete"))
        assert "only an admin can delete it" in one(page, "[role=alert]").get_text(" ")
        assert page.select_one(f"form[action='/conversations/{attempt}/delete']") is None
        refused = await http.post(f"/conversations/{attempt}/delete")
        assert refused.status_code == 403
        assert (await http.get(f"/conversations/{attempt}")).status_code == 200

    async with signed_in(app, "ada") as admin:
        page = soup(await admin.get(f"/conversations/{attempt}/delete"))
        assert one(page, f"form[action='/conversations/{attempt}/delete']")
        assert "held by ana" in one(page, ".lede").get_text(" ")
        deleted = await admin.post(f"/conversations/{attempt}/delete")
    assert deleted.status_code == 303
    assert rows_about(app, attempt) == 0


async def test_nobody_else_deletes_an_attempt(app: FastAPI) -> None:
    ana = add_user(app, "ana", shares=True)
    add_user(app, "bob")
    tina = add_user(app, "tina", roles=[Role.TRAINER])
    with transaction(app.state.runtime.service.sessions) as session:
        cohort = cohorts.create_cohort(session, "Winter")
        cohorts.add_members(session, cohort, [session.get_one(User, ana)])
        cohorts.add_members(session, cohort, [session.get_one(User, tina)], as_role=Role.TRAINER)
    async with signed_in(app, "ana") as http:
        attempt = await hold(http, ANA_SAYS)
    before = rows_about(app, attempt)

    for name, status in (("bob", 404), ("tina", 403)):
        async with signed_in(app, name) as other:
            assert (await other.get(f"/conversations/{attempt}/delete")).status_code == status
            assert (await other.post(f"/conversations/{attempt}/delete")).status_code == status
            assert (await other.get(f"/conversations/{attempt + 99}/delete")).status_code == 404
    assert rows_about(app, attempt) == before


async def test_single_user_mode_deletes_its_own_attempt(client: httpx.AsyncClient) -> None:
    attempt = await hold(client, ANA_SAYS)
    assert (await client.get(f"/conversations/{attempt}/delete")).status_code == 200
    deleted = await client.post(f"/conversations/{attempt}/delete")
    assert deleted.headers["location"] == "/conversations?deleted=1"
    assert (await client.get(f"/conversations/{attempt}")).status_code == 404


@pytest.mark.parametrize(
    ("deleted", "notice"),
    [
        ("1", "The attempt was deleted, and everything stored about it."),
        ("3", "The attempt was deleted, with its 2 branches, and everything stored about them."),
        ("nonsense", None),
    ],
)
def test_the_deleted_notice_says_what_went(deleted: str, notice: str | None) -> None:
    request = SimpleNamespace(query_params={"deleted": deleted})
    html = TEMPLATES.get_template("account/_deleted_notice.html").render(request=request)
    shown = BeautifulSoup(html, "html.parser").select_one("[role=status]")
    assert (shown.get_text(" ", strip=True) if shown else None) == notice
