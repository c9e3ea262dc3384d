"""Lexicon rule: phrase and pattern hits, discounted when the line reads like prose.

A phrase that opens or sits inside a long, well-formed sentence ("Share prices fell ...",
"Copyright law has changed ...") is weak evidence; a whole-line match or a deliberate pattern
keeps its weight.

>>> from boilerstrip.features import line_features
>>> from boilerstrip.lexicon import load_lexicon, stopwords
>>> lex, en = load_lexicon(), stopwords("en")
>>> f = line_features("Copyright law in the United States has changed a great deal over the last twenty years.", en)
>>> [round(s.value, 2) for s in score(f, lex.match(f.key))]
[0.41]
"""

from __future__ import annotations

from collections.abc import Sequence

from boilerstrip.features import LineFeatures
from boilerstrip.lexicon import Hit
from boilerstrip.rules.scores import Score

PROSE_DISCOUNT = 0.45
PROSE_MIN_WORDS = 15
"""Prefix and contains hits are discounted on sentences at least this long."""


def score(f: LineFeatures, hits: Sequence[Hit], text: str = "") -> list[Score]:
    """One score per kind hit: the strongest hit of that kind."""
    if not hits:
        return []  # most lines
    return scores_of(hits, reads_like_prose(f))


def reads_like_prose(f: LineFeatures) -> bool:
    """Whether the line's prefix and contains hits are discounted (see :data:`PROSE_DISCOUNT`)."""
    return f.sentence_like and f.words >= PROSE_MIN_WORDS


def scores_of(hits: Sequence[Hit], prose: bool) -> list[Score]:
    """:func:`score` of a line with these hits that reads like prose or not: all it depends on."""
    best: dict[str, Score] = {}
    for h in hits:
        value = h.weight
        reason = h.reason
        if prose and h.form in ("prefix", "contains"):
            value *= PROSE_DISCOUNT
            reason += ", but the line reads like prose"
        if h.kind not in best or value > best[h.kind].value:
            best[h.kind] = Score(h.kind, value, reason)
    return list(best.values())
