"""Train the shipped line model (two stages of gradient-boosted trees) and write it as JSON.

    python -m benchmarks.train_model            # trains on the permissive sets' train split

Training data: line labels from ``benchmarks.labels`` (gold alignment; trafilatura_eval's
snippets give partial labels; a set without a labels file is labelled first) on the *train*
split of the sets whose licence lets a shipped model learn from them (``PERMISSIVE_SETS``).
Features: ``boilerstrip.matrix``. Needs the ``train`` extra (LightGBM, through its
scikit-learn interface); the package itself only reads the JSON with NumPy.

The features include the pipeline's verdicts, so the output depends on the code it runs with:
the shipped trees are what it fits from pages read with the code of commit 57d5be7 or
8b3d28a (see "Rebuilding the shipped model" in docs/how-it-decides.md). Write a candidate
elsewhere with ``--out`` and compare it on the train split (``python -m benchmarks.run --dev
--tools boilerstrip --model PATH``) before replacing the shipped file.

    python -m benchmarks.train_model --folds DIR    # one model per dev fold, each without its fold

The shipped model has seen every train page of the permissive sets, so the dev figures of those
sets flatter it. ``--folds`` trains the same recipe once per fold of those pages
(``benchmarks.data.dev_fold``), leaving the fold out; ``python -m benchmarks.run --dev
--fold-models DIR`` then scores each of their pages with the model that never saw it (about
a minute a model).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.data import DEV_FOLDS, PERMISSIVE_SETS, dev_fold, scraped_pages
from benchmarks.labels import kept_text, label_set, labels_path, load_labels, page_labels
from boilerstrip.config import Config
from boilerstrip.decide import analyse
from boilerstrip.features import words_of
from boilerstrip.matrix import design_matrix, neighbour_columns
from boilerstrip.model import WORD_SCORES_FILE

SEED = 20261123
MODEL_PATH = Path(__file__).resolve().parent.parent / "boilerstrip" / "data" / "model.json"
STAGE1 = {"n_estimators": 120, "num_leaves": 24, "max_depth": 6, "learning_rate": 0.08, "min_child_samples": 40}
STAGE2 = {"n_estimators": 60, "num_leaves": 16, "max_depth": 5, "learning_rate": 0.08, "min_child_samples": 40}
FOLDS = 3


WORD_MIN_COUNT = 20
"""A word needs this many labelled occurrences to get a score."""
WORD_MAX = 12000
"""The shipped vocabulary keeps this many of the most frequent scored words."""
WORD_FOLDS = 3


def word_counts(page: dict[str, Any], labels: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """How often each word occurs in the page's body lines and in its noise lines."""
    body: Counter[str] = Counter()
    noise: Counter[str] = Counter()
    rec = labels.get(str(page["id"]))
    if rec is None:
        return body, noise
    lines = page["text"].splitlines()
    for r in rec["lines"]:
        if r["label"] in ("body", "noise") and r["i"] < len(lines):
            (body if r["label"] == "body" else noise).update(words_of(lines[r["i"]]))
    return body, noise


def learn_word_scores(body: Counter[str], noise: Counter[str]) -> dict[str, float]:
    """Smoothed log-odds of body against noise for frequent words, clipped to [-4, 4]."""
    nb, nn = sum(body.values()) + 1, sum(noise.values()) + 1
    total = body + noise
    common = [w for w, c in total.most_common(WORD_MAX) if c >= WORD_MIN_COUNT]
    return {w: round(float(np.clip(np.log((body[w] + 1) / nb) - np.log((noise[w] + 1) / nn), -4, 4)), 2) for w in common}


def page_rows(
    page: dict[str, Any], labels: dict[str, Any], scores: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]] | None:
    """Feature rows, targets and weights of one page's labelled lines."""
    rec = labels.get(str(page["id"]))
    if rec is None:
        return None
    target = {r["i"]: r["label"] for r in rec["lines"] if r["label"] in ("body", "noise")}
    if not target:
        return None
    a = analyse(page["text"], Config(), word_scores=scores)
    rows, X, names = design_matrix(a.feats, a.verdicts, a.span)
    keep = np.array([int(i) in target for i in rows], dtype=bool)
    y = np.array([target.get(int(i)) == "body" for i in rows], dtype=float)
    tokens = np.array([a.feats[int(i)].tokens for i in rows], dtype=float)
    w = np.log1p(tokens) / np.sqrt(max(1, keep.sum()))
    return X, y, np.where(keep, w, 0.0), names


