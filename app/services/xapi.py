"""Write xAPI statements for assignment attempts to a table, and export them as JSON.

A learning record store ingests the export (a JSON array of xAPI 1.0.3 statements); the
table keeps each statement as sent, so an export is the same every time it is made. The
export is the same document from the command line and from the web (everything, or one
cohort's); ``read_filters`` reads its ``since`` and ``user`` filters as a person typed them.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.xapi import Verb, score, statement
from app.services.accounts import find_user
from app.store.models import Conversation, User, as_utc
from app.store.training import Assignment, Cohort, XapiStatement

DEFAULT_HOME_PAGE = "http://localhost:8000"


class FilterError(ValueError):
    """An export filter that cannot be read: ``field`` names it, the message says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field


def record(
    session: Session,
    verb: Verb,
    *,
    user: User,
    assignment: Assignment,
    conversation: Conversation,
    at: datetime,
    result: dict[str, Any] | None = None,
    home_page: str = DEFAULT_HOME_PAGE,
) -> XapiStatement:
    """Store one statement about ``user``'s attempt (``conversation``) at ``assignment``."""
    statement_id = str(uuid.uuid4())
    body = statement(
        statement_id=statement_id,
        verb=verb,
        home_page=home_page,
        username=user.username,
        display_name=user.display_name,
        assignment_id=assignment.id,
        activity_name=conversation.scenario_version.title,
        conversation_id=conversation.id,
        at=at,
        result=result,
        extensions={"purpose": assignment.purpose, "rubric": assignment.rubric_id},
    )
    row = XapiStatement(
        id=statement_id,
        user_id=user.id,
        assignment_id=assignment.id,
        conversation_id=conversation.id,
        verb=verb.value,
        timestamp=as_utc(at),  # SQLite keeps no offset: store UTC
        statement=body,
    )
    session.add(row)
    session.flush()
    return row


def record_scored(
    session: Session,
    *,
    user: User,
    assignment: Assignment,
    conversation: Conversation,
    at: datetime,
    raw: float,
    maximum: float,
    minimum: float = 0,
    success: bool | None = None,
    home_page: str = DEFAULT_HOME_PAGE,
) -> XapiStatement:
    """A ``scored`` statement; ``success`` is the sign-off decision where there is one."""
    result: dict[str, Any] = {"score": score(raw, minimum, maximum), "completion": True}
    if success is not None:
        result["success"] = success
    return record(
        session,
        Verb.SCORED,
        user=user,
        assignment=assignment,
        conversation=conversation,
        at=at,
        result=result,
        home_page=home_page,
    )


def export(
    session: Session,
    *,
    since: datetime | None = None,
    user: User | None = None,
    cohort: Cohort | None = None,
) -> list[dict[str, Any]]:
    """The stored statements, oldest first, optionally from ``since``, for one user, or about
    one cohort's assignments."""
    query = select(XapiStatement).order_by(XapiStatement.timestamp, XapiStatement.id)
    if since is not None:
        query = query.where(XapiStatement.timestamp >= as_utc(since))
    if user is not None:
        query = query.where(XapiStatement.user_id == user.id)
    if cohort is not None:
        assignments = select(Assignment.id).where(Assignment.cohort_id == cohort.id)
        query = query.where(XapiStatement.assignment_id.in_(assignments))
    return [row.statement for row in session.scalars(query)]


def export_json(
    session: Session,
    *,
    since: datetime | None = None,
    user: User | None = None,
    cohort: Cohort | None = None,
) -> str:
    """``export`` as a JSON array, ready for an LRS's statements endpoint."""
    statements = export(session, since=since, user=user, cohort=cohort)
    return json.dumps(statements, indent=2, ensure_ascii=False)


def read_filters(session: Session, *, since: str, user: str) -> tuple[datetime | None, User | None]:
    """The ``since`` and ``user`` filters as typed (blank is no filter): a date or date-time,
    and a username or email. Refused with ``FilterError`` rather than exporting everything
    when a filter cannot be read, since a wrong export would look like a right one."""
    start = parse_since(since) if since.strip() else None
    who = find_user(session, user) if user.strip() else None
    if user.strip() and who is None:
        raise FilterError("user", f"there is no account named {user.strip()!r}")
    return start, who


def parse_since(typed: str) -> datetime:
    """An ISO 8601 date or date-time; without an offset it is taken as UTC (as statements
    are), so ``2026-12-01`` means from midnight UTC that day."""
    try:
        moment = datetime.fromisoformat(typed.strip())
    except ValueError:
        reason = f"{typed.strip()!r} is not a date (use YYYY-MM-DD or ISO 8601)"
        raise FilterError("since", reason) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
