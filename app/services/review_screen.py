"""What the review pages show, and how an assessor's form becomes a stored review.

The assessor reviews what the practitioner's report showed: the score card's codes for each
practitioner turn and its level and quoted evidence for each criterion (the report's own
``build_report`` view, so both read the same). The form keeps everything typed; a changed
code or level without a comment is refused beside it rather than stored without a reason,
because agreement figures are only worth reading when each disagreement says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from app.domain import policy
from app.domain.accounts import Principal
from app.domain.coding import CODE_BOOK
from app.domain.conversation import ConversationStatus, Speaker
from app.domain.review import CodeOverride, LevelOverride, Outcome, SubmissionStatus
from app.domain.rubric import Rubric
from app.domain.rubric_rules import LEVEL_ORDER, LevelName
from app.reports.model import EvidenceItem, Report
from app.scoring.agreement import AgreementRow
from app.scoring.labels import LEVEL_LABELS, label
from app.services import audit, reviews
from app.services.access import Forbidden
from app.services.rehearsal import NotFound
from app.services.reports import ReportService
from app.store.db import transaction
from app.store.models import Conversation, User
from app.store.training import Review, Submission

STATUS_LABELS: dict[SubmissionStatus, str] = {
    SubmissionStatus.SUBMITTED: "Waiting for review",
    SubmissionStatus.SIGNED_OFF: "Signed off",
    SubmissionStatus.RETURNED: "Returned for another attempt",
}
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.SIGNED_OFF: "Signed off",
    Outcome.RETURNED: "Returned for another attempt",
}
KAPPA_HELP = (
    "Cohen's kappa is how often assessors and the machine agree beyond what chance alone "
    "would give: 1 is full agreement, 0 is no better than chance, below 0 is worse than "
    "chance, and above about 0.6 is usually read as substantial agreement."
)


# --- submissions ----------------------------------------------------------------------------


class SubmissionRow(BaseModel):
    """One conversation submitted to one assessor, as the lists show it."""

    conversation_id: int
    practitioner: str
    assessor: str
    scenario_title: str
    submitted_at: datetime
    status: SubmissionStatus
    summary: str = Field(default="", description="The assessor's summary, once reviewed.")

    @property
    def status_label(self) -> str:
        """The status in plain words."""
        return STATUS_LABELS[self.status]

    @property
    def waiting(self) -> bool:
        """Still waiting for the assessor."""
        return self.status is SubmissionStatus.SUBMITTED


def queue_rows(session: Session, assessor: User) -> list[SubmissionRow]:
    """Everything submitted to the assessor, waiting ones first."""
    return [_row(session, s) for s in reviews.submissions_to(session, assessor)]


def my_rows(session: Session, practitioner: User) -> list[SubmissionRow]:
    """The practitioner's submissions and their outcomes, newest first."""
    return [_row(session, s) for s in reviews.submissions_of(session, practitioner)]


def _row(session: Session, submission: Submission) -> SubmissionRow:
    conversation = session.get_one(Conversation, submission.conversation_id)
    assessor = session.get_one(User, submission.assessor_id)
    status = SubmissionStatus(submission.status)
    review = None
    if status is not SubmissionStatus.SUBMITTED:
        review = reviews.latest_review(session, conversation.id, assessor.id)
    return SubmissionRow(
        conversation_id=conversation.id,
        practitioner=conversation.user.display_name,
        assessor=assessor.display_name,
        scenario_title=conversation.scenario_version.title,
        submitted_at=submission.submitted_at,
        status=status,
        summary=review.summary if review else "",
    )


class AssessorChoice(BaseModel):
    """An assessor the practitioner may submit to."""

    id: int
    name: str


class SubmitForm(BaseModel):
    """The submit page: whether the attempt can be submitted, and to whom."""

    conversation_id: int
    scenario_title: str
    ended: bool
    shares: bool
    signed_off: bool
    assessors: list[AssessorChoice]
    submissions: list[SubmissionRow]
    chosen: int | None = None
    error: str = ""

    @property
    def ready(self) -> bool:
        """Everything is in place for the form to be shown."""
        return self.ended and self.shares and not self.signed_off and bool(self.assessors)


def submit_form(session: Session, practitioner: User, conversation_id: int) -> SubmitForm:
    """The submit page for the practitioner's own conversation (the route checked that)."""
    conversation = session.get_one(Conversation, conversation_id)
    return SubmitForm(
        conversation_id=conversation_id,
        scenario_title=conversation.scenario_version.title,
        ended=conversation.status == ConversationStatus.ENDED.value,
        shares=practitioner.shares_with_reviewers,
        signed_off=reviews.is_signed_off(session, conversation_id),
        assessors=[
            AssessorChoice(id=u.id, name=u.display_name)
            for u in reviews.assessors_for(session, practitioner)
        ],
        submissions=[_row(session, s) for s in reviews.submissions_for(session, conversation_id)],
    )


