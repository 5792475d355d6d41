"""Who may open or change a conversation, route by route, on both databases.

Ana practises; Bob is another practitioner; Tess trains Ana's cohort; Tom trains another;
Asa is the assessor Ana submitted to; Ola is an assessor she did not. Someone else's
attempt that a user may not see is a 404 (probing ids reveals nothing); one they may see
but not change is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.domain.accounts import Role
from app.domain.review import Outcome
from app.services import cohorts, reviews
from app.store.db import transaction
from app.store.models import Conversation, User
from app.store.training import AuditEntry
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import SCENARIO, soup

# (method, path template, form data): every route of a conversation and its report.
READS = [
    "/conversations/{id}",
    "/conversations/{id}.json",
    "/conversations/{id}/branches",
    "/conversations/{id}/report",
    "/conversations/{id}/report/transcript",
    "/conversations/{id}/report/narrative",
    "/conversations/{id}/report/scoring",
    "/conversations/{id}/report.pdf",
    "/conversations/{id}/report.csv",
    "/conversations/{id}/report.json",
]
TRAINER_READS = [
    "/conversations/{id}?view=trainer",
    "/conversations/{id}.json?view=trainer",
    "/conversations/{id}/trainer",
    "/conversations/{id}/branches?view=trainer",
]
OWNER_WRITES = [
    ("POST", "/conversations/{id}/turns", {"text": "How are you feeling?"}),
    ("GET", "/conversations/{id}/reply", None),
    ("GET", "/conversations/{id}/pending", None),
    ("POST", "/conversations/{id}/end", None),
    ("POST", "/conversations/{id}/restart", None),
    ("POST", "/conversations/{id}/branches", {"turn": "1"}),
    ("POST", "/conversations/{id}/reflection", {"noticed": "n", "goal": "g"}),
    ("GET", "/conversations/{id}/previous-goal", None),
]


@dataclass
class Team:
    app: FastAPI
    conversation_id: int
    ids: dict[str, int]


@pytest.fixture
async def team(app: FastAPI) -> Team:
    """The people above, and one ended conversation of Ana's submitted to Asa."""
    ids = {
        "ana": add_user(app, "ana"),
        "bob": add_user(app, "bob"),
        "tess": add_user(app, "tess", roles=[Role.TRAINER]),
        "tom": add_user(app, "tom", roles=[Role.TRAINER]),
        "asa": add_user(app, "asa", roles=[Role.ASSESSOR]),
        "ola": add_user(app, "ola", roles=[Role.ASSESSOR]),
        "ada": add_user(app, "ada", roles=[Role.ADMIN]),
    }
    async with signed_in(app, "ana") as ana:
        started = await ana.post(f"/scenarios/{SCENARIO}/conversations")
        conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
        await ana.post(f"/conversations/{conversation_id}/turns", data={"text": "Hello, Mr Ahmed."})
        await ana.get(f"/conversations/{conversation_id}/reply")
        await ana.post(f"/conversations/{conversation_id}/end")
    with transaction(app.state.runtime.service.sessions) as session:
        users = {name: session.get_one(User, uid) for name, uid in ids.items()}
        winter = cohorts.create_cohort(session, "Winter", created_by=users["tess"])
        cohorts.add_members(session, winter, [users["ana"]])
        cohorts.create_cohort(session, "Spring", created_by=users["tom"])
        reviews.submit(session, session.get_one(Conversation, conversation_id), users["asa"])
    return Team(app, conversation_id, ids)


async def status(client: httpx.AsyncClient, method: str, path: str, data: object = None) -> int:
    """The status, with "allowed" (2xx, or a redirect within the page's flow) as 200."""
    response = await client.request(method, path, data=data)  # type: ignore[arg-type]
    return 200 if response.status_code < 400 else response.status_code


async def test_another_practitioner_gets_404_everywhere(team: Team) -> None:
    async with signed_in(team.app, "bob") as bob:
        for path in READS + TRAINER_READS:
            assert await status(bob, "GET", path.format(id=team.conversation_id)) == 404, path
        for method, path, data in OWNER_WRITES:
            got = await status(bob, method, path.format(id=team.conversation_id), data)
            assert got == 404, path
        assert await status(bob, "GET", "/conversations/99999") == 404


