"""Shape rule: what a line's form alone says (menus, stamps, counters), as weak evidence.

These scores stay below the drop threshold on their own; the context pass turns them into
decisions where neighbours agree (a run of menu-like lines above the article, say).

>>> from boilerstrip.features import line_features
>>> from boilerstrip.lexicon import stopwords
>>> [(s.kind, s.value) for s in score(line_features("World Business Sport Culture", stopwords("en")), [])]
[('nav', 0.35)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from boilerstrip.features import LineFeatures
from boilerstrip.lexicon import Hit

if TYPE_CHECKING:
    from boilerstrip.rules import Score


def score(f: LineFeatures, hits: Sequence[Hit]) -> list[Score]:
    """Weak kind scores from the line's shape."""
    from boilerstrip.rules import Score

    out: list[Score] = []
    if f.blank:
        return out
    if f.words <= 6 and not f.ends_sentence and f.stop_ratio == 0 and f.cap_ratio >= 0.99 and not f.cjk:
        out.append(Score("nav", 0.35, "short fragment of capitalised words, like a menu"))
    if f.words <= 8 and f.digit_ratio >= 0.4:
        out.append(Score("meta", 0.4, "mostly digits: a date, time or counter"))
    if f.words <= 3 and f.punct_ratio >= 0.5:
        out.append(Score("widget", 0.35, "mostly symbols"))
    return out
