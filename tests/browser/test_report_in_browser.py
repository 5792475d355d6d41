"""A real browser opens a report, follows an evidence link to its turn, and filters by code;
with REHEARSE_SCORING_METHOD=judge it shows progress, then reloads with the judge's report.

Skipped where Chromium is missing, unless REHEARSE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from fastapi import FastAPI

from app.config import ScoringMethod
from tests.reports.test_report_judge import criteria_reply
from tests.support.browser import LiveApp, hold_conversation

pytestmark = pytest.mark.browser
LINES = ("How many times do you get up at night?", "What matters most to you about this?")


def test_report_evidence_link_leads_to_its_turn(server: str, browser: Any) -> None:
    conversation_id = hold_conversation(server, LINES)
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


def test_the_page_shows_progress_then_reloads_with_the_judges_report(
    live_app: LiveApp, browser: Any
) -> None:
    judge = GatedJudge()

    def use_the_gated_judge(app: FastAPI) -> None:
        app.state.judge_backend = judge

    base = live_app(use_the_gated_judge, scoring_method=ScoringMethod.JUDGE)
    conversation_id = hold_conversation(base, LINES)
    page = browser.new_page()
    page.goto(f"{base}/conversations/{conversation_id}/report")
    page.wait_for_selector("#scoring.scoring-pending progress")
    assert page.inner_text("#scoring .levels-by") == "the rubric's rules"
    judge.gate.set()
    page.wait_for_selector("#scoring.scoring-done", timeout=15000)
    assert page.inner_text("#scoring .levels-by") == "the LLM judge (judge-model)"
    badge = page.inner_text("#criterion-open-questions .level-badge")
    assert badge == "Established"
