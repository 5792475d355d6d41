"""Cohorts, their members, and assignments of a scenario (and rubric) to a cohort.

The rules of who may call these live in ``app.domain.policy``; this module keeps the data
consistent: only practitioners join as practitioners and only trainers as trainers, an
attempt belongs to a member and matches the assignment's scenario, and no attempt is
recorded once the attempts are used up.

The trainer's pages go through ``managed_cohort`` (the policy's ``can_manage_cohort``) and
take their input as typed: a list of usernames is added whole or not at all, so a typo never
leaves half a class enrolled; an assignment form is checked against the scenarios and
rubrics there are before anything is stored, and the pages never take out its last trainer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.content.scenarios import ScenarioLibrary
from app.domain import policy
from app.domain.accounts import Principal, Role
from app.domain.assignments import AssignmentState, Purpose, assignment_state
from app.domain.policy import CohortFacts
from app.services import audit
from app.services.access import Forbidden
from app.services.accounts import find_user, roles_of
from app.services.rehearsal import NotFound
from app.store.models import Conversation, User, as_utc
from app.store.training import Assignment, AssignmentAttempt, Cohort, CohortMember

MEMBER_ROLES = (Role.PRACTITIONER, Role.TRAINER)
PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.FORMATIVE: "Formative practice",
    Purpose.SIGN_OFF: "For sign-off",
}
_SEPARATORS = re.compile(r"[\s,]+")


class CohortError(ValueError):
    """A cohort or assignment request that cannot be met; the message says why."""


@dataclass(frozen=True)
class AssignmentStanding:
    """An assignment and where one practitioner stands on it."""

    assignment: Assignment
    state: AssignmentState


def create_cohort(session: Session, name: str, *, created_by: User | None = None) -> Cohort:
    """A new cohort; its creator becomes one of its trainers if they hold the trainer role
    (and is written to the audit log)."""
    name = name.strip()
    if not name:
        raise CohortError("a cohort needs a name")
    if session.scalar(select(Cohort).where(func.lower(Cohort.name) == name.lower())):
        raise CohortError(f"a cohort named {name!r} already exists")
    cohort = Cohort(name=name, created_by=created_by.id if created_by else None)
    session.add(cohort)
    session.flush()
    if created_by is not None:
        audit.record(session, created_by, "create", "cohort", cohort.id, detail={"name": name})
        if Role.TRAINER in roles_of(session, created_by.id):
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
    """Set a scenario for the cohort; ``attempts_allowed`` None means no limit. Set by
    someone (``created_by``), it is written to the audit log."""
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
    if created_by is not None:
        detail = {
            "cohort": cohort.id,
            "scenario": assignment.scenario_slug,
            "purpose": purpose.value,
        }
        audit.record(session, created_by, "create", "assignment", assignment.id, detail=detail)
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


# --- the trainer's pages ---------------------------------------------------------------------


class MemberView(BaseModel):
    """A cohort member as the pages list them."""

    model_config = ConfigDict(frozen=True)

    id: int
    username: str
    display_name: str


class AssignmentRow(BaseModel):
    """An assignment as the cohort page lists it."""

    model_config = ConfigDict(frozen=True)

    id: int
    scenario_slug: str
    scenario_title: str
    rubric_id: str
    purpose: Purpose
    due_at: datetime | None
    attempts_allowed: int | None
    attempted: int  # practitioners with at least one attempt

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[self.purpose]


class CohortSummary(BaseModel):
    """One line of the cohorts list."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    practitioners: int
    trainers: tuple[str, ...]  # display names
    assignments: int


class CohortPage(BaseModel):
    """Everything the cohort page shows: its members and its assignments."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    practitioners: tuple[MemberView, ...]
    trainers: tuple[MemberView, ...]
    assignments: tuple[AssignmentRow, ...]


class AssignmentForm(BaseModel):
    """The assignment form as typed, so a refused form comes back with every value kept.

    ``due`` is an HTML ``datetime-local`` value (``2026-12-01T17:00``), read as UTC;
    ``attempts`` is blank for no limit.
    """

    scenario: str = ""
    rubric: str = ""
    purpose: str = Purpose.FORMATIVE.value
    due: str = ""
    attempts: str = ""


def scenario_titles(library: ScenarioLibrary) -> dict[str, str]:
    """Each scenario's title by id, for lists that name assignments by their scenario."""
    return {scenario_id: scenario.title for scenario_id, scenario in library.scenarios.items()}


def member_view(user: User) -> MemberView:
    """The user as a member list shows them."""
    return MemberView(id=user.id, username=user.username, display_name=user.display_name)


def managed_cohorts(session: Session, who: Principal) -> list[Cohort]:
    """The cohorts ``who`` may manage (an admin: every one), by name."""
    everything = session.scalars(select(Cohort).order_by(Cohort.name))
    return [c for c in everything if policy.can_manage_cohort(who, cohort_facts(session, c))]


