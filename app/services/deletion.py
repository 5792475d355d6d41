"""Deleting an attempt: the conversation, every branch forked from it, and all they hold.

A practice transcript is its practitioner's, so they may delete it, until an assessor signs
it off: a signed-off attempt is a record of assessment, and only an admin deletes it (on
request, say). A branch is an attempt of its own, so deleting one leaves its parent and
siblings alone; its own branches, which exist only as re-rehearsals of it, go with it.

Everything goes in the caller's one transaction. The audit log keeps who deleted which ids
and nothing of the text; earlier entries naming those ids stay too, because the log is only
ever added to: it is how anyone can later show who saw an attempt before it was deleted.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import Delete, delete, select
from sqlalchemy.orm import Session

from app.domain import policy
from app.domain.accounts import Principal
from app.domain.policy import ConversationFacts
from app.services import audit
from app.services.access import Forbidden
from app.services.rehearsal import NotFound
from app.services.reviews import access_context, signed_off_among
from app.services.user_data import RecordCounts, record_counts
from app.store.models import (
    Branch,
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


class DeletionPlan(BaseModel):
    """What deleting a conversation removes, and whether the actor may delete it.

    ``allowed`` is False only for the owner of a family with a signed-off attempt in it:
    they may see what would go, and are told that only an admin can delete it.
    """

    conversation_id: int
    scenario_title: str
    owner_id: int
    owner_name: str
    branch_ids: list[int]
    signed_off_ids: list[int]
    counts: RecordCounts
    allowed: bool

    @property
    def conversation_ids(self) -> list[int]:
        """The conversation and every branch below it."""
        return [self.conversation_id, *self.branch_ids]


def deletion_plan(session: Session, conversation_id: int, actor: Principal) -> DeletionPlan:
    """What deleting ``conversation_id`` would remove.

    NotFound when the actor may neither see nor delete it (as for any page of it); Forbidden
    when they may see it but it is not theirs to delete (a trainer, an assessor).
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound(f"There is no conversation {conversation_id}.")
    ids = _with_branches(session, conversation_id)
    signed_off = signed_off_among(session, ids)
    family = [
        ConversationFacts(id=i, owner_id=conversation.user_id, signed_off=i in signed_off)
        for i in ids
    ]
    allowed = all(policy.can_delete_conversation(actor, facts) for facts in family)
    if not allowed and not policy.is_owner(actor, family[0]):
        context = access_context(session, session.get_one(User, actor.id))
        if not policy.can_view_conversation(actor, family[0], context):
            raise NotFound(f"There is no conversation {conversation_id}.")
        raise Forbidden(
            "Only the practitioner who held this conversation, or an admin, can delete it."
        )
    return DeletionPlan(
        conversation_id=conversation_id,
        scenario_title=conversation.scenario_version.title,
        owner_id=conversation.user_id,
        owner_name=conversation.user.display_name,
        branch_ids=ids[1:],
        signed_off_ids=sorted(signed_off),
        counts=record_counts(session, ids),
        allowed=allowed,
    )


def delete_attempt(session: Session, conversation_id: int, actor: Principal) -> DeletionPlan:
    """Delete the conversation, its branches and everything stored about them; return what
    went. Raises as ``deletion_plan`` does, and Forbidden when a signed-off attempt is in it
    and the actor is not an admin."""
    plan = deletion_plan(session, conversation_id, actor)
    if not plan.allowed:
        raise Forbidden(
            "This attempt has been signed off by an assessor, so only an admin can delete it."
        )
    for statement in _deletions(plan.conversation_ids):
        session.execute(statement)
    audit.record(
        session,
        session.get_one(User, actor.id),
        "delete",
        "conversation",
        conversation_id,
        detail={
            "conversation_ids": plan.conversation_ids,
            "owner_id": plan.owner_id,
            "signed_off_ids": plan.signed_off_ids,
        },
    )
    return plan


def _with_branches(session: Session, conversation_id: int) -> list[int]:
    """The conversation, then its branches and theirs, generation by generation."""
    found = [conversation_id]
    generation = [conversation_id]
    while generation:
        generation = list(
            session.scalars(
                select(Branch.conversation_id)
                .where(Branch.parent_id.in_(generation))
                .order_by(Branch.conversation_id)
            )
        )
        found += generation
    return found


def _deletions(ids: list[int]) -> list[Delete]:
    """Every row that names one of ``ids``, children before the rows they reference.

    Branch rows of ``ids`` are the only ones naming them as parent or root, because every
    branch below a conversation is in ``ids``.
    """
    reviews = select(Review.id).where(Review.conversation_id.in_(ids))
    return [
        delete(ReviewTurnCodes).where(ReviewTurnCodes.review_id.in_(reviews)),
        delete(ReviewCriterion).where(ReviewCriterion.review_id.in_(reviews)),
        delete(Review).where(Review.conversation_id.in_(ids)),
        delete(Submission).where(Submission.conversation_id.in_(ids)),
        delete(AssignmentAttempt).where(AssignmentAttempt.conversation_id.in_(ids)),
        delete(XapiStatement).where(XapiStatement.conversation_id.in_(ids)),
        delete(Reflection).where(Reflection.conversation_id.in_(ids)),
        delete(ReportNarrative).where(ReportNarrative.conversation_id.in_(ids)),
        delete(ReportCard).where(ReportCard.conversation_id.in_(ids)),
        delete(TurnRow).where(TurnRow.conversation_id.in_(ids)),
        delete(Branch).where(Branch.conversation_id.in_(ids)),
        delete(Conversation).where(Conversation.id.in_(ids)),
    ]
