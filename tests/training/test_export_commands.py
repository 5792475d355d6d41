"""``rehearse export-agreement`` and ``rehearse export-xapi`` against a real database."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.domain.accounts import Role
from app.domain.conversation import Speaker
from app.domain.review import CodeOverride, LevelOverride, Outcome
from app.domain.rubric_rules import LevelName
from app.domain.xapi import Verb
from app.scoring.agreement import CSV_COLUMNS
from app.services import cohorts, reviews, xapi
from app.store import repositories
from app.store.models import Conversation, User

MakeUser = Callable[..., User]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STATEMENT_KEYS = {"id", "actor", "verb", "object", "context", "timestamp", "version"}
VERB = "http://adlnet.gov/expapi/verbs/"


def _conversation(
    session: Session, owner: User, codes: list[list[str]] | None = None
) -> Conversation:
    """A conversation whose practitioner turns carry ``codes``, each answered by the person."""
    version = repositories.scenario_version(
        session, slug="back-pain-options", title="Back pain: options", source="s"
    )
    conversation = repositories.create_conversation(
        session, user=owner, version=version, llm_provider="scripted"
    )
    for turn_codes in codes or []:
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
def reviewed(db_env: str, session: Session, make_user: MakeUser) -> None:
    """One signed-off review: two code overrides and one level override, committed."""
    owner, assessor = make_user("priya", Role.PRACTITIONER), make_user("ash", Role.ASSESSOR)
    codes = [["open_question"], ["open_question"], ["closed_question"], []]
    conversation = _conversation(session, owner, codes)
    reviews.submit(session, conversation, assessor)
    reviews.create_review(
        session,
        conversation,
        assessor,
        machine_levels={"options": LevelName.ESTABLISHED, "checking": LevelName.EMERGING},
        outcome=Outcome.SIGNED_OFF,
        summary="Good options talk.",
        code_overrides={
            4: CodeOverride(codes=("open_question",), comment="It was open."),
            6: CodeOverride(codes=("affirmation",), comment="Affirmed effort."),
        },
        level_overrides={
            "checking": LevelOverride(level=LevelName.ESTABLISHED, comment="Checked twice.")
        },
    )
    session.commit()


@pytest.fixture
def statements(db_env: str, session: Session, make_user: MakeUser) -> None:
    """Ann's attempted/completed/scored on 1 Dec, Bob's attempted the day before, committed."""
    ann, bob = make_user("ann", Role.PRACTITIONER), make_user("bob", Role.PRACTITIONER)
    cohort = cohorts.create_cohort(session, "Winter")
    cohorts.add_members(session, cohort, [ann, bob])
    assignment = cohorts.create_assignment(
        session, cohort, scenario_slug="back-pain-options", rubric_id="sdm-core"
    )
    held, other = _conversation(session, ann), _conversation(session, bob)
    for verb, minutes in ((Verb.ATTEMPTED, 0), (Verb.COMPLETED, 9)):
        xapi.record(
            session,
            verb,
            user=ann,
            assignment=assignment,
            conversation=held,
            at=T0 + timedelta(minutes=minutes),
        )
    xapi.record_scored(
        session,
        user=ann,
        assignment=assignment,
        conversation=held,
        at=T0 + timedelta(minutes=10),
        raw=6,
        maximum=12,
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


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- export-agreement ---------------------------------------------------------------------


@pytest.mark.usefixtures("reviewed")
def test_export_agreement_csv_contract() -> None:
    code, out, err = _invoke("export-agreement")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["kind", "name", "n", "overridden", "observed_agreement", "kappa"]
    assert tuple(rows[0]) == CSV_COLUMNS
    # Worked by hand: four reviewed turns, one review of two criteria. "options" was agreed
    # once on one level, so chance agreement is 1 and kappa is undefined: an empty cell.
    assert rows[1:] == [
        ["code", "affirmation", "4", "1", "0.7500", "0.0000"],
        ["code", "closed_question", "4", "1", "0.7500", "0.0000"],
        ["code", "open_question", "4", "1", "0.7500", "0.5000"],
        ["criterion", "checking", "1", "1", "0.0000", "0.0000"],
        ["criterion", "options", "1", "0", "1.0000", ""],
    ]


@pytest.mark.usefixtures("reviewed")
def test_export_agreement_to_file(tmp_path: Path) -> None:
    target = tmp_path / "agreement.csv"
    code, out, err = _invoke("export-agreement", "-o", str(target))
    assert code == 0, err
    assert out == ""
    lines = target.read_text("utf-8").splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert len(lines) == 6


def test_export_agreement_without_reviews_is_header_only(db_env: str) -> None:
    code, out, err = _invoke("export-agreement")
    assert code == 0, err
    assert out.splitlines() == [",".join(CSV_COLUMNS)]


def test_export_agreement_unwritable_output(db_env: str, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "agreement.csv"
    code, _, err = _invoke("export-agreement", "-o", str(target))
    assert code == 2
    assert f"cannot write {target}" in err


# --- export-xapi --------------------------------------------------------------------------


@pytest.mark.usefixtures("statements")
def test_export_xapi_json_contract() -> None:
    code, out, err = _invoke("export-xapi")
    assert code == 0, err
    exported = json.loads(out)
    assert isinstance(exported, list)
    assert [(s["actor"]["account"]["name"], s["verb"]["id"]) for s in exported] == [
        ("bob", VERB + "attempted"),
        ("ann", VERB + "attempted"),
        ("ann", VERB + "completed"),
        ("ann", VERB + "scored"),
    ]
    for statement in exported:
        assert STATEMENT_KEYS <= set(statement) <= STATEMENT_KEYS | {"result"}
        assert statement["version"] == "1.0.3"
        assert statement["actor"]["objectType"] == "Agent"
        assert statement["object"]["objectType"] == "Activity"
    assert exported[-1]["result"]["score"] == {"scaled": 0.5, "raw": 6, "min": 0, "max": 12}
    assert len({s["id"] for s in exported}) == 4


@pytest.mark.usefixtures("statements")
def test_export_xapi_filters_by_since_and_user(tmp_path: Path) -> None:
    code, out, err = _invoke("export-xapi", "--since", "2026-12-01")
    assert code == 0, err
    assert [s["actor"]["account"]["name"] for s in json.loads(out)] == ["ann"] * 3

    code, out, err = _invoke("export-xapi", "--since", "2026-12-01T09:05:00+00:00")
    assert code == 0, err
    assert [s["verb"]["id"] for s in json.loads(out)] == [VERB + "completed", VERB + "scored"]

    target = tmp_path / "bob.json"
    code, out, err = _invoke("export-xapi", "--user", "bob", "-o", str(target))
    assert code == 0, err
    assert out == ""
    only_bob = json.loads(target.read_text("utf-8"))
    assert [(s["actor"]["account"]["name"], s["verb"]["id"]) for s in only_bob] == [
        ("bob", VERB + "attempted")
    ]

    code, out, err = _invoke("export-xapi", "--user", "bob", "--since", "2026-12-01")
    assert code == 0, err
    assert json.loads(out) == []


def test_export_xapi_empty_database_is_empty_array(db_env: str) -> None:
    code, out, err = _invoke("export-xapi")
    assert code == 0, err
    assert json.loads(out) == []


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", ""])
def test_export_xapi_bad_date_exits_2(db_env: str, value: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, err = _invoke("export-xapi", "--since", value, "-o", str(target))
    assert code == 2
    assert f"export-xapi: --since: {value!r} is not a date" in err
    assert out == ""
    assert not target.exists()


@pytest.mark.usefixtures("statements")
def test_export_xapi_unknown_user_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, err = _invoke("export-xapi", "--user", "zed", "-o", str(target))
    assert code == 2
    assert "export-xapi: --user: there is no account named 'zed'" in err
    assert out == ""
    assert not target.exists()
