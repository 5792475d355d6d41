"""The web application factory: ``create_app(settings, chat_model=...)``.

Tests pass their own settings and a fake chat model here; ``rehearse serve`` calls it with
none and gets the environment's settings and the configured provider.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from app.config import Settings, get_settings
from app.llm.base import ChatModel
from app.services.runtime import build_runtime
from app.web.errors import install_error_pages
from app.web.routes import (
    account,
    admin,
    assignments,
    auth,
    authoring,
    branches,
    cohorts,
    conversations,
    reports,
    reviews,
    scenarios,
)
from app.web.security import install_security, verify_csrf


def create_app(settings: Settings | None = None, *, chat_model: ChatModel | None = None) -> FastAPI:
    """Build the app: migrate the database, load scenarios, mount pages and static files."""
    settings = settings or get_settings()
    runtime = build_runtime(settings, chat_model=chat_model)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        runtime.close()

    app = FastAPI(
        title="Rehearse",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.runtime = runtime
    install_security(app, settings)
    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    app.include_router(auth.router)
    app.include_router(scenarios.router)
    app.include_router(conversations.router)
    app.include_router(branches.router)
    app.include_router(reports.router)
    for area in (account, admin, assignments, authoring, cohorts, reviews):
        app.include_router(area.router)
    install_error_pages(app)
    return app
