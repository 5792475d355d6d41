"""``rehearse create-admin`` and ``rehearse import-users``: accounts from the command line.

``create-admin`` makes the first administrator (who then creates everyone else); the
password is asked twice without echo, or read from stdin with ``--password-stdin`` for
scripts. ``import-users`` creates the users in a CSV file (``username,email,roles``) and
prints each one's initial password once, as CSV. Each problem is one line on stderr
(file:line for CSV) and exit status 2; nothing is created when any row is wrong.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.config import Settings
from app.domain.accounts import Role
from app.services import accounts
from app.services.accounts import AccountError
from app.store.db import make_engine, make_sessionmaker, migrate, transaction


def register(cli: typer.Typer) -> None:
    """Add the account commands to ``cli``."""
    cli.command("create-admin")(create_admin)
    cli.command("import-users")(import_users)


def create_admin(
    username: Annotated[str, typer.Argument(help="The administrator's username.")],
    email: Annotated[
        str | None, typer.Option(help="Their email (also accepted at sign-in).")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin's first line.")
    ] = False,
) -> None:
    """Create an administrator account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = make_engine(Settings().resolved_database_url)
    try:
        migrate(engine)
        with transaction(make_sessionmaker(engine)) as session:
            user = accounts.create_user(
                session, username=username, email=email, password=password, roles=[Role.ADMIN]
            )
            typer.echo(f"created administrator {user.username} (id {user.id})")
    except AccountError as exc:
        typer.echo(f"create-admin: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()


def import_users(
    path: Annotated[Path, typer.Argument(help="CSV with columns username,email,roles.")],
) -> None:
    """Create users from a CSV file and print their initial passwords (shown only once)."""
    engine = make_engine(Settings().resolved_database_url)
    try:
        migrate(engine)
        with transaction(make_sessionmaker(engine)) as session:
            made = accounts.import_users_file(session, path)
    except AccountError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["username", "email", "roles", "initial_password"])
    for user in made:
        roles = ";".join(role.value for role in user.roles)
        writer.writerow([user.username, user.email, roles, user.initial_password])
