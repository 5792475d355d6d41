"""A cohort's results page and CSV, on SQLite and PostgreSQL, from attempts held through the
pages: each practitioner's latest ended attempt at the report's own levels, the chart and
its table, who has not attempted, and links only to transcripts the trainer may open."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.domain.accounts import Role
from app.domain.rubric_rules import LevelName
from app.scoring.labels import LEVEL_LABELS
from app.services import audit
from app.services.cohort_results import CSV_COLUMNS
from app.store.db import transaction
from app.store.training import Assignment
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import SCENARIO, soup

RUBRIC = "sdm-core"  # the rubric the report page scores with, so its levels can be compared
SKILLED = (
    "What matters most to you about this decision?",
    "It sounds like the side effects are what worry you most.",
    "So to sum up, you want to keep working. Have I got that right?",
)
LECTURING = ("You should just have the operation.",)


@dataclass(frozen=True)
class Cohort:
    """Winter, trained by tess: ann (sharing) and bob (not sharing) ended an attempt each,
    ann's second is still open; dan has not attempted."""

    id: int
    assignment_id: int
    ann_attempt: int
    bob_attempt: int


async def attempt(app: FastAPI, who: str, assignment_id: int, lines: tuple[str, ...]) -> int:
    """Start an attempt from the assignments page, say ``lines`` (each answered), end it."""
    async with signed_in(app, who) as http:
        started = await http.post(f"/assignments/{assignment_id}/attempts")
        assert started.status_code == 303, started.text
        conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
        for line in lines:
            said = await http.post(f"/conversations/{conversation_id}/turns", data={"text": line})
            assert said.status_code == 303, said.text
            await http.get(f"/conversations/{conversation_id}/reply")
        assert (await http.post(f"/conversations/{conversation_id}/end")).status_code == 303
        return conversation_id


async def report_levels(app: FastAPI, who: str, conversation_id: int) -> dict[str, LevelName]:
    """The levels the practitioner's own report gives the attempt."""
    async with signed_in(app, who) as http:
        card = (await http.get(f"/conversations/{conversation_id}/report.json")).json()
    return {c["id"]: LevelName(c["level"]) for c in card["criteria"]}


@pytest.fixture
async def winter(app: FastAPI) -> Cohort:
    add_user(app, "tess", roles=[Role.TRAINER])
    add_user(app, "ann")
    add_user(app, "bob", shares=False)
    add_user(app, "dan")
    async with signed_in(app, "tess") as tess:
        created = await tess.post("/cohorts", data={"name": "Winter"})
        cohort_id = int(created.headers["location"].rsplit("/", 1)[1])
        await tess.post(f"/cohorts/{cohort_id}/members", data={"usernames": "ann, bob, dan"})
        fields = {"scenario": SCENARIO, "rubric": RUBRIC, "purpose": "formative"}
        assert (
            await tess.post(f"/cohorts/{cohort_id}/assignments", data=fields)
        ).status_code == 303
    with transaction(app.state.runtime.service.sessions) as session:
        assignment_id = session.scalars(select(Assignment.id)).one()
    ann_attempt = await attempt(app, "ann", assignment_id, SKILLED)
    bob_attempt = await attempt(app, "bob", assignment_id, LECTURING)
    async with signed_in(app, "ann") as ann:  # a later attempt, still open, does not count
        assert (await ann.post(f"/assignments/{assignment_id}/attempts")).status_code == 303
    return Cohort(cohort_id, assignment_id, ann_attempt, bob_attempt)


async def test_results_table_shows_the_reports_levels_per_practitioner(
    app: FastAPI, winter: Cohort
) -> None:
    expected = {
        "ann": await report_levels(app, "ann", winter.ann_attempt),
        "bob": await report_levels(app, "bob", winter.bob_attempt),
    }
    async with signed_in(app, "tess") as tess:
        response = await tess.get(f"/cohorts/{winter.id}/results")
    assert response.status_code == 200
    page = soup(response)
    table = page.select_one(f"#levels-{winter.assignment_id}")
    assert table.caption is not None
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[:3] == ["Practitioner", "Attempts used", "Attempt ended"]
    assert len(headers) == 3 + len(expected["ann"])
    for name, used in (("ann", "2"), ("bob", "1")):
        row = table.select_one(f"#result-{winter.assignment_id}-{name}")
        cells = [td.get_text(strip=True) for td in row.select("td")]
        assert cells[0] == used
        assert cells[2:] == [LEVEL_LABELS[level] for level in expected[name].values()]
    # ann shares her transcripts, bob does not: only ann's attempt is a link
    links = [a["href"] for a in table.select("a")]
    assert links == [f"/conversations/{winter.ann_attempt}/report"]
    waiting = page.select_one(f"#waiting-{winter.assignment_id}")
    assert [li.get_text(" ", strip=True) for li in waiting.select("li")] == ["dan (dan)"]


async def test_results_chart_has_a_bar_per_criterion_and_a_table(
    app: FastAPI, winter: Cohort
) -> None:
    async with signed_in(app, "tess") as tess:
        page = soup(await tess.get(f"/cohorts/{winter.id}/results"))
    figure = page.select_one(f"figure#level-chart-{winter.assignment_id}")
    svg = figure.svg
    caption = figure.figcaption
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == caption["id"]
    assert "2 practitioners" in caption.get_text()
    rows = figure.select("details table tbody tr")
    level_table = page.select_one(f"table#levels-{winter.assignment_id}")
    criteria = [th.get_text(strip=True) for th in level_table.select("thead th[id]")]
    assert [row.th.get_text() for row in rows] == criteria
    for row in rows:
        assert sum(int(td.get_text()) for td in row.select("td")) == 2
    assert {t.get_text().split(":")[0] for t in svg.select("rect > title")} <= set(
        LEVEL_LABELS.values()
    )


async def test_results_csv_has_stable_columns_and_a_row_per_practitioner_and_criterion(
    app: FastAPI, winter: Cohort
) -> None:
    levels = await report_levels(app, "ann", winter.ann_attempt)
    async with signed_in(app, "tess") as tess:
        response = await tess.get(f"/cohorts/{winter.id}/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    assert len(rows) == 3 * len(levels)
    ann = {r["criterion_id"]: r["level"] for r in rows if r["username"] == "ann"}
    assert ann == {criterion: level.value for criterion, level in levels.items()}
    assert {r["level"] for r in rows if r["username"] == "dan"} == {""}
    with transaction(app.state.runtime.service.sessions) as session:
        exports = [e.action for e in audit.history(session, "cohort", winter.id)]
    assert "export" in exports


async def test_no_assignments_yet_says_so(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    async with signed_in(app, "tess") as tess:
        created = await tess.post("/cohorts", data={"name": "Empty"})
        page = soup(await tess.get(created.headers["location"] + "/results"))
    assert page.select_one("#no-assignments") is not None
