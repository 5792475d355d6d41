"""The audit log page, on SQLite and PostgreSQL: newest first, who/action/target/detail per
row, filters by actor and target type, and pages of 50 that keep the filters. (Every admin
URL refusing non-admins is tested in test_admin_users.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from sqlalchemy import delete

from app.domain.accounts import Role
from app.services import audit
from app.services.accounts import find_user
from app.store.db import transaction
from app.store.training import AuditEntry
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import soup

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
async def root(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as the administrator ``root``, over a log that holds only what the
    test records (the sign-in entries are cleared)."""
    add_user(app, "root", roles=[Role.ADMIN])
    async with signed_in(app, "root") as client:
        with transaction(app.state.runtime.service.sessions) as session:
            session.execute(delete(AuditEntry))
        yield client


def record(
    app: FastAPI,
    actor: str | None,
    action: str,
    target: str,
    target_id: int | str,
    *,
    minute: int,
    detail: dict[str, Any] | None = None,
) -> None:
    """One entry by ``actor`` (a username; None for the system) at ``minute`` past T0."""
    with transaction(app.state.runtime.service.sessions) as session:
        who = find_user(session, actor) if actor else None
        at = T0 + timedelta(minutes=minute)
        audit.record(session, who, action, target, target_id, detail=detail, at=at)


def rows(page: BeautifulSoup) -> list[dict[str, str]]:
    """The log table's rows as {column class: text}."""
    table = page.select_one("table#audit")
    if table is None:
        return []
    return [
        {str(cell["class"][0]): cell.get_text(" ", strip=True) for cell in row.find_all("td")}
        for row in table.select("tbody tr")
    ]


def options(page: BeautifulSoup, name: str) -> list[str]:
    return [str(option["value"]) for option in page.select(f"select[name={name}] option")]


def selected(page: BeautifulSoup, name: str) -> str:
    option = page.select_one(f"select[name={name}] option[selected]")
    return "" if option is None else str(option["value"])


def link(page: BeautifulSoup, rel: str) -> str | None:
    found = page.select_one(f"nav.pager a[rel={rel}]")
    return None if found is None else str(found["href"])


async def test_entries_are_newest_first_with_who_action_target_and_detail(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    ana = add_user(app, "ana")
    add_user(app, "ash", roles=[Role.ASSESSOR])
    record(app, None, "create", "user", ana, minute=0, detail={"username": "ana"})
    record(app, "ash", "view", "conversation", 7, minute=1)
    change = {"added": ["trainer"], "removed": []}
    record(app, "root", "role_change", "user", ana, minute=2, detail=change)

    page = soup(await root.get("/admin/audit"))
    table = page.select_one("table#audit")
    assert table is not None
    assert table.caption is not None
    assert "UTC" in table.caption.get_text()
    headers = [th.get_text(strip=True) for th in table.select("thead th[scope=col]")]
    assert headers == ["When", "Who", "Action", "Target", "Detail"]
    assert [(row["who"], row["action"]) for row in rows(page)] == [
        ("root", "role change"),
        ("ash", "view"),
        ("system", "create"),
    ]
    newest = rows(page)[0]
    assert newest["when"] == "2026-11-30 09:02:00"
    assert newest["target"] == f"user {ana} ( ana )"
    assert newest["detail"] == "added trainer removed none"
    assert rows(page)[1]["target"] == "conversation 7"
    stamp = table.select_one("tbody tr time")
    assert isinstance(stamp, Tag)
    assert datetime.fromisoformat(str(stamp["datetime"])) == T0 + timedelta(minutes=2)
    user_link = table.select_one("td.target a")
    assert user_link is not None
    assert user_link["href"] == f"/admin/users/{ana}"


async def test_filters_by_actor_and_target_type(app: FastAPI, root: httpx.AsyncClient) -> None:
    ana = add_user(app, "ana")
    add_user(app, "ash", roles=[Role.ASSESSOR])
    add_user(app, "idle", roles=[Role.TRAINER])
    record(app, "ash", "view", "conversation", 7, minute=0)
    record(app, "ash", "review", "conversation", 7, minute=1)
    record(app, "ash", "update", "user", ana, minute=2, detail={"field": "password"})
    record(app, "root", "role_change", "user", ana, minute=3)

    page = soup(await root.get("/admin/audit"))
    assert options(page, "actor") == ["", "ash", "root"], "only people with entries"
    assert options(page, "target") == ["", "conversation", "user"]
    assert len(rows(page)) == 4

    by_ash = soup(await root.get("/admin/audit", params={"actor": "ASH"}))
    assert [row["action"] for row in rows(by_ash)] == ["update", "review", "view"]
    assert selected(by_ash, "actor") == "ash"
    count = by_ash.select_one("#audit-count")
    assert count is not None
    assert count.get_text(strip=True) == "3 entries by ASH."

    about_users = soup(await root.get("/admin/audit", params={"target": "user"}))
    assert [row["who"] for row in rows(about_users)] == ["root", "ash"]
    assert selected(about_users, "target") == "user"

    both = soup(await root.get("/admin/audit", params={"actor": "ash", "target": "user"}))
    assert [row["action"] for row in rows(both)] == ["update"]

    nobody = soup(await root.get("/admin/audit", params={"actor": "idle"}))
    assert rows(nobody) == []
    assert nobody.select_one("#audit-count").get_text(strip=True) == "0 entries by idle."


async def test_pages_of_fifty_keep_the_filters(app: FastAPI, root: httpx.AsyncClient) -> None:
    add_user(app, "ash", roles=[Role.ASSESSOR])
    with transaction(app.state.runtime.service.sessions) as session:
        ash = find_user(session, "ash")
        for minute in range(120):
            at = T0 + timedelta(minutes=minute)
            audit.record(session, ash, "view", "conversation", minute, at=at)
        audit.record(session, ash, "update", "user", 1, at=T0 + timedelta(hours=5))

    first = soup(await root.get("/admin/audit", params={"target": "conversation"}))
    assert len(rows(first)) == audit.PAGE_SIZE
    assert rows(first)[0]["target"] == "conversation 119"
    assert "page 1 of 3" in first.select_one("#audit-count").get_text()
    assert link(first, "prev") is None
    assert link(first, "next") == "/admin/audit?actor=&target=conversation&page=2"

    second = soup(await root.get("/admin/audit?actor=&target=conversation&page=2"))
    assert rows(second)[0]["target"] == "conversation 69"
    assert link(second, "prev") == "/admin/audit?actor=&target=conversation&page=1"

    last = soup(await root.get("/admin/audit", params={"target": "conversation", "page": 3}))
    assert [row["target"] for row in rows(last)] == [f"conversation {n}" for n in range(19, -1, -1)]
    assert link(last, "next") is None
    beyond = soup(await root.get("/admin/audit", params={"target": "conversation", "page": 99}))
    assert rows(beyond) == rows(last), "a stale page number shows the last page"


async def test_changes_made_in_the_admin_pages_are_in_the_log(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    created = await root.post(
        "/admin/users", data={"username": "nia", "roles": ["practitioner"], "password": ""}
    )
    assert created.status_code == 200
    page = soup(await root.get("/admin/audit", params={"actor": "root", "target": "user"}))
    [row] = rows(page)
    assert row["action"] == "create"
    assert "( nia )" in row["target"]
    assert row["detail"] == "username nia roles practitioner"
