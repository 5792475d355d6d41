"""Accessibility of the training pages, measured in a real browser (Chromium via Playwright).

One app serves a small training team: an administrator, a trainer with a cohort and an
assignment, an assessor, practitioners who have held attempts (one signed off by the
assessor, one waiting for review, one not yet submitted), someone who has not yet agreed to
anything, and a scenario version written in the app. Each person signs in through the real
sign-in page; axe-core (as in test_accessibility.py) then runs on every page that person may
open, forms refused with their messages included, and must find no serious or critical
violation. The widest pages must not scroll sideways at 200% zoom (a 640 px viewport at
device scale 2); a wide table may scroll inside its own region, which must then be within
the width and reachable by keyboard. Skipped where Chromium or axe-core is missing, unless
REHEARSE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.domain.accounts import Role
from app.services import accounts, authoring, cohorts
from app.store.db import transaction
from tests.support.axe import AXE, BLOCKING, ZOOMED, axe_violations, describe
from tests.support.browser import LiveApp, require
from tests.web.accounts import PASSWORD, add_user

pytestmark = pytest.mark.browser
SCENARIO = "prostate-decision"
AUTHORED = "back-pain-options"
LINES = (
    "What matters most to you about this decision?",
    "So the side effects are what worry you most.",
    "Shall we go through the options together?",
)
WIDE = {"width": 1280, "height": 800}
LONG_NAME = "margaret.featherstonehaugh-cholmondeley"  # long names must wrap, not widen
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass(frozen=True)
class Team:
    """What the pages are about: ids made while setting the app up."""

    server: str
    cohort_id: int
    version_id: int
    priya_id: int
    reviewed: int  # priya's assignment attempt, to be signed off by ash
    waiting: int  # priya's attempt submitted to ash, not yet reviewed
    unsubmitted: int  # priya's ended attempt, not submitted


def _setting_up(ids: dict[str, int]) -> Callable[[FastAPI], None]:
    """The configure hook: people, the Winter cohort with its assignment, and a version of
    a scenario saved in the app (``ids`` receives what was made)."""

    def configure(app: FastAPI) -> None:
        add_user(app, "ada", roles=[Role.ADMIN])
        add_user(app, "tess", roles=[Role.TRAINER])
        add_user(app, "ash", roles=[Role.ASSESSOR])
        ids["priya"] = add_user(app, "priya")
        add_user(app, "ann")
        add_user(app, "nina", consented=False, shares=False)
        runtime = app.state.runtime
        with transaction(runtime.service.sessions) as session:
            tess = accounts.find_user(session, "tess")
            assert tess is not None
            cohort = cohorts.create_cohort(session, "Winter", created_by=tess)
            cohorts.add_by_usernames(
                session, cohort, "priya, ann", as_role=Role.PRACTITIONER, actor=tess
            )
            assignment = cohorts.create_assignment(
                session, cohort, scenario_slug=SCENARIO, rubric_id="sdm-core", created_by=tess
            )
            source = runtime.library.sources[AUTHORED]
            version = authoring.save(
                session,
                runtime.library,
                text=source.replace("a first appointment", "a first visit"),
                editing=AUTHORED,
                author=tess,
                note="Plainer words for the setting.",
            )
            authoring.published_overlay(session, runtime.library)
            ids.update(cohort=cohort.id, assignment=assignment.id, version=version.id)

    return configure


@contextmanager
def _http_as(base: str, login: str) -> Iterator[httpx.Client]:
    """An HTTP client signed in as ``login`` through the sign-in form, carrying its token."""
    with httpx.Client(base_url=base, timeout=30) as http:
        token = _TOKEN.search(http.get("/sign-in").text)
        assert token is not None
        signed = http.post(
            "/sign-in", data={"login": login, "password": PASSWORD, "csrf_token": token[1]}
        )
        assert signed.status_code == 303, signed.text
        fresh = _TOKEN.search(http.get("/account/data").text)
        assert fresh is not None
        http.headers["X-CSRF-Token"] = fresh[1]
        yield http


def _hold(http: httpx.Client, start: str) -> int:
    """Start a conversation by posting to ``start``, say the lines, end it; its id."""
    started = http.post(start)
    assert started.status_code == 303, started.text
    conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
    for line in LINES:
        http.post(f"/conversations/{conversation_id}/turns", data={"text": line})
        http.get(f"/conversations/{conversation_id}/reply")
    assert http.post(f"/conversations/{conversation_id}/end").status_code == 303
    return conversation_id


def _submit(http: httpx.Client, conversation_id: int, assessor: str) -> None:
    form = http.get(f"/conversations/{conversation_id}/submit").text
    chosen = re.search(rf'<option value="(\d+)"\s*>{assessor}</option>', form)
    assert chosen is not None, form
    sent = http.post(f"/conversations/{conversation_id}/submit", data={"assessor_id": chosen[1]})
    assert sent.status_code == 303, sent.text


@pytest.fixture
def team(live_app: LiveApp) -> Team:
    ids: dict[str, int] = {}
    server = live_app(configure=_setting_up(ids))
    assignment = f"/assignments/{ids['assignment']}/attempts"
    with _http_as(server, "priya") as priya:
        reviewed = _hold(priya, assignment)
        waiting = _hold(priya, f"/scenarios/{SCENARIO}/conversations")
        unsubmitted = _hold(priya, assignment)
        _submit(priya, reviewed, "ash")
        _submit(priya, waiting, "ash")
    with _http_as(server, "ann") as ann:
        _hold(ann, assignment)
    return Team(
        server=server,
        cohort_id=ids["cohort"],
        version_id=ids["version"],
        priya_id=ids["priya"],
        reviewed=reviewed,
        waiting=waiting,
        unsubmitted=unsubmitted,
    )


class Audit:
    """Runs axe on each page it is shown and keeps what it finds, so that one run reports
    every page's violations (and every overflow at 200% zoom) together."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.checked: list[str] = []

    def visit(self, page: Any, path: str, what: str, *, zoom: bool = False) -> None:
        """Open ``path`` (it must answer 200) and check it as shown."""
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{what}: {path} answered {response.status}"
        self.check(page, what, zoom=zoom)

    def check(self, page: Any, what: str, *, zoom: bool = False) -> None:
        """axe on the page as it is now, every disclosure opened; with ``zoom``, axe again
        and the width checks at 200%."""
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
        self._axe(page, what)
        if zoom:
            page.set_viewport_size(ZOOMED)
            self._axe(page, f"{what} at 200%")
            self._fits(page, f"{what} at 200%")
            page.set_viewport_size(WIDE)

    def _axe(self, page: Any, what: str) -> None:
        found = axe_violations(page)
        blocking = [v for v in found if v["impact"] in BLOCKING]
        self.checked.append(what)
        if blocking:
            self.problems.append(f"{what} ({page.url}):\n{describe(blocking)}")

    def _fits(self, page: Any, what: str) -> None:
        """Nothing is wider than the window, except inside a region that scrolls on its
        own, which must then take keyboard focus and have a name."""
        width = page.evaluate("window.innerWidth")
        assert width == ZOOMED["width"]
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            self.problems.append(f"{what}: the page scrolls sideways ({scroll} px in {width})")
        found = page.evaluate(
            """() => {
              const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
              const inRegion = el => {
                for (let up = el.parentElement; up; up = up.parentElement) {
                  if (scrolls(up)) return true;
                }
                return false;
              };
              const name = el => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className;
              const all = [...document.querySelectorAll('main *')];
              const wide = all
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(el => getComputedStyle(el).position !== 'absolute')
                .filter(el => !inRegion(el))
                .map(name);
              const unreachable = all
                .filter(el => scrolls(el) && el.scrollWidth > el.clientWidth)
                .filter(el => el.tagName !== 'TEXTAREA')
                .filter(el => el.tabIndex < 0
                  || !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
                .map(name);
              return {wide, unreachable};
            }"""
        )
        if found["wide"]:
            self.problems.append(f"{what}: wider than the window: {found['wide'][:8]}")
        if found["unreachable"]:
            self.problems.append(
                f"{what}: scrolling regions without focus or a name: {found['unreachable']}"
            )


