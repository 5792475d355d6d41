"""A real browser (Debian's Chromium via Playwright) holds a streamed conversation.

The htmx SSE wiring only proves itself in a browser: the reply must stream into the page,
the bubble must be swapped for the saved turn, and refused input must show a message.
Skipped where Chromium is missing, unless REHEARSE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from app.config import LLMProvider, Settings
from app.main import create_app

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.browser


def _require_browser() -> str:
    if CHROMIUM is None:
        if os.environ.get("REHEARSE_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (REHEARSE_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on a free loopback port, scripted provider, fresh SQLite."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        scenarios_dir=PROJECT / "scenarios",
        prompts_dir=PROJECT / "prompts",
        static_dir=PROJECT / "static",
        llm_provider=LLMProvider.SCRIPTED,
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield base
    uv.should_exit = True
    thread.join(timeout=5)


def test_practitioner_holds_a_streamed_conversation(server: str) -> None:
    executable = _require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    assert (PROJECT / "static/vendor/htmx.min.js").is_file(), "run `make static`"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.goto(server + "/")
        page.click("#scenario-prostate-decision button")
        page.wait_for_selector("#say-text")

        page.fill("#say-text", "")
        page.click("#say-form button[type=submit]")  # refused by the browser: required
        page.fill("#say-text", "   ")
        page.keyboard.press("Enter")
        page.wait_for_selector("#form-error .error-message")
        assert "Please type something" in page.inner_text("#form-error")

        page.fill("#say-text", "What worries you most about it?")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "document.querySelectorAll('#transcript li.person:not(.streaming)').length == 2"
        )
        assert page.input_value("#say-text") == ""
        assert page.inner_text("#form-error") == ""
        shown = page.locator("#transcript li.person .text").nth(1).inner_text()
        browser.close()

    conversation_id = page.url.rsplit("/", 1)[1]
    saved = httpx.get(f"{server}/conversations/{conversation_id}.json").json()["turns"]
    assert [t["speaker"] for t in saved] == ["person", "practitioner", "person"]
    assert saved[2]["text"] == shown
