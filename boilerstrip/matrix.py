"""The learned model's view of a document: one row of numbers per non-blank line.

Columns describe the line itself, what the rules and the context pass said about it, where it
sits, and how much text surrounds it (window sums over neighbouring non-blank lines, computed
with cumulative sums so the cost stays linear). :func:`neighbour_columns` adds the first
stage's probabilities of the neighbours for the second stage.

>>> import numpy as np
>>> window_sum(np.array([1.0, 2.0, 3.0, 4.0]), 1)
array([2., 4., 6., 3.])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from boilerstrip.config import NOISE_KINDS
from boilerstrip.context import Verdict, prose_like
from boilerstrip.features import LineFeatures

KIND_ORDER: tuple[str, ...] = ("body", "heading", "title", *NOISE_KINDS)
WINDOWS: tuple[int, ...] = (1, 2, 5, 10)
_NOISE_INDEX = {kind: k for k, kind in enumerate(NOISE_KINDS)}
_KIND_INDEX = {kind: k for k, kind in enumerate(KIND_ORDER)}


def window_sum(values: np.ndarray, radius: int) -> np.ndarray:
    """Sum of ``values`` over the ``radius`` neighbours on each side, the element itself excluded."""
    n = len(values)
    c = np.concatenate(([0.0], np.cumsum(values, dtype=float)))
    idx = np.arange(n)
    hi = np.minimum(idx + radius + 1, n)
    lo = np.maximum(idx - radius, 0)
    return c[hi] - c[lo] - values


LINE_COLUMNS: tuple[str, ...] = (
    "log_chars",
    "log_words",
    "stop_ratio",
    "cap_ratio",
    "digit_ratio",
    "punct_ratio",
    "ends_sentence",
    "ends_colon",
    "sentences",
    "bullet",
    "cjk",
    "has_url",
    "prose_like",
    "headline_like",
)


def _line_columns(feats: Sequence[LineFeatures]) -> dict[str, np.ndarray]:
    raw = np.array(
        [
            (
                f.chars,
                f.words,
                f.stop_ratio,
                f.cap_ratio,
                f.digit_ratio,
                f.punct_ratio,
                f.ends_sentence,
                f.ends_colon,
                min(f.sentences, 10),
                f.bullet,
                f.cjk,
                f.has_url,
                prose_like(f),
                f.headline_like,
            )
            for f in feats
        ],
        dtype=float,
    ).reshape(len(feats), len(LINE_COLUMNS))
    raw[:, :2] = np.log1p(raw[:, :2])
    return {name: raw[:, k] for k, name in enumerate(LINE_COLUMNS)}


def design_matrix(
    feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], span: tuple[int, int] | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``(rows, X, names)``: the indices of the non-blank lines and their feature matrix."""
    rows = np.array([i for i, f in enumerate(feats) if not f.blank], dtype=int)
    nb_feats = [feats[i] for i in rows]
    nb_verdicts = [verdicts[i] for i in rows]
    n = len(rows)
    cols = _line_columns(nb_feats)
    rule = np.zeros((n, len(NOISE_KINDS)))
    for r, v in enumerate(nb_verdicts):
        for kind, value in v.scores.items():
            rule[r, _NOISE_INDEX[kind]] = value
    for k, kind in enumerate(NOISE_KINDS):
        cols[f"rule_{kind}"] = rule[:, k]
    kinds = [v.kind for v in nb_verdicts]
    ctx = np.zeros((n, len(KIND_ORDER)))
    ctx[np.arange(n), [_KIND_INDEX.get(k, 0) for k in kinds]] = [k in _KIND_INDEX for k in kinds]
    for k, kind in enumerate(KIND_ORDER):
        cols[f"ctx_{kind}"] = ctx[:, k]
    cols["ctx_header"] = np.array([v.header for v in nb_verdicts], dtype=float)
    pos = np.arange(n, dtype=float)
    cols["position"] = pos / max(n - 1, 1)
    if span is not None:
        first, last = span
        cols["in_span"] = ((rows >= first) & (rows <= last)).astype(float)
        cols["lines_above_span"] = np.log1p(np.maximum(0, np.searchsorted(rows, first) - pos))
        cols["lines_below_span"] = np.log1p(np.maximum(0, pos - np.searchsorted(rows, last)))
    else:
        cols["in_span"] = np.zeros(n)
        cols["lines_above_span"] = np.zeros(n)
        cols["lines_below_span"] = np.zeros(n)
    words = np.array([f.words for f in nb_feats], dtype=float)
    ws_sum = np.array([f.word_score_sum for f in nb_feats], dtype=float)
    ws_n = np.array([f.word_score_n for f in nb_feats], dtype=float)
    cols["word_score"] = ws_sum / np.maximum(ws_n, 1.0)
    for r in (2, 5):
        cols[f"word_score_around_{r}"] = window_sum(ws_sum, r) / np.maximum(window_sum(ws_n, r), 1.0)
    prose = cols["prose_like"]
    noise = np.array([k not in ("body", "heading", "title") for k in kinds], dtype=float)
    for r in WINDOWS:
        cols[f"words_around_{r}"] = np.log1p(window_sum(words, r))
        cols[f"prose_around_{r}"] = window_sum(prose, r) / (2 * r)
        cols[f"noise_around_{r}"] = window_sum(noise, r) / (2 * r)
    cols["words_before_all"] = np.log1p(np.cumsum(words) - words)
    cols["words_after_all"] = np.log1p(words.sum() - np.cumsum(words))
    blank_before = np.zeros(n)
    blank_after = np.zeros(n)
    if n:
        blank_before[1:] = (np.diff(rows) > 1).astype(float)
        blank_after[:-1] = blank_before[1:]
    cols["blank_before"] = blank_before
    cols["blank_after"] = blank_after
    page = {
        "page_log_lines": np.log1p(n),
        "page_median_words": float(np.median(words)) if n else 0.0,
        "page_prose_share": float(prose.mean()) if n else 0.0,
        "page_log_words": float(np.log1p(words.sum())),
    }
    for name, value in page.items():
        cols[name] = np.full(n, value)
    names = list(cols)
    X = np.column_stack([cols[k] for k in names]) if n else np.zeros((0, len(names)))
    return rows, X, names


def neighbour_columns(p: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Second-stage columns from first-stage probabilities ``p`` of the non-blank lines."""
    cols = {"p1": p}
    for r in (1, 2, 5):
        cols[f"p1_around_{r}"] = window_sum(p, r) / (2 * r)
    prev = np.concatenate(([0.5], p[:-1])) if len(p) else p
    nxt = np.concatenate((p[1:], [0.5])) if len(p) else p
    cols["p1_prev"] = prev
    cols["p1_next"] = nxt
    names = list(cols)
    return np.column_stack([cols[k] for k in names]) if len(p) else np.zeros((0, len(names))), names
