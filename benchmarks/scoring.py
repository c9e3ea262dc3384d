"""Scoring as SCORING.md defines it: bag-of-token precision/recall/F1 and snippet checks.

>>> prf("the cat sat", "the cat sat on the mat")
(1.0, 0.5, 0.6666666666666666)
>>> prf("", "gold text")[2]
0.0
>>> tokens("北京 Hello")
['北', '京', 'hello']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Han, Hiragana, Katakana, Hangul: one token per character.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+")
_SPACE = re.compile(r"\s+")


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` runs; each CJK character is a token of its own."""
    return _TOKEN.findall(text.lower())


def prf(pred: str, gold: str, *, neutral: Iterable[str] = ()) -> tuple[float, float, float]:
    """Token precision, recall and F1 of ``pred`` against ``gold``.

    ``neutral`` texts (e.g. a title) count neither for nor against: their tokens are removed
    from both sides before counting.
    """
    p, g = Counter(tokens(pred)), Counter(tokens(gold))
    for text in neutral:
        n = Counter(tokens(text))
        p -= n
        g -= n
    tp = sum((p & g).values())
    np_, ng = sum(p.values()), sum(g.values())
    if ng == 0:
        return (1.0, 1.0, 1.0) if np_ == 0 else (0.0, 1.0, 0.0)
    if np_ == 0 or tp == 0:
        return 0.0, 0.0, 0.0
    precision, recall = tp / np_, tp / ng
    return precision, recall, 2 * precision * recall / (precision + recall)


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Collapse white space, straighten quotes and lower-case, for snippet look-ups."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().lower()


def snippet_hits(pred: str, with_: Iterable[str], without: Iterable[str]) -> tuple[int, int, int, int]:
    """``(with kept, with total, without removed, without total)`` for one page."""
    out = normalise(pred)
    w = [normalise(s) for s in with_ if s.strip()]
    wo = [normalise(s) for s in without if s.strip()]
    return (sum(s in out for s in w), len(w), sum(s not in out for s in wo), len(wo))
