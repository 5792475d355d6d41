"""Submissions to assessors, reviews with overrides, and agreement over all reviews.

A review stores, for every practitioner turn, the machine's codes beside the assessor's and,
for every criterion, the machine's level beside the assessor's, with a comment wherever
they differ. The latest review's outcome becomes the submission's status; a signed-off
attempt is final (``app.domain.policy`` reads ``signed_off``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.domain.conversation import Speaker
from app.domain.policy import AccessContext, ConversationFacts
from app.domain.review import CodeOverride, LevelOverride, Outcome, SubmissionStatus
from app.domain.rubric_rules import LevelName
from app.scoring.agreement import (
    AgreementRow,
    LevelJudgement,
    TurnJudgement,
    code_agreement,
    criterion_agreement,
    to_csv,
)
from app.services.accounts import roles_of, users_with_role
from app.store.models import Conversation, User
from app.store.training import (
    CohortMember,
    Review,
    ReviewCriterion,
    ReviewTurnCodes,
    Submission,
)


class ReviewError(ValueError):
    """A submission or review that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class AgreementReport:
    """Kappa per code and per criterion over every review."""

    codes: list[AgreementRow]
    criteria: list[AgreementRow]
    reviews: int

    def csv(self) -> str:
        """The report as CSV (``app.scoring.agreement.CSV_COLUMNS``)."""
        return to_csv([*self.codes, *self.criteria])


def is_signed_off(session: Session, conversation_id: int) -> bool:
    """True once any assessor has signed the conversation off."""
    return conversation_id in signed_off_among(session, [conversation_id])


def signed_off_among(session: Session, conversation_ids: list[int]) -> set[int]:
    """Which of ``conversation_ids`` an assessor has signed off, in one query."""
    return set(
        session.scalars(
            select(Submission.conversation_id).where(
                Submission.conversation_id.in_(conversation_ids),
                Submission.status == SubmissionStatus.SIGNED_OFF.value,
            )
        )
    )


def conversation_facts(session: Session, conversation: Conversation) -> ConversationFacts:
    """The conversation as the policy sees it."""
    return ConversationFacts(
        id=conversation.id,
        owner_id=conversation.user_id,
        signed_off=is_signed_off(session, conversation.id),
    )


def access_context(session: Session, user: User) -> AccessContext:
    """The user's trainees (practitioners in cohorts they train who agreed to share their
    transcripts) and the conversations submitted to them."""
    trained = select(CohortMember.cohort_id).where(
        CohortMember.user_id == user.id, CohortMember.role == Role.TRAINER.value
    )
    trainees = session.scalars(
        select(CohortMember.user_id)
        .join(User, User.id == CohortMember.user_id)
        .where(
            CohortMember.cohort_id.in_(trained),
            CohortMember.role == Role.PRACTITIONER.value,
            User.shares_with_reviewers.is_(True),
        )
    )
    reviewing = session.scalars(
        select(Submission.conversation_id).where(Submission.assessor_id == user.id)
    )
    return AccessContext(trainees=frozenset(trainees), reviewing=frozenset(reviewing))


def submit(session: Session, conversation: Conversation, assessor: User) -> Submission:
    """Submit the conversation to ``assessor``; resubmitting after a return reopens it."""
    if Role.ASSESSOR not in roles_of(session, assessor.id) or not assessor.active:
        raise ReviewError(f"{assessor.username} is not an active assessor")
    if assessor.id == conversation.user_id:
        raise ReviewError("an attempt cannot be submitted to its own author")
    if is_signed_off(session, conversation.id):
        raise ReviewError(f"conversation {conversation.id} is already signed off")
    submission = session.scalar(
        select(Submission).where(
            Submission.conversation_id == conversation.id, Submission.assessor_id == assessor.id
        )
    )
    if submission is None:
        submission = Submission(conversation_id=conversation.id, assessor_id=assessor.id)
        session.add(submission)
    submission.status = SubmissionStatus.SUBMITTED.value
    session.flush()
    return submission


def queue(session: Session, assessor: User) -> list[Submission]:
    """Conversations waiting for this assessor, oldest first."""
    return list(
        session.scalars(
            select(Submission)
            .where(
                Submission.assessor_id == assessor.id,
                Submission.status == SubmissionStatus.SUBMITTED.value,
            )
            .order_by(Submission.submitted_at, Submission.id)
        )
    )


