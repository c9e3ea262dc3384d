"""Find lines that repeat an earlier line: exactly after normalising, or nearly (a word or two apart).

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

_WORD = re.compile(r"\w+")
NEAR_MIN_TOKENS = 8
"""Lines shorter than this only repeat exactly."""
NEAR_SIMILARITY = 0.85
"""Share of shared tokens (of the longer line) for a near repeat."""
_ANCHOR = 5


def dup_tokens(text: str) -> list[str]:
    """The words of a line, case-folded, punctuation and quotes ignored."""
    return _WORD.findall(text.casefold())


def find_repeats(texts: Sequence[str], cache: dict[str, list[str]] | None = None) -> list[int | None]:
    """For each line, the index of the earliest line it repeats, or ``None``.

    Blank lines never repeat. Near repeats need :data:`NEAR_MIN_TOKENS` words and
    :data:`NEAR_SIMILARITY` overlap; candidates are found by their first or last words, so
    the cost stays linear in the number of lines. ``cache`` keeps each text's words between
    calls on the same document.
    """
    if cache is None:
        cache = {}
    out: list[int | None] = [None] * len(texts)
    exact: dict[str, int] = {}
    heads: dict[tuple[str, ...], list[int]] = {}
    tails: dict[tuple[str, ...], list[int]] = {}
    tokens_of: dict[int, list[str]] = {}
    for i, text in enumerate(texts):
        toks = cache.get(text)
        if toks is None:
            toks = cache[text] = dup_tokens(text[:20000])
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
        for j in heads.get(head, [])[-8:] + tails.get(tail, [])[-8:]:
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
