"""A real browser (Debian's Chromium via Playwright) holds a streamed conversation.

The htmx SSE wiring only proves itself in a browser: the reply must stream into the page,
the bubble must be swapped for the saved turn, and refused input must show a message.
Skipped where Chromium is missing, unless REHEARSE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def test_practitioner_holds_a_streamed_conversation(server: str, browser: Any) -> None:
    assert (PROJECT / "static/vendor/htmx.min.js").is_file(), "run `make static`"
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

    conversation_id = page.url.rsplit("/", 1)[1]
    saved = httpx.get(f"{server}/conversations/{conversation_id}.json").json()["turns"]
    assert [t["speaker"] for t in saved] == ["person", "practitioner", "person"]
    assert saved[2]["text"] == shown
