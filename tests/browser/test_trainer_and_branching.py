"""In a real browser: the trainer watches trust and released facts change as the
practitioner talks, then the practitioner tries a different response at turn 1.

The live refresh of the trainer panel (htmx, after each new turn in the transcript) and the
branch action only prove themselves in a browser. Skipped where Chromium is missing, unless
REHEARSE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import LiveApp
from tests.web.trainer_helpers import EARNS_COLD_HOUSE, LECTURE, OPEN, SCENARIO_ID, SCENARIOS

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
FINISHED = "#transcript li.person:not(.streaming)"


@pytest.fixture
def server(live_app: LiveApp) -> str:
    """The app with the test scenario in place of the real ones."""
    return live_app(scenarios_dir=SCENARIOS)


def _say(page: Any, text: str, replies: int) -> None:
    """Type and send ``text``; wait until ``replies`` finished person turns are shown."""
    page.fill("#say-text", text)
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('{FINISHED}').length == {replies}")


def _trust_now(page: Any) -> str:
    value: str = page.get_attribute("#state-now [data-trust]", "data-trust")
    return value


def test_trainer_sees_trust_and_facts_change_then_a_branch_is_tried(
    server: str, browser: Any
) -> None:
    assert (PROJECT / "static/vendor/htmx.min.js").is_file(), "run `make static`"
    page = browser.new_page()
    page.goto(server + "/")
    page.click(f"#scenario-{SCENARIO_ID} button")
    page.wait_for_selector("#say-text")
    assert page.locator("#trainer-panel").count() == 0
    _say(page, OPEN, replies=2)

    page.click("#trainer-view-link")
    page.wait_for_selector("#trainer-panel")
    assert page.locator("#trainer-panel .turn-state").count() == 1
    after_open = _trust_now(page)
    assert "pending" in (page.get_attribute("#fact-cold-house", "class") or "")

    # Live: the panel refreshes itself as the conversation goes on.
    _say(page, EARNS_COLD_HOUSE, replies=3)
    page.wait_for_selector("#fact-cold-house.released")
    page.wait_for_function("document.querySelectorAll('#trainer-panel .turn-state').length == 2")
    assert _trust_now(page) != after_open
    assert "Released on turn 2" in page.inner_text("#fact-cold-house")
    assert page.locator("#state-3 .released li[data-fact=cold-house]").count() == 1
    page.wait_for_selector("#state-3 .reply-checks")

    # Re-rehearsal from turn 1, with the keyboard.
    original_url = page.url
    page.focus("#turn-1 form.branch-action button")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != original_url)
    page.wait_for_selector(".fork-notice")
    assert "your turn 1" in page.inner_text(".fork-notice")
    assert page.locator("#trainer-panel .turn-state").count() == 0
    assert "pending" in (page.get_attribute("#fact-cold-house", "class") or "")
    _say(page, LECTURE, replies=2)
    page.wait_for_function("document.querySelectorAll('#trainer-panel .turn-state').length == 1")
    lectured = page.locator("#trainer-panel .turn-state .trust-after").inner_text()
    assert float(lectured) < float(after_open)
    assert "pending" in (page.get_attribute("#fact-cold-house", "class") or "")

    page.reload()
    switcher = page.locator("nav.branch-switcher li")
    assert switcher.count() == 2
    assert LECTURE in switcher.nth(1).inner_text()

    page.goto(server + "/conversations")
    branches = page.locator("table.history ul.branches li")
    assert branches.count() == 1
    assert "from your turn 1" in branches.first.inner_text()
