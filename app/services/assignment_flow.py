"""A practitioner's side of assignments: what is set for them, starting an attempt, and
what happens when an attempt ends.

Whether an attempt may start is the domain's rule (``app.domain.assignments``): while
attempts remain it may, even after the due date (late work is the trainer's call), and the
list says it is overdue. Each attempt writes the xAPI statements a learning record store
expects: "attempted" when it starts, "completed" and "scored" when it ends, the score being
the assignment's rubric levels (0 for not yet seen up to 3 for exemplary, per criterion).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.content.rubrics import RubricLibrary
from app.domain.accounts import Role
from app.domain.assignments import DueStatus, Purpose
from app.domain.rubric_rules import LEVEL_ORDER
from app.domain.scorecard import ScoreCard
from app.domain.xapi import Verb
from app.scoring.engine import score
from app.scoring.factory import default_coder
from app.services import cohorts, xapi
from app.services.cohorts import PURPOSE_LABELS, CohortError
from app.services.rehearsal import NotFound, RehearsalError, RehearsalService
from app.services.reports import transcript_of
from app.sim.engine import Coder
from app.store import repositories as repo
from app.store.db import transaction
from app.store.models import Conversation, User, as_utc
from app.store.training import Assignment, AssignmentAttempt, Cohort, CohortMember, XapiStatement

STATUS_LABELS: dict[DueStatus, str] = {
    DueStatus.OPEN: "Open",
    DueStatus.DUE_SOON: "Due soon",
    DueStatus.OVERDUE: "Overdue",
}
TOP_RANK = LEVEL_ORDER[-1].rank


class AttemptRefused(RehearsalError):
    """An attempt that may not start now; the message says why, to the practitioner."""


class AssignmentCard(BaseModel):
    """One assignment as its practitioner sees it."""

    model_config = ConfigDict(frozen=True)

    id: int
    cohort: str
    scenario_slug: str
    scenario_title: str
    purpose: Purpose
    due_at: datetime | None
    status: DueStatus
    attempts_used: int
    attempts_left: int | None  # None: no limit
    can_start: bool

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[self.purpose]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def assignments_overview(
    session: Session,
    user: User,
    now: datetime,
    *,
    scenario_titles: Mapping[str, str] | None = None,
) -> list[AssignmentCard]:
    """The user's assignments, soonest due first, with where they stand on each (titles by
    scenario id; the id stands in for a scenario missing from ``scenario_titles``)."""
    titles = scenario_titles or {}
    cards = []
    for found in cohorts.assignments_for(session, user, now=now):
        row, state = found.assignment, found.state
        cards.append(
            AssignmentCard(
                id=row.id,
                cohort=session.get_one(Cohort, row.cohort_id).name,
                scenario_slug=row.scenario_slug,
                scenario_title=titles.get(row.scenario_slug, row.scenario_slug),
                purpose=Purpose(row.purpose),
                due_at=as_utc(row.due_at) if row.due_at else None,
                status=state.status,
                attempts_used=state.attempts_used,
                attempts_left=state.attempts_left,
                can_start=state.can_start,
            )
        )
    return cards


def begin_attempt(
    service: RehearsalService, assignment_id: int, *, user_id: int, now: datetime
) -> int:
    """Start a conversation on the assignment's scenario for the user, count it as their
    attempt and write "attempted"; return the conversation's id.

    AttemptRefused when it may not start; NotFound when the user has no such assignment.
    Two starts at once (a double click on the last attempt) both pass the first check; the
    one that then finds no attempt left removes the conversation it began, so no stray
    practice is left behind, and is refused.
    """
    with transaction(service.sessions) as session:
        assignment = _assignment_of(session, assignment_id, user_id)
        _check_startable(session, service, assignment, user_id, now)
        scenario = assignment.scenario_slug
    conversation_id = service.start(scenario, user_id=user_id)
    try:
        with transaction(service.sessions) as session:
            _record_start(session, assignment_id, conversation_id, now)
    except CohortError as exc:
        with transaction(service.sessions) as session:
            session.delete(session.get_one(Conversation, conversation_id))
        raise AttemptRefused(_refusal(str(exc))) from exc
    return conversation_id


def _assignment_of(session: Session, assignment_id: int, user_id: int) -> Assignment:
    """The assignment, if it is set for a cohort the user practises in."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or not _practises_in(session, assignment.cohort_id, user_id):
        raise NotFound(f"There is no assignment {assignment_id} for you.")
    return assignment


def _practises_in(session: Session, cohort_id: int, user_id: int) -> bool:
    key = (cohort_id, user_id, Role.PRACTITIONER.value)
    return session.get(CohortMember, key) is not None


def _check_startable(
    session: Session,
    service: RehearsalService,
    assignment: Assignment,
    user_id: int,
    now: datetime,
) -> None:
    user = session.get_one(User, user_id)
    if not cohorts.standing(session, assignment, user, now=now).can_start:
        raise AttemptRefused(_refusal("you have used every attempt at this assignment"))
    if service.library.get(assignment.scenario_slug) is None:
        raise AttemptRefused(
            "The scenario of this assignment is no longer in the library; ask your trainer."
        )


def _refusal(reason: str) -> str:
    return f"This attempt could not start: {reason}. Ask your trainer if you need another."


def _record_start(
    session: Session, assignment_id: int, conversation_id: int, now: datetime
) -> None:
    assignment = session.get_one(Assignment, assignment_id)
    conversation = session.get_one(Conversation, conversation_id)
    cohorts.record_attempt(session, assignment, conversation, now=now)
    xapi.record(
        session,
        Verb.ATTEMPTED,
        user=conversation.user,
        assignment=assignment,
        conversation=conversation,
        at=now,
    )


def attempt_ended(
    session: Session,
    conversation_id: int,
    *,
    now: datetime,
    rubrics: RubricLibrary,
    coder: Coder | None = None,
) -> None:
    """Write "completed" and "scored" for an ended assignment attempt, once.

    Nothing for a conversation that is not an attempt, is still active, or was already
    reported. "scored" needs the assignment's rubric; if it no longer loads, the attempt is
    reported completed without a score rather than scored on another rubric.
    """
    attempt = session.get(AssignmentAttempt, conversation_id)
    conversation = repo.get_conversation(session, conversation_id)
    if attempt is None or conversation is None or conversation.ended_at is None:
        return
    if _reported(session, conversation_id):
        return
    assignment = session.get_one(Assignment, attempt.assignment_id)
    user = conversation.user
    xapi.record(
        session,
        Verb.COMPLETED,
        user=user,
        assignment=assignment,
        conversation=conversation,
        at=now,
    )
    rubric = rubrics.get(assignment.rubric_id)
    if rubric is None:
        return
    raw, maximum = points(score(transcript_of(conversation), rubric, coder or default_coder()))
    xapi.record_scored(
        session,
        user=user,
        assignment=assignment,
        conversation=conversation,
        at=now,
        raw=raw,
        maximum=maximum,
    )


def points(card: ScoreCard) -> tuple[int, int]:
    """The card as a score: each criterion's level rank (0-3) added up, out of 3 each."""
    return sum(c.level.rank for c in card.criteria), TOP_RANK * len(card.criteria)


def _reported(session: Session, conversation_id: int) -> bool:
    """Whether "completed" was already written (the end was asked for twice)."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    XapiStatement.conversation_id == conversation_id,
                    XapiStatement.verb == Verb.COMPLETED.value,
                )
            )
        )
    )
