"""Wires settings to a ready RehearsalService: database, scenarios, prompts, coder, model.

The web app and the CLI both start here, so they behave the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from app.config import Settings
from app.content.prompts import PromptLibrary
from app.content.scenarios import ScenarioLibrary, load_library
from app.llm.base import ChatModel
from app.llm.lazy import LazyChatModel
from app.llm.registry import build_chat_model
from app.scoring.factory import default_coder
from app.services.authoring import published_overlay
from app.services.rehearsal import RehearsalService
from app.sim.engine import PersonaEngine
from app.store.db import make_engine, make_sessionmaker, migrate, transaction


@dataclass
class Runtime:
    """What a running Rehearse holds for its lifetime."""

    settings: Settings
    engine: Engine
    library: ScenarioLibrary
    service: RehearsalService

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def build_runtime(
    settings: Settings, *, chat_model: ChatModel | None = None, provider: str | None = None
) -> Runtime:
    """Migrate the database, load scenarios (with the versions trainers published in the
    app over their files) and prompts, and choose the chat model.

    Each conversation records the provider that voices it: the configured one, or, when
    the caller hands in its own ``chat_model`` (tests, benchmarks), that model's id, so a
    conversation voiced by a fake model never claims to be "scripted" or "embedded".
    """
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    sessions = make_sessionmaker(engine)
    library = load_library(settings.scenarios_dir)
    with transaction(sessions) as session:
        published_overlay(session, library)
    if chat_model is not None:
        model: ChatModel = chat_model
        provider_name = provider or chat_model.model_id
    else:
        provider_name = provider or settings.llm_provider.value
        model = LazyChatModel(
            lambda: build_chat_model(settings, provider_name), model_id=provider_name
        )
    service = RehearsalService(
        sessions=sessions,
        library=library,
        engine=PersonaEngine(
            PromptLibrary(settings.prompts_dir), default_coder(), mode=settings.persona_mode
        ),
        chat_model=model,
        provider=provider_name,
        max_message_chars=settings.max_message_chars,
    )
    return Runtime(settings=settings, engine=engine, library=library, service=service)
