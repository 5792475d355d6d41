"""Test helpers for signed-in pages: make users, sign in, carry the CSRF token.

``add_user(app, "ana", roles=[Role.TRAINER])`` creates an account (the app then leaves
single-user mode); ``async with signed_in(app, "ana") as ana:`` gives an HTTP client signed
in as her, whose requests carry the session's CSRF token like the pages' forms do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI

from app.domain.accounts import Role
from app.services import accounts
from app.store import repositories as repo
from app.store.db import transaction
from app.store.models import User
from tests.web.helpers import soup

PASSWORD = "correct horse battery staple"


def add_user(
    app: FastAPI,
    username: str,
    *,
    roles: Iterable[Role] = (Role.PRACTITIONER,),
    password: str = PASSWORD,
    consented: bool = True,
    shares: bool = True,
) -> int:
    """Create an active account; by default it has already agreed to store and share."""
    with transaction(app.state.runtime.service.sessions) as session:
        user = accounts.create_user(
            session, username=username, password=password, roles=list(roles)
        )
        if consented:
            user.consented_at = datetime.now(UTC)
        user.shares_with_reviewers = shares
        return user.id


def consent_local_practitioner(app: FastAPI) -> None:
    """Single-user mode: the local practitioner agrees, as at first use."""
    with transaction(app.state.runtime.service.sessions) as session:
        user: User = repo.default_user(session)
        user.consented_at = datetime.now(UTC)
        user.shares_with_reviewers = True


def http_client(app: FastAPI) -> httpx.AsyncClient:
    """An in-process client for ``app`` (not yet carrying a CSRF token)."""
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def carry_csrf_token(client: httpx.AsyncClient) -> str:
    """Open the sign-in page (it starts a session) and send its token with every request."""
    page = await client.get("/sign-in")
    meta = soup(page).find("meta", attrs={"name": "csrf-token"})
    assert meta is not None, "every page carries the CSRF token in a meta tag"
    token = str(meta["content"])
    client.headers["X-CSRF-Token"] = token
    return token


async def sign_in(client: httpx.AsyncClient, login: str, password: str = PASSWORD) -> None:
    """Sign ``client`` in through the sign-in form; the session's new token is carried."""
    await carry_csrf_token(client)
    response = await client.post("/sign-in", data={"login": login, "password": password})
    assert response.status_code == 303, response.text
    await carry_csrf_token(client)


@asynccontextmanager
async def signed_in(
    app: FastAPI, login: str, password: str = PASSWORD
) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh client signed in as ``login``."""
    async with http_client(app) as client:
        await sign_in(client, login, password)
        yield client
