"""The shipped learned line model: gradient-boosted trees stored as plain JSON, run with NumPy.

Two stages: the first scores each line from its own features and its surroundings; the second
re-scores it from the first stage's scores of its neighbours. Both are tree ensembles whose
nodes are flat arrays, so a whole document is scored with a few array operations per tree
level, with no Python loop over lines.

>>> tree = {"feature": [0, 0, 0], "threshold": [0.5, 0.0, 0.0], "left": [1, 1, 2], "right": [2, 1, 2],
...         "value": [0.0, -1.0, 2.0], "leaf": [False, True, True]}
>>> ens = Ensemble.from_dict({"base": 0.0, "trees": [tree], "features": ["x"]})
>>> ens.raw(np.array([[0.0], [1.0]])).tolist()
[-1.0, 2.0]
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from boilerstrip.compiled import extension

_ctrees = extension("_ctrees", "pack", "raw")  # the optional compiled walk
COMPILED = _ctrees is not None
"""Whether the trees are walked by the compiled ``boilerstrip._ctrees`` (else by NumPy alone)."""
MODEL_FILE = "model.json"
CHUNK_ROWS = 4096
"""Rows scored at once: the work arrays are rows x trees."""
WORD_SCORES_FILE = "wordscores.json"


class WordScores(Mapping[str, float]):
    """Learned per-word scores, read-only: a mapping over a private dict that nothing changes
    once it is made, compared and hashed by identity, so that what is derived from it can be
    cached per instance (the compiled features core keeps a lookup table of each one,
    :func:`boilerstrip.features.vocab_table`). Compare ``dict(scores)`` for equal contents.

    >>> scores = WordScores({"said": 0.75, "share": -1.5})
    >>> scores["said"], scores.get("nope"), len(scores), "share" in scores, sorted(scores)
    (0.75, None, 2, True, ['said', 'share'])
    >>> scores["said"] = 1.0
    Traceback (most recent call last):
    ...
    TypeError: 'WordScores' object does not support item assignment
    >>> scores == WordScores(scores), dict(scores) == dict(WordScores(scores))
    (False, True)
    """

    __slots__ = ("_scores",)
    _scores: dict[str, float]

    def __init__(self, scores: Mapping[str, float] | None = None) -> None:
        if hasattr(self, "_scores"):
            raise AttributeError(f"{type(self).__name__} is read-only")
        object.__setattr__(self, "_scores", dict(scores or {}))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __reduce__(self) -> tuple[type[WordScores], tuple[dict[str, float]]]:
        return type(self), (self._scores,)

    def __getitem__(self, word: str) -> float:
        return self._scores[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self._scores)

    def __len__(self) -> int:
        return len(self._scores)

    def __contains__(self, word: object) -> bool:
        return word in self._scores

    def get(self, word: str, default: float | None = None) -> float | None:  # type: ignore[override]
        return self._scores.get(word, default)

    __eq__ = object.__eq__  # Mapping compares contents; a cache keyed on these needs identity
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self._scores)} words>"


@dataclass(frozen=True)
class Ensemble:
    """A sum of regression trees over named features, as flat NumPy arrays.

    Nodes are numbered globally (tree ``k``'s local node ``j`` is ``k * width + j``); each
    node's two children sit side by side in ``child`` (right at ``2 * node``, left at
    ``2 * node + 1``) and leaves point to themselves. The compiled walk reads a copy of them
    packed at its first call (:attr:`_packed`), so they must not change after; ``from_dict``
    makes them read-only.
    """

    features: tuple[str, ...]
    base: float
    feature: np.ndarray  # (trees * width,) feature index of each node
    threshold: np.ndarray  # (trees * width,) go left when x <= threshold
    child: np.ndarray  # (2 * trees * width,) global child indices
    value: np.ndarray  # (trees * width,) leaf values
    roots: np.ndarray  # (trees,) global index of each tree's root
    depth: int

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ensemble:
        trees = d["trees"]
        width = max(len(t["feature"]) for t in trees)

        def pad(key: str, fill: float, dtype: type) -> np.ndarray:
            return np.array([list(t[key]) + [fill] * (width - len(t[key])) for t in trees], dtype=dtype)

        left, right = pad("left", 0, np.intp), pad("right", 0, np.intp)
        leaf = pad("leaf", True, bool)
        nodes = np.arange(width)
        roots = np.arange(len(trees), dtype=np.intp) * width
        child = np.empty(2 * len(trees) * width, dtype=np.intp)
        child[0::2] = (np.where(leaf, nodes, right) + roots[:, None]).ravel()
        child[1::2] = (np.where(leaf, nodes, left) + roots[:, None]).ravel()
        arrays = {"feature": pad("feature", 0, np.intp).ravel(), "threshold": pad("threshold", 0.0, np.float64).ravel(),
                  "child": child, "value": pad("value", 0.0, np.float64).ravel(), "roots": roots}
        for a in arrays.values():
            a.flags.writeable = False
        return cls(features=tuple(d["features"]), base=float(d["base"]), depth=int(d.get("depth") or width), **arrays)

    @cached_property
    def _packed(self) -> Any:
        """The trees as the compiled walk reads them, made and checked once (``_ctrees.pack``):
        each one a complete binary tree, its leaves copied down to the ensemble's depth; ``None``
        when too deep to unroll (the NumPy walk runs then). ValueError for arrays that point
        outside themselves or at a feature past :attr:`features`."""
        assert _ctrees is not None
        return _ctrees.pack(self.feature, self.threshold, self.child, self.value, self.roots, self.depth, self.base,
                            len(self.features))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_packed", None)  # a capsule: made again where it is needed
        return state

    def raw(self, X: np.ndarray) -> np.ndarray:
        """The summed tree outputs (log-odds) for each row of ``X``, in chunks of
        :data:`CHUNK_ROWS` rows so memory stays small on huge documents."""
        if X.shape[0] <= CHUNK_ROWS:
            return self._raw(X)
        return np.concatenate([self._raw(X[a : a + CHUNK_ROWS]) for a in range(0, X.shape[0], CHUNK_ROWS)])

    def _raw(self, X: np.ndarray) -> np.ndarray:
        if _ctrees is None or X.shape[0] == 0 or self._packed is None:
            return self.raw_numpy(X)
        out = np.empty(X.shape[0])
        _ctrees.raw(np.ascontiguousarray(X, dtype=np.float64), self._packed, out)
        return out

    def raw_numpy(self, X: np.ndarray) -> np.ndarray:
        """:meth:`raw` of at most :data:`CHUNK_ROWS` rows with NumPy alone: the path taken when
        the compiled walk (``boilerstrip._ctrees``) is not built. Both give the same bits: the
        compiled one walks each row's trees and sums their leaves in NumPy's pairwise order."""
        n = X.shape[0]
        if n == 0:
            return np.zeros(0)
        flat_x = np.ascontiguousarray(X, dtype=np.float64).ravel()
        row_base = (np.arange(n, dtype=np.intp) * X.shape[1])[:, None]
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        for _ in range(self.depth):
            go_left = flat_x[row_base + self.feature[node]] <= self.threshold[node]
            node = self.child[2 * node + go_left]
        return self.base + self.value[node].sum(axis=1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probabilities that each row is article body."""
        return 1.0 / (1.0 + np.exp(-self.raw(X)))


