"""A cohort's results: the latest ended attempt per practitioner scored with the assignment's
rubric, the tallies behind the chart, who has not attempted, and the CSV; both databases."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.content.rubrics import RubricLibrary
from app.domain.accounts import Principal, Role
from app.domain.rubric_rules import LEVEL_ORDER, LevelName
from app.scoring.engine import score
from app.scoring.factory import default_coder
from app.services import assignment_flow, cohort_results, cohorts
from app.services.cohort_results import CSV_COLUMNS, AssignmentResults, CohortResults
from app.services.runtime import Runtime
from app.store.db import transaction
from app.store.models import User
from app.store.training import Cohort
from tests.training.cohort_helpers import (
    LECTURING,
    NOW,
    RUBRIC,
    SCENARIO,
    SKILLED,
    add_people,
    speak,
    transcript_of_view,
)

TITLES = {SCENARIO: "Back pain: the options"}


@dataclass(frozen=True)
class Held:
    """The cohort the tests read: who is in it and which attempts they held."""

    people: dict[str, int]
    assignment_id: int
    ann_first: int
    ann_latest_ended: int
    ann_active: int
    bob_ended: int
    cara_active: int


@pytest.fixture
async def held(runtime: Runtime, hasher: PasswordHasher) -> Held:
    """Winter: ann ended two attempts (lecturing, then skilled) and has a third open; bob
    ended one (lecturing) and does not share transcripts; cara has one still open; dan has
    not attempted. tess trains Winter."""
    service = runtime.service
    people = add_people(runtime, hasher, ["ann", "cara", "dan"])
    people |= add_people(runtime, hasher, ["bob"], shares=False)
    people |= add_people(runtime, hasher, ["tess"], roles=[Role.TRAINER])
    with transaction(service.sessions) as session:
        tess = session.get_one(User, people["tess"])
        cohort = cohorts.create_cohort(session, "Winter", created_by=tess)
        practitioners = [session.get_one(User, people[n]) for n in ("ann", "bob", "cara", "dan")]
        cohorts.add_members(session, cohort, practitioners)
        assignment_id = cohorts.create_assignment(
            session, cohort, scenario_slug=SCENARIO, rubric_id=RUBRIC
        ).id

    async def attempt(name: str, lines: tuple[str, ...], *, end: bool) -> int:
        user_id = people[name]
        started = assignment_flow.begin_attempt(service, assignment_id, user_id=user_id, now=NOW)
        await speak(service, started, lines)
        if end:
            service.end(started)
        return started

    return Held(
        people=people,
        assignment_id=assignment_id,
        ann_first=await attempt("ann", LECTURING, end=True),
        bob_ended=await attempt("bob", LECTURING, end=True),
        ann_latest_ended=await attempt("ann", SKILLED, end=True),
        ann_active=await attempt("ann", LECTURING[:1], end=False),
        cara_active=await attempt("cara", SKILLED[:1], end=False),
    )


def results_of(runtime: Runtime, rubrics: RubricLibrary) -> CohortResults:
    with transaction(runtime.service.sessions) as session:
        cohort = session.scalars(select(Cohort)).one()
        return cohort_results.cohort_results(
            session, cohort, rubrics=rubrics, coder=default_coder(), scenario_titles=TITLES
        )


def expected_levels(runtime: Runtime, rubrics: RubricLibrary, held: int) -> dict[str, LevelName]:
    """The levels the report's scorer gives the conversation, read through the service."""
    card = score(
        transcript_of_view(runtime.service, held), rubrics.rubrics[RUBRIC], default_coder()
    )
    return {c.id: c.level for c in card.criteria}


async def test_each_practitioner_is_scored_on_their_latest_ended_attempt(
    runtime: Runtime, rubrics: RubricLibrary, held: Held
) -> None:
    results = results_of(runtime, rubrics)
    [found] = results.assignments
    assert (results.cohort_name, found.scenario_title, found.rubric_id) == (
        "Winter",
        TITLES[SCENARIO],
        RUBRIC,
    )
    assert [c.id for c in found.criteria] == [c.id for c in rubrics.rubrics[RUBRIC].criteria]
    rows = {row.member.username: row for row in found.rows}
    assert list(rows) == ["ann", "bob", "cara"]
    ann, bob, cara = rows["ann"], rows["bob"], rows["cara"]
    assert (ann.attempts_used, ann.conversation_id) == (3, held.ann_latest_ended)
    assert ann.levels == expected_levels(runtime, rubrics, held.ann_latest_ended)
    assert ann.ended_at is not None
    assert bob.levels == expected_levels(runtime, rubrics, held.bob_ended)
    assert bob.level("open-questions") is LevelName.NOT_YET
    assert ann.level("open-questions") in {LevelName.ESTABLISHED, LevelName.EXEMPLARY}
    assert (cara.attempts_used, cara.conversation_id, cara.levels) == (1, None, {})
    assert [m.username for m in found.not_attempted] == ["dan"]
    assert found.scored == 2


