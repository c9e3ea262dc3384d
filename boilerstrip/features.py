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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from types import MemberDescriptorType
from typing import Any

from boilerstrip import lexicon
from boilerstrip.compiled import extension
from boilerstrip.lexicon import MATCH_CHARS, line_keys
from boilerstrip.model import WordScores

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
    """What one line looks like. ``words`` counts CJK characters as half a word each;
    ``ends_ellipsis`` marks a sentence end that is only "..." (a cut-off teaser, mostly)."""

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
    ends_ellipsis: bool = False
    blank: bool = field(init=False, repr=False, compare=False)
    """No visible text (a field, not a property: the passes ask it of every line many times)."""

    def __post_init__(self) -> None:
        # The compiled core (_features.c) fills the slots itself, blank included: a new field, or a
        # change here, needs it there too (tests/test_cfeatures.py fails until then).
        object.__setattr__(self, "blank", self.chars == 0)

    # sentence_like and headline_like are also in the compiled design-matrix table (_cstages.c),
    # which tests/test_cstages.py checks against these.
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
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init}


def words_of(text: str) -> list[str]:
    """The lower-cased words of a line as the features count them (each CJK character is one).

    >>> words_of("  Hello, 北京 2024!")
    ['hello', '北', '京']
    """
    return _TOKEN.findall(text.strip()[:FEATURE_TEXT_CHARS].lower())


_BLANK = LineFeatures("", 0, 0, 0, 0.0, 0.0, 0.0, 0.0, False, False, 0, False, False, False)
_CLOSER_CHARS = "".join(_CLOSERS)
_ELLIPSES = ("...", "…")
_BULLET_ALONE = frozenset("•·▪▸►‣◦●■□➤")


def line_features(text: str, stop: frozenset[str], word_scores: Mapping[str, float] | None = None) -> LineFeatures:
    """Features of one line's text (its ending excluded). ``word_scores`` maps words to a
    learned body (+) / noise (-) score; the line keeps their sum and count."""
    return features_of_lines([text], stop, word_scores)[0]


# Whole-document forms of the per-line patterns: "\n" separates the lines and is found as a
# token of its own, so one pass over the joined lines serves them all. None of these can
# match across a line break (white space inside a line is never "\n").
_TOKEN_NL = re.compile(r"\n|" + _TOKEN.pattern)
_CJK_NL = re.compile(r"\n|" + _CJK_CHAR.pattern)
_WORD_START_NL = re.compile(r"\n|(?<!\S)[\"'“‘(\[]?[^\W\d_]")
_SENTENCE_BREAK_NL = re.compile(r"\n|[.!?。！？]['\"’”)]?[^\S\n]+(?=[\"“‘'(]?[A-Z\u00c0-\u024f])|[。！？]")


def features_of_lines(
    texts: Sequence[str], stop: frozenset[str], word_scores: Mapping[str, float] | None = None
) -> list[LineFeatures]:
    """:func:`line_features` of many lines at once, by the compiled core when it is built
    (:data:`COMPILED`) and by :func:`python_features_of_lines` otherwise: the same records.
    With :class:`~boilerstrip.model.WordScores` and a frozenset of stop words the core looks the
    ASCII tokens up in their :func:`vocab_table`.

    >>> [f.words for f in features_of_lines(["One two three.", "", "Four"], frozenset())]
    [3, 0, 1]
    """
    learned = type(word_scores) is WordScores
    scores = word_scores._scores if learned else word_scores  # type: ignore[union-attr]
    if _C is not None:
        table = vocab_table(stop, word_scores) if learned and type(stop) is frozenset else None  # type: ignore[arg-type]
        if table is None:
            got = _C.features_of_lines(texts, stop, scores, _BLANK, _C_SETTERS, _C_KEYS, FEATURE_TEXT_CHARS, MATCH_CHARS)
        else:  # the table's own set and dict: the set equal to stop, the dict that of word_scores
            got = _C.features_of_lines(
                texts, table.stop, table.scores, _BLANK, _C_SETTERS, _C_KEYS, FEATURE_TEXT_CHARS, MATCH_CHARS, table
            )
        if got is not NotImplemented:  # the core hands back inputs of types it does not handle
            return got
    return python_features_of_lines(texts, stop, scores)


@lru_cache(maxsize=16)
def vocab_table(stop: frozenset[str], scores: WordScores) -> Any:
    """The compiled core's table of the ASCII words of ``stop`` and ``scores``
    (``_cfeatures.VocabTable``), built once for the pair: neither can change, and a
    ``WordScores`` is keyed by identity. ``None`` when the core is not built or older than the
    table, or when a word is not an exact str (the set and dict lookups then serve every token).

    >>> table = vocab_table(frozenset({"the"}), WordScores({"the": 0.5, "news": -1.0}))
    >>> table is None or [table.lookup(w) for w in ("the", "news", "nope")] == [(True, 0.5), (False, -1.0), (False, None)]
    True
    """
    if _C_TABLE is None or type(stop) is not frozenset or type(scores) is not WordScores:
        return None
    try:
        return _C_TABLE(stop, scores._scores)
    except TypeError:
        return None


