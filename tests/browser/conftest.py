"""Shared browser-test fixtures: Chromium, the app served live on loopback, a browser.

Each test asks for ``live_app`` (a factory taking Settings overrides) or the default
``server``, and for ``browser``: a headless Chromium launched through Playwright.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from app.config import LLMProvider, Settings
from app.main import create_app
from tests.support.browser import CHROMIUM_FLAGS, LiveApp, find_chromium, require
from tests.web.accounts import consent_local_practitioner

PROJECT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def chromium_executable() -> str:
    """Chromium's path; skips the test where it is missing (fails it on CI)."""
    return str(require(find_chromium(), "Chromium", "apt-get install chromium"))


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[LiveApp]:
    """A factory: the app with the scripted provider and a fresh SQLite, run by uvicorn in a
    thread; every server it started is stopped when the test ends. The local practitioner
    has agreed to transcripts being stored unless ``consented=False``."""
    started: list[tuple[uvicorn.Server, threading.Thread]] = []

    def serve(
        configure: Callable[[FastAPI], None] | None = None,
        *,
        consented: bool = True,
        **overrides: Any,
    ) -> str:
        values: dict[str, Any] = {
            "data_dir": tmp_path,
            "scenarios_dir": PROJECT / "scenarios",
            "prompts_dir": PROJECT / "prompts",
            "static_dir": PROJECT / "static",
            "llm_provider": LLMProvider.SCRIPTED,
        }
        values.update(overrides)
        app = create_app(Settings(_env_file=None, **values))
        if consented:
            consent_local_practitioner(app)
        if configure is not None:
            configure(app)
        port = _free_port()
        uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=uv.run, daemon=True)
        thread.start()
        started.append((uv, thread))
        deadline = time.monotonic() + 10
        while not uv.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield serve
    for uv, thread in started:
        uv.should_exit = True
        thread.join(timeout=5)


@pytest.fixture
def server(live_app: LiveApp) -> str:
    """The app with the real scenarios; a test module may override this fixture."""
    return live_app()


@pytest.fixture
def browser(chromium_executable: str) -> Iterator[Any]:
    """Headless Chromium through Playwright, closed when the test ends."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_executable, args=list(CHROMIUM_FLAGS)
        )
        yield launched
        launched.close()
