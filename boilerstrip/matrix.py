"""The learned model's view of a document: one row of numbers per non-blank line.

Columns describe the line itself, what the rules and the context pass said about it, where it
sits, and how much text surrounds it (window sums over neighbouring non-blank lines, computed
with cumulative sums so the cost stays linear). :func:`neighbour_columns` adds the first
stage's probabilities of the neighbours for the second stage.

With the compiled ``boilerstrip._cstages`` built (:data:`COMPILED`), C reads the lines into a
table (:func:`line_table`), fills the matrix from it but for its ``log1p`` columns, whose
arguments NumPy takes (``np.log1p`` and C's ``log1p`` differ in the last bit on about 1% of
values), and fills the neighbour columns. The NumPy code stays as the pure path
(:func:`python_line_table`, :func:`python_design_columns`, :func:`python_neighbour_columns`);
both give the same bits.

>>> import numpy as np
>>> window_sum(np.array([1.0, 2.0, 3.0, 4.0]), 1)
array([2., 4., 6., 3.])
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

import numpy as np

from boilerstrip.compiled import extension, record_slots
from boilerstrip.config import NOISE_KINDS
from boilerstrip.context import CJK_PROSE_CHARS, Verdict, prose_like
from boilerstrip.features import LineFeatures

KIND_ORDER: tuple[str, ...] = ("body", "heading", "title", *NOISE_KINDS)
WINDOWS: tuple[int, ...] = (1, 2, 5, 10)
_NOISE_INDEX = {kind: k for k, kind in enumerate(NOISE_KINDS)}
_KIND_INDEX = {kind: k for k, kind in enumerate(KIND_ORDER)}


def window_sum(values: np.ndarray, radius: int) -> np.ndarray:
    """Sum of ``values`` over the ``radius`` neighbours on each side, the element itself excluded."""
    return window_sums(values[None, :], radius)[0]


def window_sums(values: np.ndarray, radius: int) -> np.ndarray:
    """:func:`window_sum` of each row of the 2-D ``values`` (each row's cumulative sum runs
    along it as it would alone, so the sums are the same)."""
    n = values.shape[1]
    c = np.zeros((values.shape[0], n + 1))
    np.cumsum(values, axis=1, dtype=float, out=c[:, 1:])
    idx = np.arange(n)
    return c[:, np.minimum(idx + radius + 1, n)] - c[:, np.maximum(idx - radius, 0)] - values


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


# The features copied as they are, in LINE_COLUMNS order up to "has_url", then the two word
# score columns; one attrgetter call per line reads them all.
_PLAIN_FIELDS = (
    "chars", "words", "stop_ratio", "cap_ratio", "digit_ratio", "punct_ratio", "ends_sentence",
    "ends_colon", "sentences", "bullet", "cjk", "has_url", "word_score_sum", "word_score_n",
)
_PLAIN = attrgetter(*_PLAIN_FIELDS)
_CONTENT = ("body", "heading", "title")

# The columns of line_table's table: the _PLAIN features, prose_like, headline_like, the rule
# scores, the kind (one-hot), the header flag, and whether the kind is noise.
_T_PROSE = 14
_T_HEADLINE = 15
_T_RULE = 16
_T_KIND = _T_RULE + len(NOISE_KINDS)
_T_HEADER = _T_KIND + len(KIND_ORDER)
_T_NOISE = _T_HEADER + 1
TABLE_WIDTH = _T_NOISE + 1


def line_table(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, table)``: the indices of the non-blank lines and what :func:`design_matrix` reads of
    each, one row of :data:`TABLE_WIDTH` floats. Made by the compiled ``boilerstrip._cstages`` when
    it is built (:data:`COMPILED`), otherwise by :func:`python_line_table`: the same bits."""
    if _C is not None:
        n = len(feats)
        rows, table = np.empty(n, dtype=np.intp), np.empty((n, TABLE_WIDTH))
        got = _C.line_table(
            feats, verdicts, LineFeatures, _C_FEATURE_SLOTS, Verdict, _C_VERDICT_SLOTS, _NOISE_INDEX, _KIND_INDEX,
            len(_CONTENT), CJK_PROSE_CHARS, rows, table,
        )
        if got is not NotImplemented:  # it hands back records and values of types it does not handle
            return np.array(rows[:got], dtype=int), table[:got]
    return python_line_table(feats, verdicts)


