"""A practitioner's assignments page and starting attempts, on SQLite and PostgreSQL: the
due status and attempts left, the start that opens a conversation and writes "attempted",
and the refusal once the attempts are used up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import func, select

from app.domain.accounts import Role
from app.domain.assignments import Purpose
from app.services import cohorts
from app.store.db import transaction
from app.store.models import Conversation, User
from app.store.training import AssignmentAttempt, Cohort, XapiStatement
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import SCENARIO, soup


def assign(app: FastAPI, **options: object) -> int:
    """Winter (ann practises in it) gets an assignment of SCENARIO with ``options``."""
    with transaction(app.state.runtime.service.sessions) as session:
        cohort = session.scalar(select(Cohort)) or cohorts.create_cohort(session, "Winter")
        ann = session.scalars(select(User).where(User.username == "ann")).one()
        cohorts.add_members(session, cohort, [ann])
        row = cohorts.create_assignment(
            session, cohort, scenario_slug=SCENARIO, rubric_id="sdm-core", **options
        )
        return row.id


def count(app: FastAPI, table: type[object]) -> int:
    with transaction(app.state.runtime.service.sessions) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


async def test_the_list_shows_due_status_and_attempts_left(app: FastAPI) -> None:
    add_user(app, "ann")
    now = datetime.now(UTC)
    soon = assign(app, due_at=now + timedelta(hours=5), attempts_allowed=2)
    late = assign(app, due_at=now - timedelta(days=1), purpose=Purpose.SIGN_OFF)
    open_ = assign(app)
    async with signed_in(app, "ann") as ann:
        page = soup(await ann.get("/assignments"))
    cards = page.select("#my-assignments > li")
    assert [c["id"] for c in cards] == [f"assignment-{i}" for i in (late, soon, open_)]
    status = {c["id"]: c.select_one(".due-status").get_text() for c in cards}
    assert status == {
        f"assignment-{late}": "Overdue",
        f"assignment-{soon}": "Due soon",
        f"assignment-{open_}": "Open",
    }
    soon_card = page.select_one(f"#assignment-{soon}")
    assert " ".join(soon_card.select_one(".attempts").get_text().split()) == (
        "0 attempts used; 2 left"
    )
    assert "UTC" in soon_card.select_one(".due").get_text()
    late_card = page.select_one(f"#assignment-{late}")
    assert "For sign-off" in late_card.select_one(".meta").get_text()
    # overdue work may still be started while attempts remain (the domain's rule)
    assert late_card.select_one(f"form[action='/assignments/{late}/attempts']") is not None


async def test_starting_opens_the_viewers_conversation_and_records_it(app: FastAPI) -> None:
    ann_id = add_user(app, "ann")
    assignment_id = assign(app, attempts_allowed=1)
    async with signed_in(app, "ann") as ann:
        started = await ann.post(f"/assignments/{assignment_id}/attempts")
        assert started.status_code == 303
        conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
        assert (await ann.get(f"/conversations/{conversation_id}")).status_code == 200
        page = soup(await ann.get("/assignments"))
        card = page.select_one(f"#assignment-{assignment_id}")
        assert card.select_one("form") is None
        assert "No attempts left" in card.select_one(".no-start").get_text()

        again = await ann.post(f"/assignments/{assignment_id}/attempts")
        assert again.status_code == 409
        assert "used every attempt" in soup(again).select_one("#attempt-refused").get_text()
    with transaction(app.state.runtime.service.sessions) as session:
        conversation = session.get_one(Conversation, conversation_id)
        assert (conversation.user_id, conversation.scenario_version.slug) == (ann_id, SCENARIO)
        attempt = session.get_one(AssignmentAttempt, conversation_id)
        assert (attempt.assignment_id, attempt.user_id) == (assignment_id, ann_id)
        verbs = session.scalars(select(XapiStatement.verb)).all()
        assert verbs == ["attempted"]
    assert count(app, Conversation) == 1


async def test_someone_else_s_assignment_is_not_found(app: FastAPI) -> None:
    add_user(app, "ann")
    add_user(app, "ben")
    add_user(app, "tess", roles=[Role.TRAINER])
    assignment_id = assign(app)
    async with signed_in(app, "ben") as ben:
        assert soup(await ben.get("/assignments")).select_one("#no-assignments") is not None
        refused = await ben.post(f"/assignments/{assignment_id}/attempts")
        assert refused.status_code == 404
    async with signed_in(app, "tess") as tess:  # a trainer is not a practitioner of it
        assert (await tess.post(f"/assignments/{assignment_id}/attempts")).status_code == 404
    assert count(app, Conversation) == 0


async def test_ending_an_attempt_writes_completed_and_scored_once(app: FastAPI) -> None:
    add_user(app, "ann")
    assignment_id = assign(app)
    async with signed_in(app, "ann") as ann:
        started = await ann.post(f"/assignments/{assignment_id}/attempts")
        conversation = started.headers["location"]
        await ann.post(f"{conversation}/turns", data={"text": "What matters most to you?"})
        await ann.get(f"{conversation}/reply")
        assert (await ann.post(f"{conversation}/end")).status_code == 303
        await ann.post(f"{conversation}/end")  # ending twice records nothing more
    with transaction(app.state.runtime.service.sessions) as session:
        verbs = session.scalars(select(XapiStatement.verb).order_by(XapiStatement.timestamp))
        assert list(verbs) == ["attempted", "completed", "scored"]


async def test_the_home_page_shows_what_is_set_for_the_practitioner(app: FastAPI) -> None:
    add_user(app, "ann")
    assignment_id = assign(app)
    async with signed_in(app, "ann") as ann:
        home = soup(await ann.get("/"))
    assert home.select_one("#assignments-heading") is not None
    card = home.select_one(f"#assignment-{assignment_id}")
    assert card.find("h3") is not None
    assert card.select_one(f"form[action='/assignments/{assignment_id}/attempts']") is not None
