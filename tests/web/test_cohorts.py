"""The trainer's cohort pages, on SQLite and PostgreSQL: who may open them, members added
by username (all or nobody), co-trainers, and the assignment form's checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from app.domain.accounts import Role
from app.services import audit
from app.store.db import transaction
from app.store.models import as_utc
from app.store.training import Assignment, CohortMember
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import SCENARIO, soup

RUBRIC = "sdm-core"


async def create_cohort(http: httpx.AsyncClient, name: str) -> int:
    created = await http.post("/cohorts", data={"name": name})
    assert created.status_code == 303, created.text
    return int(created.headers["location"].rsplit("/", 1)[1])


def members_of(app: FastAPI, cohort_id: int, role: Role = Role.PRACTITIONER) -> set[int]:
    with transaction(app.state.runtime.service.sessions) as session:
        return set(
            session.scalars(
                select(CohortMember.user_id).where(
                    CohortMember.cohort_id == cohort_id, CohortMember.role == role.value
                )
            )
        )


async def test_practitioners_and_single_user_mode_get_403(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    local = await client.get("/cohorts")
    assert local.status_code == 403
    assert "create an administrator" in soup(local).get_text()
    add_user(app, "ann", roles=[Role.PRACTITIONER])
    async with signed_in(app, "ann") as ann:
        for response in (await ann.get("/cohorts"), await ann.post("/cohorts", data={"name": "X"})):
            assert response.status_code == 403
            assert "for trainers or admins" in soup(response).get_text()


async def test_a_trainer_manages_only_the_cohorts_they_train(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    add_user(app, "tom", roles=[Role.TRAINER])
    add_user(app, "ada", roles=[Role.ADMIN])
    async with signed_in(app, "tess") as tess:
        winter = await create_cohort(tess, "Winter")
        listing = soup(await tess.get("/cohorts"))
        assert [a.get_text() for a in listing.select("#cohort-list th[scope=row] a")] == ["Winter"]
        page = await tess.get(f"/cohorts/{winter}")
        assert page.status_code == 200
        assert soup(page).h1.get_text() == "Winter"
    async with signed_in(app, "tom") as tom:
        assert soup(await tom.get("/cohorts")).select_one("#no-cohorts") is not None
        refused = [
            await tom.get(f"/cohorts/{winter}"),
            await tom.get(f"/cohorts/{winter}/results"),
            await tom.get(f"/cohorts/{winter}/results.csv"),
            await tom.post(f"/cohorts/{winter}/members", data={"usernames": "tom"}),
            await tom.post(
                f"/cohorts/{winter}/assignments", data={"scenario": SCENARIO, "rubric": RUBRIC}
            ),
        ]
        assert [r.status_code for r in refused] == [403] * len(refused)
        assert "Only the trainers of Winter" in soup(refused[0]).get_text()
        assert (await tom.get("/cohorts/999")).status_code == 404
    async with signed_in(app, "ada") as ada:
        assert (await ada.get(f"/cohorts/{winter}")).status_code == 200
        names = [a.get_text() for a in soup(await ada.get("/cohorts")).select("#cohort-list a")]
        assert names == ["Winter"]


async def test_a_cohort_name_already_taken_is_refused_with_the_name_kept(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    async with signed_in(app, "tess") as tess:
        await create_cohort(tess, "Winter")
        again = await tess.post("/cohorts", data={"name": "winter"})
    assert again.status_code == 422
    page = soup(again)
    assert "already exists" in page.select_one("#cohort-error[role=alert]").get_text()
    assert page.select_one("#cohort-name")["value"] == "winter"


async def test_members_are_added_all_or_nobody(app: FastAPI) -> None:
    ids = {name: add_user(app, name) for name in ("ann", "bob", "cy")}
    add_user(app, "tess", roles=[Role.TRAINER])
    tom = add_user(app, "tom", roles=[Role.TRAINER])
    async with signed_in(app, "tess") as tess:
        winter = await create_cohort(tess, "Winter")
        typed = "ann, zed\nbob,yan"
        refused = await tess.post(f"/cohorts/{winter}/members", data={"usernames": typed})
        assert refused.status_code == 422
        page = soup(refused)
        alert = page.select_one("#practitioners-error[role=alert]").get_text()
        assert "Nobody was added" in alert
        assert "'zed' or 'yan'" in alert
        assert page.select_one("#practitioner-usernames").get_text() == typed
        assert members_of(app, winter) == set()

        not_practitioner = await tess.post(f"/cohorts/{winter}/members", data={"usernames": "tom"})
        assert not_practitioner.status_code == 422
        assert "'tom' does not hold the practitioner role" in soup(not_practitioner).get_text()

        added = await tess.post(f"/cohorts/{winter}/members", data={"usernames": "ann\nbob, cy"})
        assert added.status_code == 303
        assert members_of(app, winter) == set(ids.values())
        page = soup(await tess.get(f"/cohorts/{winter}"))
        listed = [li["id"] for li in page.select("#practitioners .member-list li")]
        assert listed == [f"practitioner-{ids[n]}" for n in ("ann", "bob", "cy")]

        removed = await tess.post(
            f"/cohorts/{winter}/members/{ids['bob']}/remove", data={"role": "practitioner"}
        )
        assert removed.status_code == 303
        assert members_of(app, winter) == {ids["ann"], ids["cy"]}

        co = await tess.post(
            f"/cohorts/{winter}/members", data={"usernames": "tom", "role": "trainer"}
        )
        assert co.status_code == 303
    async with signed_in(app, "tom") as tom_http:
        assert (await tom_http.get(f"/cohorts/{winter}")).status_code == 200
        left = await tom_http.post(
            f"/cohorts/{winter}/members/{tom}/remove", data={"role": "trainer"}
        )
        assert (left.status_code, left.headers["location"]) == (303, "/cohorts")
        assert (await tom_http.get(f"/cohorts/{winter}")).status_code == 403
    async with signed_in(app, "tess") as tess:
        tess_id = next(iter(members_of(app, winter, Role.TRAINER)))
        kept = await tess.post(
            f"/cohorts/{winter}/members/{tess_id}/remove", data={"role": "trainer"}
        )
        assert kept.status_code == 422
        assert "only trainer of Winter" in soup(kept).select_one("#trainers-error").get_text()
    with transaction(app.state.runtime.service.sessions) as session:
        details = [e.detail for e in audit.history(session, "cohort", winter) if e.detail]
    assert {"added": ["ann", "bob", "cy"], "as": "practitioner"} in details
    assert {"removed": "bob", "as": "practitioner"} in details


REFUSALS = (
    ({"scenario": "no-such-scenario"}, "choose one of the scenarios"),
    ({"rubric": "no-such-rubric"}, "choose one of the rubrics"),
    ({"attempts": "0"}, "at least 1"),
    ({"attempts": "two"}, "whole number"),
    ({"due": "soon"}, "not a date and time"),
    ({"due": "2020-01-01T09:00"}, "has already passed"),
)


async def test_a_refused_assignment_says_why_and_keeps_what_was_typed(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    valid = {
        "scenario": SCENARIO,
        "rubric": RUBRIC,
        "purpose": "sign_off",
        "due": "2099-05-01T17:30",
        "attempts": "3",
    }
    async with signed_in(app, "tess") as tess:
        winter = await create_cohort(tess, "Winter")
        for fields, message in REFUSALS:
            typed = valid | fields
            refused = await tess.post(f"/cohorts/{winter}/assignments", data=typed)
            assert refused.status_code == 422, fields
            page = soup(refused)
            assert message in page.select_one("#assignment-error[role=alert]").get_text()
            form = page.select_one("#new-assignment")
            chosen = form.select_one("#assignment-scenario option[selected]")
            offered = typed["scenario"] if "scenario" not in fields else None
            assert (chosen["value"] if chosen else None) == offered
            assert form.select_one("input[name=purpose][checked]")["value"] == "sign_off"
            assert form.select_one("#assignment-due")["value"] == typed["due"]
            assert form.select_one("#assignment-attempts")["value"] == typed["attempts"]
    with transaction(app.state.runtime.service.sessions) as session:
        assert session.scalars(select(Assignment)).all() == []


async def test_an_assignment_is_set_with_a_utc_due_date(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    due = (datetime.now(UTC) + timedelta(days=7)).replace(second=0, microsecond=0)
    async with signed_in(app, "tess") as tess:
        winter = await create_cohort(tess, "Winter")
        form = soup(await tess.get(f"/cohorts/{winter}")).select_one("#new-assignment")
        assert form.select_one("label[for=assignment-due]") is not None
        assert "UTC" in form.select_one("#assignment-due-help").get_text()
        assert {o["value"] for o in form.select("#assignment-rubric option")} >= {"", RUBRIC}
        fields = {
            "scenario": SCENARIO,
            "rubric": RUBRIC,
            "purpose": "formative",
            "due": due.strftime("%Y-%m-%dT%H:%M"),
            "attempts": "",
        }
        created = await tess.post(f"/cohorts/{winter}/assignments", data=fields)
        assert created.status_code == 303
        row = soup(await tess.get(f"/cohorts/{winter}")).select_one("#assignment-list tbody tr")
    cells = [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
    assert cells[1:] == [
        RUBRIC,
        "Formative practice",
        f"{due:%d %b %Y, %H:%M} UTC",
        "No limit",
        "0 of 0",
    ]
    with transaction(app.state.runtime.service.sessions) as session:
        stored = session.scalars(select(Assignment)).one()
        assert (stored.scenario_slug, stored.attempts_allowed) == (SCENARIO, None)
        assert stored.due_at is not None
        assert as_utc(stored.due_at) == due
        assert [e.action for e in audit.history(session, "assignment", stored.id)] == ["create"]