def python_line_table(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`line_table` in Python and NumPy."""
    nonblank = [i for i, f in enumerate(feats) if not f.blank]
    nb_feats = [feats[i] for i in nonblank]
    nb_verdicts = [verdicts[i] for i in nonblank]
    n = len(nonblank)
    table = np.zeros((n, TABLE_WIDTH))
    table[:, :14] = np.array(list(map(_PLAIN, nb_feats)), dtype=float).reshape(n, 14)
    table[:, _T_PROSE] = list(map(prose_like, nb_feats))
    table[:, _T_HEADLINE] = [f.headline_like for f in nb_feats]
    rule = table[:, _T_RULE:_T_KIND]
    for r, v in enumerate(nb_verdicts):
        for kind, value in v.scores.items():
            rule[r, _NOISE_INDEX[kind]] = value
    kinds = [v.kind for v in nb_verdicts]
    table[np.arange(n), [_T_KIND + _KIND_INDEX.get(k, 0) for k in kinds]] = [k in _KIND_INDEX for k in kinds]
    table[:, _T_HEADER] = [v.header for v in nb_verdicts]
    table[:, _T_NOISE] = [k not in _CONTENT for k in kinds]
    return np.array(nonblank, dtype=int), table


def _line_columns(table: np.ndarray) -> dict[str, np.ndarray]:
    """The :data:`LINE_COLUMNS` of the lines of a :func:`line_table`."""
    line = np.empty((len(table), len(LINE_COLUMNS)))
    line[:, :12] = table[:, :12]
    line[:, :2] = np.log1p(line[:, :2])
    line[:, 8] = np.minimum(line[:, 8], 10)  # sentences
    line[:, 12:14] = table[:, _T_PROSE : _T_HEADLINE + 1]
    return {name: line[:, k] for k, name in enumerate(LINE_COLUMNS)}


def design_matrix(
    feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], span: tuple[int, int] | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``(rows, X, names)``: the indices of the non-blank lines and their feature matrix, its
    columns named by :data:`DESIGN_NAMES`."""
    rows, table = line_table(feats, verdicts)
    return rows, design_columns(rows, table, span), list(DESIGN_NAMES)


def design_columns(rows: np.ndarray, table: np.ndarray, span: tuple[int, int] | None) -> np.ndarray:
    """The feature matrix of the lines of a :func:`line_table`. Made by the compiled
    ``boilerstrip._cstages`` when it is built (:data:`COMPILED`), but for the ``log1p`` of the
    columns it names (``np.log1p`` is not C's ``log1p`` bit for bit), otherwise by
    :func:`python_design_columns`: the same bits."""
    if _C is not None:
        n = len(rows)
        X, logs = np.empty((n, len(DESIGN_NAMES))), np.empty((n, len(_C_LOG_AT)))
        if _C.design_rows(rows, table, span, X, logs) is not NotImplemented:  # it hands back NaN and odd spans
            X[:, _C_LOG_AT] = np.log1p(logs, out=logs)
            return X
    return python_design_columns(rows, table, span)


def python_design_matrix(
    feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], span: tuple[int, int] | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """:func:`design_matrix` in Python and NumPy."""
    rows, table = python_line_table(feats, verdicts)
    return rows, python_design_columns(rows, table, span), list(DESIGN_NAMES)


def python_design_columns(rows: np.ndarray, table: np.ndarray, span: tuple[int, int] | None) -> np.ndarray:
    """:func:`design_columns` in NumPy."""
    cols = _numpy_columns(rows, table, span)
    return np.column_stack(list(cols.values())) if len(rows) else np.zeros((0, len(cols)))


def _numpy_columns(rows: np.ndarray, table: np.ndarray, span: tuple[int, int] | None) -> dict[str, np.ndarray]:
    """The columns of :func:`python_design_columns` by name, in order."""
    n = len(rows)
    cols = _line_columns(table)
    for k, kind in enumerate(NOISE_KINDS):
        cols[f"rule_{kind}"] = table[:, _T_RULE + k]
    for k, kind in enumerate(KIND_ORDER):
        cols[f"ctx_{kind}"] = table[:, _T_KIND + k]
    cols["ctx_header"] = table[:, _T_HEADER]
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
    # One row per quantity whose window sums are columns, so each radius is one set of array operations.
    stack = np.empty((5, n))
    stack[:3] = table[:, [12, 13, 1]].T  # word score sums and counts, words
    stack[3] = cols["prose_like"]
    stack[4] = table[:, _T_NOISE]
    ws_sum, ws_n, words, prose, _ = stack
    cols["word_score"] = ws_sum / np.maximum(ws_n, 1.0)
    around = {r: window_sums(stack, r) for r in WINDOWS}
    for r in (2, 5):
        cols[f"word_score_around_{r}"] = around[r][0] / np.maximum(around[r][1], 1.0)
    for r in WINDOWS:
        cols[f"words_around_{r}"] = np.log1p(around[r][2])
        cols[f"prose_around_{r}"] = around[r][3] / (2 * r)
        cols[f"noise_around_{r}"] = around[r][4] / (2 * r)
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
        "page_median_words": _median(words) if n else 0.0,
        "page_prose_share": float(prose.mean()) if n else 0.0,
        "page_log_words": float(np.log1p(words.sum())),
    }
    for name, value in page.items():
        cols[name] = np.full(n, value)
    return cols


