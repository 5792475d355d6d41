"""Human-machine agreement over assessors' reviews: Cohen's kappa per code and per criterion.

The assessor is the reference ("gold"), the machine the coder, as in ``eval-coder``; the
figures come from the same ``agreement`` function. Per code, each reviewed practitioner turn
is one binary judgement (the code present or absent); per criterion, each review is one
judgement on the four-point scale. Kappa is None where it is undefined (every judgement in
one category, so chance agreement is 1): the CSV leaves it empty rather than guess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.rubric_rules import LEVEL_ORDER
from app.scoring.trained.evaluate import Agreement, agreement

PRESENT, ABSENT = "present", "absent"
CSV_COLUMNS = ("kind", "name", "n", "overridden", "observed_agreement", "kappa")


@dataclass(frozen=True)
class TurnJudgement:
    """One reviewed turn: the machine's codes and the assessor's."""

    machine: frozenset[str]
    human: frozenset[str]


@dataclass(frozen=True)
class LevelJudgement:
    """One reviewed criterion: the machine's level and the assessor's."""

    criterion: str
    machine: str
    human: str


@dataclass(frozen=True)
class AgreementRow:
    """Kappa and its counts for one code or criterion."""

    kind: str  # "code" or "criterion"
    name: str
    figures: Agreement

    @property
    def overridden(self) -> int:
        """Judgements where the assessor disagreed with the machine."""
        matrix = self.figures.confusion
        return self.figures.n - sum(matrix[i][i] for i in range(len(matrix)))


def code_agreement(turns: Sequence[TurnJudgement]) -> list[AgreementRow]:
    """Kappa per code over every reviewed turn, for each code either side ever used."""
    codes = sorted(set().union(*(t.machine | t.human for t in turns))) if turns else []
    rows = []
    for code in codes:
        pairs = [(_presence(code in t.human), _presence(code in t.machine)) for t in turns]
        rows.append(
            AgreementRow("code", code, agreement(code, [ABSENT, PRESENT], pairs, len(pairs)))
        )
    return rows


def criterion_agreement(levels: Sequence[LevelJudgement]) -> list[AgreementRow]:
    """Kappa per criterion over every review, on the four-point scale."""
    scale = [level.value for level in LEVEL_ORDER]
    rows = []
    for criterion in sorted({j.criterion for j in levels}):
        pairs = [(j.human, j.machine) for j in levels if j.criterion == criterion]
        unknown = sorted({v for pair in pairs for v in pair} - set(scale))
        if unknown:
            raise ValueError(f"criterion {criterion}: level {unknown[0]!r} is not on the scale")
        rows.append(
            AgreementRow("criterion", criterion, agreement(criterion, scale, pairs, len(pairs)))
        )
    return rows


def to_csv(rows: Iterable[AgreementRow]) -> str:
    """One line per code or criterion: n, overrides, observed agreement and kappa."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        figures = row.figures
        writer.writerow(
            [
                row.kind,
                row.name,
                figures.n,
                row.overridden,
                _number(figures.accuracy),
                _number(figures.kappa),
            ]
        )
    return out.getvalue()


def _presence(flag: bool) -> str:
    return PRESENT if flag else ABSENT


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"