async def test_tallies_count_the_levels_reached(
    runtime: Runtime, rubrics: RubricLibrary, held: Held
) -> None:
    [found] = results_of(runtime, rubrics).assignments
    for tally in found.tallies:
        reached = [row.level(tally.criterion.id) for row in found.rows]
        assert tally.counts == {level: reached.count(level) for level in LEVEL_ORDER}
        assert sum(tally.counts.values()) == 2
    questions = next(t for t in found.tallies if t.criterion.id == "open-questions")
    assert questions.counts[LevelName.NOT_YET] == 1
    assert questions.counts[LevelName.ESTABLISHED] + questions.counts[LevelName.EXEMPLARY] == 1


async def test_chart_draws_one_stacked_bar_per_criterion_with_its_table(
    runtime: Runtime, rubrics: RubricLibrary, held: Held
) -> None:
    [found] = results_of(runtime, rubrics).assignments
    chart = cohort_results.level_chart(found)
    assert chart is not None
    svg = BeautifulSoup(str(chart.svg), "html.parser").svg
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == f"{chart.id}-caption"
    segments = [rect for rect in svg.find_all("rect") if rect.title]
    drawn = sum(1 for t in found.tallies for level in LEVEL_ORDER if t.counts[level])
    assert len(segments) == drawn
    assert "Not yet seen: 2 of 2" in {rect.title.get_text() for rect in segments}
    assert list(chart.headers) == [
        "Criterion",
        "Not yet seen",
        "Emerging",
        "Established",
        "Exemplary",
    ]
    assert [row[0] for row in chart.rows] == [c.title for c in found.criteria]
    assert all(sum(int(n) for n in row[1:]) == 2 for row in chart.rows)


def test_no_chart_until_an_attempt_has_ended() -> None:
    empty = AssignmentResults(
        assignment_id=1,
        scenario_slug=SCENARIO,
        scenario_title="t",
        rubric_id=RUBRIC,
        rubric_title="r",
        purpose="formative",
        due_at=None,
        criteria=(),
        rows=(),
        not_attempted=(),
        tallies=(),
    )
    assert cohort_results.level_chart(empty) is None


async def test_csv_has_a_row_per_practitioner_and_criterion(
    runtime: Runtime, rubrics: RubricLibrary, held: Held
) -> None:
    with transaction(runtime.service.sessions) as session:
        session.get_one(User, held.people["dan"]).display_name = "=HYPERLINK(1)"
    results = results_of(runtime, rubrics)
    text = cohort_results.to_csv(results)
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    rows = list(reader)
    criteria = [c.id for c in rubrics.rubrics[RUBRIC].criteria]
    assert [(r["username"], r["criterion_id"]) for r in rows] == [
        (name, criterion) for name in ("ann", "bob", "cara", "dan") for criterion in criteria
    ]
    ann = {r["criterion_id"]: r for r in rows if r["username"] == "ann"}
    levels = expected_levels(runtime, rubrics, held.ann_latest_ended)
    assert {c: r["level"] for c, r in ann.items()} == {c: lv.value for c, lv in levels.items()}
    assert {c: r["level_rank"] for c, r in ann.items()} == {
        c: str(lv.rank) for c, lv in levels.items()
    }
    first = ann[criteria[0]]
    assert (first["cohort"], first["scenario"], first["purpose"]) == (
        "Winter",
        SCENARIO,
        "formative",
    )
    assert (first["attempts_used"], first["conversation_id"]) == ("3", str(held.ann_latest_ended))
    assert first["ended_at"].endswith("+00:00")
    dan = [r for r in rows if r["username"] == "dan"]
    assert {(r["attempts_used"], r["level"], r["conversation_id"]) for r in dan} == {("0", "", "")}
    assert dan[0]["display_name"] == "'=HYPERLINK(1)"
    cara = [r for r in rows if r["username"] == "cara"]
    assert {(r["attempts_used"], r["level"]) for r in cara} == {("1", "")}


async def test_a_rubric_that_no_longer_loads_is_said_not_guessed(
    runtime: Runtime, held: Held
) -> None:
    results = results_of(runtime, RubricLibrary())
    [found] = results.assignments
    assert found.problem is not None
    assert "sdm-core" in found.problem
    assert found.criteria == found.tallies == ()
    assert [(r.member.username, r.attempts_used, r.levels) for r in found.rows] == [
        ("ann", 3, {}),
        ("bob", 1, {}),
        ("cara", 1, {}),
    ]
    assert cohort_results.to_csv(results).splitlines() == [",".join(CSV_COLUMNS)]


async def test_links_only_to_attempts_the_viewer_may_open(
    runtime: Runtime, rubrics: RubricLibrary, held: Held, hasher: PasswordHasher
) -> None:
    admin = add_people(runtime, hasher, ["ada"], roles=[Role.ADMIN])["ada"]
    results = results_of(runtime, rubrics)
    tess = Principal(id=held.people["tess"], roles=frozenset({Role.TRAINER}))
    ada = Principal(id=admin, roles=frozenset({Role.ADMIN}))
    with transaction(runtime.service.sessions) as session:
        # bob does not share his transcripts; an admin opens nobody's
        assert cohort_results.viewable_attempts(session, tess, results) == {held.ann_latest_ended}
        assert cohort_results.viewable_attempts(session, ada, results) == frozenset()
