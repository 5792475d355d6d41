"""Agreement of a coder with AnnoMI-format gold labels, and cross-validation by transcript.

Three label families, each with accuracy, macro-F1, Cohen's kappa and a confusion matrix:

- behaviour, over every utterance;
- question type, over utterances with a gold question subtype that the coder also coded as a
  question ("both saw a question", as expert agreement on subtypes is reported);
- reflection type, likewise over utterances both saw as a reflection.

The subtype matrices add a column ``none`` for gold subtypes the coder gave no type, so the
coverage is visible; the three figures exclude those rows.

Cross-validation splits by transcript, never by utterance (neighbouring utterances share a
conversation): transcripts are dealt, largest first, to the fold with fewest utterances.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.domain.coding import TurnCoding
from app.scoring.trained.annomi import BEHAVIOURS, QUESTION_TYPES, REFLECTION_TYPES, Utterance
from app.sim.engine import Coder

NONE = "none"


@dataclass
class Agreement:
    """The figures for one label family."""

    family: str
    labels: list[str]
    n: int
    gold_total: int
    accuracy: float | None
    macro_f1: float | None
    kappa: float | None
    confusion: list[list[int]] = field(default_factory=list)  # gold rows x predicted columns
    columns: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable: the figures, then the confusion matrix (gold rows)."""
        head = (
            f"{self.family}: n={self.n} (of {self.gold_total} with a gold label) "
            f"accuracy {_fmt(self.accuracy)} macro-F1 {_fmt(self.macro_f1)} "
            f"kappa {_fmt(self.kappa)}"
        )
        width = max(len(label) for label in [*self.labels, *self.columns, "gold \\ coded"]) + 1
        out = [
            head,
            "  " + "gold \\ coded".ljust(width) + "".join(c.rjust(width) for c in self.columns),
        ]
        for label, row in zip(self.labels, self.confusion, strict=True):
            out.append("  " + label.ljust(width) + "".join(str(v).rjust(width) for v in row))
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "gold_total": self.gold_total,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "kappa": self.kappa,
            "labels": self.labels,
            "columns": self.columns,
            "confusion": self.confusion,
        }


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement(
    family: str, labels: Sequence[str], pairs: Sequence[tuple[str, str]], gold_total: int
) -> Agreement:
    """Accuracy, macro-F1 (over ``labels``), Cohen's kappa and the confusion matrix."""
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    matrix = [[0] * k for _ in range(k)]
    for gold, coded in pairs:
        matrix[index[gold]][index[coded]] += 1
    n = len(pairs)
    if not n:
        return Agreement(
            family, list(labels), 0, gold_total, None, None, None, matrix, list(labels)
        )
    correct = sum(matrix[i][i] for i in range(k))
    f1s = []
    for i in range(k):
        predicted = sum(matrix[r][i] for r in range(k))
        actual = sum(matrix[i])
        tp = matrix[i][i]
        f1s.append(2 * tp / (predicted + actual) if predicted + actual else 0.0)
    observed = correct / n
    expected = sum(sum(matrix[i]) * sum(matrix[r][i] for r in range(k)) for i in range(k)) / n**2
    kappa = (observed - expected) / (1 - expected) if expected < 1 else None
    return Agreement(
        family, list(labels), n, gold_total, observed, sum(f1s) / k, kappa, matrix, list(labels)
    )


def compare(utterances: Sequence[Utterance], codings: Sequence[TurnCoding]) -> list[Agreement]:
    """The three families' agreement between gold ``utterances`` and a coder's ``codings``."""
    behaviour = [(u.behaviour, c.behaviour.value) for u, c in zip(utterances, codings, strict=True)]
    return [
        agreement("behaviour", BEHAVIOURS, behaviour, len(utterances)),
        _subtype("question_type", QUESTION_TYPES, utterances, codings),
        _subtype("reflection_type", REFLECTION_TYPES, utterances, codings),
    ]


def _subtype(
    family: str,
    labels: Sequence[str],
    utterances: Sequence[Utterance],
    codings: Sequence[TurnCoding],
) -> Agreement:
    both: list[tuple[str, str]] = []
    missed = dict.fromkeys(labels, 0)
    gold_total = 0
    for u, coding in zip(utterances, codings, strict=True):
        gold, coded = getattr(u, family), getattr(coding, family)
        if not gold:
            continue
        gold_total += 1
        if coded in labels:
            both.append((gold, coded))
        else:
            missed[gold] += 1
    result = agreement(family, labels, both, gold_total)
    result.columns = [*labels, NONE]
    result.confusion = [
        [*row, missed[label]] for label, row in zip(labels, result.confusion, strict=True)
    ]
    return result


def code_all(coder: Coder, utterances: Sequence[Utterance]) -> list[TurnCoding]:
    """The coder's coding of every utterance."""
    return [coder.code(u.text, u.prev_text) for u in utterances]


def transcript_folds(utterances: Sequence[Utterance], folds: int) -> list[list[int]]:
    """Utterance indices per fold; a transcript's utterances are always in the same fold."""
    by_transcript: dict[str, list[int]] = {}
    for i, u in enumerate(utterances):
        by_transcript.setdefault(u.transcript, []).append(i)
    if folds < 2 or folds > len(by_transcript):
        raise ValueError(
            f"cross-validation needs 2 to {len(by_transcript)} folds (one transcript each at "
            f"least); got {folds}"
        )
    out: list[list[int]] = [[] for _ in range(folds)]
    for _, members in sorted(by_transcript.items(), key=lambda item: (-len(item[1]), item[0])):
        smallest = min(range(folds), key=lambda f: (len(out[f]), f))
        out[smallest].extend(members)
    return [sorted(fold) for fold in out]


def cross_validate(
    utterances: Sequence[Utterance],
    folds: int,
    make_coder: Callable[[Sequence[int]], Coder],
) -> list[TurnCoding]:
    """Out-of-fold codings: each fold coded by a coder made from the other folds' indices."""
    out: list[TurnCoding | None] = [None] * len(utterances)
    for fold in transcript_folds(utterances, folds):
        held = set(fold)
        coder = make_coder([i for i in range(len(utterances)) if i not in held])
        for i in fold:
            out[i] = coder.code(utterances[i].text, utterances[i].prev_text)
    return [coding for coding in out if coding is not None]


def cross_validate_trained(utterances: Sequence[Utterance], folds: int) -> list[TurnCoding]:
    """Out-of-fold codings of the trained coder, retrained per fold (features computed once)."""
    from app.scoring.rules import RuleCoder
    from app.scoring.trained.coder import TrainedCoder
    from app.scoring.trained.train import featurise, fit_model

    rules = RuleCoder()
    features = featurise(utterances)

    def make(train: Sequence[int]) -> Coder:
        model = fit_model([utterances[i] for i in train], features=[features[i] for i in train])
        return TrainedCoder(model, rules)

    return cross_validate(utterances, folds, make)
