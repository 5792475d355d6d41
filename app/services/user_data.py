"""Everything stored about one user, as JSON they can download (issue 6, data protection).

Practice transcripts are not patient records, but they are the practitioner's: the export
holds their account (no password hash), roles, every conversation with its turns, their
reflections, the reviews of their attempts (with each override beside the machine's value),
their assignment attempts and the xAPI statements about them. ``record_counts`` says how many
rows of each kind a set of conversations holds: the "my data" page shows it for all of a
user's attempts, the delete confirmation for the attempts about to go.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from app.services.accounts import roles_of
from app.services.reviews import signed_off_among
from app.store import repositories as repo
from app.store.models import (
    Conversation,
    Reflection,
    ReportCard,
    ReportNarrative,
    TurnRow,
    User,
)
from app.store.training import (
    AssignmentAttempt,
    Review,
    ReviewCriterion,
    ReviewTurnCodes,
    Submission,
    XapiStatement,
)

EXPORT_VERSION = 1


class RecordCounts(BaseModel):
    """How many rows of each kind are stored about some conversations."""

    conversations: int
    turns: int
    reflections: int
    report_narratives: int
    report_cards: int
    submissions: int
    reviews: int
    review_overrides: int
    assignment_attempts: int
    xapi_statements: int


def record_counts(session: Session, conversation_ids: list[int]) -> RecordCounts:
    """Count what is stored about ``conversation_ids`` (a review's override rows count
    with it: one per reviewed turn and criterion)."""
    review_ids = select(Review.id).where(Review.conversation_id.in_(conversation_ids))

    def count(column: InstrumentedAttribute[Any], where: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count(column)).where(where)) or 0

    return RecordCounts(
        conversations=count(Conversation.id, Conversation.id.in_(conversation_ids)),
        turns=count(TurnRow.id, TurnRow.conversation_id.in_(conversation_ids)),
        reflections=count(Reflection.id, Reflection.conversation_id.in_(conversation_ids)),
        report_narratives=count(
            ReportNarrative.conversation_id,
            ReportNarrative.conversation_id.in_(conversation_ids),
        ),
        report_cards=count(
            ReportCard.conversation_id, ReportCard.conversation_id.in_(conversation_ids)
        ),
        submissions=count(Submission.id, Submission.conversation_id.in_(conversation_ids)),
        reviews=count(Review.id, Review.conversation_id.in_(conversation_ids)),
        review_overrides=count(ReviewTurnCodes.review_id, ReviewTurnCodes.review_id.in_(review_ids))
        + count(ReviewCriterion.review_id, ReviewCriterion.review_id.in_(review_ids)),
        assignment_attempts=count(
            AssignmentAttempt.conversation_id,
            AssignmentAttempt.conversation_id.in_(conversation_ids),
        ),
        xapi_statements=count(
            XapiStatement.id, XapiStatement.conversation_id.in_(conversation_ids)
        ),
    )


class StoredConversation(BaseModel):
    """One of a user's conversations as the "my data" page lists it."""

    id: int
    scenario_title: str
    started_at: datetime
    turn_count: int
    branch_of: int | None
    signed_off: bool


def stored_conversations(session: Session, user: User) -> list[StoredConversation]:
    """All of the user's conversations, newest first: none is left out, so each can be
    deleted from the list (the past-conversations page shows only the latest)."""
    rows = session.execute(repo.conversations_for_user_statement(user.id)).all()
    parents = {
        branch.conversation_id: branch.parent_id
        for branch, _ in repo.branches_for_user(session, user.id)
    }
    signed_off = signed_off_among(session, [conversation.id for conversation, _ in rows])
    return [
        StoredConversation(
            id=conversation.id,
            scenario_title=conversation.scenario_version.title,
            started_at=conversation.started_at,
            turn_count=turns,
            branch_of=parents.get(conversation.id),
            signed_off=conversation.id in signed_off,
        )
        for conversation, turns in rows
    ]


def conversation_ids_of(session: Session, user: User) -> list[int]:
    """Every conversation the user held, branches included, oldest first."""
    return list(
        session.scalars(
            select(Conversation.id).where(Conversation.user_id == user.id).order_by(Conversation.id)
        )
    )


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
            "consented_at": _iso(user.consented_at),
            "shares_with_reviewers": user.shares_with_reviewers,
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
