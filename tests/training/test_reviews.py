"""Submissions, reviews with overrides stored beside the machine, and agreement from the DB."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.domain import policy
from app.domain.accounts import Role
from app.domain.conversation import Speaker
from app.domain.review import CodeOverride, LevelOverride, Outcome
from app.domain.rubric_rules import LevelName
from app.services import accounts, cohorts, reviews
from app.services.reviews import ReviewError
from app.store import repositories
from app.store.models import Conversation, User

MakeUser = Callable[..., User]
EST, EMG = LevelName.ESTABLISHED, LevelName.EMERGING
MACHINE_LEVELS = {"options": EST, "checking": EMG}


def coded_conversation(session: Session, owner: User, codes: list[list[str]]) -> Conversation:
    """Practitioner turns with ``codes``, each answered by the person."""
    version = repositories.scenario_version(
        session, slug="back-pain-options", title="t", source="s"
    )
    conversation = repositories.create_conversation(
        session, user=owner, version=version, llm_provider="scripted"
    )
    for turn_codes in codes:
        repositories.add_turn(
            session,
            conversation=conversation,
            speaker=Speaker.PRACTITIONER,
            text="...",
            codes=turn_codes,
        )
        repositories.add_turn(session, conversation=conversation, speaker=Speaker.PERSON, text="ok")
    return conversation


@pytest.fixture
def people(make_user: MakeUser) -> tuple[User, User]:
    return make_user("priya", Role.PRACTITIONER), make_user("ash", Role.ASSESSOR)


def test_override_round_trip_and_agreement(session: Session, people: tuple[User, User]) -> None:
    owner, assessor = people
    codes = [["open_question"], ["open_question"], ["closed_question"], []]
    conversation = coded_conversation(session, owner, codes)
    reviews.submit(session, conversation, assessor)
    assert [s.conversation_id for s in reviews.queue(session, assessor)] == [conversation.id]
    review = reviews.create_review(
        session,
        conversation,
        assessor,
        machine_levels=MACHINE_LEVELS,
        outcome=Outcome.SIGNED_OFF,
        summary="Good options talk.",
        code_overrides={
            4: CodeOverride(codes=("open_question",), comment="It was open."),
            6: CodeOverride(codes=("affirmation",), comment="Affirmed effort."),
        },
        level_overrides={"checking": LevelOverride(level=EST, comment="Checked twice.")},
        rubric_id="sdm-core",
    )
    session.commit()
    session.expire_all()

    stored = [
        (r.turn_index, r.machine_codes, r.human_codes, r.comment)
        for r in reviews.review_turns(session, review)
    ]
    assert stored == [
        (0, ["open_question"], ["open_question"], ""),
        (2, ["open_question"], ["open_question"], ""),
        (4, ["closed_question"], ["open_question"], "It was open."),
        (6, [], ["affirmation"], "Affirmed effort."),
    ]
    levels = [
        (r.criterion_id, r.machine_level, r.human_level, r.comment)
        for r in reviews.review_criteria(session, review)
    ]
    assert levels == [
        ("checking", "emerging", "established", "Checked twice."),
        ("options", "established", "established", ""),
    ]
    assert reviews.queue(session, assessor) == []
    assert reviews.is_signed_off(session, conversation.id)

    # open_question (assessor, machine): P,P  P,P  P,A  A,A -> p_o 3/4, p_e (3*2+1*2)/16 = .5
    # -> kappa .5; closed_question: A,A A,A A,P A,A -> p_o 3/4, p_e (4*3)/16 = .75 -> kappa 0.
    report = reviews.agreement_report(session)
    assert report.reviews == 1
    kappas = {row.name: row.figures.kappa for row in report.codes}
    assert kappas == pytest.approx(
        {"open_question": 0.5, "closed_question": 0.0, "affirmation": 0.0}
    )
    criteria = {row.name: (row.figures.n, row.overridden) for row in report.criteria}
    assert criteria == {"checking": (1, 1), "options": (1, 0)}
    exported = {r["name"]: r for r in csv.DictReader(io.StringIO(report.csv()))}
    assert exported["open_question"]["kappa"] == "0.5000"
    assert exported["options"]["kappa"] == ""


def test_returned_attempt_can_be_resubmitted_signed_off_cannot(
    session: Session, people: tuple[User, User]
) -> None:
    owner, assessor = people
    conversation = coded_conversation(session, owner, [["open_question"]])
    reviews.submit(session, conversation, assessor)
    with pytest.raises(ReviewError, match="needs a summary"):
        reviews.create_review(
            session, conversation, assessor, machine_levels={}, outcome=Outcome.RETURNED
        )
    reviews.create_review(
        session,
        conversation,
        assessor,
        machine_levels={},
        outcome=Outcome.RETURNED,
        summary="Check understanding before closing.",
    )
    assert not reviews.is_signed_off(session, conversation.id)
    with pytest.raises(ReviewError, match="not waiting for review by ash"):
        reviews.create_review(
            session, conversation, assessor, machine_levels={}, outcome=Outcome.SIGNED_OFF
        )
    reviews.submit(session, conversation, assessor)
    reviews.create_review(
        session, conversation, assessor, machine_levels={}, outcome=Outcome.SIGNED_OFF
    )
    with pytest.raises(ReviewError, match="already signed off"):
        reviews.submit(session, conversation, assessor)
    assert len(reviews.agreement_report(session).codes) == 1


def test_submit_refusals(session: Session, people: tuple[User, User], make_user: MakeUser) -> None:
    owner, _ = people
    trainer = make_user("tess", Role.TRAINER)
    both = make_user("bo", Role.PRACTITIONER, Role.ASSESSOR)
    conversation = coded_conversation(session, owner, [[]])
    with pytest.raises(ReviewError, match="tess is not an active assessor"):
        reviews.submit(session, conversation, trainer)
    own = coded_conversation(session, both, [[]])
    with pytest.raises(ReviewError, match="its own author"):
        reviews.submit(session, own, both)


def test_review_refuses_stray_overrides(session: Session, people: tuple[User, User]) -> None:
    owner, assessor = people
    conversation = coded_conversation(session, owner, [["open_question"]])
    reviews.submit(session, conversation, assessor)
    with pytest.raises(ReviewError, match="turn 1 is not a practitioner turn"):
        reviews.create_review(
            session,
            conversation,
            assessor,
            machine_levels=MACHINE_LEVELS,
            outcome=Outcome.SIGNED_OFF,
            code_overrides={1: CodeOverride(codes=(), comment="person turn")},
        )
    with pytest.raises(ReviewError, match="criterion 'tone' has no machine level"):
        reviews.create_review(
            session,
            conversation,
            assessor,
            machine_levels=MACHINE_LEVELS,
            outcome=Outcome.SIGNED_OFF,
            level_overrides={"tone": LevelOverride(level=EST, comment="x")},
        )
    assert reviews.agreement_report(session).reviews == 0


def test_override_needs_comment_and_known_values() -> None:
    with pytest.raises(ValidationError):
        CodeOverride(codes=("open_question",), comment="")
    with pytest.raises(ValidationError, match="unknown code 'shouting'"):
        CodeOverride(codes=("shouting",), comment="x")
    with pytest.raises(ValidationError):
        LevelOverride.model_validate({"level": "great", "comment": "x"})


def test_access_context_drives_the_policy(
    session: Session, people: tuple[User, User], make_user: MakeUser
) -> None:
    owner, assessor = people
    other_assessor = make_user("ola", Role.ASSESSOR)
    trainer, other_trainer = make_user("tess", Role.TRAINER), make_user("tom", Role.TRAINER)
    cohort = cohorts.create_cohort(session, "Winter", created_by=trainer)
    cohorts.add_members(session, cohort, [owner])
    cohorts.create_cohort(session, "Spring", created_by=other_trainer)
    conversation = coded_conversation(session, owner, [[]])
    reviews.submit(session, conversation, assessor)
    facts = reviews.conversation_facts(session, conversation)
    assert reviews.access_context(session, trainer).trainees == set()  # not shared yet
    owner.shares_with_reviewers = True
    session.flush()

    def sees(user: User) -> bool:
        return policy.can_view_conversation(
            accounts.principal(session, user), facts, reviews.access_context(session, user)
        )

    assert [sees(u) for u in (owner, assessor, trainer)] == [True, True, True]
    assert [sees(u) for u in (other_assessor, other_trainer)] == [False, False]
    assert reviews.access_context(session, trainer).trainees == {owner.id}
    assert not facts.signed_off