def managed_cohort(session: Session, who: Principal, cohort_id: int) -> Cohort:
    """The cohort, if ``who`` may manage it: NotFound when there is none, else Forbidden."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(f"There is no cohort {cohort_id}.")
    if not policy.can_manage_cohort(who, cohort_facts(session, cohort)):
        raise Forbidden(
            f"Only the trainers of {cohort.name} (or an administrator) can open this cohort."
        )
    return cohort


def cohort_summaries(session: Session, who: Principal) -> list[CohortSummary]:
    """The cohorts list of ``who``."""
    found = []
    for cohort in managed_cohorts(session, who):
        count = select(func.count(Assignment.id)).where(Assignment.cohort_id == cohort.id)
        found.append(
            CohortSummary(
                id=cohort.id,
                name=cohort.name,
                practitioners=len(members(session, cohort)),
                trainers=tuple(u.display_name for u in members(session, cohort, role=Role.TRAINER)),
                assignments=session.scalar(count) or 0,
            )
        )
    return found


def cohort_page(
    session: Session, cohort: Cohort, *, scenario_titles: Mapping[str, str]
) -> CohortPage:
    """The cohort with its members and assignments (titles by scenario id; the id stands in
    for a scenario no longer in the library)."""
    rows = session.scalars(
        select(Assignment).where(Assignment.cohort_id == cohort.id).order_by(Assignment.id)
    )
    return CohortPage(
        id=cohort.id,
        name=cohort.name,
        practitioners=tuple(member_view(u) for u in members(session, cohort)),
        trainers=tuple(member_view(u) for u in members(session, cohort, role=Role.TRAINER)),
        assignments=tuple(
            _assignment_row(session, row, scenario_titles.get(row.scenario_slug)) for row in rows
        ),
    )


def _assignment_row(session: Session, row: Assignment, title: str | None) -> AssignmentRow:
    attempted = select(func.count(func.distinct(AssignmentAttempt.user_id))).where(
        AssignmentAttempt.assignment_id == row.id
    )
    return AssignmentRow(
        id=row.id,
        scenario_slug=row.scenario_slug,
        scenario_title=title or row.scenario_slug,
        rubric_id=row.rubric_id,
        purpose=Purpose(row.purpose),
        due_at=as_utc(row.due_at) if row.due_at else None,
        attempts_allowed=row.attempts_allowed,
        attempted=session.scalar(attempted) or 0,
    )


def usernames_in(text: str) -> list[str]:
    """The usernames in ``text``: one per line or comma separated, each once, in order."""
    return list(dict.fromkeys(name for name in _SEPARATORS.split(text) if name))


def add_by_usernames(
    session: Session, cohort: Cohort, text: str, *, as_role: Role, actor: User
) -> list[User]:
    """Add everyone ``text`` names (username or email) as ``as_role``, or nobody: an unknown
    name, or someone without the role, refuses the whole list and says who."""
    names = usernames_in(text)
    if not names:
        raise CohortError("type at least one username")
    found = {name: find_user(session, name) for name in names}
    unknown = [name for name, user in found.items() if user is None]
    if unknown:
        raise CohortError(f"nobody was added: there is no account named {_listed(unknown)}")
    users = [user for user in found.values() if user is not None]
    lacking = [u.username for u in users if as_role not in roles_of(session, u.id)]
    if lacking:
        raise CohortError(
            f"nobody was added: {_listed(lacking, 'and')} "
            f"{'does' if len(lacking) == 1 else 'do'} not hold the {as_role.value} role"
        )
    add_members(session, cohort, users, as_role=as_role)
    detail = {"added": [u.username for u in users], "as": as_role.value}
    audit.record(session, actor, "update", "cohort", cohort.id, detail=detail)
    return users


def remove_from_cohort(
    session: Session, cohort: Cohort, user_id: int, *, as_role: Role, actor: User
) -> User:
    """Take a member out; the last trainer stays, so someone can still manage the cohort."""
    user = session.get(User, user_id)
    if user is None or session.get(CohortMember, (cohort.id, user_id, as_role.value)) is None:
        raise CohortError(f"that account is not a {as_role.value} in {cohort.name}")
    if as_role is Role.TRAINER and len(members(session, cohort, role=Role.TRAINER)) == 1:
        raise CohortError(
            f"{user.username} is the only trainer of {cohort.name}; add another trainer first"
        )
    remove_member(session, cohort, user, as_role=as_role)
    detail = {"removed": user.username, "as": as_role.value}
    audit.record(session, actor, "update", "cohort", cohort.id, detail=detail)
    return user


def create_assignment_from_form(
    session: Session,
    cohort: Cohort,
    form: AssignmentForm,
    *,
    scenarios: Collection[str],
    rubrics: Collection[str],
    now: datetime,
    created_by: User | None = None,
) -> Assignment:
    """Check the typed form against the scenarios and rubrics there are, then store it."""
    if form.scenario not in scenarios:
        raise CohortError("choose one of the scenarios in the library")
    if form.rubric not in rubrics:
        raise CohortError("choose one of the rubrics")
    try:
        purpose = Purpose(form.purpose)
    except ValueError:
        raise CohortError("choose formative practice or sign-off as the purpose") from None
    due_at = _due_at(form.due)
    if due_at is not None and due_at <= now:
        raise CohortError(f"the due date {due_at:%d %b %Y, %H:%M} UTC has already passed")
    return create_assignment(
        session,
        cohort,
        scenario_slug=form.scenario,
        rubric_id=form.rubric,
        purpose=purpose,
        due_at=due_at,
        attempts_allowed=_attempts_allowed(form.attempts),
        created_by=created_by,
    )


def _due_at(typed: str) -> datetime | None:
    """A ``datetime-local`` value as UTC (the form says so); blank is no due date."""
    if not typed.strip():
        return None
    try:
        moment = datetime.fromisoformat(typed.strip())
    except ValueError:
        raise CohortError(f"the due date {typed.strip()!r} is not a date and time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _attempts_allowed(typed: str) -> int | None:
    """Blank is no limit; anything else must be a whole number (at least 1, checked later)."""
    if not typed.strip():
        return None
    if not typed.strip().isdigit():
        raise CohortError(f"attempts allowed must be a whole number, not {typed.strip()!r}")
    return int(typed.strip())


def _listed(names: list[str], word: str = "or") -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {word} {quoted[-1]}"
