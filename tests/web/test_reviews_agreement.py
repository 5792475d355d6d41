"""The agreement page and its CSV on a worked example, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI

from app.domain.accounts import Role
from app.domain.conversation import Speaker
from app.domain.review import CodeOverride, LevelOverride, Outcome
from app.domain.rubric_rules import LevelName
from app.services import reviews
from app.store import repositories
from app.store.db import transaction
from app.store.models import User
from tests.web.accounts import add_user, signed_in
from tests.web.helpers import soup


@pytest.fixture
def reviewed(app: FastAPI) -> None:
    """The worked example of tests/training/test_reviews.py, stored through the services.

    open_question (assessor, machine) over four turns: P,P  P,P  P,A  A,A -> kappa 0.5;
    closed_question A,A A,A A,P A,A -> kappa 0; 'options', one agreed judgement -> undefined.
    """
    owner = add_user(app, "priya")
    assessor = add_user(app, "ash", roles=[Role.ASSESSOR])
    with transaction(app.state.runtime.service.sessions) as session:
        version = repositories.scenario_version(session, slug="s", title="t", source="s")
        conversation = repositories.create_conversation(
            session, user=session.get_one(User, owner), version=version, llm_provider="scripted"
        )
        for codes in (["open_question"], ["open_question"], ["closed_question"], []):
            repositories.add_turn(
                session,
                conversation=conversation,
                speaker=Speaker.PRACTITIONER,
                text="...",
                codes=codes,
            )
            repositories.add_turn(
                session, conversation=conversation, speaker=Speaker.PERSON, text="ok"
            )
        ash = session.get_one(User, assessor)
        reviews.submit(session, conversation, ash)
        reviews.create_review(
            session,
            conversation,
            ash,
            machine_levels={"options": LevelName.ESTABLISHED, "checking": LevelName.EMERGING},
            outcome=Outcome.SIGNED_OFF,
            code_overrides={
                4: CodeOverride(codes=("open_question",), comment="It was open."),
                6: CodeOverride(codes=("affirmation",), comment="Affirmed effort."),
            },
            level_overrides={
                "checking": LevelOverride(level=LevelName.ESTABLISHED, comment="Checked twice.")
            },
        )
    add_user(app, "tess", roles=[Role.TRAINER])


async def test_agreement_page_shows_kappa_per_code_and_criterion(
    app: FastAPI, reviewed: None
) -> None:
    async with signed_in(app, "tess") as tess:
        page = soup(await tess.get("/agreement"))
    with transaction(app.state.runtime.service.sessions) as session:
        report = reviews.agreement_report(session)

    def cells(table: str) -> dict[str, list[str]]:
        return {
            str(row["data-name"]): [td.get_text(strip=True) for td in row.select("td")]
            for row in page.select(f"#{table} tbody tr")
        }

    assert cells("agreement-codes") == {
        "affirmation": ["4", "3", "1", "0.00"],
        "closed_question": ["4", "3", "1", "0.00"],
        "open_question": ["4", "3", "1", "0.50"],
    }
    assert cells("agreement-criteria") == {
        "checking": ["1", "0", "1", "0.00"],
        "options": ["1", "1", "0", "not enough data"],
    }
    shown = {name: float(c[3]) for name, c in cells("agreement-codes").items()}
    assert shown == pytest.approx({r.name: r.figures.kappa for r in report.codes}, abs=0.005)
    assert "over 1 review" in page.select(".lede")[0].get_text()
    assert "kappa" in page.select("#kappa-help")[0].get_text()
    assert page.select_one("a[href='/agreement.csv']") is not None


async def test_agreement_csv_is_the_services(app: FastAPI, reviewed: None) -> None:
    async with signed_in(app, "ash") as ash:
        response = await ash.get("/agreement.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    with transaction(app.state.runtime.service.sessions) as session:
        assert response.text == reviews.agreement_report(session).csv()
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert (rows["open_question"]["kappa"], rows["checking"]["overridden"]) == ("0.5000", "1")


async def test_agreement_without_reviews(app: FastAPI) -> None:
    add_user(app, "tess", roles=[Role.TRAINER])
    async with signed_in(app, "tess") as tess:
        page = soup(await tess.get("/agreement"))
    assert page.select("table.agreement") == []
    assert [p.get_text() for p in page.select("main > p") if "No reviews" in p.get_text()]


def test_the_machine_codes_stored_are_those_the_assessor_was_shown(app: FastAPI) -> None:
    """The review form shows the score card's codes (the judge's, where it coded): those are
    stored as the machine's, not the codes kept on the turn when it was said."""
    owner, assessor = add_user(app, "priya"), add_user(app, "ash", roles=[Role.ASSESSOR])
    with transaction(app.state.runtime.service.sessions) as session:
        version = repositories.scenario_version(session, slug="s", title="t", source="s")
        conversation = repositories.create_conversation(
            session, user=session.get_one(User, owner), version=version, llm_provider="scripted"
        )
        for codes in (["closed_question"], ["advice"]):
            repositories.add_turn(
                session,
                conversation=conversation,
                speaker=Speaker.PRACTITIONER,
                text="...",
                codes=codes,
            )
        ash = session.get_one(User, assessor)
        reviews.submit(session, conversation, ash)
        review = reviews.create_review(
            session,
            conversation,
            ash,
            machine_levels={},
            outcome=Outcome.SIGNED_OFF,
            machine_codes={0: ["open_question"]},
        )
        stored = [(r.machine_codes, r.human_codes) for r in reviews.review_turns(session, review)]
    assert stored == [(["open_question"], ["open_question"]), (["advice"], ["advice"])]
