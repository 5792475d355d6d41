"""A cohort's results per assignment: where each practitioner stands on each criterion.

Each practitioner's latest ENDED attempt at an assignment is scored afresh with the
assignment's own rubric by the rules (``app.scoring.engine.score`` with the default coder),
as a report is, so a result never depends on a judge run or on the rubric the report page
happens to use, and an attempt still in progress never counts. Results show levels, not
transcripts: a link to an attempt is offered only where the policy lets the viewer open it
(``viewable_attempts``). Current practitioners only: someone taken out of the cohort keeps
their attempts but leaves its results.

The roster (``roster``, ``roster_csv``) is the cohort's current members with how often each
practitioner has attempted each assignment and when they last started one, for a trainer's
spreadsheet; it counts attempts, so it needs no scoring.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.content.rubrics import RubricLibrary
from app.domain import policy
from app.domain.accounts import Principal, Role
from app.domain.assignments import Purpose
from app.domain.conversation import ConversationStatus
from app.domain.policy import ConversationFacts
from app.domain.rubric import Rubric
from app.domain.rubric_rules import LEVEL_ORDER, LevelName
from app.reports.charts import ACCENT, FAIR, GOOD, MUTED, Chart, stacked_bars
from app.scoring.engine import score
from app.scoring.labels import LEVEL_LABELS
from app.services.cohorts import (
    PURPOSE_LABELS,
    MemberView,
    member_view,
    members,
    not_attempted,
)
from app.services.reports import transcript_of
from app.services.reviews import access_context
from app.sim.engine import Coder
from app.store.models import Conversation, User, as_utc
from app.store.training import Assignment, AssignmentAttempt, Cohort

# One fill per level, lowest first: each carries white count labels at 4.5:1 or more, and
# the bars keep the levels in this order left to right, beside a legend and a table.
LEVEL_FILLS: dict[LevelName, str] = {
    LevelName.NOT_YET: MUTED,
    LevelName.EMERGING: FAIR,
    LevelName.ESTABLISHED: ACCENT,
    LevelName.EXEMPLARY: GOOD,
}

CSV_COLUMNS = (
    "cohort",
    "assignment_id",
    "scenario",
    "rubric",
    "purpose",
    "due_at",
    "username",
    "display_name",
    "attempts_used",
    "conversation_id",
    "ended_at",
    "criterion_id",
    "criterion",
    "level",
    "level_rank",
)


class CriterionColumn(BaseModel):
    """A criterion of the assignment's rubric: a column of the results table."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str


class PractitionerResult(BaseModel):
    """A practitioner who has attempted the assignment, and their latest ended attempt's
    level per criterion (none while no attempt has ended)."""

    model_config = ConfigDict(frozen=True)

    member: MemberView
    attempts_used: int
    conversation_id: int | None = None
    ended_at: datetime | None = None
    levels: dict[str, LevelName] = {}

    def level(self, criterion_id: str) -> LevelName | None:
        """The level reached on one criterion, None while no attempt has ended."""
        return self.levels.get(criterion_id)

    def level_label(self, criterion_id: str) -> str:
        """The level in plain words ("" while no attempt has ended)."""
        level = self.level(criterion_id)
        return LEVEL_LABELS[level] if level else ""


class LevelTally(BaseModel):
    """How many practitioners reached each level on one criterion."""

    model_config = ConfigDict(frozen=True)

    criterion: CriterionColumn
    counts: dict[LevelName, int]


class AssignmentResults(BaseModel):
    """One assignment's results: the table, the tallies behind the chart, who has not
    attempted yet, and a problem that stopped scoring (a rubric that no longer loads)."""

    model_config = ConfigDict(frozen=True)

    assignment_id: int
    scenario_slug: str
    scenario_title: str
    rubric_id: str
    rubric_title: str
    purpose: Purpose
    due_at: datetime | None
    criteria: tuple[CriterionColumn, ...]
    rows: tuple[PractitionerResult, ...]
    not_attempted: tuple[MemberView, ...]
    tallies: tuple[LevelTally, ...]
    problem: str | None = None

    @property
    def purpose_label(self) -> str:
        return PURPOSE_LABELS[self.purpose]

    @property
    def scored(self) -> int:
        """Practitioners with an ended attempt, so with levels."""
        return sum(1 for row in self.rows if row.conversation_id is not None)


