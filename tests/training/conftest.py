"""A migrated database session per test, on SQLite and PostgreSQL, and a fast hasher."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from app.config import Settings
from app.content.rubrics import RubricLibrary, load_rubrics
from app.domain.accounts import Role
from app.services import accounts
from app.services.runtime import Runtime, build_runtime
from app.store.db import make_engine, make_sessionmaker, migrate
from app.store.models import User


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on a freshly migrated database; committed work is visible to others."""
    engine = make_engine(database_url)
    migrate(engine)
    factory = make_sessionmaker(engine)
    with factory() as db:
        yield db
        db.rollback()
    engine.dispose()


@pytest.fixture
def hasher() -> PasswordHasher:
    """Argon2id with small costs, so tests stay quick; the parameters are still checked."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def make_user(session: Session, hasher: PasswordHasher) -> Callable[..., User]:
    """Create a user with the given roles (password ``correct horse``)."""

    def make(username: str, *roles: Role) -> User:
        return accounts.create_user(
            session,
            username=username,
            email=f"{username}@example.org",
            password="correct horse",
            roles=roles,
            hasher=hasher,
        )

    return make


@pytest.fixture
def db_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI's settings at the test database, as a deployment's env var would."""
    monkeypatch.setenv("REHEARSE_DATABASE_URL", database_url)
    return database_url


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """A runtime (database, scenarios, scripted model) on the test's settings."""
    built = build_runtime(settings)
    yield built
    built.close()


@pytest.fixture
def rubrics(settings: Settings) -> RubricLibrary:
    """The shipped rubrics."""
    return load_rubrics(settings.rubrics_dir)