def submit_to(
    session: Session, practitioner: User, conversation_id: int, assessor_id: int | None
) -> None:
    """Submit the practitioner's ended conversation to one of the assessors offered.

    Raises ``ReviewError`` with the reason, shown on the form, when it cannot be.
    """
    conversation = session.get_one(Conversation, conversation_id)
    if not practitioner.shares_with_reviewers:
        raise reviews.ReviewError(
            "You have not agreed to share your transcripts with assessors, so this one "
            "cannot be submitted."
        )
    if conversation.status != ConversationStatus.ENDED.value:
        raise reviews.ReviewError("End the conversation before submitting it for review.")
    offered = {u.id: u for u in reviews.assessors_for(session, practitioner)}
    if assessor_id not in offered:
        raise reviews.ReviewError("Choose an assessor from the list.")
    reviews.submit(session, conversation, offered[assessor_id])
    audit.record(
        session,
        practitioner,
        "submit",
        "conversation",
        conversation_id,
        detail={"assessor_id": assessor_id},
    )


# --- the outcome, as the practitioner's report shows it ------------------------------------


class CodeChange(BaseModel):
    """What the assessor said about one turn's codes: a change, a comment, or both."""

    turn: int
    words: str
    machine: list[str]
    human: list[str]
    comment: str

    @property
    def added(self) -> list[str]:
        """Codes the assessor added, in plain words."""
        return [label(c) for c in self.human if c not in self.machine]

    @property
    def removed(self) -> list[str]:
        """Codes the assessor took away, in plain words."""
        return [label(c) for c in self.machine if c not in self.human]

    @property
    def changed(self) -> bool:
        return set(self.machine) != set(self.human)


class LevelChange(BaseModel):
    """What the assessor said about one criterion's level."""

    criterion: str
    machine: LevelName
    human: LevelName
    comment: str

    @property
    def machine_label(self) -> str:
        return LEVEL_LABELS[self.machine]

    @property
    def human_label(self) -> str:
        return LEVEL_LABELS[self.human]

    @property
    def changed(self) -> bool:
        return self.machine is not self.human


class ReviewResult(BaseModel):
    """A stored review: the outcome, the summary, and each override with its reason."""

    assessor: str
    outcome: Outcome
    summary: str
    reviewed_at: datetime
    code_changes: list[CodeChange]
    level_changes: list[LevelChange]

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


class ReviewStatus(BaseModel):
    """The review part of a report: who it was submitted to, and the latest review."""

    conversation_id: int
    submissions: list[SubmissionRow]
    latest: ReviewResult | None
    can_submit: bool = Field(
        description="Offer the submit link: the viewer's own ended attempt, none waiting."
    )


def review_status(
    session: Session, conversation_id: int, viewer: Principal, rubric: Rubric | None = None
) -> ReviewStatus:
    """The review status of a conversation the viewer may already see (the caller checked).

    ``rubric`` names the criteria; without it (or for a criterion it lacks) the id is shown.
    """
    conversation = session.get_one(Conversation, conversation_id)
    facts = reviews.conversation_facts(session, conversation)
    ended = conversation.status == ConversationStatus.ENDED.value
    review = reviews.latest_review(session, conversation_id)
    rows = [_row(session, s) for s in reviews.submissions_for(session, conversation_id)]
    waiting = any(row.waiting for row in rows)
    return ReviewStatus(
        conversation_id=conversation_id,
        submissions=rows,
        latest=_result(session, conversation, review, rubric) if review else None,
        can_submit=ended and not waiting and policy.can_submit_for_review(viewer, facts),
    )


def _result(
    session: Session, conversation: Conversation, review: Review, rubric: Rubric | None
) -> ReviewResult:
    words = {t.index: t.text for t in conversation.turns}
    codes = [
        CodeChange(
            turn=row.turn_index,
            words=words.get(row.turn_index, ""),
            machine=list(row.machine_codes),
            human=list(row.human_codes),
            comment=row.comment,
        )
        for row in reviews.review_turns(session, review)
    ]
    levels = [
        LevelChange(
            criterion=_title(rubric, row.criterion_id),
            machine=LevelName(row.machine_level),
            human=LevelName(row.human_level),
            comment=row.comment,
        )
        for row in reviews.review_criteria(session, review)
    ]
    return ReviewResult(
        assessor=session.get_one(User, review.assessor_id).display_name,
        outcome=Outcome(review.outcome),
        summary=review.summary,
        reviewed_at=review.created_at,
        code_changes=[c for c in codes if c.changed or c.comment],
        level_changes=[c for c in levels if c.changed or c.comment],
    )