class CohortResults(BaseModel):
    """Every assignment's results for one cohort, oldest assignment first."""

    model_config = ConfigDict(frozen=True)

    cohort_id: int
    cohort_name: str
    assignments: tuple[AssignmentResults, ...]


def cohort_results(
    session: Session,
    cohort: Cohort,
    *,
    rubrics: RubricLibrary,
    coder: Coder,
    scenario_titles: Mapping[str, str],
) -> CohortResults:
    """The results of every assignment of ``cohort``."""
    rows = session.scalars(
        select(Assignment).where(Assignment.cohort_id == cohort.id).order_by(Assignment.id)
    )
    return CohortResults(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        assignments=tuple(
            assignment_results(
                session,
                cohort,
                row,
                rubric=rubrics.get(row.rubric_id),
                coder=coder,
                scenario_title=scenario_titles.get(row.scenario_slug, row.scenario_slug),
            )
            for row in rows
        ),
    )


def assignment_results(
    session: Session,
    cohort: Cohort,
    assignment: Assignment,
    *,
    rubric: Rubric | None,
    coder: Coder,
    scenario_title: str,
) -> AssignmentResults:
    """One assignment's results; ``rubric`` None (it no longer loads) leaves levels out."""
    used = attempts_by_user(session, assignment)
    latest = latest_ended_attempts(session, assignment) if rubric else {}
    rows = tuple(
        _result(user, used[user.id], latest.get(user.id), rubric, coder)
        for user in members(session, cohort)
        if user.id in used
    )
    criteria = (
        tuple(CriterionColumn(id=c.id, title=c.title) for c in rubric.criteria) if rubric else ()
    )
    unscored = f"The rubric '{assignment.rubric_id}' no longer loads, so attempts cannot be scored."
    return AssignmentResults(
        assignment_id=assignment.id,
        scenario_slug=assignment.scenario_slug,
        scenario_title=scenario_title,
        rubric_id=assignment.rubric_id,
        rubric_title=rubric.title if rubric else assignment.rubric_id,
        purpose=Purpose(assignment.purpose),
        due_at=as_utc(assignment.due_at) if assignment.due_at else None,
        criteria=criteria,
        rows=rows,
        not_attempted=tuple(member_view(u) for u in not_attempted(session, assignment)),
        tallies=tuple(_tally(column, rows) for column in criteria),
        problem=None if rubric else unscored,
    )


def attempts_by_user(session: Session, assignment: Assignment) -> dict[int, int]:
    """How many attempts each practitioner has made at the assignment."""
    found = session.execute(
        select(AssignmentAttempt.user_id, func.count())
        .where(AssignmentAttempt.assignment_id == assignment.id)
        .group_by(AssignmentAttempt.user_id)
    )
    return dict(found.all())


def latest_ended_attempts(session: Session, assignment: Assignment) -> dict[int, Conversation]:
    """Each practitioner's most recently ended attempt, with its turns loaded."""
    ended = session.execute(
        select(AssignmentAttempt.user_id, Conversation.id)
        .join(Conversation, Conversation.id == AssignmentAttempt.conversation_id)
        .where(
            AssignmentAttempt.assignment_id == assignment.id,
            Conversation.status == ConversationStatus.ENDED.value,
        )
        .order_by(Conversation.ended_at.desc(), Conversation.id.desc())
    )
    chosen: dict[int, int] = {}
    for user_id, conversation_id in ended:
        chosen.setdefault(user_id, conversation_id)
    loaded = session.scalars(
        select(Conversation)
        .where(Conversation.id.in_(chosen.values()))
        .options(selectinload(Conversation.turns), selectinload(Conversation.scenario_version))
    )
    by_id = {conversation.id: conversation for conversation in loaded}
    return {user_id: by_id[conversation_id] for user_id, conversation_id in chosen.items()}


