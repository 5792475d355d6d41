"""A real browser opens a report, follows an evidence link to its turn, and filters by code;
with REHEARSE_SCORING_METHOD=judge it shows progress, then reloads with the judge's report.

Skipped where Chromium is missing, unless REHEARSE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from app.config import LLMProvider, ScoringMethod, Settings
from app.main import create_app
from tests.reports.test_report_judge import criteria_reply

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.browser
LINES = ("How many times do you get up at night?", "What matters most to you about this?")


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
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=5)


def _held_conversation(base: str) -> int:
    with httpx.Client(base_url=base, timeout=30) as client:
        started = client.post("/scenarios/prostate-decision/conversations")
        conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
        for line in LINES:
            client.post(f"/conversations/{conversation_id}/turns", data={"text": line})
            client.get(f"/conversations/{conversation_id}/reply")
        client.post(f"/conversations/{conversation_id}/end")
    return conversation_id


def test_report_evidence_link_leads_to_its_turn(server: str) -> None:
    executable = _require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    conversation_id = _held_conversation(server)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        page = browser.new_page()
        page.goto(f"{server}/conversations/{conversation_id}")
        page.click("#report-link")
        page.wait_for_selector("#criteria")
        link = page.locator("#criteria .evidence-item a.turn-link").first
        target = link.get_attribute("href")
        assert target is not None
        assert target.startswith("#turn-")
        link.click()
        page.wait_for_function(f"location.hash === '{target}'")
        turn = page.locator(target)
        assert turn.evaluate("el => el.matches(':target')")
        assert turn.is_visible()
        box = turn.bounding_box()
        assert box is not None
        assert 0 <= box["y"] < page.viewport_size["height"]

        page.click(".code-filter a.code-closed_question")
        page.wait_for_function(
            "document.querySelectorAll('#annotated-transcript .coded-turns > li').length === 1"
        )
        assert page.url.endswith("?code=closed_question")
        browser.close()


class GatedJudge:
    """A fake judge backend that answers only once the test opens its gate."""

    def __init__(self) -> None:
        self.model_id = "judge-model"
        self.notes: list[str] = []
        self.gate = threading.Event()

    async def reply(self, messages: list[Any], schema: type[Any]) -> str:
        while not self.gate.is_set():
            await asyncio.sleep(0.05)
        if schema.__name__ == "CriteriaReply":
            return criteria_reply()
        turns = [
            {"turn": t, "codes": [{"code": "open_question", "quote": line}]}
            for t, line in zip((1, 3), LINES, strict=True)
        ]
        return json.dumps({"turns": turns})


def test_the_page_shows_progress_then_reloads_with_the_judges_report(tmp_path: Path) -> None:
    executable = _require_browser()
    sync_api = pytest.importorskip("playwright.sync_api")
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        scenarios_dir=PROJECT / "scenarios",
        prompts_dir=PROJECT / "prompts",
        static_dir=PROJECT / "static",
        llm_provider=LLMProvider.SCRIPTED,
        scoring_method=ScoringMethod.JUDGE,
    )
    judge = GatedJudge()
    app = create_app(settings)
    app.state.judge_backend = judge
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        conversation_id = _held_conversation(base)
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
            )
            page = browser.new_page()
            page.goto(f"{base}/conversations/{conversation_id}/report")
            page.wait_for_selector("#scoring.scoring-pending progress")
            assert page.inner_text("#scoring .levels-by") == "the rubric's rules"
            judge.gate.set()
            page.wait_for_selector("#scoring.scoring-done", timeout=15000)
            assert page.inner_text("#scoring .levels-by") == "the LLM judge (judge-model)"
            badge = page.inner_text("#criterion-open-questions .level-badge")
            assert badge == "Established"
            browser.close()
    finally:
        uv.should_exit = True
        thread.join(timeout=5)
