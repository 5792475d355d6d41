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


def load_gold(path: Path, known: Iterable[str] = CODE_ORDER) -> list[GoldTurn]:
    """Read and check a gold file; raise ValueError on an unknown code, split or duplicate id."""
    allowed = set(known)
    turns: list[GoldTurn] = []
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            codes = frozenset(c.strip() for c in (row["codes"] or "").split(";") if c.strip())
            unknown = codes - allowed
            if unknown:
                raise ValueError(f"{path}:{line}: unknown codes {sorted(unknown)}")
            split = (row["split"] or "").strip()
            if split not in SPLITS:
                raise ValueError(f"{path}:{line}: split must be one of {SPLITS}, not {split!r}")
            turn_id = (row["id"] or "").strip()
            if not turn_id or turn_id in seen:
                raise ValueError(f"{path}:{line}: missing or repeated id {turn_id!r}")
            seen.add(turn_id)
            turns.append(
                GoldTurn(
                    id=turn_id,
                    text=row["text"] or "",
                    prev_text=row["prev_text"] or "",
                    codes=codes,
                    split=split,
                    source=(row["source"] or "").strip(),
                )
            )
    return turns


def score_turns(
    turns: Sequence[GoldTurn], coder: Coder, codes: Sequence[str] = CODE_ORDER
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
        text = {t.id: t.text for t in load_gold(args.gold)}
        out.append("")
        for turn_id, missed, added in scores.errors:
            out.append(f"{turn_id}: missed {missed} added {added} | {text[turn_id]}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
