"""Alembic environment: the engine comes from the caller or from Settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from app.store import (
    models,  # noqa: F401  (registers the tables)
    training,  # noqa: F401  (accounts, cohorts, reviews)
)
from app.store.base import Base

config = context.config


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from app.config import get_settings
    from app.store.db import make_engine

    return make_engine(get_settings().resolved_database_url)


def run_migrations() -> None:
    """Run migrations online, in batch mode so SQLite can ALTER tables."""
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
