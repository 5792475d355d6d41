"""Consent at first use and the sharing switch, through HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI

from app.services import audit
from app.store.db import transaction
from app.store.models import User
from tests.web.accounts import add_user, carry_csrf_token, http_client, signed_in
from tests.web.helpers import soup


def stored(app: FastAPI, user_id: int) -> tuple[bool, bool]:
    """(agreed to storing, shares with reviewers) as the database has it."""
    with transaction(app.state.runtime.service.sessions) as session:
        user = session.get_one(User, user_id)
        return user.consented_at is not None, user.shares_with_reviewers


def logged_choices(app: FastAPI, user_id: int) -> list[dict[str, object] | None]:
    with transaction(app.state.runtime.service.sessions) as session:
        return [
            entry.detail
            for entry in audit.history(session, "user", user_id)
            if entry.action == "update"
        ]


def one(page: BeautifulSoup | Tag, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, selector
    return found


async def test_first_practice_asks_for_consent_then_goes_back(app: FastAPI) -> None:
    ana = add_user(app, "ana", consented=False, shares=False)
    async with signed_in(app, "ana") as http:
        asked = await http.get("/conversations")
        assert asked.status_code == 303
        assert asked.headers["location"] == "/consent?next=/conversations"

        page = soup(await http.get(asked.headers["location"]))
        assert "not patient records" in one(page, "#practice-heading").get_text()
        form = one(page, "form[action='/consent']")
        assert one(form, "input[name=next]")["value"] == "/conversations"
        assert (
            one(form, "label[for=store]")
            .get_text(strip=True)
            .startswith("Store my practice transcripts")
        )
        assert not one(form, "input#share").has_attr("checked")
        assert page.find(id="only-you") is None, "others have accounts"

        agreed = await http.post(
            "/consent", data={"store": "true", "share": "true", "next": "/conversations"}
        )
        assert agreed.status_code == 303
        assert agreed.headers["location"] == "/conversations"
        assert (await http.get("/conversations")).status_code == 200
    assert stored(app, ana) == (True, True)
    assert logged_choices(app, ana) == [{"consent": True, "share": True}]


async def test_sharing_is_optional(app: FastAPI) -> None:
    ana = add_user(app, "ana", consented=False, shares=False)
    async with signed_in(app, "ana") as http:
        agreed = await http.post("/consent", data={"store": "true"})
    assert agreed.headers["location"] == "/"
    assert stored(app, ana) == (True, False)


async def test_storing_is_required(app: FastAPI) -> None:
    ana = add_user(app, "ana", consented=False, shares=False)
    async with signed_in(app, "ana") as http:
        refused = await http.post("/consent", data={"share": "true", "next": "/conversations"})
        assert refused.status_code == 422
        page = soup(refused)
        assert "Tick the first box" in one(page, "[role=alert]").get_text()
        assert one(page, "input#share").has_attr("checked"), "what was ticked is kept"
        assert one(page, "input[name=next]")["value"] == "/conversations"
        assert (await http.get("/conversations")).status_code == 303
    assert stored(app, ana) == (False, False)
    assert logged_choices(app, ana) == []


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
async def test_consent_goes_only_to_a_local_path(app: FastAPI, target: str) -> None:
    add_user(app, "ana", consented=False)
    async with signed_in(app, "ana") as http:
        page = soup(await http.get("/consent", params={"next": target}))
        assert one(page, "input[name=next]")["value"] == "/"
        agreed = await http.post("/consent", data={"store": "true", "next": target})
    assert agreed.headers["location"] == "/"


async def test_sharing_switch_turns_sharing_off_and_on(app: FastAPI) -> None:
    ana = add_user(app, "ana", shares=True)
    async with signed_in(app, "ana") as http:
        page = soup(await http.get("/account/data"))
        switch = one(page, "#sharing form[action='/account/sharing']")
        assert one(switch, "input[name=share]")["value"] == "false"

        off = await http.post("/account/sharing", data={"share": "false"})
        assert off.status_code == 303
        assert off.headers["location"] == "/account/data?saved=sharing#sharing"
        assert stored(app, ana) == (True, False)
        page = soup(await http.get(off.headers["location"]))
        assert one(page, "#sharing [role=status]").get_text(strip=True)
        assert one(page, "#sharing input[name=share]")["value"] == "true"

        await http.post("/account/sharing", data={"share": "true"})
        await http.post("/account/sharing", data={"share": "true"})
    assert stored(app, ana) == (True, True)
    assert logged_choices(app, ana) == [{"share": False}, {"share": True}]


async def test_single_user_mode_is_asked_too(app: FastAPI) -> None:
    """The local practitioner of a fresh install agrees before the first practice."""
    async with http_client(app) as http:
        await carry_csrf_token(http)
        asked = await http.get("/")
        assert asked.headers["location"] == "/consent?next=/"
        page = soup(await http.get("/consent?next=/"))
        assert page.find(id="only-you") is not None, "nobody else has an account yet"
        agreed = await http.post("/consent", data={"store": "true"})
        assert agreed.headers["location"] == "/"
        assert (await http.get("/")).status_code == 200


async def test_consent_needs_the_forms_token(app: FastAPI) -> None:
    add_user(app, "ana", consented=False)
    async with signed_in(app, "ana") as http:
        del http.headers["X-CSRF-Token"]
        refused = await http.post("/consent", data={"store": "true"})
    assert refused.status_code == 403
