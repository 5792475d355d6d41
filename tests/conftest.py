"""Shared fixtures: isolated settings, both databases, and an in-process app client.

Every test that takes ``database_url`` runs twice: on a fresh SQLite file and on a fresh
PostgreSQL schema (``REHEARSE_TEST_POSTGRES_URL``, default the local ``test`` database).
Where no PostgreSQL is reachable those runs skip with the reason, unless
``REHEARSE_REQUIRE_POSTGRES=1`` (set by CI) turns that into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app.config import LLMProvider, Settings
from app.llm.base import ChatModel

PROJECT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "REHEARSE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's REHEARSE_* variables or .env file."""
    for name in list(os.environ):
        if name.startswith("REHEARSE_") and not name.startswith("REHEARSE_TEST_"):
            if name != "REHEARSE_REQUIRE_POSTGRES":
                monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its lowest cost: the default's ~0.2 s per hash or check would dominate the
    signed-in tests. Tests that are about the parameters pass their own hasher."""
    from app.services import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "DEFAULT_HASHER", cheap)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL database, dropped afterwards."""
    schema = f"rehearse_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.orig}"
        if os.environ.get("REHEARSE_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each database the app supports; PostgreSQL tables are emptied after each test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rehearse.db'}"
        return
    url: str = request.getfixturevalue("postgres_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "TRUNCATE audit_log, xapi_statements, "
                "review_turn_codes, review_criteria, reviews, submissions, "
                "assignment_attempts, assignments, cohort_members, cohorts, user_roles, "
                "reflections, report_narratives, report_cards, branches, turns, "
                "conversations, scenario_versions, users "
                "RESTART IDENTITY CASCADE"
            )
        )
    engine.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for a test: its own data dir and database, the scripted provider."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        scenarios_dir=PROJECT / "scenarios",
        prompts_dir=PROJECT / "prompts",
        static_dir=PROJECT / "static",
        llm_provider=LLMProvider.SCRIPTED,
    )


@pytest.fixture
def chat_model() -> ChatModel | None:
    """Override in a test module to put a fake model behind the app; None = scripted."""
    return None


@pytest.fixture
def app(settings: Settings, chat_model: ChatModel | None) -> Iterator[FastAPI]:
    """The app on this test's settings, in single-user mode until a test adds accounts."""
    from app.main import create_app

    application = create_app(settings, chat_model=chat_model)
    yield application
    application.state.runtime.close()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process HTTP client for the app: the local practitioner of single-user mode,
    who has agreed to transcripts being stored, sending the session's CSRF token."""
    from tests.web.accounts import carry_csrf_token, consent_local_practitioner, http_client

    consent_local_practitioner(app)
    async with http_client(app) as http:
        await carry_csrf_token(http)
        yield http
