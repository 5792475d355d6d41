"""A cohort's members as CSV, on SQLite and PostgreSQL: each current member with their role
in the cohort, a practitioner's attempts at each assignment and when they last started one,
for the cohort's trainers (and administrators) only, and written to the audit log."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.domain.assignments import Purpose
from app.services import audit, cohorts
from app.services.accounts import find_user
from app.store import repositories
from app.store.db import transaction
from app.store.models import User
from app.store.training import Assignment
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import SCENARIO, soup

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Winter:
    """Trained by tess; ann, whose display name looks like a formula, attempted the first
    assignment twice (the later on T0 + 1 day) and the second once (T0), bob never, and eve
    was taken out after an attempt. tom trains another cohort."""

    id: int
    first: int
    second: int


def _user(session: Session, name: str) -> User:
    user = find_user(session, name)
    assert user is not None
    return user


def _attempt(session: Session, assignment: Assignment, user: User, at: datetime) -> None:
    version = repositories.scenario_version(
        session, slug=SCENARIO, title="Prostate: a decision", source="s"
    )
    held = repositories.create_conversation(
        session, user=user, version=version, llm_provider="scripted"
    )
    cohorts.record_attempt(session, assignment, held, now=at).created_at = at


@pytest.fixture
def winter(app: FastAPI) -> Winter:
    for trainer in ("tess", "tom"):
        add_user(app, trainer, roles=[Role.TRAINER])
    for practitioner in ("ann", "bob", "eve"):
        add_user(app, practitioner)
    with transaction(app.state.runtime.service.sessions) as session:
        tess, ann, eve = (_user(session, name) for name in ("tess", "ann", "eve"))
        ann.display_name = "=HYPERLINK(evil)"
        cohort = cohorts.create_cohort(session, "Winter", created_by=tess)
        cohorts.create_cohort(session, "Spring", created_by=_user(session, "tom"))
        cohorts.add_members(session, cohort, [ann, _user(session, "bob"), eve])
        first = cohorts.create_assignment(
            session, cohort, scenario_slug=SCENARIO, rubric_id="sdm-core"
        )
        second = cohorts.create_assignment(
            session, cohort, scenario_slug=SCENARIO, rubric_id="sdm-core", purpose=Purpose.SIGN_OFF
        )
        _attempt(session, first, ann, T0 - timedelta(days=1))
        _attempt(session, first, ann, T0 + timedelta(days=1))
        _attempt(session, second, ann, T0)
        _attempt(session, first, eve, T0)
        cohorts.remove_member(session, cohort, eve)
        return Winter(cohort.id, first.id, second.id)


async def test_roster_lists_members_with_attempts_per_assignment(
    app: FastAPI, winter: Winter
) -> None:
    async with signed_in(app, "tess") as tess:
        response = await tess.get(f"/cohorts/{winter.id}/members.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    name = f"rehearse-cohort-{winter.id}-members.csv"
    assert f'filename="{name}"' in response.headers["content-disposition"]
    first, second = f"attempts_{winter.first}_{SCENARIO}", f"attempts_{winter.second}_{SCENARIO}"
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames == [
        "username",
        "display_name",
        "role",
        first,
        second,
        "last_attempt_at",
    ]
    assert list(reader) == [
        {
            "username": "ann",
            "display_name": "'=HYPERLINK(evil)",  # a spreadsheet shows it, not runs it
            "role": "practitioner",
            first: "2",
            second: "1",
            "last_attempt_at": "2026-11-21T09:00:00+00:00",
        },
        {
            "username": "bob",
            "display_name": "bob",
            "role": "practitioner",
            first: "0",
            second: "0",
            "last_attempt_at": "",
        },
        {
            "username": "tess",
            "display_name": "tess",
            "role": "trainer",
            first: "",
            second: "",
            "last_attempt_at": "",
        },
    ]


async def test_roster_export_is_audited_and_refused_to_other_trainers(
    app: FastAPI, winter: Winter
) -> None:
    async with signed_in(app, "tom") as tom:
        refused = await tom.get(f"/cohorts/{winter.id}/members.csv")
    assert refused.status_code == 403
    assert "ann" not in refused.text
    async with signed_in(app, "ann") as ann:
        assert (await ann.get(f"/cohorts/{winter.id}/members.csv")).status_code == 403
    async with signed_in(app, "tess") as tess:
        assert (await tess.get(f"/cohorts/{winter.id}/members.csv")).status_code == 200
    with transaction(app.state.runtime.service.sessions) as session:
        exports = [e for e in audit.history(session, "cohort", winter.id) if e.action == "export"]
        assert [(e.actor_id, e.detail) for e in exports] == [
            (_user(session, "tess").id, {"what": "members.csv"})
        ]


async def test_a_cohort_without_assignments_lists_its_members_only(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    add_user(app, "ann")
    async with signed_in(app, "tess") as tess:
        created = await tess.post("/cohorts", data={"name": "Empty"})
        cohort = created.headers["location"]
        await tess.post(f"{cohort}/members", data={"usernames": "ann"})
        page = soup(await tess.get(cohort))
        link = page.select_one(f'#cohort-downloads a[href="{cohort}/members.csv"]')
        response = await tess.get(link["href"])
    assert list(csv.reader(io.StringIO(response.text))) == [
        ["username", "display_name", "role", "last_attempt_at"],
        ["ann", "ann", "practitioner", ""],
        ["tess", "tess", "trainer", ""],
    ]