def _signed_in_page(browser: Any, base: str, login: str) -> Any:
    """A fresh browser context signed in as ``login`` through the sign-in page."""
    context = browser.new_context(base_url=base, viewport=WIDE, device_scale_factor=2)
    page = context.new_page()
    page.goto("/sign-in")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/sign-in" not in page.url, f"{login} could not sign in"
    return page


def _anonymous(browser: Any, base: str, audit: Audit) -> None:
    context = browser.new_context(base_url=base, viewport=WIDE, device_scale_factor=2)
    page = context.new_page()
    audit.visit(page, "/sign-in", "sign-in", zoom=True)
    page.fill("#login", "priya")
    page.fill("#password", "not her password")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#sign-in-error")
    audit.check(page, "sign-in, refused")
    context.close()


def _newcomer(browser: Any, base: str, audit: Audit) -> None:
    page = _signed_in_page(browser, base, "nina")
    audit.visit(page, "/consent?next=/", "consent", zoom=True)
    page.evaluate("document.querySelector('form.consent-form').noValidate = true")
    page.click("form.consent-form button[type=submit]")
    page.wait_for_selector("#consent-error")
    audit.check(page, "consent, refused")
    page.context.close()


def _assessor(browser: Any, team: Team, audit: Audit) -> None:
    page = _signed_in_page(browser, team.server, "ash")
    audit.visit(page, "/reviews", "review queue", zoom=True)
    review = f"/reviews/{team.reviewed}"
    audit.visit(page, review, "review", zoom=True)
    page.goto(review)
    criterion = page.locator("article.review-criterion").first
    criterion_id = (criterion.get_attribute("id") or "").removeprefix("criterion-")
    level = page.locator(f"#level-{criterion_id}")
    level.select_option("exemplary" if level.input_value() != "exemplary" else "not_yet")
    page.get_by_role("button", name="Return for another attempt").click()
    page.wait_for_selector(".error-summary")
    audit.check(page, "review, refused (422)", zoom=True)
    page.fill(f"#why-{criterion_id}", "Better than the machine thought.")
    page.get_by_label("Your summary for the practitioner").fill("A careful, open conversation.")
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_url(re.compile(r"/reviews$"))
    audit.check(page, "review queue, one signed off")
    audit.visit(page, review, "review, already reviewed")
    audit.visit(page, "/agreement", "agreement", zoom=True)
    page.context.close()


