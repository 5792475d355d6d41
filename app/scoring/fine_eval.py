"""Measure a coder's fine codes against a hand-labelled gold set (docs/fine-codes.md).

The gold file is a CSV with columns ``id,text,prev_text,codes,split,source``: ``codes`` is the
``;``-joined set of fine codes the turn carries (it may be empty), ``split`` is ``dev`` or
``heldout``. Each code is scored as its own yes/no decision per turn; the report gives precision,
recall, F1 and support per code, then micro-F1 (over all code decisions) and macro-F1 (the mean
F1 over codes that occur in the chosen split).

Run ``python -m app.scoring.fine_eval tests/data/fine_codes_gold.csv --split heldout``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.scoring.rules import CODE_ORDER, RuleCoder
from app.sim.engine import Coder

SPLITS = ("dev", "heldout")
COLUMNS = ("id", "text", "prev_text", "codes", "split", "source")
# Question type and reflection type are AnnoMI's and are measured against expert labels by
# ``rehearse eval-coder``; the gold set here labels only the codes AnnoMI lacks.
ANNOMI_CODES = frozenset(
    {"open_question", "closed_question", "simple_reflection", "complex_reflection"}
)
FINE_CODES: tuple[str, ...] = tuple(c for c in CODE_ORDER if c not in ANNOMI_CODES)


@dataclass(frozen=True)
class GoldTurn:
    """One labelled practitioner turn."""

    id: str
    text: str
    prev_text: str
    codes: frozenset[str]
    split: str
    source: str


@dataclass
class CodeScore:
    """Counts for one code, and the figures made from them."""

    code: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


@dataclass
class FineScores:
    """Per-code scores over a set of gold turns, with the turns the coder got wrong."""

    turns: int
    codes: list[CodeScore]
    # (turn id, codes missed, codes added) for every turn with a difference
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    @property
    def micro_f1(self) -> float:
        tp = sum(c.tp for c in self.codes)
        wrong = sum(c.fp + c.fn for c in self.codes)
        return _ratio(2 * tp, 2 * tp + wrong)

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the codes that occur in the gold turns."""
        present = [c.f1 for c in self.codes if c.support]
        return sum(present) / len(present) if present else 0.0

    def by_code(self) -> dict[str, CodeScore]:
        return {c.code: c for c in self.codes}


def _ratio(top: int, bottom: int) -> float:
    return top / bottom if bottom else 0.0


def load_gold(path: Path, known: Iterable[str] = FINE_CODES) -> list[GoldTurn]:
    """Read and check a gold file.

    Raises ValueError naming the file and line on a missing column, an unknown code, a bad
    split, or a missing or repeated id; line numbers count physical lines, so a quoted field
    that spans lines does not throw them off.
    """
    allowed = set(known)
    turns: list[GoldTurn] = []
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}:1: missing columns {missing} (need {', '.join(COLUMNS)})")
        line = reader.line_num + 1
        for row in reader:
            turns.append(_gold_turn(row, f"{path}:{line}", allowed, seen))
            line = reader.line_num + 1
    return turns


def _gold_turn(row: dict[str, str], where: str, allowed: set[str], seen: set[str]) -> GoldTurn:
    """One checked row; `where` is "file:line" for the error message."""
    value = {column: (row.get(column) or "").strip() for column in COLUMNS}
    codes = frozenset(c.strip() for c in value["codes"].split(";") if c.strip())
    unknown = sorted(codes - allowed)
    if unknown:
        annomi = [c for c in unknown if c in ANNOMI_CODES]
        hint = f" ({', '.join(annomi)}: measured by eval-coder)" if annomi else ""
        raise ValueError(f"{where}: unknown fine codes {unknown}{hint}")
    if value["split"] not in SPLITS:
        raise ValueError(f"{where}: split must be one of {SPLITS}, not {value['split']!r}")
    if not value["id"] or value["id"] in seen:
        raise ValueError(f"{where}: missing or repeated id {value['id']!r}")
    if not value["text"]:
        raise ValueError(f"{where}: empty text")
    seen.add(value["id"])
    return GoldTurn(
        id=value["id"],
        text=row.get("text") or "",
        prev_text=row.get("prev_text") or "",
        codes=codes,
        split=value["split"],
        source=value["source"],
    )


def score_turns(
    turns: Sequence[GoldTurn], coder: Coder, codes: Sequence[str] = FINE_CODES
) -> FineScores:
    """Code every turn and count hits, misses and false alarms per code."""
    scores = {code: CodeScore(code) for code in codes}
    errors: list[tuple[str, list[str], list[str]]] = []
    for turn in turns:
        predicted = set(coder.code(turn.text, turn.prev_text).codes) & scores.keys()
        gold = turn.codes & scores.keys()
        for code in gold & predicted:
            scores[code].tp += 1
        missed = [c for c in codes if c in gold - predicted]
        added = [c for c in codes if c in predicted - gold]
        for code in missed:
            scores[code].fn += 1
        for code in added:
            scores[code].fp += 1
        if missed or added:
            errors.append((turn.id, missed, added))
    return FineScores(turns=len(turns), codes=list(scores.values()), errors=errors)


def fine_code_scores(path: Path, coder: Coder, split: str | None = None) -> FineScores:
    """Scores for the turns of one split (None: all turns) of the gold file at `path`."""
    turns = [t for t in load_gold(path) if split is None or t.split == split]
    return score_turns(turns, coder)


def format_scores(scores: FineScores, title: str = "") -> list[str]:
    """Printable lines: a row per code, then micro- and macro-F1."""
    lines = [title] if title else []
    lines.append(f"{'code':<20} {'prec':>6} {'recall':>6} {'F1':>6} {'support':>7}")
    for c in scores.codes:
        if c.support or c.fp:
            lines.append(
                f"{c.code:<20} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.support:7d}"
            )
    present = sum(1 for c in scores.codes if c.support)
    lines.append(f"turns {scores.turns}; codes with support {present}")
    lines.append(f"micro-F1 {scores.micro_f1:.3f}")
    lines.append(f"macro-F1 {scores.macro_f1:.3f}")
    return lines


def format_errors(scores: FineScores, turns: Sequence[GoldTurn]) -> list[str]:
    """One line per turn the coder got wrong: its id, the codes missed and added, its text."""
    text = {t.id: t.text for t in turns}
    return [
        f"{turn_id}: missed {missed} added {added} | {text[turn_id]}"
        for turn_id, missed, added in scores.errors
    ]


def fine_code_report(path: Path, coder: Coder, split: str | None = None) -> list[str]:
    """Per-code precision, recall, F1 and support, then micro- and macro-F1, as text lines."""
    scores = fine_code_scores(path, coder, split)
    return format_scores(scores, f"fine codes: {path.name}, split {split or 'all'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.scoring.fine_eval", description="Score RuleCoder on a gold file."
    )
    parser.add_argument("gold", type=Path)
    parser.add_argument("--split", choices=SPLITS, default=None)
    parser.add_argument(
        "--errors", action="store_true", help="also list each turn the coder got wrong"
    )
    args = parser.parse_args(argv)
    coder = RuleCoder()
    scores = fine_code_scores(args.gold, coder, args.split)
    title = f"fine codes: {args.gold.name}, split {args.split or 'all'}"
    out = format_scores(scores, title)
    if args.errors:
        out += ["", *format_errors(scores, load_gold(args.gold))]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
