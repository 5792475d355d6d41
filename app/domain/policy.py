"""The one authorisation policy: who may see or change what.

Pure functions over ``Principal`` and small facts the caller looks up, so every rule is
tested without a database and every route asks the same place. Rules (issue 6):

- practitioners see only their own conversations and reports;
- trainers see the conversations of practitioners in the cohorts they train who agreed to
  share them (``AccessContext.trainees`` holds only those), and manage those cohorts and
  their assignments;
- assessors see, and review, the conversations submitted to them (never their own);
- admins manage users and may delete any attempt, signed-off ones included; being an admin
  does not by itself open anyone's transcript (consent covers sharing with assessors only).

An inactive account may do nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from app.domain.accounts import Principal, Role


class ConversationFacts(BaseModel):
    """What the policy needs to know about one conversation."""

    model_config = ConfigDict(frozen=True)

    id: int
    owner_id: int
    signed_off: bool = False


class CohortFacts(BaseModel):
    """What the policy needs to know about one cohort."""

    model_config = ConfigDict(frozen=True)

    id: int
    trainer_ids: frozenset[int] = frozenset()


class AccessContext(BaseModel):
    """The user's relations, looked up once per request by the service layer.

    ``trainees``: ids of practitioners in cohorts the user trains. ``reviewing``: ids of
    conversations submitted to the user for review.
    """

    model_config = ConfigDict(frozen=True)

    trainees: frozenset[int] = frozenset()
    reviewing: frozenset[int] = frozenset()


def _owns(user: Principal, conversation: ConversationFacts) -> bool:
    return user.active and conversation.owner_id == user.id


def can_view_conversation(
    user: Principal, conversation: ConversationFacts, context: AccessContext
) -> bool:
    """Its owner, a trainer of the owner's cohort, or an assessor it was submitted to."""
    if _owns(user, conversation):
        return True
    if user.has(Role.TRAINER) and conversation.owner_id in context.trainees:
        return True
    return user.has(Role.ASSESSOR) and conversation.id in context.reviewing


def can_view_report(
    user: Principal, conversation: ConversationFacts, context: AccessContext
) -> bool:
    """A report is part of its conversation: the same people see it."""
    return can_view_conversation(user, conversation, context)


def can_view_person_state(
    user: Principal, conversation: ConversationFacts, context: AccessContext
) -> bool:
    """The trainer view (trust, emotion, hidden facts): a trainer of the owner's cohort, or
    an owner who is a trainer trying out a scenario. Practitioners never see it."""
    if not user.has(Role.TRAINER):
        return False
    return _owns(user, conversation) or conversation.owner_id in context.trainees


def is_owner(user: Principal, conversation: ConversationFacts) -> bool:
    """The attempt is the user's own: reflections, restarts and branches are theirs alone."""
    return _owns(user, conversation)


def can_continue_conversation(user: Principal, conversation: ConversationFacts) -> bool:
    """Only the owner speaks in a conversation, and not once it has been signed off."""
    return _owns(user, conversation) and not conversation.signed_off


def can_submit_for_review(user: Principal, conversation: ConversationFacts) -> bool:
    """The owner submits their own attempt; a signed-off one is final."""
    return _owns(user, conversation) and not conversation.signed_off


def can_review(user: Principal, conversation: ConversationFacts, context: AccessContext) -> bool:
    """An assessor reviews what was submitted to them, never their own attempt."""
    return (
        user.has(Role.ASSESSOR)
        and conversation.id in context.reviewing
        and conversation.owner_id != user.id
    )


def can_delete_conversation(user: Principal, conversation: ConversationFacts) -> bool:
    """The owner deletes an attempt unless it is signed off; an admin deletes any."""
    if user.has(Role.ADMIN):
        return True
    return _owns(user, conversation) and not conversation.signed_off


def can_export_user_data(user: Principal, subject_id: int) -> bool:
    """Everyone may download all of their own data, and only their own."""
    return user.active and user.id == subject_id


def can_manage_users(user: Principal) -> bool:
    """Create, import, deactivate users and change their roles: admins only."""
    return user.has(Role.ADMIN)


def can_create_cohort(user: Principal) -> bool:
    """Trainers and admins create cohorts."""
    return user.has(Role.TRAINER) or user.has(Role.ADMIN)


def can_manage_cohort(user: Principal, cohort: CohortFacts) -> bool:
    """Add members, assign scenarios, see results: the cohort's trainers, or an admin."""
    if user.has(Role.ADMIN):
        return True
    return user.has(Role.TRAINER) and user.id in cohort.trainer_ids


def can_view_agreement(user: Principal) -> bool:
    """Human-machine agreement holds no transcripts: trainers, assessors and admins see it."""
    return any(user.has(role) for role in (Role.TRAINER, Role.ASSESSOR, Role.ADMIN))


def can_author_scenarios(user: Principal) -> bool:
    """Trainers and admins upload and edit scenarios."""
    return user.has(Role.TRAINER) or user.has(Role.ADMIN)
