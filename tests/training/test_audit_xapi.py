"""The audit log and xAPI 1.0.3 statements, on both databases."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.domain.xapi import Verb, registration, score, timestamp
from app.services import audit, cohorts, xapi
from app.services.audit import AuditError
from app.store import repositories
from app.store.models import User

MakeUser = Callable[..., User]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_audit_history_and_actor(session: Session, make_user: MakeUser) -> None:
    ann, ash = make_user("ann", Role.PRACTITIONER), make_user("ash", Role.ASSESSOR)
    audit.record(session, ash, "view", "conversation", 7, at=T0)
    later = T0 + timedelta(minutes=1)
    audit.record(
        session, ash, "review", "conversation", 7, detail={"outcome": "returned"}, at=later
    )
    audit.record(session, ann, "view", "conversation", 8, at=T0)
    audit.record(session, None, "role_change", "user", ann.id, detail={"added": ["trainer"]})
    session.commit()
    rows = audit.history(session, "conversation", 7)
    assert [(r.actor_id, r.action, r.detail) for r in rows] == [
        (ash.id, "view", None),
        (ash.id, "review", {"outcome": "returned"}),
    ]
    assert [r.target_id for r in audit.by_actor(session, ann)] == ["8"]
    assert audit.history(session, "user", ann.id)[0].actor_id is None


def test_audit_refuses_unknown_action(session: Session) -> None:
    with pytest.raises(AuditError, match="unknown audit action 'peek'"):
        audit.record(session, None, "peek", "conversation", 1)


class TestStatementShape:
    def test_score_scaled_and_bounds(self) -> None:
        assert score(9, 0, 12) == {"scaled": 0.75, "raw": 9, "min": 0, "max": 12}
        with pytest.raises(ValueError, match="within"):
            score(13, 0, 12)
        with pytest.raises(ValueError, match="within"):
            score(0, 5, 5)

    def test_timestamp_is_utc_iso8601(self) -> None:
        local = datetime(2026, 12, 1, 11, 0, tzinfo=UTC).astimezone()
        assert timestamp(local) == "2026-12-01T11:00:00.000Z"
        with pytest.raises(ValueError, match="timezone"):
            timestamp(datetime(2026, 12, 1))

    def test_registration_is_stable_per_attempt(self) -> None:
        a = registration("http://x.test", 1)
        assert a == registration("http://x.test", 1) != registration("http://x.test", 2)
        assert uuid.UUID(a).version == 5


def test_statements_recorded_and_exported_as_xapi(session: Session, make_user: MakeUser) -> None:
    ann, bob = make_user("ann", Role.PRACTITIONER), make_user("bob", Role.PRACTITIONER)
    cohort = cohorts.create_cohort(session, "Winter")
    cohorts.add_members(session, cohort, [ann, bob])
    assignment = cohorts.create_assignment(
        session, cohort, scenario_slug="back-pain-options", rubric_id="sdm-core"
    )
    version = repositories.scenario_version(
        session, slug="back-pain-options", title="Back pain: options", source="s"
    )
    held = repositories.create_conversation(
        session, user=ann, version=version, llm_provider="scripted"
    )
    other = repositories.create_conversation(
        session, user=bob, version=version, llm_provider="scripted"
    )
    home = "https://rehearse.example.org"
    for verb, minutes in ((Verb.ATTEMPTED, 0), (Verb.COMPLETED, 9)):
        xapi.record(
            session,
            verb,
            user=ann,
            assignment=assignment,
            conversation=held,
            at=T0 + timedelta(minutes=minutes),
            home_page=home,
        )
    xapi.record_scored(
        session,
        user=ann,
        conversation=held,
        at=T0 + timedelta(minutes=10),
        raw=6,
        maximum=12,
        success=True,
        assignment=assignment,
        home_page=home,
    )
    xapi.record(
        session,
        Verb.ATTEMPTED,
        user=bob,
        assignment=assignment,
        conversation=other,
        at=T0 - timedelta(days=1),
    )
    session.commit()
    session.expire_all()

    statements = json.loads(xapi.export_json(session, user=ann))
    assert [s["verb"]["id"] for s in statements] == [
        "http://adlnet.gov/expapi/verbs/attempted",
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/scored",
    ]
    first = statements[0]
    assert set(first) == {"id", "actor", "verb", "object", "context", "timestamp", "version"}
    assert uuid.UUID(first["id"]).version == 4
    assert first["version"] == "1.0.3"
    assert first["actor"] == {
        "objectType": "Agent",
        "name": ann.display_name,
        "account": {"homePage": home, "name": "ann"},
    }
    assert first["object"]["id"] == f"{home}/assignments/{assignment.id}"
    assert first["object"]["definition"]["name"] == {"en-GB": "Back pain: options"}
    assert ISO_UTC.match(first["timestamp"])
    assert {s["context"]["registration"] for s in statements} == {registration(home, held.id)}
    assert statements[2]["result"] == {
        "score": {"scaled": 0.5, "raw": 6, "min": 0, "max": 12},
        "completion": True,
        "success": True,
    }
    assert "result" not in statements[1]
    assert first["context"]["extensions"][f"{home}/xapi/purpose"] == "formative"

    everyone = xapi.export(session)
    assert len(everyone) == 4
    assert everyone[0]["actor"]["account"]["name"] == "bob"  # oldest first
    assert len(xapi.export(session, since=T0 + timedelta(minutes=5))) == 2
