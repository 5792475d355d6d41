"""Account administration through the pages, on SQLite and PostgreSQL: the list, creating an
account (generated password shown once), editing roles and access, resetting a password,
importing a CSV (all rows or none), the lock-out rule, and 403 for everyone but admins."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import func, select

from app.domain.accounts import Role
from app.services import accounts
from app.store.db import transaction
from app.store.models import User
from app.store.training import AuditEntry
from app.web.routes import admin as admin_routes
from tests.web.accounts import PASSWORD, add_user, http_client, sign_in, signed_in
from tests.web.helpers import soup

Fields = dict[str, str | list[str]]
CSV_HEADER = "username,email,roles\n"


@pytest.fixture
async def root(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in as the administrator ``root``."""
    add_user(app, "root", roles=[Role.ADMIN])
    async with signed_in(app, "root") as client:
        yield client


def user_named(app: FastAPI, username: str) -> tuple[User, frozenset[Role]] | None:
    with transaction(app.state.runtime.service.sessions) as session:
        user = accounts.find_user(session, username)
        return None if user is None else (user, accounts.roles_of(session, user.id))


def user_count(app: FastAPI) -> int:
    with transaction(app.state.runtime.service.sessions) as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def audit_of(app: FastAPI, action: str | None = None) -> list[AuditEntry]:
    with transaction(app.state.runtime.service.sessions) as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return list(session.scalars(query))


def alert(page: BeautifulSoup) -> str:
    found = page.select_one("[role=alert]")
    assert found is not None, "the problem is announced"
    return found.get_text(" ", strip=True)


def field_value(page: BeautifulSoup, name: str) -> str:
    field = page.find("input", attrs={"name": name})
    assert isinstance(field, Tag)
    return str(field.get("value", ""))


def checked_roles(page: BeautifulSoup) -> set[str]:
    return {str(box["value"]) for box in page.select("input[name=roles][checked]")}


def one_time_password(page: BeautifulSoup) -> str:
    shown = page.select("code.password")
    assert len(shown) == 1
    return shown[0].get_text(strip=True)


async def can_sign_in(app: FastAPI, login: str, password: str) -> bool:
    async with http_client(app) as browser:
        try:
            await sign_in(browser, login, password)
        except AssertionError:
            return False
        return (await browser.get("/account/password")).status_code == 200


def admin_urls(user_id: int) -> list[tuple[str, str]]:
    """Every (method, URL) the admin router serves, with ``user_id`` in the path."""
    return [
        (method, route.path.replace("{user_id}", str(user_id)))
        for route in admin_routes.router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods)
    ]


async def test_the_list_shows_every_account_with_roles_and_access(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    add_user(app, "ana", roles=[Role.PRACTITIONER])
    bob = add_user(app, "bob", roles=[Role.TRAINER, Role.ASSESSOR])
    with transaction(app.state.runtime.service.sessions) as session:
        session.get_one(User, bob).active = False
    page = soup(await root.get("/admin/users"))
    table = page.select_one("table#users")
    assert table is not None
    assert table.caption is not None
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Username", "Display name", "Email", "Roles", "Active", "Created"]
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in table.select("tbody tr")
        if row.th is not None
    }
    assert set(rows) >= {"ana", "bob", "root"}
    assert rows["bob"][2] == "trainer, assessor"
    assert rows["bob"][3].startswith("No")
    assert rows["ana"][3] == "Yes"
    link = table.select_one(f"tr#user-{bob} a")
    assert link is not None
    assert link["href"] == f"/admin/users/{bob}"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.TRAINER, Role.ASSESSOR])
async def test_everyone_but_admins_is_refused_every_admin_url(app: FastAPI, role: Role) -> None:
    target = add_user(app, "ana", roles=[Role.PRACTITIONER])
    add_user(app, "someone", roles=[role])
    urls = admin_urls(target)
    assert {method for method, _ in urls} == {"GET", "POST"}
    assert len(urls) == 10
    form: Fields = {"username": "eve", "roles": ["admin"], "active": "true", "password": ""}
    async with signed_in(app, "someone") as browser:
        for method, url in urls:
            if method == "POST" and url.endswith("/import"):
                upload = {"file": ("x.csv", CSV_HEADER + "eve,eve@x.org,admin\n", "text/csv")}
                response = await browser.post(url, files=upload)
            else:
                response = await browser.request(
                    method, url, data=form if method == "POST" else None
                )
            assert response.status_code == 403, (method, url)
            assert "admin" in alert(soup(response))
    assert user_named(app, "eve") is None
    ana = user_named(app, "ana")
    assert ana is not None
    assert ana[1] == {Role.PRACTITIONER}
    assert ana[0].active
    assert audit_of(app, "role_change") == audit_of(app, "update") == []


