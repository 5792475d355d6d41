"""``rehearse create-admin`` and ``rehearse import-users`` against a real database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.domain.accounts import Role
from app.services import accounts
from app.store.db import make_engine, make_sessionmaker


def _session(url: str) -> Session:
    return make_sessionmaker(make_engine(url))()


def test_create_admin_reads_password_from_stdin(db_env: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["create-admin", "root", "--email", "root@example.org", "--password-stdin"],
        input="a long admin passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "created administrator root" in result.output
    with _session(db_env) as session:
        user = accounts.authenticate(session, "root@example.org", "a long admin passphrase")
        assert user is not None
        assert accounts.roles_of(session, user.id) == {Role.ADMIN}


def test_create_admin_prompts_twice_and_refuses_short_password(db_env: str) -> None:
    result = CliRunner().invoke(cli, ["create-admin", "root"], input="short\nshort\n")
    assert result.exit_code == 2
    assert "create-admin: password must be at least 10 characters" in result.output
    with _session(db_env) as session:
        assert accounts.find_user(session, "root") is None


def test_import_users_prints_initial_passwords_that_work(db_env: str, tmp_path: Path) -> None:
    source = tmp_path / "users.csv"
    source.write_text("username,email,roles\nann,ann@example.org,practitioner\n", "utf-8")
    result = CliRunner().invoke(cli, ["import-users", str(source)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["username"], r["roles"]) for r in rows] == [("ann", "practitioner")]
    with _session(db_env) as session:
        assert accounts.authenticate(session, "ann", rows[0]["initial_password"]) is not None


def test_import_users_bad_row_names_file_and_line(db_env: str, tmp_path: Path) -> None:
    source = tmp_path / "users.csv"
    source.write_text("username,email,roles\nann,ann@example.org,pilot\n", "utf-8")
    result = CliRunner().invoke(cli, ["import-users", str(source)])
    assert result.exit_code == 2
    assert f"{source}:2: unknown role 'pilot'" in result.output
