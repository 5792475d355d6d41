"""Cohorts, their members, and assignments of a scenario (and rubric) to a cohort.

The rules of who may call these live in ``app.domain.policy``; this module keeps the data
consistent: only practitioners join as practitioners and only trainers as trainers, an
attempt belongs to a member and matches the assignment's scenario, and no attempt is
recorded once the attempts are used up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.domain.assignments import AssignmentState, Purpose, assignment_state
from app.domain.policy import CohortFacts
from app.services.accounts import roles_of
from app.store.models import Conversation, User
from app.store.training import Assignment, AssignmentAttempt, Cohort, CohortMember

MEMBER_ROLES = (Role.PRACTITIONER, Role.TRAINER)


class CohortError(ValueError):
    """A cohort or assignment request that cannot be met; the message says why."""


@dataclass(frozen=True)
class AssignmentStanding:
    """An assignment and where one practitioner stands on it."""

    assignment: Assignment
    state: AssignmentState


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone columns; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def create_cohort(session: Session, name: str, *, created_by: User | None = None) -> Cohort:
    """A new cohort; its creator becomes one of its trainers if they hold the trainer role."""
    name = name.strip()
    if not name:
        raise CohortError("a cohort needs a name")
    if session.scalar(select(Cohort).where(func.lower(Cohort.name) == name.lower())):
        raise CohortError(f"a cohort named {name!r} already exists")
    cohort = Cohort(name=name, created_by=created_by.id if created_by else None)
    session.add(cohort)
    session.flush()
    if created_by is not None and Role.TRAINER in roles_of(session, created_by.id):
        add_members(session, cohort, [created_by], as_role=Role.TRAINER)
    return cohort


def add_members(
    session: Session, cohort: Cohort, users: Iterable[User], *, as_role: Role = Role.PRACTITIONER
) -> None:
    """Add users to the cohort as practitioners (or trainers); already-members are skipped."""
    if as_role not in MEMBER_ROLES:
        raise CohortError(f"cohort members are practitioners or trainers, not {as_role.value}")
    for user in users:
        if as_role not in roles_of(session, user.id):
            raise CohortError(f"{user.username} does not hold the {as_role.value} role")
        if session.get(CohortMember, (cohort.id, user.id, as_role.value)) is None:
            session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, role=as_role.value))
    session.flush()


def remove_member(
    session: Session, cohort: Cohort, user: User, *, as_role: Role = Role.PRACTITIONER
) -> None:
    """Take a user out of the cohort; their past attempts stay."""
    row = session.get(CohortMember, (cohort.id, user.id, as_role.value))
    if row is not None:
        session.delete(row)
        session.flush()


def members(session: Session, cohort: Cohort, *, role: Role = Role.PRACTITIONER) -> list[User]:
    """The cohort's practitioners (or trainers), by username."""
    return list(
        session.scalars(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id, CohortMember.role == role.value)
            .order_by(User.username)
        )
    )


def cohorts_of(session: Session, user: User, *, role: Role = Role.PRACTITIONER) -> list[Cohort]:
    """The cohorts the user is in as ``role``, by name."""
    return list(
        session.scalars(
            select(Cohort)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user.id, CohortMember.role == role.value)
            .order_by(Cohort.name)
        )
    )


def cohort_facts(session: Session, cohort: Cohort) -> CohortFacts:
    """The cohort as the policy sees it."""
    trainers = frozenset(user.id for user in members(session, cohort, role=Role.TRAINER))
    return CohortFacts(id=cohort.id, trainer_ids=trainers)