DESIGN_NAMES: tuple[str, ...] = tuple(_numpy_columns(np.zeros(0, dtype=int), np.zeros((0, TABLE_WIDTH)), None))
"""The names of the columns of :func:`design_matrix`, in order."""


def _median(values: np.ndarray) -> float:
    """``np.median`` of a non-empty array, without its overhead (the mean of the two middle
    values is their sum halved, as ``np.median`` computes it).

    >>> _median(np.array([3.0, 1.0, 2.0, 10.0]))
    2.5
    """
    s = np.sort(values)
    m = len(s) // 2
    return float(s[m]) if len(s) % 2 else float((s[m - 1] + s[m]) / 2)


def neighbour_columns(p: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Second-stage columns from first-stage probabilities ``p`` of the non-blank lines, named by
    :data:`NEIGHBOUR_NAMES`. Made by the compiled ``boilerstrip._cstages`` when it is built
    (:data:`COMPILED`), otherwise by :func:`python_neighbour_columns`: the same bits."""
    if _C is not None:
        X = np.empty((len(p), len(NEIGHBOUR_NAMES)))
        if _C.neighbour_rows(p, X) is not NotImplemented:  # it hands back other arrays and NaN
            return X, list(NEIGHBOUR_NAMES)
    return python_neighbour_columns(p)


def python_neighbour_columns(p: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """:func:`neighbour_columns` in NumPy."""
    cols = {"p1": p}
    for r in (1, 2, 5):
        cols[f"p1_around_{r}"] = window_sum(p, r) / (2 * r)
    prev = np.concatenate(([0.5], p[:-1])) if len(p) else p
    nxt = np.concatenate((p[1:], [0.5])) if len(p) else p
    cols["p1_prev"] = prev
    cols["p1_next"] = nxt
    names = list(cols)
    return np.column_stack([cols[k] for k in names]) if len(p) else np.zeros((0, len(names))), names


NEIGHBOUR_NAMES: tuple[str, ...] = tuple(python_neighbour_columns(np.zeros(0))[1])
"""The names of the columns of :func:`neighbour_columns`, in order."""

# The columns design_columns copies from the line table after the LINE_COLUMNS, in its order.
_TABLE_NAMES = (*(f"rule_{kind}" for kind in NOISE_KINDS), *(f"ctx_{kind}" for kind in KIND_ORDER), "ctx_header")


def _compiled_core() -> tuple[Any, tuple[Any, ...], tuple[Any, ...], np.ndarray]:
    """The C module, the LineFeatures and Verdict slot descriptors in the order it reads them, and
    the positions in :data:`DESIGN_NAMES` of the columns whose ``log1p`` arguments it hands over;
    ``(None, (), (), <no positions>)`` when it is not built, or the records no longer have those
    slots, or its columns are not those of the NumPy code."""
    none = (None, (), (), np.zeros(0, dtype=np.intp))
    _cstages = extension(
        "_cstages", "line_table", "FEATURE_FIELDS", "VERDICT_FIELDS", "design_rows", "DESIGN_HEAD", "DESIGN_TAIL",
        "DESIGN_LOG1P", "neighbour_rows", "NEIGHBOUR_NAMES",
    )
    if _cstages is None:
        return none
    feature_slots = record_slots(LineFeatures, _cstages.FEATURE_FIELDS, all_fields=False)
    verdict_slots = record_slots(Verdict, _cstages.VERDICT_FIELDS, all_fields=False)
    fits = (
        _cstages.FEATURE_FIELDS == (*_PLAIN_FIELDS, "blank")
        and _cstages.VERDICT_FIELDS == ("kind", "scores", "header")
        and KIND_ORDER[: len(_CONTENT)] == _CONTENT
        and DESIGN_NAMES == (*_cstages.DESIGN_HEAD, *_TABLE_NAMES, *_cstages.DESIGN_TAIL)
        and set(_cstages.DESIGN_LOG1P) <= set(DESIGN_NAMES)
        and NEIGHBOUR_NAMES == _cstages.NEIGHBOUR_NAMES
    )
    if not fits or feature_slots is None or verdict_slots is None:
        return none
    log_at = np.array([DESIGN_NAMES.index(name) for name in _cstages.DESIGN_LOG1P], dtype=np.intp)
    log_at.flags.writeable = False
    return _cstages, feature_slots, verdict_slots, log_at


_C, _C_FEATURE_SLOTS, _C_VERDICT_SLOTS, _C_LOG_AT = _compiled_core()
COMPILED = _C is not None
"""Whether :func:`line_table`, :func:`design_columns` and :func:`neighbour_columns` run the
compiled ``boilerstrip._cstages``."""