def clean_rows(
    page: dict[str, Any], labels: dict[str, Any], scores: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]] | None:
    """Rows of the page as a perfect cleaner would leave it (its body lines only), all body.

    Cleaning must be idempotent, so the model has to keep a text that is already clean.
    """
    rec = labels.get(str(page["id"]))
    if rec is None or not any(r["label"] == "body" for r in rec["lines"]):
        return None
    text = kept_text(page["text"], page_labels(page))
    if not text.strip():
        return None
    a = analyse(text, Config(), word_scores=scores)
    rows, X, names = design_matrix(a.feats, a.verdicts, a.span)
    tokens = np.array([a.feats[int(i)].tokens for i in rows], dtype=float)
    w = CLEAN_WEIGHT * np.log1p(tokens) / np.sqrt(max(1, len(rows)))
    return X, np.ones(len(rows)), w, names


CLEAN_WEIGHT = 1.0
"""Weight of the already-clean copies of training pages, relative to the pages themselves."""


def collect(sets: list[str], split: str, leave_out: Callable[[dict[str, Any]], bool] | None = None) -> dict[str, Any]:
    """Matrices of every labelled page of ``sets`` in ``split`` (but those ``leave_out`` is
    true of), and of its clean copy.

    Per-word scores are learned out of fold: a page's features use scores learned from the
    other folds' pages, so the model sees them as they will be on unseen pages. The scores
    learned from every page are returned for shipping.
    """
    chosen = []
    for s in sets:
        if not labels_path(s).is_file():  # a fresh checkout: label the set first (a minute or two)
            print(f"{s}: no labels at {labels_path(s)} yet, writing them", file=sys.stderr, flush=True)
            label_set(s)
        labels = load_labels(s)
        chosen += [(s, page, labels) for page in scraped_pages(s)
                   if page["split"] == split and not (leave_out and leave_out(page))]
    counts = [word_counts(page, labels) for _, page, labels in chosen]
    fold_of = [k % WORD_FOLDS for k in range(len(chosen))]
    fold_scores = []
    for f in range(WORD_FOLDS):
        body: Counter[str] = Counter()
        noise: Counter[str] = Counter()
        for (b, n), k in zip(counts, fold_of):
            if k != f:
                body.update(b)
                noise.update(n)
        fold_scores.append(learn_word_scores(body, noise))
    all_body: Counter[str] = Counter()
    all_noise: Counter[str] = Counter()
    for b, n in counts:
        all_body.update(b)
        all_noise.update(n)
    pages: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    names: list[str] = []
    for (s, page, labels), k in zip(chosen, fold_of):
        for make in (page_rows, clean_rows) if s != "trafilatura_eval" else (page_rows,):
            got = make(page, labels, fold_scores[k])
            if got is not None:
                X, y, w, names = got
                pages.append((X, y, w))
    print(f"  {len(chosen)} pages, {len(pages)} matrices", file=sys.stderr)
    return {"pages": pages, "names": names, "word_scores": learn_word_scores(all_body, all_noise)}


def _fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, params: dict[str, Any]) -> Any:
    import lightgbm as lgb

    # deterministic + force_row_wise: the same data give the same trees whatever the threads.
    model = lgb.LGBMClassifier(
        random_state=SEED, subsample=0.8, subsample_freq=1, colsample_bytree=0.8, verbose=-1, n_jobs=2,
        deterministic=True, force_row_wise=True, **params,
    )
    mask = w > 0
    model.fit(X[mask], y[mask], sample_weight=w[mask])
    return model