def _result(
    user: User, used: int, conversation: Conversation | None, rubric: Rubric | None, coder: Coder
) -> PractitionerResult:
    """The practitioner's row: their latest ended attempt scored with the rubric, if any."""
    if conversation is None or rubric is None:
        return PractitionerResult(member=member_view(user), attempts_used=used)
    card = score(transcript_of(conversation), rubric, coder)
    return PractitionerResult(
        member=member_view(user),
        attempts_used=used,
        conversation_id=conversation.id,
        ended_at=as_utc(conversation.ended_at) if conversation.ended_at else None,
        levels={criterion.id: criterion.level for criterion in card.criteria},
    )


def _tally(column: CriterionColumn, rows: Sequence[PractitionerResult]) -> LevelTally:
    counts = dict.fromkeys(LEVEL_ORDER, 0)
    for row in rows:
        level = row.level(column.id)
        if level is not None:
            counts[level] += 1
    return LevelTally(criterion=column, counts=counts)


def viewable_attempts(session: Session, who: Principal, results: CohortResults) -> frozenset[int]:
    """The attempts in ``results`` that ``who`` may open (a trainer: those of practitioners
    who share their transcripts), so the page links only to those."""
    context = access_context(session, session.get_one(User, who.id))
    return frozenset(
        row.conversation_id
        for assignment in results.assignments
        for row in assignment.rows
        if row.conversation_id is not None
        and policy.can_view_conversation(
            who, ConversationFacts(id=row.conversation_id, owner_id=row.member.id), context
        )
    )


# --- the chart -------------------------------------------------------------------------------


def level_chart(results: AssignmentResults) -> Chart | None:
    """Per criterion, one bar split by how many practitioners reached each level (stacked,
    lowest level first), with the same counts as a table; None until an attempt has ended."""
    if not results.scored or not results.tallies:
        return None
    caption = (
        f"{results.scenario_title}: how many of the {results.scored} practitioners with an "
        "ended attempt reached each level, per criterion"
    )
    return stacked_bars(
        f"level-chart-{results.assignment_id}",
        caption,
        [
            (tally.criterion.title, [tally.counts[level] for level in LEVEL_ORDER])
            for tally in results.tallies
        ],
        series=[(LEVEL_LABELS[level], LEVEL_FILLS[level]) for level in LEVEL_ORDER],
        of=results.scored,
        label_header="Criterion",
        css_class="level-chart",
    )


# --- the roster ------------------------------------------------------------------------------


class RosterRow(BaseModel):
    """One membership: a practitioner with their attempts, or a trainer (no attempts)."""

    model_config = ConfigDict(frozen=True)

    member: MemberView
    role: Role
    attempts: dict[int, int] = {}  # by assignment id; empty for a trainer
    last_attempt_at: datetime | None = None


class Roster(BaseModel):
    """The cohort's members, practitioners then trainers, each by username, and the
    assignments (id, scenario id) their attempts are counted against, oldest first."""

    model_config = ConfigDict(frozen=True)

    assignments: tuple[tuple[int, str], ...]
    rows: tuple[RosterRow, ...]


def roster(session: Session, cohort: Cohort) -> Roster:
    """The cohort's current members and their attempts at its assignments."""
    assignments = tuple(
        (assignment_id, scenario)
        for assignment_id, scenario in session.execute(
            select(Assignment.id, Assignment.scenario_slug)
            .where(Assignment.cohort_id == cohort.id)
            .order_by(Assignment.id)
        )
    )
    counted = session.execute(
        select(
            AssignmentAttempt.user_id,
            AssignmentAttempt.assignment_id,
            func.count(),
            func.max(AssignmentAttempt.created_at),
        )
        .join(Assignment, Assignment.id == AssignmentAttempt.assignment_id)
        .where(Assignment.cohort_id == cohort.id)
        .group_by(AssignmentAttempt.user_id, AssignmentAttempt.assignment_id)
    )
    attempts: dict[int, dict[int, int]] = {}
    latest: dict[int, datetime] = {}
    for user_id, assignment_id, count, last in counted:
        attempts.setdefault(user_id, {})[assignment_id] = count
        when = as_utc(last)
        latest[user_id] = max(when, latest.get(user_id, when))
    practitioners = [
        RosterRow(
            member=member_view(user),
            role=Role.PRACTITIONER,
            attempts={a: attempts.get(user.id, {}).get(a, 0) for a, _ in assignments},
            last_attempt_at=latest.get(user.id),
        )
        for user in members(session, cohort)
    ]
    trainers = [
        RosterRow(member=member_view(user), role=Role.TRAINER)
        for user in members(session, cohort, role=Role.TRAINER)
    ]
    return Roster(assignments=assignments, rows=(*practitioners, *trainers))


