"""xAPI statements from the web, on SQLite and PostgreSQL: every statement (or those from a
date, or of one person) for administrators, one cohort's for its trainers, each export in
the audit log, and a filter that cannot be read refused on the audit page (422)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.domain.accounts import Role
from app.domain.xapi import Verb, registration
from app.services import audit, cohorts, xapi
from app.services.accounts import find_user
from app.store import repositories
from app.store.db import transaction
from app.store.models import User
from app.store.training import Assignment, AuditEntry, Cohort
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import SCENARIO, soup

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"


@dataclass(frozen=True)
class Records:
    """Winter (trained by tess: ann, bob) and Spring (trained by tom: cat), one assignment
    each. Ann attempted, completed and scored two days before T0, bob attempted at T0, cat
    the day after; ada administers."""

    winter: int
    spring: int
    winter_assignment: int


def _people(session: Session, *names: str) -> dict[str, User]:
    found = {name: find_user(session, name) for name in names}
    return {name: user for name, user in found.items() if user is not None}


def _cohort(session: Session, name: str, trainer: User, practitioners: list[User]) -> Assignment:
    cohort = cohorts.create_cohort(session, name, created_by=trainer)
    cohorts.add_members(session, cohort, practitioners)
    return cohorts.create_assignment(
        session, cohort, scenario_slug=SCENARIO, rubric_id="sdm-core", created_by=trainer
    )


def _statement(
    session: Session, verb: Verb, user: User, assignment: Assignment, at: datetime
) -> None:
    version = repositories.scenario_version(
        session, slug=SCENARIO, title="Prostate: a decision", source="s"
    )
    held = repositories.create_conversation(
        session, user=user, version=version, llm_provider="scripted"
    )
    xapi.record(session, verb, user=user, assignment=assignment, conversation=held, at=at)


@pytest.fixture
def records(app: FastAPI) -> Records:
    add_user(app, "ada", roles=[Role.ADMIN])
    for trainer in ("tess", "tom"):
        add_user(app, trainer, roles=[Role.TRAINER])
    for practitioner in ("ann", "bob", "cat"):
        add_user(app, practitioner)
    with transaction(app.state.runtime.service.sessions) as session:
        who = _people(session, "tess", "tom", "ann", "bob", "cat")
        who["ann"].email = "ann@example.org"
        winter = _cohort(session, "Winter", who["tess"], [who["ann"], who["bob"]])
        spring = _cohort(session, "Spring", who["tom"], [who["cat"]])
        earlier = T0 - timedelta(days=2)
        _statement(session, Verb.ATTEMPTED, who["ann"], winter, earlier)
        _statement(session, Verb.COMPLETED, who["ann"], winter, earlier + timedelta(minutes=9))
        _statement(session, Verb.ATTEMPTED, who["bob"], winter, T0)
        _statement(session, Verb.ATTEMPTED, who["cat"], spring, T0 + timedelta(days=1))
        return Records(winter.cohort_id, spring.cohort_id, winter.id)


def _who_and_when(statements: list[dict[str, object]]) -> list[tuple[str, str]]:
    """(username, verb) of each statement, in the order exported."""
    found = []
    for statement in statements:
        actor, verb = statement["actor"], statement["verb"]
        assert isinstance(actor, dict)
        assert isinstance(verb, dict)
        found.append((actor["account"]["name"], str(verb["id"]).rsplit("/", 1)[1]))
    return found


def _exports(app: FastAPI, target_type: str, target_id: int | str) -> list[AuditEntry]:
    with transaction(app.state.runtime.service.sessions) as session:
        found = audit.history(session, target_type, target_id)
        return [entry for entry in found if entry.action == "export"]


# --- administrators: every statement --------------------------------------------------------


async def test_admin_downloads_the_same_document_the_command_prints(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "ada") as ada:
        response = await ada.get("/admin/xapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert 'filename="rehearse-xapi.json"' in response.headers["content-disposition"]
    with transaction(app.state.runtime.service.sessions) as session:
        assert response.text == xapi.export_json(session)
    statements = response.json()
    assert _who_and_when(statements) == [
        ("ann", "attempted"),
        ("ann", "completed"),
        ("bob", "attempted"),
        ("cat", "attempted"),
    ]
    first = statements[0]
    assert first["version"] == "1.0.3"
    assert first["actor"]["objectType"] == "Agent"
    assert first["verb"]["id"] == ATTEMPTED
    assert first["object"]["id"].endswith(f"/assignments/{records.winter_assignment}")
    assert all(ISO_UTC.match(s["timestamp"]) for s in statements)


async def test_admin_export_is_in_the_audit_log_with_its_filters(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "ada") as ada:
        assert (await ada.get("/admin/xapi.json")).status_code == 200
        assert (await ada.get("/admin/xapi.json?since=2026-12-01&user=ann")).status_code == 200
    everything, filtered = _exports(app, "xapi", "statements")
    assert everything.detail == {"since": "the beginning", "user": "everyone"}
    assert filtered.detail == {"since": "2026-12-01T00:00:00+00:00", "user": "ann"}
    with transaction(app.state.runtime.service.sessions) as session:
        ada = find_user(session, "ada")
        assert ada is not None
        assert everything.actor_id == ada.id


EVERYONE = ["ann attempted", "ann completed", "bob attempted", "cat attempted"]
FILTERED = {
    "": EVERYONE,
    "since=&user=": EVERYONE,  # the form's blank fields: no filter
    "since=2026-12-01": ["bob attempted", "cat attempted"],
    "since=2026-12-01T09:00:01": ["cat attempted"],
    "since=2026-12-01T10:00:00%2B01:00": ["bob attempted", "cat attempted"],
    "user=ann": ["ann attempted", "ann completed"],
    "user=ANN%40example.org": ["ann attempted", "ann completed"],
    "since=2026-11-29T09:05:00Z&user=ann": ["ann completed"],
    "since=2026-12-03&user=ann": [],
}


async def test_admin_filters_by_since_and_user(app: FastAPI, records: Records) -> None:
    async with signed_in(app, "ada") as ada:
        for query, expected in FILTERED.items():
            response = await ada.get(f"/admin/xapi.json?{query}")
            assert response.status_code == 200, (query, response.text)
            found = [f"{who} {verb}" for who, verb in _who_and_when(response.json())]
            assert found == expected, query


UNREADABLE = {  # query -> the field at fault, as typed, and why
    "since=yesterday": ("since", "yesterday", "'yesterday' is not a date"),
    "since=2026-13-01": ("since", "2026-13-01", "'2026-13-01' is not a date"),
    "user=nobody&since=2026-12-01": ("user", "nobody", "no account named 'nobody'"),
}


async def test_a_filter_that_cannot_be_read_is_refused_on_the_audit_page(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "ada") as ada:
        for query, (field, typed, reason) in UNREADABLE.items():
            response = await ada.get(f"/admin/xapi.json?{query}")
            assert response.status_code == 422, query
            page = soup(response)
            error = page.select_one("#xapi-form #xapi-error[role=alert]")
            assert error is not None, query
            assert error.get_text().startswith(f"Nothing was exported: {field}:"), query
            assert reason in error.get_text(), query
            bad = page.select_one(f"#xapi-{field}")
            assert bad["value"] == typed, query
            assert bad["aria-invalid"] == "true", query
            assert page.select_one("table#audit") is not None  # the audit page, not a bare error
    assert _exports(app, "xapi", "statements") == []


async def test_only_administrators_export_every_statement(app: FastAPI, records: Records) -> None:
    add_user(app, "ash", roles=[Role.ASSESSOR])
    for someone in ("ann", "tess", "ash"):  # a practitioner, a trainer, an assessor
        async with signed_in(app, someone) as http:
            response = await http.get("/admin/xapi.json")
        assert response.status_code == 403, someone
        assert "actor" not in response.text
    assert _exports(app, "xapi", "statements") == []


async def test_audit_page_offers_the_download_and_says_what_xapi_is_for(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "ada") as ada:
        page = soup(await ada.get("/admin/audit"))
    section = page.select_one("section#xapi-export")
    link = section.select_one("a[download]")
    assert link["href"] == "/admin/xapi.json"
    assert "learning record store" in section.select_one(f"#{link['aria-describedby']}").get_text()
    form = section.select_one("form#xapi-form")
    assert (form["method"], form["action"]) == ("get", "/admin/xapi.json")
    for name in ("since", "user"):
        field = form.select_one(f"input[name={name}]")
        assert form.select_one(f"label[for={field['id']}]") is not None
        assert field["value"] == ""
        assert not field.has_attr("aria-invalid")


# --- a cohort's trainers: that cohort's statements ------------------------------------------


async def test_trainer_downloads_only_their_cohorts_statements(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "tess") as tess:
        response = await tess.get(f"/cohorts/{records.winter}/xapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    name = f"rehearse-cohort-{records.winter}-xapi.json"
    assert f'filename="{name}"' in response.headers["content-disposition"]
    statements = response.json()
    assert _who_and_when(statements) == [
        ("ann", "attempted"),
        ("ann", "completed"),
        ("bob", "attempted"),
    ]
    assert {s["object"]["id"].rsplit("/", 1)[1] for s in statements} == {
        str(records.winter_assignment)
    }
    with transaction(app.state.runtime.service.sessions) as session:
        winter = session.get_one(Cohort, records.winter)
        assert response.text == xapi.export_json(session, cohort=winter)
    [export] = _exports(app, "cohort", records.winter)
    assert export.detail == {"what": "xapi.json"}


async def test_another_trainer_is_refused_and_an_admin_may_export_any_cohort(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "tom") as tom:
        refused = await tom.get(f"/cohorts/{records.winter}/xapi.json")
        own = await tom.get(f"/cohorts/{records.spring}/xapi.json")
    assert refused.status_code == 403
    assert "Only the trainers of Winter" in soup(refused).get_text()
    assert _who_and_when(own.json()) == [("cat", "attempted")]
    assert _exports(app, "cohort", records.winter) == []
    async with signed_in(app, "ada") as ada:
        assert len((await ada.get(f"/cohorts/{records.winter}/xapi.json")).json()) == 3
    async with signed_in(app, "ann") as ann:
        assert (await ann.get(f"/cohorts/{records.winter}/xapi.json")).status_code == 403


async def test_a_cohort_without_statements_exports_an_empty_array(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    async with signed_in(app, "tess") as tess:
        created = await tess.post("/cohorts", data={"name": "Empty"})
        response = await tess.get(created.headers["location"] + "/xapi.json")
    assert response.status_code == 200
    assert response.json() == []


async def test_an_attempt_started_from_the_pages_is_in_its_cohorts_export(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "bob") as bob:
        started = await bob.post(f"/assignments/{records.winter_assignment}/attempts")
    assert started.status_code == 303, started.text
    conversation_id = int(started.headers["location"].rsplit("/", 1)[1])
    async with signed_in(app, "tess") as tess:
        statements = (await tess.get(f"/cohorts/{records.winter}/xapi.json")).json()
    home = xapi.DEFAULT_HOME_PAGE
    [started_statement] = [
        s for s in statements if s["context"]["registration"] == registration(home, conversation_id)
    ]
    assert started_statement["actor"]["account"]["name"] == "bob"
    assert started_statement["verb"]["id"] == ATTEMPTED
    assert started_statement["object"]["id"] == f"{home}/assignments/{records.winter_assignment}"
    assert len(statements) == 4


async def test_cohort_page_links_the_exports_and_says_what_xapi_is_for(
    app: FastAPI, records: Records
) -> None:
    async with signed_in(app, "tess") as tess:
        page = soup(await tess.get(f"/cohorts/{records.winter}"))
    links = {a["href"]: a for a in page.select("#cohort-downloads a")}
    xapi_link = links[f"/cohorts/{records.winter}/xapi.json"]
    assert xapi_link.has_attr("download")
    help_text = page.select_one(f"#{xapi_link['aria-describedby']}").get_text()
    assert "learning record store" in help_text
    assert f"/cohorts/{records.winter}/members.csv" in links