def create_assignment(
    session: Session,
    cohort: Cohort,
    *,
    scenario_slug: str,
    rubric_id: str,
    purpose: Purpose = Purpose.FORMATIVE,
    due_at: datetime | None = None,
    attempts_allowed: int | None = None,
    created_by: User | None = None,
) -> Assignment:
    """Set a scenario for the cohort; ``attempts_allowed`` None means no limit."""
    if attempts_allowed is not None and attempts_allowed < 1:
        raise CohortError("attempts allowed must be at least 1 (or no limit)")
    if due_at is not None and due_at.tzinfo is None:
        raise CohortError("the due date needs a timezone")
    if not scenario_slug.strip() or not rubric_id.strip():
        raise CohortError("an assignment needs a scenario and a rubric")
    assignment = Assignment(
        cohort_id=cohort.id,
        scenario_slug=scenario_slug.strip(),
        rubric_id=rubric_id.strip(),
        purpose=purpose.value,
        due_at=as_utc(due_at) if due_at else None,  # SQLite keeps no offset: store UTC
        attempts_allowed=attempts_allowed,
        created_by=created_by.id if created_by else None,
    )
    session.add(assignment)
    session.flush()
    return assignment


def attempts_used(session: Session, assignment: Assignment, user: User) -> int:
    """How many attempts the user has made at the assignment."""
    return (
        session.scalar(
            select(func.count())
            .select_from(AssignmentAttempt)
            .where(
                AssignmentAttempt.assignment_id == assignment.id,
                AssignmentAttempt.user_id == user.id,
            )
        )
        or 0
    )


def standing(
    session: Session, assignment: Assignment, user: User, *, now: datetime
) -> AssignmentState:
    """Where the user stands on the assignment at ``now`` (open/due soon/overdue, attempts)."""
    return assignment_state(
        due_at=as_utc(assignment.due_at) if assignment.due_at else None,
        attempts_allowed=assignment.attempts_allowed,
        attempts_used=attempts_used(session, assignment, user),
        now=now,
    )


def assignments_for(session: Session, user: User, *, now: datetime) -> list[AssignmentStanding]:
    """The assignments of every cohort the user practises in, soonest due first."""
    cohort_ids = [cohort.id for cohort in cohorts_of(session, user)]
    rows = session.scalars(
        select(Assignment).where(Assignment.cohort_id.in_(cohort_ids)).order_by(Assignment.id)
    )
    far = datetime.max.replace(tzinfo=UTC)
    found = [AssignmentStanding(row, standing(session, row, user, now=now)) for row in rows]
    return sorted(found, key=lambda s: as_utc(s.assignment.due_at) if s.assignment.due_at else far)


def record_attempt(
    session: Session, assignment: Assignment, conversation: Conversation, *, now: datetime
) -> AssignmentAttempt:
    """Count ``conversation`` as its owner's attempt at the assignment."""
    user = session.get(User, conversation.user_id)
    assert user is not None
    cohort = session.get(Cohort, assignment.cohort_id)
    assert cohort is not None
    if session.get(CohortMember, (cohort.id, user.id, Role.PRACTITIONER.value)) is None:
        raise CohortError(f"{user.username} is not a practitioner in {cohort.name}")
    if conversation.scenario_version.slug != assignment.scenario_slug:
        raise CohortError(
            f"conversation {conversation.id} is of {conversation.scenario_version.slug!r}, "
            f"not the assigned {assignment.scenario_slug!r}"
        )
    if session.get(AssignmentAttempt, conversation.id) is not None:
        raise CohortError(f"conversation {conversation.id} is already an attempt")
    if not standing(session, assignment, user, now=now).can_start:
        raise CohortError(f"{user.username} has no attempts left at this assignment")
    attempt = AssignmentAttempt(
        conversation_id=conversation.id, assignment_id=assignment.id, user_id=user.id
    )
    session.add(attempt)
    session.flush()
    return attempt


def not_attempted(session: Session, assignment: Assignment) -> list[User]:
    """The cohort's practitioners with no attempt at the assignment yet."""
    cohort = session.get(Cohort, assignment.cohort_id)
    assert cohort is not None
    tried = set(
        session.scalars(
            select(AssignmentAttempt.user_id).where(
                AssignmentAttempt.assignment_id == assignment.id
            )
        )
    )
    return [user for user in members(session, cohort) if user.id not in tried]