def _title(rubric: Rubric | None, criterion_id: str) -> str:
    if rubric is None:
        return criterion_id
    try:
        return rubric.criterion(criterion_id).title
    except KeyError:
        return criterion_id


# --- the assessor's review form -------------------------------------------------------------


class CodeBox(BaseModel):
    """One code-book checkbox of a turn."""

    code: str
    label: str
    machine: bool
    ticked: bool


class TurnReview(BaseModel):
    """A transcript turn; a practitioner turn carries the machine's codes and the form's."""

    index: int
    speaker: Speaker
    text: str
    machine_codes: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict)
    ticked: list[str] = Field(default_factory=list)
    comment: str = ""
    error: str = ""

    @property
    def practitioner(self) -> bool:
        return self.speaker is Speaker.PRACTITIONER

    @property
    def boxes(self) -> list[CodeBox]:
        """A checkbox for every code in the code book, the machine's marked."""
        return [
            CodeBox(
                code=c, label=label(c), machine=c in self.machine_codes, ticked=c in self.ticked
            )
            for c in CODE_BOOK
        ]

    @property
    def changed(self) -> bool:
        return set(self.ticked) != set(self.machine_codes)


class CriterionReview(BaseModel):
    """A rubric criterion: the machine's level and evidence, and the assessor's choice."""

    id: str
    title: str
    machine_level: LevelName
    descriptor: str
    evidence: list[EvidenceItem]
    level: str = Field(description="The level chosen on the form, kept as typed.")
    comment: str = ""
    error: str = ""

    @property
    def machine_label(self) -> str:
        return LEVEL_LABELS[self.machine_level]

    @property
    def changed(self) -> bool:
        return self.level != self.machine_level.value


class ReviewScreen(BaseModel):
    """The review page of one submitted conversation."""

    conversation_id: int
    title: str
    practitioner: str
    rubric_id: str
    turns: list[TurnReview]
    criteria: list[CriterionReview]
    summary: str = ""
    summary_error: str = ""
    error: str = ""
    waiting: bool = True
    status: ReviewStatus | None = Field(
        default=None, description="The review already given, once it is no longer waiting."
    )

    @property
    def levels(self) -> list[tuple[str, str]]:
        """The scale for the level selects: (value, words), lowest first."""
        return [(level.value, LEVEL_LABELS[level]) for level in LEVEL_ORDER]

    @property
    def problems(self) -> int:
        """How many answers on the form need attention."""
        fields = [t.error for t in self.turns] + [c.error for c in self.criteria]
        return sum(1 for e in [*fields, self.summary_error] if e)


def screen_of(
    conversation_id: int, report: Report, *, practitioner: str, waiting: bool = True
) -> ReviewScreen:
    """The review form over the report's card, pre-filled with the machine's judgements."""
    card = report.card
    turns = [
        TurnReview(
            index=t.index,
            speaker=t.speaker,
            text=t.text,
            machine_codes=list(t.codes),
            evidence=dict(t.evidence),
            ticked=list(t.codes),
        )
        for t in card.turns
    ]
    criteria = [
        CriterionReview(
            id=c.id,
            title=c.title,
            machine_level=c.level,
            descriptor=c.descriptor,
            evidence=c.evidence,
            level=c.level.value,
        )
        for c in report.criteria
    ]
    return ReviewScreen(
        conversation_id=conversation_id,
        title=report.title,
        practitioner=practitioner,
        rubric_id=card.rubric_id,
        turns=turns,
        criteria=criteria,
        waiting=waiting,
    )


