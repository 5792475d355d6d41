"""Train the coder's model on AnnoMI-format data and write the artefact the app ships.

    python -m app.scoring.trained.train ../shared/data/annomi/dev.csv
    rehearse train-coder ../shared/data/annomi/dev.csv          (the same, from the CLI)

Three heads, each a class-balanced multinomial logistic regression with an L2 penalty, fitted
by full-batch L-BFGS in numpy: behaviour on every utterance, question type on those with a
gold question subtype, reflection type on those with a gold reflection subtype. Full-batch
fitting from zero weights has no randomness, so the same data always gives the same file.
numpy is imported here only: coding a turn needs none.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.scoring.rules import RuleCoder
from app.scoring.trained.annomi import (
    BEHAVIOURS,
    QUESTION_TYPES,
    REFLECTION_TYPES,
    DataError,
    Utterance,
    read_annomi,
)
from app.scoring.trained.features import Features, turn_features
from app.scoring.trained.model import MODEL_PATH, CoderModel, Head
from app.scoring.trained.weighting import Weighting

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vector = NDArray[np.float64]

# Inverse L2 strength per head, chosen by cross-validation by transcript on dev.csv
# (docs/coder.md): the subtype labels are few and noisy, so their heads are held tighter.
C = {"behaviour": 1.0, "question_type": 0.25, "reflection_type": 0.1}
MIN_DF = 2
BLOCK_WEIGHT = {"w:": 2.0, "c:": 1.0}
MAX_ITER = 400


def featurise(utterances: Sequence[Utterance], *, chars: bool = False) -> list[Features]:
    """The raw features of each utterance, the rule coder's verdict included."""
    rules = RuleCoder()
    return [
        turn_features(u.text, u.prev_text, rules.code(u.text, u.prev_text), chars=chars)
        for u in utterances
    ]


def fit_model(
    utterances: Sequence[Utterance],
    *,
    c: dict[str, float] | None = None,
    chars: bool = False,
    features: Sequence[Features] | None = None,
) -> CoderModel:
    """A model fitted on ``utterances`` (pass ``features`` if they are already computed)."""
    raw = list(features) if features is not None else featurise(utterances, chars=chars)
    weighting = Weighting.fit(raw, min_df=MIN_DF, block_weight=BLOCK_WEIGHT)
    rows = [weighting.transform(row) for row in raw]
    c = {**C, **(c or {})}
    heads = {
        "behaviour": fit_head(rows, [u.behaviour for u in utterances], BEHAVIOURS, c["behaviour"]),
        "question_type": fit_head(
            rows, [u.question_type for u in utterances], QUESTION_TYPES, c["question_type"]
        ),
        "reflection_type": fit_head(
            rows, [u.reflection_type for u in utterances], REFLECTION_TYPES, c["reflection_type"]
        ),
    }
    meta = {"utterances": len(utterances), "c": c, "min_df": MIN_DF}
    return CoderModel(weighting=weighting, heads=heads, chars=chars, meta=meta)


def fit_head(
    rows: Sequence[Features], gold: Sequence[str], labels: Sequence[str], c: float
) -> Head:
    """One head, fitted on the rows whose gold label is one of ``labels``."""
    import numpy as np

    keep = [i for i, label in enumerate(gold) if label in labels]
    used = [label for label in labels if any(gold[i] == label for i in keep)]
    if len(used) < 2:
        raise DataError(f"need at least two of {', '.join(labels)} in the gold labels to train")
    names = sorted({name for i in keep for name in rows[i]})
    column = {name: j for j, name in enumerate(names)}
    row_ids: list[int] = []
    col_ids: list[int] = []
    values: list[float] = []
    for r, i in enumerate(keep):
        for name, value in sorted(rows[i].items()):  # a fixed order: the same sums
            row_ids.append(r)
            col_ids.append(column[name])
            values.append(value)
    y = np.array([used.index(gold[i]) for i in keep])
    counts = np.bincount(y, minlength=len(used)).astype(float)
    sample_weight = (len(y) / (len(used) * counts))[y]  # "balanced" class weights
    problem = _Problem(
        np.array(row_ids), np.array(col_ids), np.array(values), y, sample_weight, len(names), c
    )
    solution = lbfgs(problem.loss_and_gradient, np.zeros(problem.size))
    weights, bias = problem.unpack(solution)
    return Head(
        labels=list(used),
        bias=[float(b) for b in bias],
        weights={name: [float(x) for x in weights[j]] for name, j in column.items()},
    )


