"""Find lines that repeat an earlier line: exactly after normalising, or nearly (a word or two apart).

The words of the lines and the loop over them run in the compiled ``boilerstrip._cstages`` when
it is built (:data:`COMPILED`): :func:`find_repeats` hands it the texts, and it cuts their words
as spans of the folded texts, making no str per word; :func:`python_dup_tokens_of` and
:func:`python_repeats` are the pure paths, with the same results.

>>> texts = ["It rained all day in Paris, and the river rose.", "x", "It rained all day in Paris, and the river rose!"]
>>> find_repeats(texts)
[None, None, 0]
>>> dup_tokens("“Quotes”  don’t   Matter")
['quotes', 'don', 't', 'matter']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from boilerstrip.compiled import extension

_WORD = re.compile(r"\w+")
TOKEN_CHARS = 20000
"""How many leading characters of a line its words are read from."""
NEAR_MIN_TOKENS = 8
"""Lines shorter than this only repeat exactly."""
NEAR_SIMILARITY = 0.85
"""Share of shared tokens (of the longer line) for a near repeat."""
_ANCHOR = 5
_WINDOW = 8


def dup_tokens(text: str) -> list[str]:
    """The words of a line, case-folded, punctuation and quotes ignored."""
    return _WORD.findall(text.casefold())


def dup_tokens_of(texts: list[str]) -> list[list[str]]:
    """:func:`dup_tokens` of the first :data:`TOKEN_CHARS` characters of each text. Cut by the
    compiled ``boilerstrip._cstages`` when it is built (:data:`COMPILED`), otherwise by
    :func:`python_dup_tokens_of`: the same words."""
    if _C is not None:
        got = _C.word_lists(texts, TOKEN_CHARS)
        if got is not NotImplemented:  # it hands back a str subclass
            return got
    return python_dup_tokens_of(texts)


def python_dup_tokens_of(texts: list[str]) -> list[list[str]]:
    """:func:`dup_tokens_of` in pure Python.

    >>> python_dup_tokens_of(["İ ß Σ_x", ""])
    [['i', 'ss', 'σ_x'], []]
    """
    return [dup_tokens(text[:TOKEN_CHARS]) for text in texts]


def find_repeats(texts: Sequence[str], cache: dict[str, list[str]] | None = None) -> list[int | None]:
    """For each line, the index of the earliest line it repeats, or ``None``.

    Blank lines never repeat. Near repeats need :data:`NEAR_MIN_TOKENS` words and
    :data:`NEAR_SIMILARITY` overlap; candidates are found by their first or last words, so
    the cost stays linear in the number of lines. When ``boilerstrip._cstages`` is built
    (:data:`COMPILED`) one compiled call (``repeats_of``) cuts the words of the texts of exact
    type str and finds the repeats, without making the words as strs and without ``cache``
    (a later pass cuts its texts again: keeping their words would take the strs). Otherwise ``cache``
    keeps each text's words (:func:`dup_tokens_of`) between calls on the same document, and the
    loop is the compiled ``repeats`` over them or :func:`python_repeats`: the same indices.
    """
    if _C is not None:
        seq = texts if type(texts) is list or type(texts) is tuple else list(texts)
        got = _C.repeats_of(seq, TOKEN_CHARS, NEAR_MIN_TOKENS, NEAR_SIMILARITY, _ANCHOR, _WINDOW)
        if got is not NotImplemented:  # a text that is not an exact str
            return got
    if cache is None:
        cache = {}
    new = [text for text in dict.fromkeys(texts) if text not in cache]
    if new:
        cache.update(zip(new, dup_tokens_of(new)))
    token_lists = [cache[text] for text in texts]
    if _C is not None:
        got = _C.repeats(token_lists, NEAR_MIN_TOKENS, NEAR_SIMILARITY, _ANCHOR, _WINDOW)
        if got is not NotImplemented:  # a token list that is not an exact list of exact str
            return got
    return python_repeats(token_lists)


def python_repeats(token_lists: Sequence[list[str]]) -> list[int | None]:
    """The loop of :func:`find_repeats` in pure Python, over each line's words (an empty list
    for a blank line).

    >>> python_repeats([["a", "b"], [], ["a", "b"], ["b", "a"]])
    [None, None, 0, None]
    """
    out: list[int | None] = [None] * len(token_lists)
    exact: dict[str, int] = {}
    heads: dict[tuple[str, ...], list[int]] = {}
    tails: dict[tuple[str, ...], list[int]] = {}
    tokens_of: dict[int, list[str]] = {}
    for i, toks in enumerate(token_lists):
        if not toks:
            continue
        key = " ".join(toks)
        first = exact.get(key)
        if first is not None:
            out[i] = first
            continue
        exact[key] = i
        if len(toks) < NEAR_MIN_TOKENS:
            continue
        head, tail = tuple(toks[:_ANCHOR]), tuple(toks[-_ANCHOR:])
        for j in heads.get(head, [])[-_WINDOW:] + tails.get(tail, [])[-_WINDOW:]:
            if _similar(toks, tokens_of[j]):
                out[i] = out[j] if out[j] is not None else j
                break
        if out[i] is None:
            tokens_of[i] = toks
            heads.setdefault(head, []).append(i)
            tails.setdefault(tail, []).append(i)
    return out


def _similar(a: list[str], b: list[str]) -> bool:
    longer = max(len(a), len(b))
    if min(len(a), len(b)) < NEAR_SIMILARITY * longer:
        return False
    shared = sum((Counter(a) & Counter(b)).values())
    return shared >= NEAR_SIMILARITY * longer


_C = extension("_cstages", "word_lists", "repeats", "repeats_of")
COMPILED = _C is not None
"""Whether :func:`dup_tokens_of` and :func:`find_repeats` run the compiled
``boilerstrip._cstages``."""
