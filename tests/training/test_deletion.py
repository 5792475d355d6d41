"""Deleting an attempt removes it, the branches below it and every row about them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, func, select
from sqlalchemy.orm import Session

from app.domain.accounts import Principal, Role
from app.domain.conversation import Speaker
from app.domain.review import CodeOverride, Outcome
from app.domain.rubric_rules import LevelName
from app.domain.xapi import Verb
from app.services import audit, cohorts, reviews, xapi
from app.services.access import Forbidden
from app.services.accounts import principal
from app.services.deletion import delete_attempt, deletion_plan
from app.services.rehearsal import NotFound
from app.services.user_data import RecordCounts, record_counts
from app.store import repositories
from app.store.base import Base
from app.store.models import Conversation, ScenarioVersion, User
from app.store.reports import save_reflection, set_narrative, set_report_card
from app.store.training import Assignment, Review

MakeUser = Callable[..., User]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SAID = "I can see this has been worrying you"


@dataclass
class World:
    ann: User
    bob: User
    ash: User
    tina: User
    adam: User
    version: ScenarioVersion
    assignment: Assignment


@pytest.fixture
def world(session: Session, make_user: MakeUser) -> World:
    """Two practitioners in a cohort with a trainer and an assignment; an assessor; an admin."""
    ann, bob = make_user("ann", Role.PRACTITIONER), make_user("bob", Role.PRACTITIONER)
    tina = make_user("tina", Role.TRAINER)
    cohort = cohorts.create_cohort(session, "Winter")
    cohorts.add_members(session, cohort, [ann, bob])
    cohorts.add_members(session, cohort, [tina], as_role=Role.TRAINER)
    ann.shares_with_reviewers = True
    return World(
        ann=ann,
        bob=bob,
        ash=make_user("ash", Role.ASSESSOR),
        tina=tina,
        adam=make_user("adam", Role.ADMIN),
        version=repositories.scenario_version(session, slug="s1", title="Scenario one", source="x"),
        assignment=cohorts.create_assignment(
            session, cohort, scenario_slug="s1", rubric_id="sdm-core"
        ),
    )


def attempt(
    session: Session, world: World, user: User, *, parent: Conversation | None = None
) -> Conversation:
    """A conversation (or a branch of ``parent``) with a row in every table about it."""
    if parent is None:
        conversation = repositories.create_conversation(
            session, user=user, version=world.version, llm_provider="scripted"
        )
    else:
        conversation = repositories.create_branch(session, parent=parent, fork_index=0)
    repositories.add_turn(
        session, conversation=conversation, speaker=Speaker.PRACTITIONER, text=SAID
    )
    repositories.add_turn(session, conversation=conversation, speaker=Speaker.PERSON, text="Yes")
    cohorts.record_attempt(session, world.assignment, conversation, now=T0)
    xapi.record(
        session,
        Verb.ATTEMPTED,
        user=user,
        assignment=world.assignment,
        conversation=conversation,
        at=T0,
    )
    save_reflection(
        session, user_id=user.id, conversation_id=conversation.id, noticed="Rushed", goal="Pause"
    )
    set_narrative(session, conversation.id, status="done", model="m", reply={"summary": SAID})
    set_report_card(session, conversation.id, key="k", status="done", model="m", card={})
    review(session, world, conversation, Outcome.RETURNED)
    return conversation


def review(session: Session, world: World, conversation: Conversation, outcome: Outcome) -> None:
    reviews.submit(session, conversation, world.ash)
    reviews.create_review(
        session,
        conversation,
        world.ash,
        machine_levels={"options": LevelName.EMERGING},
        outcome=outcome,
        summary="Ask before advising.",
        code_overrides={0: CodeOverride(codes=("empathy",), comment="Named the worry.")},
    )


def referring_columns() -> list[Column[int]]:
    """Every column of every table that names a conversation or a review (a review's
    override rows name only the review)."""
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name == "conversation_id"
        or any(fk.column.table.name in {"conversations", "reviews"} for fk in column.foreign_keys)
    ]


def references(session: Session, ids: list[int]) -> dict[str, int]:
    """How many rows of each referring column name one of ``ids`` (or one of their reviews)."""
    review_ids = list(session.scalars(select(Review.id).where(Review.conversation_id.in_(ids))))
    found = {}
    for column in referring_columns():
        names_review = any(fk.column.table.name == "reviews" for fk in column.foreign_keys)
        wanted = review_ids if names_review else ids
        count = session.scalar(select(func.count()).where(column.in_(wanted)))
        found[f"{column.table.name}.{column.name}"] = count or 0
    return found


def who(session: Session, user: User) -> Principal:
    return principal(session, user)


def test_referring_columns_cover_every_table_that_names_an_attempt() -> None:
    assert {f"{c.table.name}.{c.name}" for c in referring_columns()} == {
        "turns.conversation_id",
        "branches.conversation_id",
        "branches.parent_id",
        "branches.root_id",
        "reflections.conversation_id",
        "report_narratives.conversation_id",
        "report_cards.conversation_id",
        "assignment_attempts.conversation_id",
        "submissions.conversation_id",
        "reviews.conversation_id",
        "review_turn_codes.review_id",
        "review_criteria.review_id",
        "xapi_statements.conversation_id",
    }


def test_deleting_an_original_removes_its_family_and_every_row_about_it(
    session: Session, world: World
) -> None:
    original = attempt(session, world, world.ann)
    branch = attempt(session, world, world.ann, parent=original)
    sibling = attempt(session, world, world.ann, parent=original)
    grandchild = attempt(session, world, world.ann, parent=branch)
    others = attempt(session, world, world.bob)
    family = [original.id, branch.id, sibling.id, grandchild.id]
    before = references(session, family)
    assert all(before.values()), f"the fixture fills every referring table: {before}"
    kept = record_counts(session, [others.id])

    plan = delete_attempt(session, original.id, who(session, world.ann))
    session.commit()

    assert plan.conversation_ids == family
    assert plan.counts.conversations == 4
    assert plan.counts.turns == 8
    assert references(session, family) == dict.fromkeys(before, 0)
    assert record_counts(session, [others.id]) == kept
    (entry,) = [e for e in audit.by_actor(session, world.ann) if e.action == "delete"]
    assert (entry.target_type, entry.target_id) == ("conversation", str(original.id))
    assert entry.detail == {
        "conversation_ids": family,
        "owner_id": world.ann.id,
        "signed_off_ids": [],
    }


def test_deleting_a_branch_keeps_its_parent_and_siblings(session: Session, world: World) -> None:
    original = attempt(session, world, world.ann)
    branch = attempt(session, world, world.ann, parent=original)
    grandchild = attempt(session, world, world.ann, parent=branch)
    sibling = attempt(session, world, world.ann, parent=original)
    kept = record_counts(session, [original.id, sibling.id])

    plan = delete_attempt(session, branch.id, who(session, world.ann))
    session.commit()

    assert plan.conversation_ids == [branch.id, grandchild.id]
    assert all(count == 0 for count in references(session, plan.conversation_ids).values())
    assert record_counts(session, [original.id, sibling.id]) == kept
    assert repositories.branch_of(session, sibling.id) is not None


def test_the_owner_sees_but_cannot_delete_a_signed_off_attempt(
    session: Session, world: World
) -> None:
    conversation = attempt(session, world, world.ann)
    review(session, world, conversation, Outcome.SIGNED_OFF)
    before = record_counts(session, [conversation.id])

    plan = deletion_plan(session, conversation.id, who(session, world.ann))
    assert (plan.allowed, plan.signed_off_ids) == (False, [conversation.id])
    with pytest.raises(Forbidden, match="only an admin"):
        delete_attempt(session, conversation.id, who(session, world.ann))
    assert record_counts(session, [conversation.id]) == before


def test_a_signed_off_branch_keeps_the_owner_from_deleting_its_original(
    session: Session, world: World
) -> None:
    original = attempt(session, world, world.ann)
    branch = attempt(session, world, world.ann, parent=original)
    sibling = attempt(session, world, world.ann, parent=original)
    review(session, world, branch, Outcome.SIGNED_OFF)

    with pytest.raises(Forbidden):
        delete_attempt(session, original.id, who(session, world.ann))
    assert delete_attempt(session, sibling.id, who(session, world.ann)).conversation_ids == [
        sibling.id
    ]


def test_an_admin_deletes_a_signed_off_attempt(session: Session, world: World) -> None:
    conversation = attempt(session, world, world.ann)
    review(session, world, conversation, Outcome.SIGNED_OFF)

    plan = delete_attempt(session, conversation.id, who(session, world.adam))
    session.commit()

    assert plan.allowed
    assert all(count == 0 for count in references(session, [conversation.id]).values())
    entry = audit.history(session, "conversation", conversation.id)[-1]
    assert (entry.actor_id, entry.action) == (world.adam.id, "delete")
    assert entry.detail is not None
    assert entry.detail["signed_off_ids"] == [conversation.id]
    assert SAID not in json.dumps(entry.detail)


@pytest.mark.parametrize(
    ("name", "refusal"),
    [("bob", NotFound), ("tina", Forbidden), ("ash", Forbidden)],
    ids=["another practitioner", "their trainer", "their assessor"],
)
def test_nobody_else_deletes_an_attempt(
    session: Session, world: World, name: str, refusal: type[Exception]
) -> None:
    conversation = attempt(session, world, world.ann)
    before = record_counts(session, [conversation.id])
    user: User = getattr(world, name)

    with pytest.raises(refusal):
        deletion_plan(session, conversation.id, who(session, user))
    with pytest.raises(refusal):
        delete_attempt(session, conversation.id, who(session, user))
    assert record_counts(session, [conversation.id]) == before


def test_an_unknown_attempt_is_not_found(session: Session, world: World) -> None:
    with pytest.raises(NotFound):
        delete_attempt(session, 999, who(session, world.adam))


def test_counts_are_of_the_conversations_asked_about(session: Session, world: World) -> None:
    mine = attempt(session, world, world.ann)
    attempt(session, world, world.bob)
    assert record_counts(session, [mine.id]) == RecordCounts(
        conversations=1,
        turns=2,
        reflections=1,
        report_narratives=1,
        report_cards=1,
        submissions=1,
        reviews=1,
        review_overrides=2,
        assignment_attempts=1,
        xapi_statements=1,
    )