async def test_single_user_mode_has_no_admin_pages(app: FastAPI, client: httpx.AsyncClient) -> None:
    for method, url in admin_urls(1):
        response = await client.request(method, url)
        assert response.status_code == 403, (method, url)


async def test_admin_creates_an_account_and_sees_the_generated_password_once(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    form = soup(await root.get("/admin/users/new")).select_one("form[action='/admin/users']")
    assert form is not None
    assert form.find("input", attrs={"name": "csrf_token"}) is not None
    for name in ("username", "display_name", "email", "password"):
        field = form.find("input", attrs={"name": name})
        assert isinstance(field, Tag)
        assert form.find("label", attrs={"for": field["id"]}) is not None
    response = await root.post(
        "/admin/users",
        data={
            "username": "nia",
            "display_name": "Nia Okafor",
            "email": "Nia@Example.org",
            "roles": ["practitioner", "assessor"],
            "password": "",
        },
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    password = one_time_password(soup(response))
    made = user_named(app, "nia")
    assert made is not None
    user, roles = made
    assert (user.display_name, user.email) == ("Nia Okafor", "nia@example.org")
    assert roles == {Role.PRACTITIONER, Role.ASSESSOR}
    assert await can_sign_in(app, "nia", password)
    assert soup(await root.get(f"/admin/users/{user.id}")).select("code.password") == []
    [entry] = audit_of(app, "create")
    assert (entry.target_type, entry.target_id) == ("user", str(user.id))
    assert entry.detail == {"username": "nia", "roles": ["practitioner", "assessor"]}
    assert password not in str(entry.detail)


async def test_a_typed_password_is_used_and_not_shown(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    typed = "a long enough password"
    response = await root.post(
        "/admin/users", data={"username": "nia", "roles": ["practitioner"], "password": typed}
    )
    assert response.status_code == 200
    page = soup(response)
    assert page.select("code.password") == []
    assert typed not in response.text
    assert await can_sign_in(app, "nia", typed)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "ANA", "email": "new@example.org"}, "'ANA' is already taken"),
        ({"username": "nia", "email": "ana@example.org"}, "'ana@example.org' is already taken"),
        ({"username": "nia", "password": "short"}, "at least 10 characters"),
        ({"username": "nia", "roles": []}, "no roles given"),
        ({"username": "nia one"}, "username 'nia one'"),
        ({"username": "nia", "email": "not-an-email"}, "not an email address"),
    ],
)
async def test_bad_input_is_explained_keeps_what_was_typed_and_creates_nobody(
    app: FastAPI, root: httpx.AsyncClient, fields: Fields, message: str
) -> None:
    with transaction(app.state.runtime.service.sessions) as session:
        accounts.create_user(
            session,
            username="ana",
            email="ana@example.org",
            password=PASSWORD,
            roles=[Role.PRACTITIONER],
        )
    before = user_count(app)
    typed: Fields = {
        "username": "nia",
        "display_name": "Nia Okafor",
        "email": "",
        "roles": ["trainer", "assessor"],
        "password": "",
    }
    response = await root.post("/admin/users", data=typed | fields)
    assert response.status_code == 422
    page = soup(response)
    assert message in alert(page)
    assert field_value(page, "username") == (typed | fields)["username"]
    assert field_value(page, "display_name") == "Nia Okafor"
    assert field_value(page, "email") == (typed | fields)["email"]
    assert checked_roles(page) == set((typed | fields)["roles"])
    assert field_value(page, "password") == ""
    assert user_count(app) == before
    assert audit_of(app, "create") == []


