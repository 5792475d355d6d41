"""A practitioner's assignments: the overview, starting attempts, and the xAPI statements
written when they start and end; on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.content.rubrics import RubricLibrary
from app.domain.assignments import DueStatus, Purpose
from app.scoring.engine import score
from app.scoring.factory import default_coder
from app.services import assignment_flow, cohorts
from app.services.assignment_flow import AttemptRefused
from app.services.rehearsal import NotFound
from app.services.runtime import Runtime
from app.store.db import transaction
from app.store.models import Conversation, User
from app.store.training import AssignmentAttempt, Cohort, XapiStatement
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


def set_up(
    runtime: Runtime, hasher: PasswordHasher, **options: object
) -> tuple[dict[str, int], int]:
    """ann and bob practise in Winter; one assignment of SCENARIO with ``options``."""
    people = add_people(runtime, hasher, ["ann", "bob", "out"])
    with transaction(runtime.service.sessions) as session:
        cohort = cohorts.create_cohort(session, "Winter")
        users = [session.get_one(User, people[name]) for name in ("ann", "bob")]
        cohorts.add_members(session, cohort, users)
        assignment = cohorts.create_assignment(
            session, cohort, scenario_slug=SCENARIO, rubric_id=RUBRIC, **options
        )
        return people, assignment.id


def statements(session: Session, conversation_id: int) -> list[str]:
    rows = session.scalars(
        select(XapiStatement.verb)
        .where(XapiStatement.conversation_id == conversation_id)
        .order_by(XapiStatement.verb)
    )
    return list(rows)


def conversation_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Conversation)) or 0


def test_begin_attempt_starts_records_and_says_attempted(
    runtime: Runtime, hasher: PasswordHasher
) -> None:
    people, assignment_id = set_up(runtime, hasher, attempts_allowed=2)
    service = runtime.service
    first = assignment_flow.begin_attempt(service, assignment_id, user_id=people["ann"], now=NOW)
    view = service.view(first)
    assert (view.scenario_id, service.owner_of(first)) == (SCENARIO, people["ann"])
    with transaction(service.sessions) as session:
        attempt = session.get_one(AssignmentAttempt, first)
        assert (attempt.assignment_id, attempt.user_id) == (assignment_id, people["ann"])
        assert statements(session, first) == ["attempted"]
        row = session.scalars(select(XapiStatement)).one()
        assert row.statement["actor"]["account"]["name"] == "ann"
        assert row.statement["object"]["id"].endswith(f"/assignments/{assignment_id}")


def test_no_attempts_left_is_refused_and_starts_nothing(
    runtime: Runtime, hasher: PasswordHasher
) -> None:
    people, assignment_id = set_up(runtime, hasher, attempts_allowed=1)
    service = runtime.service
    assignment_flow.begin_attempt(service, assignment_id, user_id=people["ann"], now=NOW)
    with pytest.raises(AttemptRefused, match="used every attempt"):
        assignment_flow.begin_attempt(service, assignment_id, user_id=people["ann"], now=NOW)
    with transaction(service.sessions) as session:
        assert conversation_count(session) == 1
    # bob's attempts are his own
    assignment_flow.begin_attempt(service, assignment_id, user_id=people["bob"], now=NOW)


def test_overdue_may_still_start_while_attempts_remain(
    runtime: Runtime, hasher: PasswordHasher
) -> None:
    people, assignment_id = set_up(runtime, hasher, due_at=NOW - timedelta(days=1))
    with transaction(runtime.service.sessions) as session:
        ann = session.get_one(User, people["ann"])
        [card] = assignment_flow.assignments_overview(session, ann, NOW)
        assert (card.status, card.can_start) == (DueStatus.OVERDUE, True)
    started = assignment_flow.begin_attempt(
        runtime.service, assignment_id, user_id=people["ann"], now=NOW
    )
    assert runtime.service.view(started).scenario_id == SCENARIO


def test_only_the_cohorts_practitioners_can_start(runtime: Runtime, hasher: PasswordHasher) -> None:
    people, assignment_id = set_up(runtime, hasher)
    with pytest.raises(NotFound, match=f"no assignment {assignment_id}"):
        assignment_flow.begin_attempt(
            runtime.service, assignment_id, user_id=people["out"], now=NOW
        )
    with pytest.raises(NotFound, match="no assignment 999"):
        assignment_flow.begin_attempt(runtime.service, 999, user_id=people["ann"], now=NOW)


def test_a_scenario_gone_from_the_library_is_refused(
    runtime: Runtime, hasher: PasswordHasher
) -> None:
    people, _ = set_up(runtime, hasher)
    with transaction(runtime.service.sessions) as session:
        cohort = session.scalars(select(Cohort)).one()
        gone = cohorts.create_assignment(session, cohort, scenario_slug="gone", rubric_id=RUBRIC)
        gone_id = gone.id
    with pytest.raises(AttemptRefused, match="no longer in the library"):
        assignment_flow.begin_attempt(runtime.service, gone_id, user_id=people["ann"], now=NOW)


def test_losing_a_race_for_the_last_attempt_leaves_no_conversation(
    runtime: Runtime, hasher: PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two starts pass the check together; the later one to record must clean up."""
    people, assignment_id = set_up(runtime, hasher, attempts_allowed=1)
    service = runtime.service
    start = service.start

    def start_after_another_tab(scenario_id: str, *, user_id: int) -> int:
        monkeypatch.setattr(service, "start", start)
        assignment_flow.begin_attempt(service, assignment_id, user_id=user_id, now=NOW)
        return start(scenario_id, user_id=user_id)

    monkeypatch.setattr(service, "start", start_after_another_tab)
    with pytest.raises(AttemptRefused, match="no attempts left"):
        assignment_flow.begin_attempt(service, assignment_id, user_id=people["ann"], now=NOW)
    with transaction(service.sessions) as session:
        assert conversation_count(session) == 1
        assert session.scalar(select(func.count()).select_from(AssignmentAttempt)) == 1