@dataclass(frozen=True)
class LineModel:
    """The two stages and what they were trained on."""

    stage1: Ensemble
    stage2: Ensemble
    meta: dict[str, Any]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LineModel:
        return cls(Ensemble.from_dict(d["stage1"]), Ensemble.from_dict(d["stage2"]), dict(d.get("meta", {})))


@lru_cache(maxsize=1)
def shipped_model() -> LineModel | None:
    """The model in the package data, or ``None`` when none is shipped."""
    path = resources.files("boilerstrip").joinpath("data", MODEL_FILE)
    if not path.is_file():
        return None
    return LineModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def model_from_file(path: str) -> tuple[LineModel, WordScores]:
    """A model written by ``python -m benchmarks.train_model --out PATH`` and the per-word scores
    the script writes beside it (``wordscores.json``); read once per path.

    >>> model_from_file("/nowhere/model.json")
    Traceback (most recent call last):
    ...
    ValueError: no model file at /nowhere/model.json
    """
    model_path = Path(path)
    words_path = model_path.with_name(WORD_SCORES_FILE)
    for p in (model_path, words_path):
        if not p.is_file():
            raise ValueError(f"no {'model' if p == model_path else 'word scores'} file at {p}")
    try:
        model = LineModel.from_dict(json.loads(model_path.read_text(encoding="utf-8")))
        words = json.loads(words_path.read_text(encoding="utf-8"))["scores"]
    except (ValueError, KeyError, TypeError) as e:
        raise ValueError(f"{model_path} and {words_path.name} are not a model written by benchmarks.train_model: {e}") from e
    return model, WordScores({str(k): float(v) for k, v in words.items()})


@lru_cache(maxsize=1)
def shipped_word_scores() -> WordScores:
    """Per-word body (+) / noise (-) log-odds learned with the model; empty when none ship.

    >>> type(shipped_word_scores()).__name__
    'WordScores'
    """
    path = resources.files("boilerstrip").joinpath("data", WORD_SCORES_FILE)
    if not path.is_file():
        return WordScores()
    return WordScores({str(k): float(v) for k, v in json.loads(path.read_text(encoding="utf-8"))["scores"].items()})