def python_features_of_lines(
    texts: Sequence[str], stop: frozenset[str], word_scores: Mapping[str, float] | None = None
) -> list[LineFeatures]:
    """:func:`features_of_lines` in pure Python: each pattern runs once over all the lines.

    >>> [f.words for f in python_features_of_lines(["One two three.", "", "Four"], frozenset())]
    [3, 0, 1]
    """
    strips = [t.strip() for t in texts]
    out: list[LineFeatures] = [_BLANK] * len(strips)
    todo = [i for i, s in enumerate(strips) if s]
    if not todo:
        return out
    for i in todo:
        if "\n" in strips[i]:  # not a line of split_lines: its line breaks count as spaces
            strips[i] = strips[i].replace("\n", " ")
    heads = [strips[i][:FEATURE_TEXT_CHARS] for i in todo]
    joined = "\n".join(heads)
    if joined.isascii() or _CJK_CHAR.search(joined) is None:
        cjk = [0] * len(heads)
    else:
        cjk = _tally(_spans(_CJK_NL.findall(joined)))
    toks = _TOKEN_NL.findall(joined.lower())
    tok_spans = _spans(toks)
    n_tok = _tally(tok_spans)
    stops = _tally(tok_spans, list(map(stop.__contains__, toks)))
    tok_chars = _tally(tok_spans, list(map(len, toks)))
    known: list[float] = [0.0] * len(heads)
    n_known = [0] * len(heads)
    if word_scores:
        scores = list(map(word_scores.get, toks))
        for k, (a, b) in enumerate(tok_spans):
            got = [x for x in scores[a:b] if x is not None]
            known[k], n_known[k] = float(sum(got)), len(got)
    firsts = _WORD_START_NL.findall(joined)
    first_spans = _spans(firsts)
    n_firsts = _tally(first_spans)
    upper = _tally(first_spans, [x[-1].isupper() for x in firsts])
    # [0-9] are single bytes in UTF-8 that no other character's encoding contains: a line's digits
    # are the bytes deleting them removes.
    encoded = joined.encode("utf-8", "surrogatepass")
    undigited = encoded.translate(None, b"0123456789").split(b"\n")
    digits = [len(a) - len(b) for a, b in zip(encoded.split(b"\n"), undigited)]
    breaks = _tally(_spans(_SENTENCE_BREAK_NL.findall(joined)))
    keys = line_keys([strips[i] for i in todo])
    for k, i in enumerate(todo):
        s, head = strips[i], heads[k]
        scale = len(s) / len(head)
        spaces = head.count(" ")
        words_space = spaces + 1 if "  " not in head and "\t" not in head else len(head.split())
        words = int((words_space + cjk[k] / 2) * scale)
        non_space = len(head) - spaces
        punct = max(0, non_space - tok_chars[k] - digits[k])
        core = s.rstrip(_CLOSER_CHARS) if s[-1] in _CLOSERS else s  # without closing quotes and brackets
        ends_sentence = core[-1:] in _END_PUNCT
        sentences = breaks[k] + (1 if ends_sentence else 0)
        first = s[0]
        out[i] = LineFeatures(
            keys[k],
            len(s),
            max(words, 1),
            int(n_tok[k] * scale),
            stops[k] / n_tok[k] if n_tok[k] else 0.0,
            upper[k] / n_firsts[k] if n_firsts[k] else 0.0,
            digits[k] / non_space if non_space else 0.0,
            punct / non_space if non_space else 0.0,
            ends_sentence,
            s[-1] in ":：",
            int(sentences * scale) if scale > 1 else sentences,
            first in _BULLETS and (len(s) == 1 or s[1] == " " or first in _BULLET_ALONE),
            cjk[k] > 0 and cjk[k] >= words_space,
            "http" in head or "www." in head,
            known[k],
            n_known[k],
            ends_sentence and core.endswith(_ELLIPSES),
        )
    return out


def _spans(found: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each line's results in a whole-document ``findall`` whose results
    hold one ``"\n"`` per line break."""
    breaks = [k for k, x in enumerate(found) if x == "\n"]
    return list(zip([0, *(b + 1 for b in breaks)], [*breaks, len(found)]))


def _tally(spans: list[tuple[int, int]], weights: list | None = None) -> list:
    """Per line, how many results it holds (or the sum of their ``weights``)."""
    if weights is None:
        return [b - a for a, b in spans]
    return [sum(weights[a:b]) for a, b in spans]


def _compiled_core() -> tuple[Any, tuple[Any, ...], Callable[[list[str]], list[str]] | None]:
    """The C module, LineFeatures' slot descriptors in the order it fills them, and ``line_keys``
    when the lexicon's key constants are no longer those the module folds keys with (else None:
    the module makes the keys). ``(None, (), None)`` when it is not built or does not fit."""
    _cfeatures = extension("_cfeatures", "features_of_lines", "FIELDS", "KEY_QUOTES", "KEY_LEAD", "KEY_LEAD_FIRST")
    if _cfeatures is None:
        return None, (), None
    setters = tuple(LineFeatures.__dict__.get(name) for name in _cfeatures.FIELDS)
    fits = sorted(_cfeatures.FIELDS) == sorted(f.name for f in fields(LineFeatures))
    # The core hands line_keys the lines' heads: the same keys while the lexicon reads no further.
    if not fits or not all(isinstance(d, MemberDescriptorType) for d in setters) or MATCH_CHARS > FEATURE_TEXT_CHARS:
        return None, (), None
    same_keys = (
        _cfeatures.KEY_QUOTES == lexicon._QUOTES
        and _cfeatures.KEY_LEAD == lexicon._LEAD.pattern
        and frozenset(_cfeatures.KEY_LEAD_FIRST) == lexicon._LEAD_FIRST
    )
    return _cfeatures, setters, None if same_keys else line_keys


_C, _C_SETTERS, _C_KEYS = _compiled_core()
_C_TABLE = getattr(_C, "VocabTable", None)  # None in a build older than the table
COMPILED = _C is not None
"""Whether :func:`features_of_lines` runs the compiled core (``boilerstrip._cfeatures``)."""