def create_review(
    session: Session,
    conversation: Conversation,
    assessor: User,
    *,
    machine_levels: Mapping[str, LevelName],
    outcome: Outcome,
    summary: str = "",
    code_overrides: Mapping[int, CodeOverride] | None = None,
    level_overrides: Mapping[str, LevelOverride] | None = None,
    rubric_id: str | None = None,
    machine_codes: Mapping[int, Sequence[str]] | None = None,
) -> Review:
    """Store the assessor's review of a conversation submitted to them.

    The machine's codes are ``machine_codes`` (turn index -> codes: the score card the
    assessor was shown, which is the judge's where it coded the turns), else the codes stored
    on each practitioner turn; its levels are the score card's (``machine_levels``, criterion
    id -> level). An override names a turn index or criterion id the machine judged; anything
    else is an error, before anything is kept.
    """
    machine_codes = dict(machine_codes or {})
    code_overrides = dict(code_overrides or {})
    level_overrides = dict(level_overrides or {})
    submission = session.scalar(
        select(Submission).where(
            Submission.conversation_id == conversation.id,
            Submission.assessor_id == assessor.id,
            Submission.status == SubmissionStatus.SUBMITTED.value,
        )
    )
    if submission is None:
        raise ReviewError(
            f"conversation {conversation.id} is not waiting for review by {assessor.username}"
        )
    turns = {t.index: t for t in conversation.turns if t.speaker == Speaker.PRACTITIONER.value}
    stray_turns = sorted(set(code_overrides) - set(turns))
    if stray_turns:
        raise ReviewError(f"turn {stray_turns[0]} is not a practitioner turn of this conversation")
    stray_criteria = sorted(set(level_overrides) - set(machine_levels))
    if stray_criteria:
        raise ReviewError(f"criterion {stray_criteria[0]!r} has no machine level to override")
    if outcome is Outcome.RETURNED and not summary.strip():
        raise ReviewError("returning an attempt needs a summary saying what to work on")
    review = Review(
        conversation_id=conversation.id,
        assessor_id=assessor.id,
        summary=summary.strip(),
        outcome=outcome.value,
        rubric_id=rubric_id,
    )
    session.add(review)
    session.flush()
    for index, turn in sorted(turns.items()):
        override = code_overrides.get(index)
        machine = sorted(machine_codes.get(index, turn.codes))
        session.add(
            ReviewTurnCodes(
                review_id=review.id,
                turn_index=index,
                machine_codes=machine,
                human_codes=sorted(override.codes) if override else machine,
                comment=override.comment if override else "",
            )
        )
    for criterion, level in sorted(machine_levels.items()):
        change = level_overrides.get(criterion)
        session.add(
            ReviewCriterion(
                review_id=review.id,
                criterion_id=criterion,
                machine_level=LevelName(level).value,
                human_level=(change.level if change else LevelName(level)).value,
                comment=change.comment if change else "",
            )
        )
    submission.status = outcome.value
    session.flush()
    return review


def assessors_for(session: Session, practitioner: User) -> list[User]:
    """The active assessors ``practitioner`` may submit to: anyone but themselves."""
    return [u for u in users_with_role(session, Role.ASSESSOR) if u.id != practitioner.id]


def submissions_to(session: Session, assessor: User) -> list[Submission]:
    """Everything submitted to this assessor: waiting ones first (oldest first, as in the
    queue), then the ones they have reviewed, most recently submitted first."""
    rows = session.scalars(
        select(Submission)
        .where(Submission.assessor_id == assessor.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
    ).all()
    waiting = [r for r in rows if r.status == SubmissionStatus.SUBMITTED.value]
    done = [r for r in rows if r.status != SubmissionStatus.SUBMITTED.value]
    return [*reversed(waiting), *done]


def submissions_of(session: Session, practitioner: User) -> list[Submission]:
    """The practitioner's submissions, most recently submitted first."""
    return list(
        session.scalars(
            select(Submission)
            .join(Conversation, Conversation.id == Submission.conversation_id)
            .where(Conversation.user_id == practitioner.id)
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        )
    )


def submissions_for(session: Session, conversation_id: int) -> list[Submission]:
    """Every submission of one conversation, oldest first."""
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.conversation_id == conversation_id)
            .order_by(Submission.submitted_at, Submission.id)
        )
    )


def latest_review(
    session: Session, conversation_id: int, assessor_id: int | None = None
) -> Review | None:
    """The newest review of the conversation (by ``assessor_id``, when given)."""
    query = select(Review).where(Review.conversation_id == conversation_id)
    if assessor_id is not None:
        query = query.where(Review.assessor_id == assessor_id)
    return session.scalar(query.order_by(Review.created_at.desc(), Review.id.desc()).limit(1))


def review_turns(session: Session, review: Review) -> list[ReviewTurnCodes]:
    """A review's turn rows, in turn order."""
    return list(
        session.scalars(
            select(ReviewTurnCodes)
            .where(ReviewTurnCodes.review_id == review.id)
            .order_by(ReviewTurnCodes.turn_index)
        )
    )


def review_criteria(session: Session, review: Review) -> list[ReviewCriterion]:
    """A review's criterion rows, by criterion id."""
    return list(
        session.scalars(
            select(ReviewCriterion)
            .where(ReviewCriterion.review_id == review.id)
            .order_by(ReviewCriterion.criterion_id)
        )
    )


def agreement_report(session: Session) -> AgreementReport:
    """Cohen's kappa per code and per criterion over every stored review."""
    turns = [
        TurnJudgement(frozenset(row.machine_codes), frozenset(row.human_codes))
        for row in session.scalars(select(ReviewTurnCodes))
    ]
    levels = [
        LevelJudgement(row.criterion_id, row.machine_level, row.human_level)
        for row in session.scalars(select(ReviewCriterion))
    ]
    count = len(session.scalars(select(Review.id)).all())
    return AgreementReport(code_agreement(turns), criterion_agreement(levels), count)
