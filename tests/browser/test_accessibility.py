"""Accessibility measured in a real browser (Debian's Chromium via Playwright).

axe-core (installed from the npm registry by ``make static``, a devDependency in
package.json) is injected into the report page and the conversation page, in the
practitioner's and the trainer's view, and must find no serious or critical violation. At
200% zoom (a 640 px wide viewport: the CSS pixels of a 1280 px window zoomed to 200%, at
device scale 2) the report must not scroll sideways, its headings must fit the width, and
an evidence link must still lead to its turn. Skipped where Chromium is missing, unless
REHEARSE_REQUIRE_BROWSER=1 (CI), which also requires axe-core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.axe import AXE, BLOCKING, ZOOMED, axe_violations, describe
from tests.support.browser import hold_conversation, require

pytestmark = pytest.mark.browser
LINES = (
    "How many times do you get up at night?",
    "You need to have the operation, it's the sensible choice.",
    "What matters most to you about what happens next?",
)


@pytest.fixture(autouse=True)
def axe() -> Path:
    """axe-core, required here as Chromium is (skip locally, fail on CI)."""
    return require(AXE, "axe-core", "make static (npm install)")


PAGES = ["/conversations/{id}/report", "/conversations/{id}", "/conversations/{id}?view=trainer"]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_axe_violations(server: str, browser: Any, path: str) -> None:
    conversation_id = hold_conversation(server, LINES)
    page = browser.new_page()
    page.goto(server + path.format(id=conversation_id))
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    page.close()


def test_report_at_200_percent_zoom(server: str, browser: Any) -> None:
    conversation_id = hold_conversation(server, LINES)
    page = browser.new_page(viewport=ZOOMED, device_scale_factor=2)
    page.goto(f"{server}/conversations/{conversation_id}/report")
    page.wait_for_load_state("networkidle")
    width = page.evaluate("window.innerWidth")
    assert width == ZOOMED["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways: {scroll} px of content in {width} px"
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(el => getComputedStyle(el).position !== 'absolute')
            .map(el => el.tagName + '.' + el.className)"""
    )
    assert not wide, f"elements wider than the zoomed window: {wide[:10]}"
    headings = page.locator("main h1, main h2, main h3")
    assert headings.count() > 10
    for index in range(headings.count()):
        box = headings.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width + 1

    link = page.locator("#criteria .evidence-item a.turn-link").first
    target = link.get_attribute("href")
    assert target is not None
    assert target.startswith("#turn-")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '{target}'")
    box = page.locator(target).bounding_box()
    assert box is not None
    assert -1 <= box["y"] < ZOOMED["height"]  # scrolled to its top (sub-pixel rounding)
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width + 1
    page.close()
