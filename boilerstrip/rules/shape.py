"""Shape rule: what a line's form alone says (menus, stamps, counters), as weak evidence.

These scores stay below the drop threshold on their own; the context pass turns them into
decisions where neighbours agree (a run of menu-like lines above the article, say).

>>> from boilerstrip.features import line_features
>>> from boilerstrip.lexicon import stopwords
>>> [(s.kind, s.value) for s in score(line_features("World Business Sport Culture", stopwords("en")), [])]
[('nav', 0.35)]
>>> is_byline("By Jane Smith and John Doe"), is_byline("By the time we arrived it was dark")
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence

from boilerstrip.features import LineFeatures
from boilerstrip.lexicon import Hit
from boilerstrip.rules.scores import Score

BYLINE_WORDS = ("by", "von", "par", "por", "di", "door", "af", "av", "przez")
"""Words that open a byline ("By Jane Smith") in the supported languages and a few more."""
_JOINERS = frozenset({"and", "&", "und", "et", "y", "e", "en", "og", "och", "i", "|", "/"})
_FIRST_CHARS = frozenset(w[0].upper() for w in BYLINE_WORDS)
"""What a byline's first character can be: one that lower-cases to a byline word's first letter
and is its own upper case (only these ASCII capitals; tests/test_rules.py checks every code point)."""


def is_byline(text: str) -> bool:
    """``By`` (or its translation) followed by one to four capitalised names, joined by commas
    or "and"; checked on the original text, where capitals tell names from prose."""
    if text.lstrip()[:1] not in _FIRST_CHARS:
        return False  # most lines: the test below would fail on the first word
    words = text.strip().replace(",", " , ").split()
    if len(words) < 2 or len(words) > 14 or words[0].lower() not in BYLINE_WORDS or words[0][0] != words[0][0].upper():
        return False
    names = 0
    for w in words[1:]:
        if w == "," or w.lower() in _JOINERS:
            continue
        if not w[0].isupper():
            return False
        names += 1
    return 1 <= names <= 8


BYLINE = Score("author", 0.9, "byline: 'By' and names")
MENU_LIKE = Score("nav", 0.35, "short fragment of capitalised words, like a menu")
DIGITS = Score("meta", 0.4, "mostly digits: a date, time or counter")
SYMBOLS = Score("widget", 0.35, "mostly symbols")
SCORES: tuple[Score, ...] = (BYLINE, MENU_LIKE, DIGITS, SYMBOLS)
"""What the shape rule can say, in the order it says it; bit ``i`` of :func:`fired` is ``SCORES[i]``."""


def fired(f: LineFeatures, text: str = "") -> int:
    """Which of :data:`SCORES` the line's shape gives, as bits (0 for most lines).

    >>> from boilerstrip.features import line_features
    >>> fired(line_features("By Jane Smith", frozenset()), "By Jane Smith")
    3
    """
    if f.blank:
        return 0
    words = f.words
    bits = 0
    if words <= 15 and is_byline(text):
        bits = 1
    if words <= 6 and not f.ends_sentence and f.stop_ratio == 0 and f.cap_ratio >= 0.99 and not f.cjk:
        bits |= 2
    if words <= 8 and f.digit_ratio >= 0.4:
        bits |= 4
    if words <= 3 and f.punct_ratio >= 0.5:
        bits |= 8
    return bits


def scores_of(bits: int) -> list[Score]:
    """The scores of :data:`SCORES` that ``bits`` (of :func:`fired`) name, in their order.

    >>> [s.kind for s in scores_of(0b0110)]
    ['nav', 'meta']
    """
    return [s for i, s in enumerate(SCORES) if bits >> i & 1] if bits else []


def score(f: LineFeatures, hits: Sequence[Hit], text: str = "") -> list[Score]:
    """Weak kind scores from the line's shape (a byline is strong)."""
    return scores_of(fired(f, text))