async def test_attempt_ended_writes_completed_and_the_rubric_score_once(
    runtime: Runtime, hasher: PasswordHasher, rubrics: RubricLibrary
) -> None:
    people, assignment_id = set_up(runtime, hasher, purpose=Purpose.SIGN_OFF)
    service = runtime.service
    held = assignment_flow.begin_attempt(service, assignment_id, user_id=people["ann"], now=NOW)
    await speak(service, held, SKILLED)
    with transaction(service.sessions) as session:  # not yet ended: nothing to report
        assignment_flow.attempt_ended(session, held, now=NOW, rubrics=rubrics)
        assert statements(session, held) == ["attempted"]
    service.end(held)
    for _ in range(2):  # the end asked for twice reports once
        with transaction(service.sessions) as session:
            assignment_flow.attempt_ended(session, held, now=NOW, rubrics=rubrics)
    card = score(transcript_of_view(service, held), rubrics.rubrics[RUBRIC], default_coder())
    raw = sum(c.level.rank for c in card.criteria)
    with transaction(service.sessions) as session:
        assert statements(session, held) == ["attempted", "completed", "scored"]
        scored = session.scalars(select(XapiStatement).where(XapiStatement.verb == "scored")).one()
    result = scored.statement["result"]
    assert result["score"]["raw"] == raw > 0
    assert result["score"]["max"] == 3 * len(card.criteria)
    assert result["completion"] is True
    assert "success" not in result  # the assessor decides sign-off, not the machine


async def test_attempt_ended_ignores_practice_and_skips_a_missing_rubric(
    runtime: Runtime, hasher: PasswordHasher, rubrics: RubricLibrary
) -> None:
    people, _ = set_up(runtime, hasher)
    service = runtime.service
    practice = service.start(SCENARIO, user_id=people["ann"])
    service.end(practice)
    with transaction(service.sessions) as session:
        cohort = session.scalars(select(Cohort)).one()
        lost = cohorts.create_assignment(session, cohort, scenario_slug=SCENARIO, rubric_id="gone")
        lost_id = lost.id
    attempt = assignment_flow.begin_attempt(service, lost_id, user_id=people["ann"], now=NOW)
    await speak(service, attempt, LECTURING[:1])
    service.end(attempt)
    with transaction(service.sessions) as session:
        assignment_flow.attempt_ended(session, practice, now=NOW, rubrics=rubrics)
        assignment_flow.attempt_ended(session, attempt, now=NOW, rubrics=rubrics)
    with transaction(service.sessions) as session:
        assert statements(session, practice) == []
        assert statements(session, attempt) == ["attempted", "completed"]


def test_overview_lists_own_assignments_with_standing(
    runtime: Runtime, hasher: PasswordHasher
) -> None:
    people, assignment_id = set_up(
        runtime, hasher, attempts_allowed=2, due_at=NOW + timedelta(hours=3)
    )
    assignment_flow.begin_attempt(runtime.service, assignment_id, user_id=people["ann"], now=NOW)
    titles = {SCENARIO: "Back pain: the options"}
    with transaction(runtime.service.sessions) as session:
        ann = session.get_one(User, people["ann"])
        [card] = assignment_flow.assignments_overview(session, ann, NOW, scenario_titles=titles)
        out = session.get_one(User, people["out"])
        assert assignment_flow.assignments_overview(session, out, NOW) == []
    assert (card.id, card.cohort, card.scenario_title) == (
        assignment_id,
        "Winter",
        titles[SCENARIO],
    )
    assert (card.status_label, card.purpose_label) == ("Due soon", "Formative practice")
    assert (card.attempts_used, card.attempts_left, card.can_start) == (1, 1, True)
    assert card.due_at == NOW + timedelta(hours=3)