def _practitioner(browser: Any, team: Team, audit: Audit) -> None:
    page = _signed_in_page(browser, team.server, "priya")
    audit.visit(page, "/assignments", "my assignments", zoom=True)
    audit.visit(page, "/account/data", "my data", zoom=True)
    audit.visit(page, "/account/password", "password")
    page.fill("#current", "wrong password")
    page.fill("#new", "a new and long passphrase")
    page.fill("#confirm", "a different passphrase")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#password-error")
    audit.check(page, "password, refused")
    audit.visit(page, f"/conversations/{team.unsubmitted}/submit", "submit for review")
    audit.visit(page, "/reviews/mine", "my reviews", zoom=True)
    audit.visit(page, f"/conversations/{team.reviewed}/report", "report, reviewed", zoom=True)
    audit.visit(page, f"/conversations/{team.waiting}/report", "report, waiting for review")
    audit.visit(page, f"/conversations/{team.reviewed}/delete", "delete, signed off")
    audit.visit(page, f"/conversations/{team.unsubmitted}/delete", "delete")
    page.context.close()


def _trainer(browser: Any, team: Team, audit: Audit) -> None:
    page = _signed_in_page(browser, team.server, "tess")
    audit.visit(page, "/cohorts", "cohorts")
    cohort = f"/cohorts/{team.cohort_id}"
    audit.visit(page, cohort, "cohort", zoom=True)
    page.get_by_role("button", name="Set assignment").click()
    page.wait_for_selector("#assignment-error")
    audit.check(page, "cohort, assignment refused (422)")
    page.fill("#practitioner-usernames", "nobody-by-that-name")
    page.get_by_role("button", name="Add practitioners").click()
    page.wait_for_selector("#practitioners-error")
    audit.check(page, "cohort, members refused (422)")
    audit.visit(page, f"{cohort}/results", "cohort results", zoom=True)
    audit.visit(page, "/authoring", "authoring", zoom=True)
    audit.visit(page, "/authoring/new", "new scenario")
    edit = f"/authoring/{AUTHORED}/edit"
    audit.visit(page, edit, "edit scenario", zoom=True)
    page.get_by_role("button", name="Preview as practitioner").click()
    page.wait_for_selector("#check-ok")
    audit.check(page, "edit scenario, preview", zoom=True)
    page.fill("#scenario-text", f"id: {AUTHORED}\ntitle: [unclosed\nstep: two\n")
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("#problems")
    audit.check(page, "edit scenario, checked with errors (422)", zoom=True)
    history = f"/authoring/{AUTHORED}/history"
    audit.visit(page, history, "scenario history", zoom=True)
    audit.visit(page, f"/authoring/{AUTHORED}/versions/{team.version_id}", "version", zoom=True)
    page.context.close()


def _administrator(browser: Any, team: Team, audit: Audit) -> None:
    page = _signed_in_page(browser, team.server, "ada")
    audit.visit(page, "/admin/users/new", "new user")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_selector("#create-error")
    audit.check(page, "new user, refused (422)")
    audit.visit(page, f"/admin/users/{team.priya_id}", "edit user", zoom=True)
    audit.visit(page, "/admin/users/import", "import users", zoom=True)
    _import(page, "username,email,roles\nbad name,not-an-email,wizard\n")
    page.wait_for_selector("#import-problems")
    audit.check(page, "import users, bad rows (422)")
    _import(page, f"username,email,roles\n{LONG_NAME},{LONG_NAME}@example.org,trainer;assessor\n")
    page.wait_for_selector("#imported")
    audit.check(page, "import users, accounts made", zoom=True)
    audit.visit(page, "/admin/users", "admin users", zoom=True)
    audit.visit(page, "/admin/audit", "audit log", zoom=True)
    page.context.close()


def _import(page: Any, rows: str) -> None:
    """Upload ``rows`` as a CSV file on the import page."""
    page.goto("/admin/users/import")
    page.set_input_files(
        "#file", {"name": "people.csv", "mimeType": "text/csv", "buffer": rows.encode()}
    )
    page.get_by_role("button", name="Import accounts").click()
    page.wait_for_load_state("networkidle")


def test_training_pages_are_accessible(team: Team, browser: Any) -> None:
    require(AXE, "axe-core", "make static (npm install)")
    audit = Audit()
    _anonymous(browser, team.server, audit)
    _newcomer(browser, team.server, audit)
    _assessor(browser, team, audit)
    _practitioner(browser, team, audit)
    _trainer(browser, team, audit)
    _administrator(browser, team, audit)
    assert not audit.problems, "\n\n".join(audit.problems)
    assert len(audit.checked) == 63, f"not every page was checked: {audit.checked}"
