"""``rehearse score-transcript`` (DESIGN.md section 9).

Reads a transcript file, scores it against a rubric from ``settings.rubrics_dir`` with the
default coder (or, with ``--method judge``, the optional LLM judge, which falls back to the
rules and says so on stderr), and prints the score card's JSON contract. Every problem with
the input (unreadable, not JSON, wrong shape, unknown rubric, unsupported format) is one
clear message on stderr naming the file, and exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from app.config import ScoringMethod, Settings
from app.content.rubrics import load_rubrics
from app.domain.rubric import Rubric
from app.domain.scorecard import ScoreCard
from app.domain.transcript import Transcript
from app.scoring.factory import default_coder
from app.scoring.judge.scorer import score_transcript as score_by

DEFAULT_RUBRIC = "sdm-core"
LATER_FORMATS = ("html", "pdf")


class InputError(Exception):
    """A problem with what the user gave the command; the message says what and where."""


def register(cli: typer.Typer) -> None:
    """Add the scoring commands to ``cli``."""
    cli.command("score-transcript")(score_transcript)


def score_transcript(
    transcript: Annotated[Path, typer.Argument(help="Transcript JSON: {scenario, turns}.")],
    rubric: Annotated[
        str, typer.Option("--rubric", help="Rubric id in the rubrics folder.")
    ] = DEFAULT_RUBRIC,
    output_format: Annotated[
        str, typer.Option("--format", help="Output format: json, html or pdf (the report).")
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
    method: Annotated[
        ScoringMethod | None,
        typer.Option(
            "--method",
            help="rules (local, the default) or judge (the LLM at REHEARSE_LLM_BASE_URL); "
            "default: REHEARSE_SCORING_METHOD.",
        ),
    ] = None,
) -> None:
    """Score a transcript against a rubric and print the score card as JSON."""
    settings = Settings()
    try:
        _check_format(output_format)
        parsed = read_transcript(transcript)
        chosen = find_rubric(settings.rubrics_dir, rubric)
    except InputError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    card = score_by(parsed, chosen, default_coder(), settings, method)
    for note in card.scoring.notes:
        typer.echo(f"{transcript}: {note}", err=True)
    if output_format in LATER_FORMATS:
        _write_report(card, chosen, settings, transcript, output_format, output)
        return
    text = json.dumps(card.export(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _check_format(output_format: str) -> None:
    if output_format in ("json", *LATER_FORMATS):
        return
    raise InputError(f"--format {output_format} is not a format; use json, html or pdf.")


def read_transcript(path: Path) -> Transcript:
    """The transcript in ``path``; InputError naming the file and the problem otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise InputError(f"{path}: cannot read the transcript: {reason}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})"
        ) from exc
    try:
        return Transcript.model_validate(data)
    except ValidationError as exc:
        raise InputError(_shape_message(path, exc)) from exc


def _shape_message(path: Path, exc: ValidationError) -> str:
    """One line per problem, e.g. ``T.json: turns.2.speaker: Input should be ...``."""
    expected = '{"scenario": id-or-null, "turns": [{"speaker": ..., "text": ...}]}'
    lines = [f"{path}: not a transcript; expected {expected}"]
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{path}: {where}: {error['msg']}")
    return "\n".join(lines)


def find_rubric(folder: Path, rubric_id: str) -> Rubric:
    """The rubric with this id, or InputError naming those that exist and why it failed."""
    library = load_rubrics(folder)
    found = library.get(rubric_id)
    if found is not None:
        return found
    problems = [str(issue) for issue in library.issues if issue.path.stem == rubric_id]
    available = ", ".join(sorted(library.rubrics)) or "none"
    message = f"There is no rubric '{rubric_id}' in {folder}. Available: {available}."
    raise InputError("\n".join([*problems, message]))


def _write_report(
    card: ScoreCard,
    rubric: Rubric,
    settings: Settings,
    transcript: Path,
    output_format: str,
    output: Path | None,
) -> None:
    """The report as HTML or PDF, to ``output`` or stdout."""
    from app.reports.files import report_bytes, transcript_title
    from app.reports.render import PdfUnavailable

    try:
        data = report_bytes(
            card,
            rubric,
            settings,
            output_format=output_format,
            title=transcript_title(transcript),
        )
    except PdfUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
