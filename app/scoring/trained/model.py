"""The trained coder's model: feature weighting plus three linear heads, in pure Python.

Inference needs no numpy: a turn has a few hundred features, and a dictionary lookup per
feature and label is faster for one turn than building arrays. The artefact is one gzipped
JSON file (``model/coder.json.gz``) that ``app.scoring.trained.train`` writes and this module
reads; its ``format`` number changes whenever the layout does.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app.scoring.trained.features import Features
from app.scoring.trained.weighting import Weighting

FORMAT = 1
MODEL_PATH = Path(__file__).resolve().parent / "model" / "coder.json.gz"
HEADS = ("behaviour", "question_type", "reflection_type")


class ModelError(Exception):
    """The model file is missing or unreadable; the message names the file."""


@dataclass
class Head:
    """A multinomial logistic-regression layer: one weight per feature and label."""

    labels: list[str]
    bias: list[float]
    weights: dict[str, list[float]]

    def probabilities(self, row: Features) -> list[float]:
        """Softmax of the label scores for one weighted feature row."""
        scores = list(self.bias)
        weights = self.weights
        for name, value in row.items():
            w = weights.get(name)
            if w is not None:
                for i, wi in enumerate(w):
                    scores[i] += value * wi
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def predict(self, row: Features) -> tuple[str, float]:
        """The most likely label and its probability."""
        probs = self.probabilities(row)
        best = max(range(len(probs)), key=probs.__getitem__)
        return self.labels[best], probs[best]

    def contributions(self, row: Features, label: str) -> list[tuple[str, float]]:
        """Each feature's push towards ``label`` against the mean of the others, largest first."""
        i = self.labels.index(label)
        k = len(self.labels)
        out: list[tuple[str, float]] = []
        for name, value in row.items():
            w = self.weights.get(name)
            if w is not None:
                others = (sum(w) - w[i]) / (k - 1) if k > 1 else 0.0
                out.append((name, value * (w[i] - others)))
        return sorted(out, key=lambda item: (-item[1], item[0]))


@dataclass
class CoderModel:
    """Everything the trained coder needs: weighting, heads, and where they came from."""

    weighting: Weighting
    heads: dict[str, Head]
    chars: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; floats rounded so the file is small and diffs are stable."""
        return {
            "format": FORMAT,
            "meta": self.meta,
            "chars": self.chars,
            "block_weight": self.weighting.block_weight,
            "idf": {name: round(v, 6) for name, v in self.weighting.idf.items()},
            "heads": {
                name: {
                    "labels": head.labels,
                    "bias": [round(b, 6) for b in head.bias],
                    "weights": {
                        f: [round(x, 5) for x in w] for f, w in sorted(head.weights.items())
                    },
                }
                for name, head in self.heads.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CoderModel:
        """The model in ``data``, as written by ``to_json``."""
        if data.get("format") != FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {FORMAT}")
        weighting = Weighting(idf=dict(data["idf"]), block_weight=dict(data["block_weight"]))
        heads = {
            name: Head(list(h["labels"]), list(h["bias"]), dict(h["weights"]))
            for name, h in data["heads"].items()
        }
        missing = [name for name in HEADS if name not in heads]
        if missing:
            raise ValueError(f"model lacks the head(s) {', '.join(missing)}")
        return cls(weighting, heads, bool(data.get("chars", False)), dict(data.get("meta", {})))

    def save(self, path: Path) -> None:
        """Write the gzipped JSON artefact; the same model always gives the same bytes."""
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True)
        with (
            path.open("wb") as raw,
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as out,
        ):
            out.write(text.encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> CoderModel:
        """Read the artefact at ``path``; ModelError naming the file if that fails."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
            return cls.from_json(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path}: cannot load the coder model: {exc}") from exc


@cache
def shipped_model() -> CoderModel:
    """The model committed with the package, loaded once per process."""
    return CoderModel.load(MODEL_PATH)
