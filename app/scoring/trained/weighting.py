"""TF-IDF weighting of the counted blocks of a turn's features, fitted on training turns.

Counted blocks (``w:``, ``c:``) get ``(1 + log tf) * idf``, are scaled to unit length per
block, then multiplied by the block's weight; value blocks (``f:``, ``r:``) pass through.
Features never seen often enough in training are dropped. The same code weights features in
training and at inference, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.scoring.trained.features import Features

COUNTED = ("w:", "c:")


@dataclass
class Weighting:
    """The vocabulary with each counted feature's idf, and each block's weight."""

    idf: dict[str, float] = field(default_factory=dict)  # counted and value features kept
    block_weight: dict[str, float] = field(default_factory=dict)

    @classmethod
    def fit(
        cls, rows: Iterable[Features], *, min_df: int = 2, block_weight: Mapping[str, float]
    ) -> Weighting:
        """Keep features seen in at least ``min_df`` turns; smooth idf as scikit-learn does."""
        df: Counter[str] = Counter()
        n = 0
        for row in rows:
            n += 1
            df.update(row.keys())
        idf = {
            name: (math.log((1 + n) / (1 + count)) + 1 if name[:2] in COUNTED else 1.0)
            for name, count in df.items()
            if count >= min_df
        }
        return cls(idf=dict(sorted(idf.items())), block_weight=dict(block_weight))

    def transform(self, row: Features) -> Features:
        """The weighted features of one turn, known features only."""
        out: Features = {}
        norms: dict[str, float] = {}
        idf = self.idf
        for name, value in row.items():
            weight = idf.get(name)
            if weight is None:
                continue
            block = name[:2]
            if block in COUNTED:
                value = (1.0 + math.log(value)) * weight
                norms[block] = norms.get(block, 0.0) + value * value
            out[name] = value
        scale = {b: self.block_weight.get(b, 1.0) / math.sqrt(s) for b, s in norms.items() if s}
        for name in out:
            factor = scale.get(name[:2])
            if factor is not None:
                out[name] *= factor
        return out
