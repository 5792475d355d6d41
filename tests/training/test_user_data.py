"""A practitioner's data export holds their data, only theirs, and no password hash."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.domain.conversation import Speaker
from app.domain.review import CodeOverride, Outcome
from app.domain.rubric_rules import LevelName
from app.services import reviews, user_data
from app.store import repositories
from app.store.models import User

MakeUser = Callable[..., User]


def test_export_holds_own_conversations_reviews_and_no_secrets(
    session: Session, make_user: MakeUser
) -> None:
    ann, bob = make_user("ann", Role.PRACTITIONER), make_user("bob", Role.PRACTITIONER)
    ash = make_user("ash", Role.ASSESSOR)
    version = repositories.scenario_version(session, slug="s1", title="Scenario one", source="x")
    mine = repositories.create_conversation(
        session, user=ann, version=version, llm_provider="scripted"
    )
    repositories.add_turn(
        session, conversation=mine, speaker=Speaker.PRACTITIONER, text="Hello", codes=["summary"]
    )
    theirs = repositories.create_conversation(
        session, user=bob, version=version, llm_provider="scripted"
    )
    repositories.add_turn(session, conversation=theirs, speaker=Speaker.PRACTITIONER, text="Bob's")
    reviews.submit(session, mine, ash)
    reviews.create_review(
        session,
        mine,
        ash,
        machine_levels={"options": LevelName.EMERGING},
        outcome=Outcome.SIGNED_OFF,
        code_overrides={0: CodeOverride(codes=("introduction",), comment="A greeting.")},
    )
    session.commit()

    text = user_data.export_user_data_json(session, ann)
    data = json.loads(text)
    assert data["account"]["username"] == "ann"
    assert data["account"]["roles"] == ["practitioner"]
    assert [c["id"] for c in data["conversations"]] == [mine.id]
    assert data["conversations"][0]["turns"] == [
        {"index": 0, "speaker": "practitioner", "text": "Hello", "codes": ["summary"]}
    ]
    (review,) = data["reviews"]
    assert review["outcome"] == "signed_off"
    assert review["codes"] == [
        {"turn": 0, "machine": ["summary"], "assessor": ["introduction"], "comment": "A greeting."}
    ]
    assert "Bob's" not in text
    assert ann.password_hash is not None
    assert ann.password_hash not in text
    assert "argon2" not in text
