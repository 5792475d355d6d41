"""Everything stored about one user, as JSON they can download (issue 6, data protection).

Practice transcripts are not patient records, but they are the practitioner's: the export
holds their account (no password hash), roles, every conversation with its turns, their
reflections, the reviews of their attempts (with each override beside the machine's value),
their assignment attempts and the xAPI statements about them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.services.accounts import roles_of
from app.store.models import Conversation, Reflection, User
from app.store.training import (
    AssignmentAttempt,
    Review,
    ReviewCriterion,
    ReviewTurnCodes,
    XapiStatement,
)

EXPORT_VERSION = 1


def export_user_data(session: Session, user: User) -> dict[str, Any]:
    """The user's data as one JSON-ready object."""
    conversations = list(
        session.scalars(
            select(Conversation)
            .where(Conversation.user_id == user.id)
            .options(selectinload(Conversation.turns), selectinload(Conversation.scenario_version))
            .order_by(Conversation.id)
        )
    )
    ids = [c.id for c in conversations]
    return {
        "version": EXPORT_VERSION,
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "roles": sorted(role.value for role in roles_of(session, user.id)),
            "active": user.active,
            "created_at": _iso(user.created_at),
        },
        "conversations": [_conversation(c) for c in conversations],
        "reflections": [
            {
                "conversation_id": r.conversation_id,
                "noticed": r.noticed,
                "goal": r.goal,
                "created_at": _iso(r.created_at),
            }
            for r in session.scalars(
                select(Reflection).where(Reflection.user_id == user.id).order_by(Reflection.id)
            )
        ],
        "reviews": [
            _review(session, r)
            for r in session.scalars(
                select(Review).where(Review.conversation_id.in_(ids)).order_by(Review.id)
            )
        ],
        "assignment_attempts": [
            {"assignment_id": a.assignment_id, "conversation_id": a.conversation_id}
            for a in session.scalars(
                select(AssignmentAttempt)
                .where(AssignmentAttempt.user_id == user.id)
                .order_by(AssignmentAttempt.conversation_id)
            )
        ],
        "xapi_statements": [
            s.statement
            for s in session.scalars(
                select(XapiStatement)
                .where(XapiStatement.user_id == user.id)
                .order_by(XapiStatement.timestamp, XapiStatement.id)
            )
        ],
    }


def export_user_data_json(session: Session, user: User) -> str:
    """``export_user_data`` as indented JSON."""
    return json.dumps(export_user_data(session, user), indent=2, ensure_ascii=False)


def _conversation(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "scenario": conversation.scenario_version.slug,
        "scenario_title": conversation.scenario_version.title,
        "status": conversation.status,
        "started_at": _iso(conversation.started_at),
        "ended_at": _iso(conversation.ended_at),
        "turns": [
            {"index": t.index, "speaker": t.speaker, "text": t.text, "codes": list(t.codes)}
            for t in conversation.turns
        ],
    }


def _review(session: Session, review: Review) -> dict[str, Any]:
    turns = session.scalars(
        select(ReviewTurnCodes)
        .where(ReviewTurnCodes.review_id == review.id)
        .order_by(ReviewTurnCodes.turn_index)
    )
    criteria = session.scalars(
        select(ReviewCriterion)
        .where(ReviewCriterion.review_id == review.id)
        .order_by(ReviewCriterion.criterion_id)
    )
    return {
        "conversation_id": review.conversation_id,
        "outcome": review.outcome,
        "summary": review.summary,
        "created_at": _iso(review.created_at),
        "codes": [
            {
                "turn": t.turn_index,
                "machine": t.machine_codes,
                "assessor": t.human_codes,
                "comment": t.comment,
            }
            for t in turns
        ],
        "criteria": [
            {
                "criterion": c.criterion_id,
                "machine": c.machine_level,
                "assessor": c.human_level,
                "comment": c.comment,
            }
            for c in criteria
        ],
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
