"""Write xAPI statements for assignment attempts to a table, and export them as JSON.

A learning record store ingests the export (a JSON array of xAPI 1.0.3 statements); the
table keeps each statement as sent, so an export is the same every time it is made.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.xapi import Verb, score, statement
from app.store.models import Conversation, User, as_utc
from app.store.training import Assignment, XapiStatement

DEFAULT_HOME_PAGE = "http://localhost:8000"


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
    session: Session, *, since: datetime | None = None, user: User | None = None
) -> list[dict[str, Any]]:
    """The stored statements, oldest first, optionally from ``since`` or for one user."""
    query = select(XapiStatement).order_by(XapiStatement.timestamp, XapiStatement.id)
    if since is not None:
        query = query.where(XapiStatement.timestamp >= as_utc(since))
    if user is not None:
        query = query.where(XapiStatement.user_id == user.id)
    return [row.statement for row in session.scalars(query)]


def export_json(
    session: Session, *, since: datetime | None = None, user: User | None = None
) -> str:
    """``export`` as a JSON array, ready for an LRS's statements endpoint."""
    return json.dumps(export(session, since=since, user=user), indent=2, ensure_ascii=False)
