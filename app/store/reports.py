"""SQL for reports: reflections, stored narratives and judged score cards. Callers own the
transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import Conversation, Reflection, ReportCard, ReportNarrative, utcnow


def save_reflection(
    session: Session, *, user_id: int, conversation_id: int, noticed: str, goal: str
) -> Reflection:
    """Add a reflection (a conversation may have several; the newest counts)."""
    row = Reflection(user_id=user_id, conversation_id=conversation_id, noticed=noticed, goal=goal)
    session.add(row)
    session.flush()
    return row


def reflection_for(session: Session, conversation_id: int) -> Reflection | None:
    """The newest reflection on this conversation."""
    return session.scalar(
        select(Reflection)
        .where(Reflection.conversation_id == conversation_id)
        .order_by(Reflection.created_at.desc(), Reflection.id.desc())
        .limit(1)
    )


def latest_reflection(
    session: Session, *, user_id: int, before_conversation: int | None = None
) -> Reflection | None:
    """The user's newest reflection on any conversation other than ``before_conversation``."""
    query = select(Reflection).where(Reflection.user_id == user_id)
    if before_conversation is not None:
        query = query.where(Reflection.conversation_id != before_conversation)
    return session.scalar(
        query.order_by(Reflection.created_at.desc(), Reflection.id.desc()).limit(1)
    )


def user_conversations(session: Session, *, user_id: int, up_to: int) -> list[Conversation]:
    """The user's conversations that started no later than conversation ``up_to``, oldest first."""
    return list(
        session.scalars(
            select(Conversation)
            .where(Conversation.user_id == user_id, Conversation.id <= up_to)
            .order_by(Conversation.started_at, Conversation.id)
        )
    )


def narrative(session: Session, conversation_id: int) -> ReportNarrative | None:
    """The stored narrative of a conversation's report, if one was asked for."""
    return session.get(ReportNarrative, conversation_id)


def set_narrative(
    session: Session,
    conversation_id: int,
    *,
    status: str,
    model: str | None,
    reply: dict[str, Any] | None = None,
    message: str = "",
) -> ReportNarrative:
    """Create or update the narrative row."""
    row = session.get(ReportNarrative, conversation_id)
    if row is None:
        row = ReportNarrative(conversation_id=conversation_id, status=status, model=model)
        session.add(row)
    row.status, row.model, row.reply, row.message = status, model, reply, message
    row.updated_at = utcnow()
    session.flush()
    return row


def report_card(session: Session, conversation_id: int) -> ReportCard | None:
    """The stored judged card of a conversation (whatever key it was scored for), if any."""
    return session.get(ReportCard, conversation_id)


def set_report_card(
    session: Session,
    conversation_id: int,
    *,
    key: str,
    status: str,
    model: str | None,
    card: dict[str, Any] | None = None,
    message: str = "",
) -> ReportCard:
    """Create or replace the judged card row (one per conversation: the newest key wins)."""
    row = session.get(ReportCard, conversation_id)
    if row is None:
        row = ReportCard(conversation_id=conversation_id, key=key, status=status, model=model)
        session.add(row)
    row.key, row.status, row.model, row.card, row.message = key, status, model, card, message
    row.updated_at = utcnow()
    session.flush()
    return row
