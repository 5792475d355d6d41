"""``rehearse code-utterances``, ``rehearse eval-coder`` and ``rehearse train-coder``.

Formats are DESIGN.md section 9's contract. Bad input (a file that cannot be read, a missing
column, an unknown label) is one message on stderr naming the file (and line or column), and
exit status 2.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from app.scoring.factory import default_coder
from app.scoring.rules import RuleCoder
from app.scoring.trained.annomi import DataError, check_columns, read_annomi
from app.scoring.trained.evaluate import code_all, compare, cross_validate_trained
from app.sim.engine import Coder

IN_COLUMNS = ("id", "text", "prev_text")
OUT_COLUMNS = ("id", "behaviour", "question_type", "reflection_type", "codes", "confidence")


class CoderChoice(StrEnum):
    """Which coder ``eval-coder`` measures."""

    DEFAULT = "default"
    RULES = "rules"


def register(cli: typer.Typer) -> None:
    """Add the coder commands to ``cli``."""
    cli.command("code-utterances")(code_utterances)
    cli.command("eval-coder")(eval_coder)
    cli.command("train-coder")(train_coder)


def _fail(exc: Exception) -> typer.Exit:
    typer.echo(str(exc), err=True)
    return typer.Exit(2)


# --- code-utterances ---------------------------------------------------------------------


def code_utterances(
    source: Annotated[Path, typer.Argument(help="CSV with columns id,text,prev_text.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output CSV (default: stdout).")
    ] = None,
) -> None:
    """Code each practitioner utterance: behaviour, question/reflection type, fine codes."""
    try:
        rows = read_utterances(source)
    except DataError as exc:
        raise _fail(exc) from exc
    text = coded_csv(rows, default_coder())
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def read_utterances(path: Path) -> list[dict[str, str]]:
    """The rows of an ``id,text,prev_text`` CSV; DataError naming the file and column."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            check_columns(path, list(reader.fieldnames or []), IN_COLUMNS)
            return [{name: row[name] or "" for name in IN_COLUMNS} for row in reader]
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise DataError(f"{path}: cannot read: {reason}") from exc


def coded_csv(rows: Sequence[dict[str, str]], coder: Coder) -> str:
    """The output CSV: one row per input row, in the same order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUT_COLUMNS)
    for row in rows:
        coding = coder.code(row["text"], row["prev_text"])
        writer.writerow(
            [
                row["id"],
                coding.behaviour.value,
                coding.question_type,
                coding.reflection_type,
                ";".join(coding.codes),
                f"{coding.confidence:.3f}",
            ]
        )
    return buffer.getvalue()


# --- eval-coder ------------------------------------------------------------------------------


def eval_coder(
    gold: Annotated[Path, typer.Argument(help="AnnoMI-format CSV with gold labels.")],
    cv_folds: Annotated[
        int,
        typer.Option(
            "--cv-folds",
            min=0,
            help="Retrain the trained coder on all but one fold of transcripts and code that "
            "fold, for honest figures on the training data itself (0: use the shipped model).",
        ),
    ] = 0,
    coder: Annotated[
        CoderChoice, typer.Option(help="default (trained+rules) or rules alone.")
    ] = CoderChoice.DEFAULT,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Accuracy, macro-F1, Cohen's kappa and confusion matrices per label family."""
    try:
        utterances = read_annomi(gold)
        if cv_folds and coder is CoderChoice.RULES:
            raise DataError("--cv-folds retrains the trained coder; the rules need no folds")
        codings = (
            cross_validate_trained(utterances, cv_folds)
            if cv_folds
            else code_all(_chosen(coder), utterances)
        )
    except (DataError, ValueError) as exc:
        raise _fail(exc) from exc
    method = _chosen(coder).method + (f", {cv_folds}-fold CV by transcript" if cv_folds else "")
    results = compare(utterances, codings)
    if as_json:
        data = {"gold": str(gold), "method": method, **{a.family: a.as_dict() for a in results}}
        typer.echo(json.dumps(data, indent=2))
        return
    lines = [f"coder: {method}; gold: {gold} ({len(utterances)} utterances)"]
    for result in results:
        lines += ["", *result.lines()]
    typer.echo("\n".join(lines))


def _chosen(choice: CoderChoice) -> Coder:
    return RuleCoder() if choice is CoderChoice.RULES else default_coder()


# --- train-coder -----------------------------------------------------------------------------


def train_coder(
    source: Annotated[Path, typer.Argument(help="AnnoMI-format CSV to train on (dev.csv).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Where to write the model.")
    ] = None,
    char_ngrams: Annotated[
        bool, typer.Option("--char-ngrams", help="Add character n-grams (off: no gain).")
    ] = False,
) -> None:
    """Retrain the coder's model (deterministic) and write the artefact the app ships."""
    from app.scoring.trained.model import MODEL_PATH
    from app.scoring.trained.train import train_file

    target = output or MODEL_PATH
    try:
        model = train_file(source, target, chars=char_ngrams)
    except DataError as exc:
        raise _fail(exc) from exc
    size = target.stat().st_size / 1024
    typer.echo(
        f"trained on {model.meta['utterances']} utterances, {len(model.weighting.idf)} "
        f"features; wrote {target} ({size:.0f} KiB)"
    )