def roster_columns(found: Roster) -> list[str]:
    """username, display_name, role, one ``attempts_<assignment id>_<scenario id>`` column per
    assignment (oldest first), then last_attempt_at."""
    per_assignment = [f"attempts_{a}_{scenario}" for a, scenario in found.assignments]
    return ["username", "display_name", "role", *per_assignment, "last_attempt_at"]


def roster_csv(found: Roster) -> str:
    """The roster as CSV, one row per membership (``roster_columns``): role is practitioner
    or trainer; a practitioner's attempts are counts (0 for none), a trainer's are blank;
    last_attempt_at is when the latest attempt at any of the cohort's assignments started
    (ISO 8601 UTC, blank for none). Display names a spreadsheet would run as a formula start
    with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(roster_columns(found))
    for row in found.rows:
        practises = row.role is Role.PRACTITIONER
        counts = [str(row.attempts[a]) if practises else "" for a, _ in found.assignments]
        writer.writerow(
            [
                row.member.username,
                _cell(row.member.display_name),
                row.role.value,
                *counts,
                _iso(row.last_attempt_at),
            ]
        )
    return out.getvalue()


# --- CSV -------------------------------------------------------------------------------------


def to_csv(results: CohortResults) -> str:
    """The results as CSV: one row per current practitioner x criterion of each assignment.

    Columns (``CSV_COLUMNS``, always in this order): cohort, assignment_id, scenario (id),
    rubric (id), purpose (formative | sign_off), due_at (ISO 8601 UTC, blank for none),
    username, display_name, attempts_used, conversation_id and ended_at of the latest ended
    attempt (blank while none has ended), criterion_id, criterion (title), level (not_yet |
    emerging | established | exemplary, blank while no attempt has ended) and level_rank
    (0-3, blank likewise). Rows come by assignment, then username, then the rubric's order
    of criteria; an assignment whose rubric no longer loads has none. Text typed by people
    (cohort and display names) that a spreadsheet would run as a formula starts with ``'``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for assignment in results.assignments:
        waiting = [PractitionerResult(member=m, attempts_used=0) for m in assignment.not_attempted]
        everyone = sorted([*assignment.rows, *waiting], key=lambda r: r.member.username)
        for row in everyone:
            for criterion in assignment.criteria:
                writer.writerow(_csv_row(results, assignment, row, criterion))
    return out.getvalue()


def _csv_row(
    results: CohortResults,
    assignment: AssignmentResults,
    row: PractitionerResult,
    criterion: CriterionColumn,
) -> list[str]:
    level = row.level(criterion.id)
    return [
        _cell(results.cohort_name),
        str(assignment.assignment_id),
        assignment.scenario_slug,
        assignment.rubric_id,
        assignment.purpose.value,
        _iso(assignment.due_at),
        row.member.username,
        _cell(row.member.display_name),
        str(row.attempts_used),
        str(row.conversation_id or ""),
        _iso(row.ended_at),
        criterion.id,
        criterion.title,
        level.value if level else "",
        str(level.rank) if level else "",
    ]


def _iso(moment: datetime | None) -> str:
    return as_utc(moment).isoformat(timespec="seconds") if moment else ""


def _cell(text: str) -> str:
    """Text a spreadsheet would read as a formula, made plain (OWASP's CSV injection)."""
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