class ReviewAnswers(BaseModel):
    """What the assessor's form sent, field by field (``from_fields``)."""

    codes: dict[int, list[str]] = Field(default_factory=dict)
    comments: dict[int, str] = Field(default_factory=dict)
    levels: dict[str, str] = Field(default_factory=dict)
    reasons: dict[str, str] = Field(default_factory=dict)
    summary: str = ""
    outcome: str = ""

    @classmethod
    def from_fields(cls, fields: Iterable[tuple[str, str]]) -> ReviewAnswers:
        """Read the form's ``codes-<turn>`` (one per ticked box), ``comment-<turn>``,
        ``level-<criterion>``, ``why-<criterion>``, ``summary`` and ``outcome`` fields."""
        answers = cls()
        for name, value in fields:
            kind, _, key = name.partition("-")
            if kind in ("codes", "comment") and key.isdigit():
                if kind == "codes":
                    answers.codes.setdefault(int(key), []).append(value)
                else:
                    answers.comments[int(key)] = value
            elif kind == "level" and key:
                answers.levels[key] = value
            elif kind == "why" and key:
                answers.reasons[key] = value
            elif name == "summary":
                answers.summary = value
            elif name == "outcome":
                answers.outcome = value
        return answers


@dataclass(frozen=True)
class ReviewDecision:
    """A complete review, ready to store: every override carries its comment."""

    outcome: Outcome
    summary: str
    code_overrides: dict[int, CodeOverride]
    level_overrides: dict[str, LevelOverride]
    changed_turns: list[int]
    changed_criteria: list[str]


def fill(screen: ReviewScreen, answers: ReviewAnswers) -> ReviewScreen:
    """The screen with the answers in it and, beside each one, what is wrong with it."""
    turns = [_filled_turn(t, answers) if t.practitioner else t for t in screen.turns]
    criteria = [_filled_criterion(c, answers) for c in screen.criteria]
    summary = answers.summary.strip()
    summary_error = ""
    if answers.outcome == Outcome.RETURNED.value and not summary:
        summary_error = "Returning an attempt needs a summary saying what to work on next."
    filled = screen.model_copy(
        update={
            "turns": turns,
            "criteria": criteria,
            "summary": answers.summary,
            "summary_error": summary_error,
        }
    )
    if filled.problems:
        noun = "answer needs" if filled.problems == 1 else "answers need"
        error = f"{filled.problems} {noun} attention before this review can be saved."
    elif answers.outcome not in {o.value for o in Outcome}:
        error = "Choose Sign off or Return for another attempt."
    else:
        error = ""
    return filled.model_copy(update={"error": error})


def _filled_turn(turn: TurnReview, answers: ReviewAnswers) -> TurnReview:
    ticked = list(dict.fromkeys(answers.codes.get(turn.index, [])))
    comment = answers.comments.get(turn.index, "")
    filled = turn.model_copy(update={"ticked": ticked, "comment": comment})
    unknown = [c for c in ticked if c not in CODE_BOOK]
    if unknown:
        error = f"'{unknown[0]}' is not a code in the code book."
    elif filled.changed and not comment.strip():
        error = "You changed the machine's codes for this turn: say why in the comment."
    else:
        error = ""
    return filled.model_copy(update={"error": error})


def _filled_criterion(criterion: CriterionReview, answers: ReviewAnswers) -> CriterionReview:
    level = answers.levels.get(criterion.id, "")
    comment = answers.reasons.get(criterion.id, "")
    filled = criterion.model_copy(update={"level": level, "comment": comment})
    if level not in {name.value for name in LevelName}:
        error = "Choose one of the four levels."
    elif filled.changed and not comment.strip():
        error = "You changed the machine's level: say why in the comment."
    else:
        error = ""
    return filled.model_copy(update={"error": error})


def decision_of(screen: ReviewScreen, outcome: str) -> ReviewDecision:
    """The review a filled screen without errors stands for; a comment on an unchanged
    turn or criterion is kept too, as an override that agrees with the machine."""
    code_overrides = {
        t.index: CodeOverride(codes=tuple(t.ticked), comment=t.comment.strip())
        for t in screen.turns
        if t.practitioner and t.comment.strip()
    }
    level_overrides = {
        c.id: LevelOverride(level=LevelName(c.level), comment=c.comment.strip())
        for c in screen.criteria
        if c.comment.strip()
    }
    return ReviewDecision(
        outcome=Outcome(outcome),
        summary=screen.summary.strip(),
        code_overrides=code_overrides,
        level_overrides=level_overrides,
        changed_turns=[t.index for t in screen.turns if t.practitioner and t.changed],
        changed_criteria=[c.id for c in screen.criteria if c.changed],
    )


class IncompleteReview(Exception):
    """The form cannot be stored as it is; ``screen`` shows it again with the reasons."""

    def __init__(self, screen: ReviewScreen) -> None:
        super().__init__(screen.error)
        self.screen = screen