async def test_admin_changes_roles_and_deactivates_an_account(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    ana = add_user(app, "ana", roles=[Role.PRACTITIONER])
    page = soup(await root.get(f"/admin/users/{ana}"))
    assert checked_roles(page) == {"practitioner"}
    assert page.select_one("input#active[checked]") is not None
    response = await root.post(f"/admin/users/{ana}", data={"roles": ["trainer", "assessor"]})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#saved[role=status]") is not None
    assert checked_roles(page) == {"trainer", "assessor"}
    assert page.select_one("input#active[checked]") is None
    made = user_named(app, "ana")
    assert made is not None
    assert made[1] == {Role.TRAINER, Role.ASSESSOR}
    assert not made[0].active
    assert not await can_sign_in(app, "ana", PASSWORD)
    [change] = audit_of(app, "role_change")
    assert change.detail == {"added": ["assessor", "trainer"], "removed": ["practitioner"]}
    [update] = audit_of(app, "update")
    assert update.detail == {"field": "active", "active": False}
    assert {change.target_id, update.target_id} == {str(ana)}

    again = await root.post(f"/admin/users/{ana}", data={"roles": ["trainer", "assessor"]})
    assert "Nothing to change" in soup(again).select_one("#saved").get_text()
    assert len(audit_of(app)) == len(audit_of(app, "sign_in")) + 2
    await root.post(f"/admin/users/{ana}", data={"roles": ["practitioner"], "active": "true"})
    assert await can_sign_in(app, "ana", PASSWORD)


async def test_an_edit_without_roles_is_refused_and_keeps_the_account(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    ana = add_user(app, "ana", roles=[Role.PRACTITIONER])
    response = await root.post(f"/admin/users/{ana}", data={"active": "true"})
    assert response.status_code == 422
    assert "no roles given" in alert(soup(response))
    made = user_named(app, "ana")
    assert made is not None
    assert made[1] == {Role.PRACTITIONER}


async def test_an_admin_cannot_lock_themselves_out(app: FastAPI, root: httpx.AsyncClient) -> None:
    made = user_named(app, "root")
    assert made is not None
    me = made[0].id
    page = soup(await root.get(f"/admin/users/{me}"))
    note = page.select_one("#self-note")
    assert note is not None
    assert "cannot deactivate" in note.get_text()
    assert page.select_one("#password-form") is None, "own password: the Password page"

    demoted = await root.post(f"/admin/users/{me}", data={"roles": ["trainer"], "active": "true"})
    assert demoted.status_code == 422
    assert "cannot remove your own admin role" in alert(soup(demoted))
    assert checked_roles(soup(demoted)) == {"trainer"}, "what was chosen is shown again"
    gone = await root.post(f"/admin/users/{me}", data={"roles": ["admin"]})
    assert gone.status_code == 422
    assert "cannot deactivate your own account" in alert(soup(gone))
    reset = await root.post(f"/admin/users/{me}/password", data={"password": ""})
    assert reset.status_code == 422
    assert "Password page" in alert(soup(reset))

    after = user_named(app, "root")
    assert after is not None
    assert after[1] == {Role.ADMIN}
    assert after[0].active
    assert (await root.get("/admin/users")).status_code == 200
    widened = await root.post(
        f"/admin/users/{me}", data={"roles": ["admin", "trainer"], "active": "true"}
    )
    assert widened.status_code == 200


async def test_a_password_reset_is_shown_once_and_ends_the_users_sessions(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    ana = add_user(app, "ana", roles=[Role.PRACTITIONER])
    async with signed_in(app, "ana") as laptop:
        weak = await root.post(f"/admin/users/{ana}/password", data={"password": "short"})
        assert weak.status_code == 422
        assert "at least 10" in alert(soup(weak))
        assert (await laptop.get("/conversations")).status_code == 200

        response = await root.post(f"/admin/users/{ana}/password", data={"password": ""})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        password = one_time_password(soup(response))
        assert (await laptop.get("/conversations")).status_code == 303
    assert not await can_sign_in(app, "ana", PASSWORD)
    assert await can_sign_in(app, "ana", password)

    typed = "another long password"
    done = await root.post(f"/admin/users/{ana}/password", data={"password": typed})
    assert soup(done).select_one("#password-done[role=status]") is not None
    assert await can_sign_in(app, "ana", typed)
    resets = [entry.detail for entry in audit_of(app, "update")]
    assert resets == [
        {"field": "password", "generated": True},
        {"field": "password", "generated": False},
    ]


async def test_an_unknown_account_is_not_found(root: httpx.AsyncClient) -> None:
    assert (await root.get("/admin/users/9999")).status_code == 404
    refused = await root.post("/admin/users/9999", data={"roles": ["admin"], "active": "true"})
    assert refused.status_code == 404


async def test_admin_forms_need_the_csrf_token(app: FastAPI, root: httpx.AsyncClient) -> None:
    root.headers.pop("X-CSRF-Token")
    response = await root.post("/admin/users", data={"username": "nia", "roles": ["admin"]})
    assert response.status_code == 403
    assert user_named(app, "nia") is None
    for path in ("/admin/users/new", "/admin/users/import", "/admin/users/1"):
        for form in soup(await root.get(path)).find_all("form", attrs={"method": "post"}):
            assert form.find("input", attrs={"name": "csrf_token"}) is not None, (path, form)


async def test_import_page_describes_the_columns(root: httpx.AsyncClient) -> None:
    page = soup(await root.get("/admin/users/import"))
    columns = [code.get_text() for code in page.select("dl.csv-columns dt code")]
    assert columns == list(accounts.CSV_COLUMNS)
    form = page.select_one("form[enctype='multipart/form-data']")
    assert form is not None
    assert form.find("input", attrs={"type": "file", "name": "file"}) is not None


async def test_import_creates_everyone_and_shows_their_passwords_once(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    text = CSV_HEADER + "ann,Ann@Example.org,practitioner\nbob,bob@example.org,trainer;assessor\n"
    response = await root.post(
        "/admin/users/import", files={"file": ("team.csv", text.encode("utf-8-sig"), "text/csv")}
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    table = soup(response).select_one("table#imported")
    assert table is not None
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.select("tbody tr")
    ]
    assert [row[:3] for row in rows] == [
        ["ann", "ann@example.org", "practitioner"],
        ["bob", "bob@example.org", "trainer, assessor"],
    ]
    assert await can_sign_in(app, "bob", rows[1][3])
    created = audit_of(app, "create")
    assert [entry.detail for entry in created] == [
        {"username": "ann", "roles": ["practitioner"], "source": "team.csv"},
        {"username": "bob", "roles": ["trainer", "assessor"], "source": "team.csv"},
    ]


async def test_an_import_with_bad_rows_names_every_line_and_creates_nobody(
    app: FastAPI, root: httpx.AsyncClient
) -> None:
    add_user(app, "priya")
    before = user_count(app)
    text = (
        CSV_HEADER
        + "ann,ann@example.org,practitioner\n"
        + "bob,bob@example.org,pilot\n"
        + "priya,p2@example.org,trainer\n"
        + "cat,ann@example.org,trainer\n"
    )
    response = await root.post(
        "/admin/users/import", files={"file": ("team.csv", text, "text/csv")}
    )
    assert response.status_code == 422
    problems = [item.get_text(strip=True) for item in soup(response).select("#import-problems li")]
    assert problems == [
        "team.csv:3: unknown role 'pilot' (expected one of admin, assessor, practitioner, trainer)",
        "team.csv:4: 'priya' is already taken",
        "team.csv:5: 'ann@example.org' repeats line 2",
    ]
    assert "Nothing was imported" in alert(soup(response))
    assert user_count(app) == before
    assert user_named(app, "ann") is None
    assert audit_of(app, "create") == []


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (
            ("team.csv", b"username,roles\nann,practitioner\n"),
            "team.csv:1: missing column(s) email",
        ),
        (("team.csv", CSV_HEADER.encode()), "team.csv:2: no users listed below the header"),
        (
            (
                "team.csv",
                (CSV_HEADER + "ann,ann@x.org,admin\nb\xe9,b@x.org,admin\n").encode("latin-1"),
            ),
            "team.csv:3: not UTF-8 text",
        ),
    ],
)
async def test_an_unusable_file_is_explained(
    app: FastAPI, root: httpx.AsyncClient, upload: tuple[str, bytes], problem: str
) -> None:
    before = user_count(app)
    response = await root.post("/admin/users/import", files={"file": (*upload, "text/csv")})
    assert response.status_code == 422
    [shown] = [item.get_text(strip=True) for item in soup(response).select("#import-problems li")]
    assert shown.startswith(problem)
    assert user_count(app) == before


async def test_an_import_without_a_file_asks_for_one(root: httpx.AsyncClient) -> None:
    response = await root.post("/admin/users/import", data={})
    assert response.status_code == 422
    assert "Choose a CSV file" in alert(soup(response))
