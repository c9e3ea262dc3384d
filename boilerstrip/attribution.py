"""Why the learned model scored a line as it did: the features that moved it most.

Each feature of the line is set, one at a time, to its median over the document's lines, and
the change in the model's log-odds is that feature's contribution: what about *this* line,
compared with a typical line of its page, pushed it towards body (+) or noise (-). One batch
of model calls covers every line asked about.

>>> import numpy as np
>>> from boilerstrip.model import Ensemble
>>> tree = {"feature": [1, 0, 0], "threshold": [0.5, 0.0, 0.0], "left": [1, 1, 2], "right": [2, 1, 2],
...         "value": [0.0, -2.0, 1.0], "leaf": [False, True, True]}
>>> ens = Ensemble.from_dict({"base": 0.0, "trees": [tree], "features": ["a", "b"]})
>>> X = np.array([[5.0, 0.0], [5.0, 1.0], [5.0, 1.0]])
>>> [(c.name, c.value, c.typical, c.effect) for c in contributions(ens, X, [0])[0]]
[('b', 0.0, 1.0, -3.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from boilerstrip.model import Ensemble

TOP_FEATURES = 3
"""How many features a reason names."""
MIN_EFFECT = 0.05
"""Contributions smaller than this (in log-odds) are not worth naming."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's part in a line's score: its value, the page's typical value, and how much
    the log-odds change because the line's value differs (+ towards body)."""

    name: str
    value: float
    typical: float
    effect: float

    def describe(self) -> str:
        """``name = value (page median typical)``, numbers rounded."""
        return f"{self.name} = {self.value:.3g} (page median {self.typical:.3g})"


def contributions(model: Ensemble, X: np.ndarray, rows: Sequence[int]) -> list[list[Contribution]]:
    """For each row index in ``rows``, the features of ``X[row]`` whose change to the page
    median moves the model most, strongest first (only those above :data:`MIN_EFFECT`)."""
    if not len(rows):
        return []
    n_feat = X.shape[1]
    typical = np.median(X, axis=0)
    asked = X[list(rows)]
    base = model.raw(asked)
    varied = np.repeat(asked, n_feat, axis=0)
    cols = np.tile(np.arange(n_feat), len(rows))
    varied[np.arange(len(varied)), cols] = typical[cols]
    effects = base[:, None] - model.raw(varied).reshape(len(rows), n_feat)
    out = []
    for k, row in enumerate(rows):
        order = np.argsort(-np.abs(effects[k]), kind="stable")
        out.append(
            [
                Contribution(model.features[j], float(X[row, j]), float(typical[j]), round(float(effects[k, j]), 3))
                for j in order
                if abs(effects[k, j]) >= MIN_EFFECT
            ]
        )
    return out


def model_reason(found: Sequence[Contribution], towards_body: bool) -> str | None:
    """A reason naming the :data:`TOP_FEATURES` features that pushed the way the model decided."""
    pushing = [c for c in found if (c.effect > 0) == towards_body][:TOP_FEATURES]
    if not pushing:
        return None
    side = "body" if towards_body else "noise"
    return f"learned model's strongest evidence for {side}: " + "; ".join(c.describe() for c in pushing)
