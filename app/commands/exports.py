"""``rehearse export-agreement`` and ``rehearse export-xapi``: training data for other tools.

``export-agreement`` writes the human-machine agreement CSV the assessors' page shows (kappa
per code and per criterion over every review, empty where kappa is undefined), so a team can
track it in a spreadsheet. ``export-xapi`` writes the stored xAPI statements as the JSON array
a learning record store ingests. Both read the configured database (``REHEARSE_DATABASE_URL``);
a bad option is one line on stderr naming it, and exit status 2, before anything is written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy.orm import Session

from app.config import Settings
from app.services import reviews, xapi
from app.store.db import make_engine, make_sessionmaker, migrate

OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
]


def register(cli: typer.Typer) -> None:
    """Add the export commands to ``cli``."""
    cli.command("export-agreement")(export_agreement)
    cli.command("export-xapi")(export_xapi)


def export_agreement(output: OutputOption = None) -> None:
    """Write Cohen's kappa per code and per criterion over all reviews, as CSV."""
    with _database() as session:
        text = reviews.agreement_report(session).csv()
    _write(text, output)


def export_xapi(
    since: Annotated[
        str | None,
        typer.Option(help="Only statements at or after this date (YYYY-MM-DD or ISO 8601)."),
    ] = None,
    user: Annotated[
        str | None, typer.Option(help="Only this user's statements (username or email).")
    ] = None,
    output: OutputOption = None,
) -> None:
    """Write the stored xAPI statements as a JSON array, oldest first."""
    with _database() as session:
        try:
            # An option given but blank is a mistake here, not "no filter" as on the web form.
            start = xapi.parse_since(since) if since is not None else None
            _, who = xapi.read_filters(session, since="", user=user or "")
        except xapi.FilterError as exc:
            _fail(f"export-xapi: --{exc}")
        text = xapi.export_json(session, since=start, user=who)
    _write(text + "\n", output)


@contextmanager
def _database() -> Iterator[Session]:
    """A session on the configured database, migrated so an empty one exports nothing."""
    engine = make_engine(Settings().resolved_database_url)
    try:
        migrate(engine)
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _write(text: str, output: Path | None) -> None:
    """To ``output`` when given (UTF-8), else stdout, so the commands pipe."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror}")


def _fail(message: str) -> NoReturn:
    """One line on stderr naming the problem; exit 2 as the other commands do."""
    typer.echo(message, err=True)
    raise typer.Exit(2)