def train(data: dict[str, Any]) -> dict[str, Any]:
    """Stage 1 with out-of-fold predictions for stage 2, then both on everything."""
    pages = data["pages"]
    folds = np.arange(len(pages)) % FOLDS
    oof = [np.zeros(len(p[1])) for p in pages]
    for k in range(FOLDS):
        tr = [p for p, f in zip(pages, folds) if f != k]
        m = _fit(np.vstack([p[0] for p in tr]), np.concatenate([p[1] for p in tr]), np.concatenate([p[2] for p in tr]), STAGE1)
        for j in np.flatnonzero(folds == k):
            oof[j] = m.predict_proba(pages[j][0])[:, 1]
    X = np.vstack([p[0] for p in pages])
    y = np.concatenate([p[1] for p in pages])
    w = np.concatenate([p[2] for p in pages])
    stage1 = _fit(X, y, w, STAGE1)
    N = np.vstack([neighbour_columns(o)[0] for o in oof])
    n_names = neighbour_columns(np.zeros(1))[1]
    stage2 = _fit(np.hstack([X, N]), y, w, STAGE2)
    return {
        "stage1": export(stage1, data["names"]),
        "stage2": export(stage2, data["names"] + n_names),
    }


def export(model: Any, names: list[str]) -> dict[str, Any]:
    """A LightGBM model as flat tree arrays (see ``boilerstrip.model.Ensemble``)."""
    dump = model.booster_.dump_model()
    trees, depth = [], 0
    for info in dump["tree_info"]:
        feature, threshold, left, right, value, leaf = [], [], [], [], [], []

        def add(node: dict[str, Any], d: int) -> int:
            nonlocal depth
            i = len(feature)
            for arr in (feature, threshold, left, right, value, leaf):
                arr.append(0)
            if "leaf_value" in node:
                value[i], leaf[i], left[i], right[i] = float(node["leaf_value"]), True, i, i
                depth = max(depth, d)
                return i
            assert node["decision_type"] == "<=", node["decision_type"]
            feature[i], threshold[i] = int(node["split_feature"]), float(node["threshold"])
            value[i] = float(node.get("internal_value", 0.0))
            left[i] = add(node["left_child"], d + 1)
            right[i] = add(node["right_child"], d + 1)
            return i

        add(info["tree_structure"], 0)
        trees.append({"feature": feature, "threshold": threshold, "left": left, "right": right, "value": value, "leaf": leaf})
    return {"features": names, "base": 0.0, "depth": depth, "trees": trees}


def build(sets: list[str], out: Path, leave_out: Callable[[dict[str, Any]], bool] | None = None) -> Path:
    """Train on the train split of ``sets`` (without the pages ``leave_out`` is true of) and
    write the model to ``out`` and its word scores beside it
    (:data:`boilerstrip.model.WORD_SCORES_FILE`); returns ``out``."""
    t0 = time.time()
    data = collect(sets, "train", leave_out)
    n = sum(int((p[2] > 0).sum()) for p in data["pages"])
    print(f"{len(data['pages'])} pages, {n} labelled lines, {len(data['names'])} features", file=sys.stderr)
    model = train(data)
    model["meta"] = {
        "trained_on": {s: "train split" for s in sets},
        "labelled_lines": n,
        "seed": SEED,
        "stage1": STAGE1,
        "stage2": STAGE2,
        "script": "python -m benchmarks.train_model",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    words = {"meta": {"trained_on": model["meta"]["trained_on"], "min_count": WORD_MIN_COUNT}, "scores": data["word_scores"]}
    words_path = out.with_name(WORD_SCORES_FILE)
    words_path.write_text(json.dumps(words, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.0f} s", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(PERMISSIVE_SETS))
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--folds", type=Path, metavar="DIR", help=f"instead: write DIR/<k>/model.json for each of the "
                    f"{DEV_FOLDS} dev folds, each trained without that fold's pages (for python -m benchmarks.run --dev "
                    "--fold-models DIR)")
    args = ap.parse_args(argv)
    bad = [s for s in args.sets if s not in PERMISSIVE_SETS]
    if bad:
        ap.error(f"the shipped model may only train on {', '.join(PERMISSIVE_SETS)}; not {', '.join(bad)}")
    if args.folds:
        build_folds(args.sets, args.folds)
    else:
        build(args.sets, args.out)
    return 0


def build_folds(sets: list[str], folder: Path) -> list[Path]:
    """One model per dev fold (:func:`benchmarks.data.dev_fold`), trained without its fold's
    pages, at ``folder/<fold>/model.json``."""
    def leave_out_fold(k: int) -> Callable[[dict[str, Any]], bool]:
        return lambda page: dev_fold(page) == k

    return [build(sets, folder / str(k) / "model.json", leave_out_fold(k)) for k in range(DEV_FOLDS)]


if __name__ == "__main__":
    sys.exit(main())
