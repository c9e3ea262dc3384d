"""Line-level classifiers: each scores one line for the noise kinds, with a reason.

A rule is a function ``(features, hits, text) -> list[Score]``. :func:`score_line` runs them all and
keeps, per kind, the strongest score and every reason that supports it.

>>> from boilerstrip.features import line_features
>>> from boilerstrip.lexicon import load_lexicon
>>> f = line_features("Leave a reply", frozenset())
>>> best = score_line(f, load_lexicon().match(f.key))
>>> best["comments"].value, best["comments"].reasons[0]
(0.95, 'comment counter or prompt (comments lexicon: "leave a reply")')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from boilerstrip.features import LineFeatures
from boilerstrip.lexicon import Hit
from boilerstrip.rules import lexical, shape
from boilerstrip.rules.scores import KindScore, Score

__all__ = ["RULES", "KindScore", "Rule", "Score", "combine", "hit_scores", "score_line"]


Rule = Callable[[LineFeatures, Sequence[Hit], str], list[Score]]

RULES: tuple[Rule, ...] = (lexical.score, shape.score)  # type: ignore[assignment]


def score_line(f: LineFeatures, hits: Sequence[Hit], text: str = "") -> dict[str, KindScore]:
    """Per noise kind, the strongest score any rule gave this line, with every reason."""
    return combine([s for rule in RULES for s in rule(f, hits, text)])


def hit_scores(hits: Sequence[Hit], prose: bool, bits: int) -> dict[str, KindScore]:
    """:func:`score_line` from what it depends on: the lexicon hits, whether the line reads like
    prose (:func:`lexical.reads_like_prose`) and the shape rule's bits (:func:`shape.fired`).

    >>> from boilerstrip.features import line_features
    >>> from boilerstrip.lexicon import load_lexicon
    >>> f = line_features("Share this", frozenset())
    >>> hits = load_lexicon().match(f.key)
    >>> hit_scores(hits, lexical.reads_like_prose(f), shape.fired(f, "Share this")) == score_line(f, hits, "Share this")
    True
    >>> hit_scores((), False, 0b0110)["meta"]  # no hits: the lexicon rule says nothing, the bits say it all
    KindScore(value=0.4, reasons=('mostly digits: a date, time or counter',))
    """
    return combine([*lexical.scores_of(hits, prose), *shape.scores_of(bits)])


def combine(scores: Iterable[Score]) -> dict[str, KindScore]:
    """Per kind, the strongest of ``scores`` with every distinct reason (the strongest first)."""
    out: dict[str, KindScore] = {}
    for s in scores:
        prev = out.get(s.kind)
        if prev is None:
            out[s.kind] = KindScore(s.value, (s.reason,))
        elif s.reason not in prev.reasons:
            value = max(prev.value, s.value)
            reasons = (s.reason, *prev.reasons) if s.value > prev.value else (*prev.reasons, s.reason)
            out[s.kind] = KindScore(value, reasons)
    return out
