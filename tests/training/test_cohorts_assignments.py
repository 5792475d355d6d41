"""Cohorts, members, assignments, attempts and the due-date rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.domain.assignments import DUE_SOON_WINDOW, DueStatus, Purpose, assignment_state
from app.services import cohorts
from app.services.cohorts import CohortError
from app.store import repositories
from app.store.models import Conversation, User, as_utc

MakeUser = Callable[..., User]
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def conversation(session: Session, user: User, slug: str = "back-pain-options") -> Conversation:
    version = repositories.scenario_version(session, slug=slug, title=slug, source=f"id: {slug}")
    return repositories.create_conversation(
        session, user=user, version=version, llm_provider="scripted"
    )


class TestAssignmentState:
    """The pure rule, at the exact boundaries."""

    due = NOW + timedelta(days=5)

    @pytest.mark.parametrize(
        ("now", "status"),
        [
            (due - DUE_SOON_WINDOW - timedelta(seconds=1), DueStatus.OPEN),
            (due - DUE_SOON_WINDOW, DueStatus.DUE_SOON),
            (due, DueStatus.DUE_SOON),
            (due + timedelta(seconds=1), DueStatus.OVERDUE),
        ],
    )
    def test_status_by_due_date(self, now: datetime, status: DueStatus) -> None:
        state = assignment_state(due_at=self.due, attempts_allowed=None, attempts_used=0, now=now)
        assert state.status is status

    def test_no_due_date_is_always_open(self) -> None:
        later = NOW + timedelta(days=10_000)
        state = assignment_state(due_at=None, attempts_allowed=None, attempts_used=3, now=later)
        assert state.status is DueStatus.OPEN
        assert state.attempts_left is None
        assert state.can_start

    @pytest.mark.parametrize(
        ("used", "left", "can"), [(0, 2, True), (1, 1, True), (2, 0, False), (5, 0, False)]
    )
    def test_attempts_left(self, used: int, left: int, can: bool) -> None:
        state = assignment_state(due_at=None, attempts_allowed=2, attempts_used=used, now=NOW)
        assert (state.attempts_left, state.can_start) == (left, can)

    def test_overdue_still_startable_while_attempts_remain(self) -> None:
        past = NOW - timedelta(days=1)
        state = assignment_state(due_at=past, attempts_allowed=1, attempts_used=0, now=NOW)
        assert state.status is DueStatus.OVERDUE
        assert state.can_start

    def test_naive_datetimes_are_refused(self) -> None:
        with pytest.raises(ValueError, match="timezone"):
            assignment_state(
                due_at=datetime(2026, 12, 1), attempts_allowed=None, attempts_used=0, now=NOW
            )


def test_cohort_members_and_trainers(session: Session, make_user: MakeUser) -> None:
    trainer = make_user("tess", Role.TRAINER)
    ann, bob = make_user("ann", Role.PRACTITIONER), make_user("bob", Role.PRACTITIONER)
    cohort = cohorts.create_cohort(session, "Winter 2026", created_by=trainer)
    cohorts.add_members(session, cohort, [bob, ann])
    cohorts.add_members(session, cohort, [ann])  # idempotent
    assert [u.username for u in cohorts.members(session, cohort)] == ["ann", "bob"]
    assert cohorts.cohort_facts(session, cohort).trainer_ids == {trainer.id}
    assert [c.name for c in cohorts.cohorts_of(session, ann)] == ["Winter 2026"]
    cohorts.remove_member(session, cohort, bob)
    assert [u.username for u in cohorts.members(session, cohort)] == ["ann"]


def test_cohort_rules(session: Session, make_user: MakeUser) -> None:
    trainer = make_user("tess", Role.TRAINER)
    assessor = make_user("ash", Role.ASSESSOR)
    cohort = cohorts.create_cohort(session, "Winter", created_by=trainer)
    with pytest.raises(CohortError, match="already exists"):
        cohorts.create_cohort(session, "winter")
    with pytest.raises(CohortError, match="needs a name"):
        cohorts.create_cohort(session, "  ")
    with pytest.raises(CohortError, match="ash does not hold the practitioner role"):
        cohorts.add_members(session, cohort, [assessor])
    with pytest.raises(CohortError, match="not assessor"):
        cohorts.add_members(session, cohort, [assessor], as_role=Role.ASSESSOR)


def test_assignment_attempts_and_standing(session: Session, make_user: MakeUser) -> None:
    ann, bob = make_user("ann", Role.PRACTITIONER), make_user("bob", Role.PRACTITIONER)
    cohort = cohorts.create_cohort(session, "Winter")
    cohorts.add_members(session, cohort, [ann, bob])
    due = NOW + timedelta(hours=24)
    assignment = cohorts.create_assignment(
        session,
        cohort,
        scenario_slug="back-pain-options",
        rubric_id="sdm-core",
        purpose=Purpose.SIGN_OFF,
        due_at=due,
        attempts_allowed=2,
    )
    session.commit()
    session.expire_all()  # read back: SQLite returns the due date without its timezone
    state = cohorts.standing(session, assignment, ann, now=NOW)
    assert (state.status, state.attempts_left) == (DueStatus.DUE_SOON, 2)
    assert [u.username for u in cohorts.not_attempted(session, assignment)] == ["ann", "bob"]

    cohorts.record_attempt(session, assignment, conversation(session, ann), now=NOW)
    assert cohorts.standing(session, assignment, ann, now=NOW).attempts_left == 1
    assert cohorts.standing(session, assignment, bob, now=NOW).attempts_left == 2
    assert [u.username for u in cohorts.not_attempted(session, assignment)] == ["bob"]

    cohorts.record_attempt(session, assignment, conversation(session, ann), now=NOW)
    with pytest.raises(CohortError, match="ann has no attempts left"):
        cohorts.record_attempt(session, assignment, conversation(session, ann), now=NOW)
    late = cohorts.standing(session, assignment, ann, now=due + timedelta(minutes=1))
    assert (late.status, late.attempts_left, late.can_start) == (DueStatus.OVERDUE, 0, False)


def test_record_attempt_refusals(session: Session, make_user: MakeUser) -> None:
    ann, out = make_user("ann", Role.PRACTITIONER), make_user("out", Role.PRACTITIONER)
    cohort = cohorts.create_cohort(session, "Winter")
    cohorts.add_members(session, cohort, [ann])
    assignment = cohorts.create_assignment(
        session, cohort, scenario_slug="back-pain-options", rubric_id="sdm-core"
    )
    with pytest.raises(CohortError, match="out is not a practitioner in Winter"):
        cohorts.record_attempt(session, assignment, conversation(session, out), now=NOW)
    with pytest.raises(CohortError, match="not the assigned 'back-pain-options'"):
        cohorts.record_attempt(
            session, assignment, conversation(session, ann, "knee-surgery-high-risk"), now=NOW
        )
    held = conversation(session, ann)
    cohorts.record_attempt(session, assignment, held, now=NOW)
    with pytest.raises(CohortError, match="already an attempt"):
        cohorts.record_attempt(session, assignment, held, now=NOW)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"attempts_allowed": 0}, "at least 1"),
        ({"due_at": datetime(2026, 12, 1)}, "timezone"),
        ({"scenario_slug": " "}, "needs a scenario"),
    ],
)
def test_create_assignment_refusals(
    session: Session, options: dict[str, object], message: str
) -> None:
    cohort = cohorts.create_cohort(session, "Winter")
    fields: dict[str, object] = {"scenario_slug": "back-pain-options", "rubric_id": "sdm-core"}
    fields.update(options)
    with pytest.raises(CohortError, match=message):
        cohorts.create_assignment(session, cohort, **fields)  # type: ignore[arg-type]


def test_assignments_for_lists_own_cohorts_soonest_first(
    session: Session, make_user: MakeUser
) -> None:
    ann, bob = make_user("ann", Role.PRACTITIONER), make_user("bob", Role.PRACTITIONER)
    mine, theirs = cohorts.create_cohort(session, "Mine"), cohorts.create_cohort(session, "Theirs")
    cohorts.add_members(session, mine, [ann])
    cohorts.add_members(session, theirs, [bob])
    later = cohorts.create_assignment(
        session, mine, scenario_slug="a", rubric_id="r", due_at=NOW + timedelta(days=9)
    )
    undated = cohorts.create_assignment(session, mine, scenario_slug="b", rubric_id="r")
    sooner = cohorts.create_assignment(
        session, mine, scenario_slug="c", rubric_id="r", due_at=NOW - timedelta(days=1)
    )
    cohorts.create_assignment(session, theirs, scenario_slug="d", rubric_id="r")
    session.commit()
    session.expire_all()
    found = cohorts.assignments_for(session, ann, now=NOW)
    assert [s.assignment.id for s in found] == [sooner.id, later.id, undated.id]
    assert [s.state.status for s in found] == [DueStatus.OVERDUE, DueStatus.OPEN, DueStatus.OPEN]


def test_due_date_in_another_timezone_keeps_its_instant(session: Session) -> None:
    cohort = cohorts.create_cohort(session, "Winter")
    plus_two = timezone(timedelta(hours=2))
    due = datetime(2026, 12, 1, 12, 0, tzinfo=plus_two)  # 10:00 UTC
    assignment = cohorts.create_assignment(
        session, cohort, scenario_slug="a", rubric_id="r", due_at=due
    )
    session.commit()
    session.expire_all()
    assert assignment.due_at is not None
    assert as_utc(assignment.due_at) == due
