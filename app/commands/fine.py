"""``rehearse eval-fine``: agreement of the rule coder's fine codes with a hand-labelled gold set.

The fine codes (teach-back, chunk-and-check, BRAN, ...) are the codes AnnoMI does not label, so
they are measured here, against ``tests/data/fine_codes_gold.csv`` or any file of the same shape
(docs/fine-codes.md). ``rehearse eval-coder`` measures the AnnoMI-format labels. Bad input (a
missing file or column, an unknown code or split) is one message on stderr naming the file and
line, and exit status 2.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from app.scoring.fine_eval import format_errors, format_scores, load_gold, score_turns
from app.scoring.rules import RuleCoder


class Split(StrEnum):
    """Which rows of the gold file to score."""

    DEV = "dev"
    HELDOUT = "heldout"
    ALL = "all"


def register(cli: typer.Typer) -> None:
    """Add the fine-code evaluation command to ``cli``."""
    cli.command("eval-fine")(eval_fine)


def eval_fine(
    gold: Annotated[Path, typer.Argument(help="Gold CSV: id,text,prev_text,codes,split,source.")],
    split: Annotated[Split, typer.Option(help="Rows to score.")] = Split.ALL,
    errors: Annotated[
        bool, typer.Option("--errors", help="Also list each turn the coder got wrong.")
    ] = False,
) -> None:
    """Per-code precision, recall and F1 of the rule coder's fine codes, then micro/macro-F1."""
    try:
        turns = load_gold(gold)
    except OSError as exc:
        typer.echo(f"{gold}: cannot read the gold file ({exc.strerror or exc})", err=True)
        raise typer.Exit(2) from exc
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    chosen = [t for t in turns if split is Split.ALL or t.split == split.value]
    if not chosen:
        typer.echo(f"{gold}: no rows in split {split.value!r}", err=True)
        raise typer.Exit(2)
    scores = score_turns(chosen, RuleCoder())
    lines = format_scores(scores, f"fine codes: {gold.name}, split {split.value}")
    if errors:
        lines += ["", *format_errors(scores, chosen)]
    typer.echo("\n".join(lines))
