"""Pure per-line features: how a line looks, independent of its neighbours.

>>> from boilerstrip.lexicon import stopwords
>>> f = line_features("The council approved the budget on Monday.", stopwords("en"))
>>> (f.words, f.ends_sentence, round(f.stop_ratio, 2), f.sentence_like)
(7, True, 0.43, False)
>>> line_features("- Related Stories", frozenset()).bullet
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from boilerstrip.lexicon import line_key

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W\d_]+")
_SENTENCE_BREAK = re.compile(r"[.!?。！？]['\"’”)]?\s+(?=[\"“‘'(]?[A-Z\u00c0-\u024f])|[。！？]")
_BULLETS = frozenset("-*•·▪▸►‣–—>»◦●■□➤→")
_END_PUNCT = frozenset(".!?。！？…")
_CLOSERS = frozenset("\"'”’»)]")
FEATURE_TEXT_CHARS = 4096
"""Features look at this many leading characters of a line (counts scale for longer lines)."""


@dataclass(frozen=True, slots=True)
class LineFeatures:
    """What one line looks like. ``words`` counts CJK characters as half a word each."""

    key: str
    chars: int
    words: int
    tokens: int
    stop_ratio: float
    cap_ratio: float
    digit_ratio: float
    punct_ratio: float
    ends_sentence: bool
    ends_colon: bool
    sentences: int
    bullet: bool
    cjk: bool
    has_url: bool
    word_score_sum: float = 0.0
    word_score_n: int = 0

    @property
    def blank(self) -> bool:
        """No visible text."""
        return self.chars == 0

    @property
    def sentence_like(self) -> bool:
        """Reads like prose: enough words, function words and a sentence end."""
        return self.words >= 10 and self.ends_sentence and (self.stop_ratio >= 0.2 or self.cjk) and self.cap_ratio < 0.65

    @property
    def headline_like(self) -> bool:
        """Short, no sentence end, not a bullet-only or number-only line: a title or link text."""
        return 2 <= self.words <= 24 and not self.ends_sentence and self.chars <= 200 and self.sentences <= 1

    def as_dict(self) -> dict[str, object]:
        """The features as a plain dict."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def words_of(text: str) -> list[str]:
    """The lower-cased words of a line as the features count them (each CJK character is one).

    >>> words_of("  Hello, 北京 2024!")
    ['hello', '北', '京']
    """
    return _TOKEN.findall(text.strip()[:FEATURE_TEXT_CHARS].lower())


_WORD_START = re.compile(r"(?<!\S)[\"'“‘(\[]?([^\W\d_])")


_BLANK = LineFeatures("", 0, 0, 0, 0.0, 0.0, 0.0, 0.0, False, False, 0, False, False, False)
_DIGIT_CHARS = "0123456789"
_CLOSER_CHARS = "".join(_CLOSERS)
_BULLET_ALONE = frozenset("•·▪▸►‣◦●■□➤")


def line_features(text: str, stop: frozenset[str], word_scores: Mapping[str, float] | None = None) -> LineFeatures:
    """Features of one line's text (its ending excluded). ``word_scores`` maps words to a
    learned body (+) / noise (-) score; the line keeps their sum and count."""
    s = text.strip()
    if not s:
        return _BLANK
    head = s if len(s) <= FEATURE_TEXT_CHARS else s[:FEATURE_TEXT_CHARS]
    scale = len(s) / len(head)
    cjk_chars = 0 if head.isascii() else len(_CJK_CHAR.findall(head))
    spaces = head.count(" ")
    words_space = spaces + 1 if "  " not in head and "\t" not in head else len(head.split())
    words = int((words_space + cjk_chars / 2) * scale)
    toks = _TOKEN.findall(head.lower())
    n_tok = len(toks)
    stop_ratio = sum(map(stop.__contains__, toks)) / n_tok if n_tok else 0.0
    if word_scores:
        known = [x for x in map(word_scores.get, toks) if x is not None]
        score_sum, score_n = float(sum(known)), len(known)
    else:
        score_sum, score_n = 0.0, 0
    firsts = _WORD_START.findall(head)
    cap_ratio = sum(map(str.isupper, firsts)) / len(firsts) if firsts else 0.0
    digits = sum(map(head.count, _DIGIT_CHARS))
    non_space = len(head) - spaces
    punct = max(0, non_space - sum(map(len, toks)) - digits)
    last = s[-1]
    if last in _CLOSERS:
        last = s.rstrip(_CLOSER_CHARS)[-1:]
    ends_sentence = last in _END_PUNCT
    sentences = len(_SENTENCE_BREAK.findall(head)) + (1 if ends_sentence else 0)
    first = s[0]
    bullet = first in _BULLETS and (len(s) == 1 or s[1] == " " or first in _BULLET_ALONE)
    return LineFeatures(
        line_key(s),
        len(s),
        max(words, 1),
        int(n_tok * scale),
        stop_ratio,
        cap_ratio,
        digits / non_space if non_space else 0.0,
        punct / non_space if non_space else 0.0,
        ends_sentence,
        s[-1] in ":：",
        int(sentences * scale) if scale > 1 else sentences,
        bullet,
        cjk_chars > 0 and cjk_chars >= words_space,
        "http" in head or "www." in head,
        score_sum,
        score_n,
    )