class _Problem:
    """Weighted softmax cross-entropy plus ``|W|^2 / (2C)``, over a sparse design matrix."""

    def __init__(
        self,
        rows: Vector,
        cols: Vector,
        vals: Vector,
        y: Vector,
        sample_weight: Vector,
        features: int,
        c: float,
    ) -> None:
        import numpy as np

        self.rows, self.cols, self.vals, self.y = rows, cols, vals, y
        self.n, self.d, self.k = len(y), features, int(y.max()) + 1
        self.size = self.d * self.k + self.k
        self.sample_weight = sample_weight
        self.total = _dot(sample_weight, np.ones(len(y)))
        self.c = c
        self.onehot = np.eye(self.k)[y]

    def unpack(self, x: Vector) -> tuple[Vector, Vector]:
        return x[: self.d * self.k].reshape(self.d, self.k), x[self.d * self.k :]

    def loss_and_gradient(self, x: Vector) -> tuple[float, Vector]:
        import numpy as np

        weights, bias = self.unpack(x)
        contrib = self.vals[:, None] * weights[self.cols]
        scores = _column_sums(self.rows, contrib, self.n) + bias
        top = scores.max(axis=1, keepdims=True)
        exps = np.exp(scores - top)
        sums = _row_sums(exps)
        log_probs = scores - top - np.log(sums)
        data_loss = -_dot(self.sample_weight, log_probs[np.arange(self.n), self.y])
        residual = self.sample_weight[:, None] * (exps / sums - self.onehot)
        spread = self.vals[:, None] * residual[self.rows]
        grad_w = _column_sums(self.cols, spread, self.d) + weights / self.c
        loss = data_loss + _dot(weights.ravel(), weights.ravel()) / (2 * self.c)
        bias_grad = np.array([math.fsum(residual[:, j]) for j in range(self.k)])
        gradient = np.concatenate([grad_w.ravel(), bias_grad])
        return loss / self.total, gradient / self.total


def _dot(a: Vector, b: Vector) -> float:
    """The dot product, exactly rounded: BLAS and numpy's SIMD sums may add in an order that
    depends on memory alignment, which made two training runs differ in the last bits."""
    return math.fsum(a * b)


def _row_sums(values: Vector) -> Vector:
    """Sum across the (few) columns one column at a time: a fixed order of additions."""
    total = values[:, 0].copy()
    for j in range(1, values.shape[1]):
        total += values[:, j]
    return total[:, None]


def _column_sums(groups: Vector, values: Vector, size: int) -> Vector:
    """Per column of ``values``, the sums by group id (sparse matrix products, in order)."""
    import numpy as np

    columns = [np.bincount(groups, values[:, j], minlength=size) for j in range(values.shape[1])]
    return np.asarray(np.stack(columns, axis=1), dtype=np.float64)


def lbfgs(
    fun: Callable[[Vector], tuple[float, Vector]],
    x: Vector,
    *,
    max_iter: int = MAX_ITER,
    memory: int = 10,
    tol: float = 1e-6,
) -> Vector:
    """Minimise a smooth convex ``fun`` (value, gradient) by L-BFGS with backtracking."""
    import numpy as np

    f, g = fun(x)
    steps: list[tuple[Vector, Vector, float]] = []
    for _ in range(max_iter):
        if float(np.abs(g).max()) < tol:
            break
        d = -_two_loop(g, steps)
        slope = _dot(g, d)
        if slope >= 0:  # not a descent direction: start the memory again
            steps.clear()
            d, slope = -g, -_dot(g, g)
        step = 1.0 if steps else 1.0 / max(math.fsum(np.abs(g)), 1.0)
        while True:
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-12:
                break
            step /= 2
        s, y = x_new - x, g_new - g
        sy = _dot(s, y)
        if sy > 1e-12:
            steps.append((s, y, 1.0 / sy))
            del steps[:-memory]
        done = f - f_new <= 1e-10 * max(abs(f), 1.0)
        x, f, g = x_new, f_new, g_new
        if done:
            break
    return x


def _two_loop(g: Vector, steps: list[tuple[Vector, Vector, float]]) -> Vector:
    """The L-BFGS product of the inverse Hessian estimate with ``g``."""
    q = g.copy()
    alphas: list[float] = []
    for s, y, rho in reversed(steps):
        alpha = rho * _dot(s, q)
        alphas.append(alpha)
        q -= alpha * y
    if steps:
        s, y, _ = steps[-1]
        q *= _dot(s, y) / _dot(y, y)
    for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=True):
        beta = rho * _dot(y, q)
        q += (alpha - beta) * s
    return q


def train_file(source: Path, output: Path = MODEL_PATH, *, chars: bool = False) -> CoderModel:
    """Train on an AnnoMI-format CSV and write the artefact to ``output``."""
    utterances = read_annomi(source)
    model = fit_model(utterances, chars=chars)
    model.meta["source_sha256"] = hashlib.sha256(source.read_bytes()).hexdigest()
    model.meta["source"] = source.name
    model.save(output)
    return model


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m app.scoring.trained.train CSV [-o PATH]``."""
    parser = argparse.ArgumentParser(
        prog="python -m app.scoring.trained.train", description=__doc__.splitlines()[0]
    )
    parser.add_argument("csv", type=Path, help="AnnoMI-format CSV (e.g. dev.csv)")
    parser.add_argument("-o", "--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--char-ngrams", action="store_true", help="add character n-grams")
    args = parser.parse_args(argv)
    try:
        model = train_file(args.csv, args.output, chars=args.char_ngrams)
    except DataError as exc:
        print(exc, file=sys.stderr)  # noqa: T201
        return 2
    size = args.output.stat().st_size
    print(  # noqa: T201
        f"trained on {model.meta['utterances']} utterances; "
        f"{len(model.weighting.idf)} features; wrote {args.output} ({size / 1024:.0f} KiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