@dataclass(frozen=True)
class ReviewDesk:
    """The assessor's side: open a submitted conversation, store the review of it."""

    sessions: sessionmaker[Session]
    reports: ReportService

    def open(self, viewer: Principal, conversation_id: int) -> ReviewScreen:
        """The review screen; opening it is written to the audit log."""
        with transaction(self.sessions) as session:
            conversation = reviewable(session, viewer, conversation_id)
            actor = session.get_one(User, viewer.id)
            audit.record(session, actor, "view", "conversation", conversation_id)
            practitioner = conversation.user.display_name
            waiting = _waiting(session, conversation_id, viewer.id)
            status = None
            if not waiting:
                status = review_status(session, conversation_id, viewer, self.reports.rubric)
        report = self.reports.report(conversation_id, with_progress=False)
        screen = screen_of(conversation_id, report, practitioner=practitioner, waiting=waiting)
        return screen.model_copy(update={"status": status})

    def record(self, viewer: Principal, conversation_id: int, answers: ReviewAnswers) -> Outcome:
        """Store the review the answers make; raise ``IncompleteReview`` when they cannot be
        stored (a change without a reason, no outcome, or no longer waiting)."""
        with transaction(self.sessions) as session:
            practitioner = reviewable(session, viewer, conversation_id).user.display_name
        report = self.reports.report(conversation_id, with_progress=False)
        screen = fill(screen_of(conversation_id, report, practitioner=practitioner), answers)
        if screen.error:
            raise IncompleteReview(screen)
        decision = decision_of(screen, answers.outcome)
        try:
            with transaction(self.sessions) as session:
                self._store(session, viewer, conversation_id, report, decision)
        except reviews.ReviewError as exc:
            raise IncompleteReview(screen.model_copy(update={"error": str(exc)})) from exc
        return decision.outcome

    def _store(
        self,
        session: Session,
        viewer: Principal,
        conversation_id: int,
        report: Report,
        decision: ReviewDecision,
    ) -> None:
        conversation = reviewable(session, viewer, conversation_id)
        assessor = session.get_one(User, viewer.id)
        card = report.card
        reviews.create_review(
            session,
            conversation,
            assessor,
            machine_levels={c.id: c.level for c in card.criteria},
            machine_codes={t.index: t.codes for t in card.turns},
            outcome=decision.outcome,
            summary=decision.summary,
            code_overrides=decision.code_overrides,
            level_overrides=decision.level_overrides,
            rubric_id=card.rubric_id,
        )
        detail = {
            "outcome": decision.outcome.value,
            "changed_turns": decision.changed_turns,
            "changed_criteria": decision.changed_criteria,
        }
        audit.record(session, assessor, "review", "conversation", conversation_id, detail=detail)


def reviewable(session: Session, viewer: Principal, conversation_id: int) -> Conversation:
    """The conversation, if it was submitted to ``viewer`` for review.

    Unknown: NotFound. Known but not submitted to them: Forbidden, saying so; unlike other
    transcripts, the assessor's queue already tells them which ids are theirs.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound(f"There is no conversation {conversation_id}.")
    facts = reviews.conversation_facts(session, conversation)
    context = reviews.access_context(session, session.get_one(User, viewer.id))
    if not policy.can_review(viewer, facts, context):
        raise Forbidden("This conversation was not submitted to you for review.")
    return conversation


def _waiting(session: Session, conversation_id: int, assessor_id: int) -> bool:
    return any(
        s.assessor_id == assessor_id and s.status == SubmissionStatus.SUBMITTED.value
        for s in reviews.submissions_for(session, conversation_id)
    )


# --- agreement ------------------------------------------------------------------------------


class AgreementLine(BaseModel):
    """Kappa and its counts for one code or criterion, in words for the page."""

    name: str
    label: str
    n: int
    overridden: int
    kappa: float | None

    @property
    def agreed(self) -> int:
        return self.n - self.overridden


class AgreementView(BaseModel):
    """The agreement page: kappa per code and per criterion over every review."""

    reviews: int
    codes: list[AgreementLine]
    criteria: list[AgreementLine]


def agreement_view(session: Session, rubric: Rubric | None = None) -> AgreementView:
    """Agreement over all reviews, with plain words for codes and criteria."""
    report = reviews.agreement_report(session)
    return AgreementView(
        reviews=report.reviews,
        codes=[_line(row, label(row.name)) for row in report.codes],
        criteria=[_line(row, _title(rubric, row.name)) for row in report.criteria],
    )


def _line(row: AgreementRow, words: str) -> AgreementLine:
    return AgreementLine(
        name=row.name,
        label=words,
        n=row.figures.n,
        overridden=row.overridden,
        kappa=row.figures.kappa,
    )
