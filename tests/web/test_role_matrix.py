"""Every page, as every role: who gets it, who is refused (403), who must sign in (303).

One table for the whole app, on both databases. Pages about one conversation are covered
person by person in ``test_conversation_access.py``; each area's own tests cover its
objects (another trainer's cohort, a conversation not submitted to this assessor, ...).
"""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI

from app.domain.accounts import Role
from tests.web.accounts import add_user, http_client, signed_in
from tests.web.test_route_guards import api_routes

ROLES = {
    "practitioner": [Role.PRACTITIONER],
    "trainer": [Role.TRAINER],
    "assessor": [Role.ASSESSOR],
    "admin": [Role.ADMIN],
}
EVERYONE = set(ROLES)
TRAINERS = {"trainer", "admin"}

# GET page -> the roles that may open it (everyone else signed in gets 403).
PAGES: dict[str, set[str]] = {
    "/": EVERYONE,
    "/conversations": EVERYONE,
    "/consent": EVERYONE,
    "/account/data": EVERYONE,
    "/account/data.json": EVERYONE,
    "/account/password": EVERYONE,
    "/assignments": EVERYONE,
    "/reviews/mine": EVERYONE,
    "/reviews": {"assessor"},
    "/agreement": {"trainer", "assessor", "admin"},
    "/agreement.csv": {"trainer", "assessor", "admin"},
    "/cohorts": TRAINERS,
    "/authoring": TRAINERS,
    "/authoring/new": TRAINERS,
    "/admin/users": {"admin"},
    "/admin/users/new": {"admin"},
    "/admin/users/import": {"admin"},
    "/admin/audit": {"admin"},
    "/admin/xapi.json": {"admin"},
}


@pytest.fixture
def team(app: FastAPI) -> FastAPI:
    for name, roles in ROLES.items():
        add_user(app, name, roles=roles)
    return app


async def test_the_table_covers_every_page_without_an_id(app: FastAPI) -> None:
    pages = {
        path
        for method, path, _ in api_routes(app)
        if method == "GET" and "{" not in path and path != "/sign-in"
    }
    assert pages == set(PAGES)


@pytest.mark.parametrize("role", sorted(ROLES))
async def test_each_role_gets_its_pages_and_is_refused_the_others(team: FastAPI, role: str) -> None:
    async with signed_in(team, role) as client:
        got = {path: (await client.get(path)).status_code for path in PAGES}
    expected = {path: 200 if role in allowed else 403 for path, allowed in PAGES.items()}
    assert got == expected


async def test_nobody_signed_in_is_sent_to_sign_in_from_every_page(team: FastAPI) -> None:
    async with http_client(team) as anonymous:
        for path in PAGES:
            response = await anonymous.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/sign-in?next="), path


async def test_every_unsafe_route_refuses_a_request_without_the_csrf_token(team: FastAPI) -> None:
    unsafe = [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for method, path, _ in api_routes(team)
        if method not in {"GET", "HEAD"}
    ]
    assert len(unsafe) > 15
    async with signed_in(team, "admin") as admin:
        admin.headers.pop("X-CSRF-Token")
        for method, path in unsafe:
            response: httpx.Response = await admin.request(method, path)
            assert response.status_code == 403, (method, path)