async def test_the_owner_reads_everything_but_not_the_trainer_view(team: Team) -> None:
    async with signed_in(team.app, "ana") as ana:
        for path in READS:
            assert await status(ana, "GET", path.format(id=team.conversation_id)) == 200, path
        for path in TRAINER_READS:
            assert await status(ana, "GET", path.format(id=team.conversation_id)) == 403, path
        page = soup(await ana.get(f"/conversations/{team.conversation_id}"))
        assert page.find(id="trainer-view-link") is None


async def test_the_cohort_trainer_sees_a_sharing_trainee_but_cannot_act_for_her(
    team: Team,
) -> None:
    async with signed_in(team.app, "tess") as tess:
        for path in READS + TRAINER_READS:
            assert await status(tess, "GET", path.format(id=team.conversation_id)) == 200, path
        for method, path, data in OWNER_WRITES:
            got = await status(tess, method, path.format(id=team.conversation_id), data)
            assert got == 403, path
        report = soup(await tess.get(f"/conversations/{team.conversation_id}/report"))
        assert report.select_one("form.reflection-form") is None
    async with signed_in(team.app, "tom") as tom:
        for path in READS:
            assert await status(tom, "GET", path.format(id=team.conversation_id)) == 404, path


async def test_without_consent_to_share_the_trainer_sees_nothing(team: Team) -> None:
    with transaction(team.app.state.runtime.service.sessions) as session:
        session.get_one(User, team.ids["ana"]).shares_with_reviewers = False
    async with signed_in(team.app, "tess") as tess:
        for path in READS:
            assert await status(tess, "GET", path.format(id=team.conversation_id)) == 404, path


async def test_the_assessor_it_was_submitted_to_reads_it_and_no_other_does(team: Team) -> None:
    async with signed_in(team.app, "asa") as asa:
        for path in READS:
            assert await status(asa, "GET", path.format(id=team.conversation_id)) == 200, path
        for path in TRAINER_READS:
            assert await status(asa, "GET", path.format(id=team.conversation_id)) == 403, path
    async with signed_in(team.app, "ola") as ola, signed_in(team.app, "ada") as ada:
        for who in (ola, ada):
            for path in READS:
                assert await status(who, "GET", path.format(id=team.conversation_id)) == 404


async def test_a_signed_off_attempt_can_no_longer_change(team: Team) -> None:
    with transaction(team.app.state.runtime.service.sessions) as session:
        conversation = session.get_one(Conversation, team.conversation_id)
        asa = session.get_one(User, team.ids["asa"])
        reviews.create_review(
            session, conversation, asa, machine_levels={}, outcome=Outcome.SIGNED_OFF
        )
    async with signed_in(team.app, "ana") as ana:
        refused = await ana.post(
            f"/conversations/{team.conversation_id}/turns", data={"text": "One more thing"}
        )
        assert refused.status_code == 403
        assert "signed off" in soup(refused).select_one("[role=alert]").get_text()
        assert await status(ana, "GET", f"/conversations/{team.conversation_id}") == 200


async def test_opening_someone_elses_transcript_is_audited_and_ones_own_is_not(
    team: Team,
) -> None:
    async with signed_in(team.app, "ana") as ana:
        await ana.get(f"/conversations/{team.conversation_id}")
    async with signed_in(team.app, "tess") as tess:
        await tess.get(f"/conversations/{team.conversation_id}/report")
    with transaction(team.app.state.runtime.service.sessions) as session:
        views = session.scalars(
            select(AuditEntry.actor_id).where(
                AuditEntry.action == "view", AuditEntry.target_type == "conversation"
            )
        ).all()
    assert set(views) == {team.ids["tess"]}


async def test_each_practitioner_lists_only_their_own_conversations(team: Team) -> None:
    async with signed_in(team.app, "bob") as bob:
        await bob.post(f"/scenarios/{SCENARIO}/conversations")
        listed = soup(await bob.get("/conversations"))
        links = {a["href"] for a in listed.select("main a[href^='/conversations/']")}
        assert f"/conversations/{team.conversation_id}" not in links
        assert links
