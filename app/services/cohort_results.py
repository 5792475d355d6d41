"""A cohort's results per assignment: where each practitioner stands on each criterion.

Each practitioner's latest ENDED attempt at an assignment is scored afresh with the
assignment's own rubric by the rules (``app.scoring.engine.score`` with the default coder),
as a report is, so a result never depends on a judge run or on the rubric the report page
happens to use, and an attempt still in progress never counts. Results show levels, not
transcripts: a link to an attempt is offered only where the policy lets the viewer open it
(``viewable_attempts``). Current practitioners only: someone taken out of the cohort keeps
their attempts but leaves its results.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime

from markupsafe import Markup, escape
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.content.rubrics import RubricLibrary
from app.domain import policy
from app.domain.accounts import Principal
from app.domain.assignments import Purpose
from app.domain.conversation import ConversationStatus
from app.domain.policy import ConversationFacts
from app.domain.rubric import Rubric
from app.domain.rubric_rules import LEVEL_ORDER, LevelName
from app.reports.charts import ACCENT, FAIR, GOOD, INK, MUTED, Chart
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

_WIDTH, _MARGIN, _ROW, _BAR = 560, 10, 46, 20


def level_chart(results: AssignmentResults) -> Chart | None:
    """Per criterion, one bar split by how many practitioners reached each level (stacked,
    lowest level first), with the same counts as a table; None until an attempt has ended."""
    if not results.scored or not results.tallies:
        return None
    plot = _WIDTH - 2 * _MARGIN
    height = _MARGIN + _ROW * len(results.tallies) + 30
    chart_id = f"level-chart-{results.assignment_id}"
    caption = (
        f"{results.scenario_title}: how many of the {results.scored} practitioners with an "
        "ended attempt reached each level, per criterion"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-caption" class="chart level-chart">'
    ]
    for i, tally in enumerate(results.tallies):
        top = _MARGIN + i * _ROW
        parts.append(_label(_MARGIN, top + 12, tally.criterion.title, anchor="start"))
        x = float(_MARGIN)
        for level in LEVEL_ORDER:
            count = tally.counts[level]
            if count:
                width = plot * count / results.scored
                parts.append(_segment(x, top + 18, width, level, count, results.scored))
                x += width
    parts.append(_legend(height - 12))
    parts.append("</svg>")
    rows = [
        [tally.criterion.title, *(str(tally.counts[level]) for level in LEVEL_ORDER)]
        for tally in results.tallies
    ]
    headers = ["Criterion", *(LEVEL_LABELS[level] for level in LEVEL_ORDER)]
    return Chart(chart_id, caption, Markup("".join(parts)), headers, rows)


def _label(x: float, y: float, words: str, *, anchor: str, fill: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" fill="{fill}" '
        f'text-anchor="{anchor}">{escape(words)}</text>'
    )


def _segment(x: float, y: float, width: float, level: LevelName, count: int, of: int) -> str:
    title = escape(f"{LEVEL_LABELS[level]}: {count} of {of}")
    parts = [
        f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_BAR}" '
        f'fill="{LEVEL_FILLS[level]}" stroke="#ffffff"><title>{title}</title></rect>'
    ]
    if width >= 16:  # room for the count inside the segment
        parts.append(_label(x + width / 2, y + 14, str(count), anchor="middle", fill="#ffffff"))
    return "".join(parts)


def _legend(y: float) -> str:
    parts = []
    x = float(_MARGIN)
    for level in LEVEL_ORDER:
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" '
            f'fill="{LEVEL_FILLS[level]}"/>'
        )
        parts.append(_label(x + 16, y, LEVEL_LABELS[level], anchor="start"))
        x += 135
    return "".join(parts)


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
