"""In a real browser: an assessor signs in, opens the queue and the review, changes a code and
a level (each with a comment), writes a summary and signs the attempt off; the queue then
shows it signed off and the agreement page counts the override.

The practitioner's side (sign in, hold an ended conversation, submit it) runs over HTTP
through the same pages. Skipped where Chromium is missing, unless REHEARSE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.domain.accounts import Role
from tests.support.browser import LiveApp
from tests.web.accounts import PASSWORD, add_user

pytestmark = pytest.mark.browser
LINES = (
    "What matters most to you about this decision?",
    "So the side effects are what worry you most.",
)
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def _people(app: FastAPI) -> None:
    """Priya practises, Ash assesses."""
    add_user(app, "priya", roles=[Role.PRACTITIONER])
    add_user(app, "ash", roles=[Role.ASSESSOR])


def _submitted_conversation(base: str) -> int:
    """Over HTTP, as Priya: sign in, hold an ended conversation and submit it to Ash."""
    with httpx.Client(base_url=base, timeout=30) as http:
        token = _TOKEN.search(http.get("/sign-in").text)
        assert token is not None
        signed = http.post(
            "/sign-in",
            data={"login": "priya", "password": PASSWORD, "csrf_token": token.group(1)},
        )
        assert signed.status_code == 303
        fresh = _TOKEN.search(http.get("/").text)  # signing in started a new token
        assert fresh is not None
        http.headers["X-CSRF-Token"] = fresh.group(1)
        started = http.post("/scenarios/prostate-decision/conversations")
        conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
        for line in LINES:
            http.post(f"/conversations/{conversation_id}/turns", data={"text": line})
            http.get(f"/conversations/{conversation_id}/reply")
        http.post(f"/conversations/{conversation_id}/end")
        form = http.get(f"/conversations/{conversation_id}/submit").text
        ash = re.search(r'<option value="(\d+)"\s*>ash</option>', form)
        assert ash is not None, form
        sent = http.post(f"/conversations/{conversation_id}/submit", data={"assessor_id": ash[1]})
        assert sent.status_code == 303
    return conversation_id


def test_assessor_reviews_and_signs_off(live_app: LiveApp, browser: Any) -> None:
    server = live_app(configure=_people)
    conversation_id = _submitted_conversation(server)
    page = browser.new_page()

    page.goto(server + "/reviews")
    page.wait_for_url(re.compile(r"/sign-in"))
    page.fill("#login", "ash")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/reviews$"))
    row = page.locator(f"#queue-{conversation_id}")
    assert "Waiting for review" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_selector("form.review-form")

    turn = page.locator("li.review-turn.practitioner", has=page.locator(".code-chip")).first
    index = (turn.get_attribute("id") or "").removeprefix("turn-")
    machine = turn.locator(".code-chip").first.get_attribute("data-code")
    turn.locator("details.code-book summary").click()
    page.uncheck(f"#codes-{index}-{machine}")
    page.check(f"#codes-{index}-affirmation")
    page.get_by_label(f"Comment on turn {index}").fill("It affirmed her, not what the machine saw.")

    criterion = page.locator("article.review-criterion").first
    criterion_id = (criterion.get_attribute("id") or "").removeprefix("criterion-")
    level = page.locator(f"#level-{criterion_id}")
    new_level = "exemplary" if level.input_value() != "exemplary" else "not_yet"
    level.select_option(new_level)
    page.fill(f"#why-{criterion_id}", "Better than the machine thought.")
    page.get_by_label("Your summary for the practitioner").fill("A careful, open conversation.")
    page.get_by_role("button", name="Sign off").click()

    page.wait_for_url(re.compile(r"/reviews$"))
    assert "Signed off" in page.locator(f"#queue-{conversation_id}").inner_text()

    page.goto(server + "/agreement")
    changed = page.locator(f"#agreement-criteria tr[data-name={criterion_id}]")
    assert changed.locator(".overridden").inner_text() == "1"
    assert page.locator("#agreement-codes tr[data-name=affirmation] .overridden").inner_text() == (
        "1"
    )
    page.close()
