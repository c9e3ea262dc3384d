"""Phrase lexicons per noise kind: plain text files loaded as package data, compiled for lookup.

Each ``data/<lang>/<kind>.txt`` holds one entry a line; ``#`` starts a comment. A line
``[reason | weight]`` starts a section: the entries under it report that reason (and weight,
default by form). Entries are matched against the line's *key* (see :func:`line_key`):

- ``phrase``      the whole line is the phrase (trailing ``:``, ``.``, counts like ``(12)`` aside)
- ``phrase*``     the line starts with the phrase
- ``*phrase*``    the line contains the phrase (as whole words)
- ``/regex/``     a regular expression searched in the key; it must not nest quantifiers

Only the first :data:`MATCH_CHARS` characters of a line are looked at, so matching is linear
in the size of the input whatever the patterns are.

>>> lex = Lexicon.from_entries([("social", "share news"), ("comments", r"/^\\d+ comments?$/")])
>>> [(h.kind, h.reason) for h in lex.match(line_key("- Share news"))]
[('social', 'social lexicon: "share news"')]
>>> [h.kind for h in lex.match(line_key("12 Comments"))]
['comments']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from boilerstrip.compiled import extension
from boilerstrip.config import NOISE_KINDS

try:  # Python >= 3.11
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parser  # type: ignore[no-redef]

LANGUAGES: tuple[str, ...] = ("xx", "en", "de", "fr", "es", "it", "pt", "nl", "pl", "zh")
"""Lexicon folders: ``xx`` holds language-neutral patterns (symbols, dates, counters)."""

MATCH_CHARS = 320
"""How many leading characters of a line the lexicons look at."""

FULL_LINE_MAX_CHARS = 120
"""Whole-line patterns (``/^...$/``) describe short furniture; longer lines skip them."""

MEMO_SIZE = 50_000
"""How many distinct line keys a lexicon remembers the hits of (boilerplate repeats a lot)."""

FORM_WEIGHTS = {"exact": 0.95, "prefix": 0.9, "regex": 0.9, "contains": 0.75}

_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " "))
_LEAD = re.compile(r"^[\s\-\u2013\u2014\u2022\u00b7\u25aa\u25b8\u25ba\u2023*>»›|#+]+")
_LEAD_FIRST = frozenset("-\u2013\u2014\u2022\u00b7\u25aa\u25b8\u25ba\u2023*>»›|#+")
_TRAIL = " \t:.!?…»›>|-–—"


def line_key(text: str) -> str:
    """The form of a line that lexicons match: lower-case, quotes straightened, bullets and
    white space folded, cut to :data:`MATCH_CHARS`.

    >>> line_key("  •  Related   Articles: ")
    'related articles:'
    """
    return line_keys([text])[0]


def line_keys(texts: list[str]) -> list[str]:
    """:func:`line_key` of many lines at once (a line break inside a text is a space to it).

    >>> line_keys(["Share “this”", "- Home"])
    ['share "this"', 'home']
    """
    if not texts:
        return []
    joined = "\n".join(t[:MATCH_CHARS].replace("\n", " ") if "\n" in t else t[:MATCH_CHARS] for t in texts)
    if not joined.isascii():
        for old, new in _QUOTES:  # str.replace beats str.translate on long text
            joined = joined.replace(old, new)
    out = joined.lower().split("\n")
    for k, text in enumerate(out):
        if text[:1] in _LEAD_FIRST or text[:1].isspace():
            text = _LEAD.sub("", text)
        out[k] = " ".join(text.split())
    return out


def exact_key(key: str) -> str:
    """``key`` without trailing punctuation or a trailing count: ``"comments (12)"`` → ``"comments"``.

    >>> exact_key("comments (12)"), exact_key("read more »"), exact_key("in:")
    ('comments', 'read more', 'in')
    """
    k = key.rstrip(_TRAIL)
    if k.endswith((")", "]")):
        i = k.rfind("(" if k.endswith(")") else "[")
        if i >= 0 and k[i + 1 : -1].strip().replace(",", "").replace(".", "").isdigit():
            k = k[:i]
    else:
        bare = k.rstrip("0123456789,.")
        if bare != k and (not bare or not bare[-1].isalnum()):
            k = bare
    return k.rstrip(_TRAIL)


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry, as written in its file."""

    kind: str
    form: str
    phrase: str
    label: str
    weight: float


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match: the noise kind, its weight and the reason in words."""

    kind: str
    weight: float
    reason: str
    form: str


class UnsafePatternError(ValueError):
    """A lexicon regex that could backtrack catastrophically (nested quantifiers)."""


USER_MAX_UNBOUNDED = 2
"""A user pattern may hold at most this many unbounded repeats (``*``, ``+``, ``{n,}``)."""


def check_pattern(pattern: str, *, strict: bool = False) -> None:
    """Refuse regexes that can backtrack catastrophically: a variable-length repeat inside an
    unbounded repeat (``(a+)+``, ``(a|b?)*`` and kin). Bounded outer repeats (``{0,3}``) are allowed.

    ``strict`` (user patterns, which no test has timed) also refuses any variable repeat or
    alternation inside a repeat, and more than :data:`USER_MAX_UNBOUNDED` unbounded repeats.

    >>> check_pattern(r"^\\d+ comments?$")
    >>> check_pattern(r"(a+)+$")
    Traceback (most recent call last):
    ...
    boilerstrip.lexicon.UnsafePatternError: nested quantifier in lexicon pattern: (a+)+$
    """
    unbounded = _sre_parser.MAXREPEAT
    count = 0

    def walk(items: Iterable, inside_unbounded: bool, inside_repeat: bool = False) -> None:
        nonlocal count
        for op, av in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                lo, hi, sub = av
                if (inside_unbounded or (strict and inside_repeat)) and lo != hi:
                    raise UnsafePatternError(f"nested quantifier in lexicon pattern: {pattern}")
                count += hi == unbounded
                walk(sub, inside_unbounded or hi == unbounded, inside_repeat or hi > 1)
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                walk(av if name == "ATOMIC_GROUP" else av[-1], inside_unbounded, inside_repeat)
            elif name == "BRANCH":
                if strict and inside_repeat:
                    raise UnsafePatternError(f"alternatives inside a repeat: {pattern}")
                for alt in av[1]:
                    walk(alt, inside_unbounded, inside_repeat)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(av[1], inside_unbounded, inside_repeat)

    walk(_sre_parser.parse(pattern), False)
    if strict and count > USER_MAX_UNBOUNDED:
        raise UnsafePatternError(
            f"more than {USER_MAX_UNBOUNDED} unbounded repeats in a user pattern (use {{0,n}}): {pattern}"
        )


def parse_entries(kind: str, lines: Iterable[str], *, strict: bool = False) -> list[Entry]:
    """Entries of one lexicon file's lines; ``strict`` applies the rules for user patterns
    (see :func:`check_pattern`)."""
    entries: list[Entry] = []
    label, weight = f"{kind} lexicon", None
    for raw in lines:
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("/") else raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            head, _, w = line[1:-1].partition("|")
            label = head.strip() or f"{kind} lexicon"
            weight = float(w) if w.strip() else None
            continue
        entries.append(_entry(kind, line, label, weight, strict))
    return entries


def _entry(kind: str, line: str, label: str, weight: float | None, strict: bool) -> Entry:
    if len(line) > 2 and line.startswith("/") and line.endswith("/"):
        try:
            check_pattern(line[1:-1], strict=strict)
            re.compile(line[1:-1])
        except re.error as err:
            raise ValueError(f"bad pattern in the {kind} lexicon: {line}: {err}") from None
        form, phrase = "regex", line[1:-1]
    elif len(line) > 2 and line.startswith("*") and line.endswith("*"):
        form, phrase = "contains", line_key(line[1:-1])
    elif line.endswith("*"):
        form, phrase = "prefix", line_key(line[:-1])
    else:
        form, phrase = "exact", exact_key(line_key(line))
    if not phrase:
        raise ValueError(f"empty lexicon entry in {kind}: {line!r}")
    return Entry(kind, form, phrase, label, weight if weight is not None else FORM_WEIGHTS[form])


class Lexicon:
    """All entries of all kinds, compiled for fast lookup of one line key."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        entries = tuple(entries)
        self.exact: dict[str, list[Entry]] = {}
        prefix: dict[str, list[Entry]] = {}
        contains: dict[str, list[Entry]] = {}
        regexes: list[Entry] = []
        for e in entries:
            table = {"exact": self.exact, "prefix": prefix, "contains": contains}.get(e.form)
            if table is None:
                regexes.append(e)
            else:
                table.setdefault(e.phrase, []).append(e)
        # Prefixes bucketed by first character, longest first.
        self.prefix: dict[str, list[tuple[str, list[Entry]]]] = {}
        for phrase in sorted(prefix, key=len, reverse=True):
            self.prefix.setdefault(phrase[0], []).append((phrase, prefix[phrase]))
        self.contains = contains
        # Longest first: the order of the alternation, which the compiled scan follows by first character.
        longest_first = sorted(contains, key=len, reverse=True)
        self.contains_by_first: dict[str, list[tuple[str, list[Entry]]]] = {}
        for phrase in longest_first:
            self.contains_by_first.setdefault(phrase[0], []).append((phrase, contains[phrase]))
        self._contains_re = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in longest_first) + r")(?!\w)") if contains else None
        )
        self.regexes = _RegexDispatch([(re.compile(e.phrase), e) for e in regexes])
        self._memo: dict[str, tuple[Hit, ...]] = {}
        # Each entry's hit, made once, by the entry's identity (the tuple keeps every entry alive,
        # so no other object takes its id): the compiled match hands these back (hits are frozen).
        self._entries = entries
        self._hits = {id(e): _hit(e) for e in entries}
        d = self.regexes
        self._tables = (self.exact, self.prefix, self.contains_by_first, d._firsts, d._lasts, d._compiled_offers,
                        d.compiled_offer, self._hits)  # as _C.lexicon_match reads them

    @classmethod
    def from_entries(cls, pairs: Iterable[tuple[str, str]]) -> Lexicon:
        """A lexicon of ``(kind, entry text)`` pairs (used for user phrases and tests)."""
        out: list[Entry] = []
        for kind, text in pairs:
            out.extend(parse_entries(kind, [text]))
        return cls(out)

    def match(self, key: str) -> tuple[Hit, ...]:
        """Every entry that matches the line ``key``, strongest first (memoised per key)."""
        got = self._memo.get(key)
        if got is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            got = self._memo[key] = tuple(self._match(key))
        return got

    def compiled_match(self) -> tuple[tuple, int, int] | None:
        """What lets compiled code run :meth:`match` itself on a key the memo lacks (the memo
        cleared at :data:`MEMO_SIZE` keys, then ``_cstages.lexicon_match`` of the key): its
        tables, :data:`FULL_LINE_MAX_CHARS` and :data:`MEMO_SIZE`; ``None`` when not built."""
        return (self._tables, FULL_LINE_MAX_CHARS, MEMO_SIZE) if _C is not None else None

    def _match(self, key: str) -> list[Hit]:
        """:meth:`python_match`, by the compiled ``boilerstrip._cstages`` in one call when it is
        built (:data:`COMPILED`): the same hits in the same order (each entry's hit made once).

        >>> lex = Lexicon.from_entries([("comments", "comments"), ("nav", "*comments*")])
        >>> [(h.form, h.weight) for h in lex._match("comments (12)")]
        [('exact', 0.95), ('contains', 0.75)]
        """
        if _C is not None:
            got = _C.lexicon_match(key, self._tables, FULL_LINE_MAX_CHARS)
            if got is not NotImplemented:  # it hands back a str subclass
                return got
        return self.python_match(key)

    def python_match(self, key: str) -> list[Hit]:
        """Every entry that matches ``key`` as a new hit, strongest first (a stable sort): the
        exact phrase :func:`exact_key` of it, then the prefix, contains and regex entries."""
        hits: list[Hit] = []
        short = exact_key(key)
        for e in self.exact.get(short, ()):
            hits.append(_hit(e))
        for e in self.prefix_entries(key):
            hits.append(_hit(e))
        for e in self.contains_entries(key):
            hits.append(_hit(e))
        for e in self.regexes.entries(key):
            hits.append(_hit(e))
        hits.sort(key=lambda h: -h.weight)
        return hits

    def prefix_entries(self, key: str) -> list[Entry]:
        """The entries of the prefix phrases that open ``key`` and end at a word's end, longest
        phrase first. Found by the compiled ``boilerstrip._cstages`` when it is built
        (:data:`COMPILED`), otherwise by :meth:`python_prefix_entries`: the same entries."""
        bucket = self.prefix.get(key[:1])
        if bucket is None:
            return []
        if _C is not None:
            got = _C.prefix_hits(key, bucket)
            if got is not NotImplemented:  # it hands back a str subclass
                return got
        return self.python_prefix_entries(key)

    def contains_entries(self, key: str) -> list[Entry]:
        """The entries of the contains phrases in ``key`` between word boundaries, in the order
        they are found (left to right, not overlapping, the longest phrase first at each place).
        Found by the compiled ``boilerstrip._cstages`` when it is built (:data:`COMPILED`),
        otherwise by :meth:`python_contains_entries`: the same entries.

        >>> lex = Lexicon.from_entries([("social", "*share this*"), ("social", "*share*")])
        >>> [e.phrase for e in lex.contains_entries("please share this, share it")]
        ['share this', 'share']
        """
        if self._contains_re is None:
            return []
        if _C is not None:
            got = _C.contains_hits(key, self.contains_by_first)
            if got is not NotImplemented:  # it hands back a str subclass
                return got
        return self.python_contains_entries(key)

    def python_contains_entries(self, key: str) -> list[Entry]:
        """:meth:`contains_entries` in pure Python: one regex, the alternation of the phrases."""
        out: list[Entry] = []
        if self._contains_re is not None:
            for m in self._contains_re.finditer(key):
                out.extend(self.contains.get(m.group(0), ()))
        return out

    def python_prefix_entries(self, key: str) -> list[Entry]:
        """:meth:`prefix_entries` in pure Python."""
        out: list[Entry] = []
        for phrase, entries in self.prefix.get(key[:1], ()):
            if key.startswith(phrase):
                n = len(phrase)
                if n == len(key) or not key[n].isalnum() or not phrase[-1].isalnum():
                    out.extend(entries)
        return out


class _RegexDispatch:
    """Lexicon regexes indexed by what a match needs, so a line is tried only against the
    patterns that could match it.

    A pattern anchored with ``^`` is filed under its possible first characters. Every pattern
    also records a set of characters one of which any match must contain (its *needed*
    characters, read from the parsed pattern); a line holding none of them skips the pattern.
    A pattern whose matches all hold a run of literal text (:func:`needed_literal`) is tried
    only on lines holding that text, and one whose matches hold one of a few texts
    (:func:`needed_one_of`) only on lines holding one of them.

    Anchored patterns whose first characters :func:`_first_chars` cannot tell (an optional
    part comes first) are tried on every line, in their place among the patterns, unless
    :func:`_opening_chars` shows that a line's first character cannot open a match. A pattern
    anchored at the end with ``$`` is not tried on a line whose last character cannot close a
    match (:func:`_closing_chars`).
    """

    def __init__(self, compiled: list[tuple[re.Pattern[str], Entry]]) -> None:
        Item = tuple[re.Pattern[str], Entry, "frozenset[str] | None", "str | tuple[str, ...] | None"]
        self.by_first: dict[str, list[Item]] = {}
        self.digit: list[Item] = []
        self.always: list[Item] = []
        self.literal_first: list[Item] = []  # unanchored, opening with one literal: tried last
        self.full_line: set[str] = set()
        self.items: list[Item] = []  # every pattern once, as the lists above hold it
        self._opened: dict[tuple[str, bool, bool, bool], list[Item]] = {}  # see _offered
        self._offers: dict[tuple[str, bool, bool, bool, str], list[Item]] = {}  # see _offered
        self._compiled_offers: dict[tuple[str, bool, bool, bool, str], tuple] = {}  # the same, as entries reads them
        self._opening: dict[str, frozenset[str]] = {}  # anchored patterns in always: what can open a match
        self._closing: dict[str, frozenset[str]] = {}  # patterns ending in $: what can close a match
        for rx, e in compiled:
            items = list(_sre_parser.parse(rx.pattern))
            anchored = bool(items) and str(items[0][0]) == "AT" and str(items[0][1]) == "AT_BEGINNING"
            at_end = bool(items) and str(items[-1][0]) == "AT" and str(items[-1][1]) in ("AT_END", "AT_END_STRING")
            if anchored and at_end and str(items[-1][1]) == "AT_END":
                self.full_line.add(rx.pattern)
            closing = _closing_chars(items) if at_end and not rx.flags & (re.IGNORECASE | re.MULTILINE) else None
            if closing is not None:
                self._closing[rx.pattern] = closing
            lit = None if rx.flags & re.IGNORECASE else _needed_text_of(items, anchored)
            need = None if isinstance(lit, str) or rx.flags & re.IGNORECASE else needed_chars(items)
            item = (rx, e, need, lit)
            self.items.append(item)
            first = _first_chars(items[1:]) if anchored else None
            if first is not None:
                for c in first:
                    if c == "\\d":
                        self.digit.append(item)
                    else:
                        self.by_first.setdefault(c, []).append(item)
            elif not anchored and (one := _first_chars(items)) is not None and len(one) == 1 and "\\d" not in one:
                self.literal_first.append(item)
            else:
                self.always.append(item)
                opening = _opening_chars(items[1:]) if anchored and not rx.flags & re.IGNORECASE else None
                if opening is not None:
                    self._opening[rx.pattern] = opening
        # Keys whose first character is none of these share their offers by digit and space alone;
        # keys whose last character is none of those (nor a digit or white space) end no match
        # of a pattern that ends in $.
        self._firsts = frozenset(self.by_first).union(*self._opening.values())
        self._lasts = frozenset("\n").union(*self._closing.values())
        # Each pattern as entries hands it to C, made once (by the item's identity: self.items
        # holds every item for the dispatch's life), so the offers share them.
        self._for_c = {id(item): (item[0].search, item[1], _needed_text(item[2]), item[3]) for item in self.items}

    def offered(self, key: str) -> list[tuple[re.Pattern[str], Entry, frozenset[str] | None, str | tuple[str, ...] | None]]:
        """The patterns worth trying on ``key`` by its first and last characters and its
        length, in the order they are tried, each with its needed characters or text (the
        caller skips a pattern when the key holds none of those characters, or not that text).
        Whole-line patterns (``^...$``) are offered only to keys up to
        :data:`FULL_LINE_MAX_CHARS` long."""
        offer = self._offer(key)
        items = self._offers.get(offer)
        if items is None:
            items = self._offers[offer] = self._offered(*offer)
        return items

    def _offer(self, key: str) -> tuple[str, bool, bool, bool, str]:
        """What of ``key`` decides the patterns it is offered (see :meth:`_offered`)."""
        first, last = key[:1], key[-1:]
        if last not in self._lasts:  # a digit or white space stands for its class
            last = "0" if last.isdigit() else " " if last.isspace() else ""
        return (first if first in self._firsts else "", first.isdigit(), first.isspace(), len(key) > FULL_LINE_MAX_CHARS, last)

    def entries(self, key: str) -> list[Entry]:
        """The entries of the patterns offered to ``key`` that it holds the needed characters
        or text of and that a search finds in it, in the order offered. Tried by the compiled
        ``boilerstrip._cstages`` when it is built (:data:`COMPILED`), otherwise by
        :meth:`python_entries`: the same entries."""
        if _C is not None:
            offer = self._offer(key)
            items = self._compiled_offers.get(offer)
            if items is None:
                items = self.compiled_offer(offer)
            got = _C.regex_hits(key, items)
            if got is not NotImplemented:  # it hands back a str subclass
                return got
        return self.python_entries(key)

    def compiled_offer(self, offer: tuple[str, bool, bool, bool, str]) -> tuple:
        """The patterns of :meth:`_offered` for ``offer`` (see :meth:`_offer`) as the compiled
        loop reads them, made once and kept in ``_compiled_offers``."""
        items = self._compiled_offers.get(offer)
        if items is None:
            items = self._compiled_offers[offer] = tuple(self._for_c[id(item)] for item in self._offered(*offer))
        return items

    def python_entries(self, key: str) -> list[Entry]:
        """:meth:`entries` in pure Python."""
        chars = set(key)
        return [
            e
            for rx, e, need, lit in self.offered(key)
            if (need is None or not need.isdisjoint(chars)) and holds_text(key, lit) and rx.search(key)
        ]

    def _offered(self, first: str, digit: bool, space: bool, long: bool, last: str) -> list:
        """The patterns offered to keys opening with ``first`` (or a digit, or white space),
        longer than :data:`FULL_LINE_MAX_CHARS` or not, and ending with ``last`` (a line break:
        ``$`` matches before it, so any pattern may end there; empty: a character no pattern
        ending in ``$`` can close with), in the order they are tried; keys share them by that
        description, so each list is built once."""

        def may_open(pattern: str) -> bool:
            chars = self._opening.get(pattern)
            return chars is None or first in chars or (digit and "\\d" in chars) or (space and "\\s" in chars)

        def may_close(pattern: str) -> bool:
            chars = self._closing.get(pattern)
            if chars is None or last == "\n" or last in chars:
                return True
            return ("\\d" in chars and last.isdigit()) or ("\\s" in chars and last.isspace())

        head = (first, digit, space, long)
        items = self._opened.get(head)
        if items is None:  # what the key's opening and length allow, shared by keys of any ending
            always = [item for item in self.always if may_open(item[0].pattern)]
            items = [*always, *self.by_first.get(first, ()), *(self.digit if digit else ()), *self.literal_first]
            items = self._opened[head] = [item for item in items if not long or item[0].pattern not in self.full_line]
        return [item for item in items if may_close(item[0].pattern)]


def needed_chars(items: list) -> frozenset[str] | None:
    """A small set of characters one of which every match of a parsed pattern contains
    (the rarest-looking such set), or ``None`` when none is known.

    >>> sorted(needed_chars(list(_sre_parser.parse(r"(?:^|\\W)(?:photo|image)\\s*:"))))
    [':']
    >>> needed_chars(list(_sre_parser.parse(r"\\w+")))
    """
    sets = _mandatory_sets(items)
    if not sets:
        return None
    best = min(sets, key=_rarity_cost)
    return best if _rarity_cost(best) <= MAX_NEED_COST else None


NEEDED_LITERAL_MIN = 4
"""A pattern whose every match holds a run of this many literal characters skips keys
without that run (a substring test, cheaper than the search)."""


def holds_text(key: str, needed: str | tuple[str, ...] | None) -> bool:
    """Whether ``key`` holds a pattern's needed text (one of them, for a tuple; ``None``: no
    text is needed).

    >>> holds_text("photo: ap", ("credit", "photo")), holds_text("a photo", "photos"), holds_text("x", None)
    (True, False, True)
    """
    if needed is None:
        return True
    if isinstance(needed, str):
        return needed in key
    return any(text in key for text in needed)


def _needed_text_of(items: list, anchored: bool) -> str | tuple[str, ...] | None:
    """What text a key must hold for a parsed pattern to match it: the run of literal text its
    every match holds (:func:`needed_literal`), else one of a few texts (:func:`needed_one_of`)
    where testing for them beats the search: in an unanchored pattern, or in an anchored one
    whose search scans before them (it does not open with fixed text) when each is at least
    :data:`NEEDED_LITERAL_MIN` long (an anchored search that fails on its first characters
    costs less than the tests)."""
    lit = needed_literal(items)
    if lit is not None:
        return lit
    texts = needed_one_of(items)
    if texts is None or not anchored:
        return texts
    scans = _fixed_texts(items[1:2], {""}) is None
    return texts if scans and min(len(t) for t in texts) >= NEEDED_LITERAL_MIN else None


def needed_literal(items: list) -> str | None:
    """The longest run of literal characters every match of a parsed pattern contains, when it
    is at least :data:`NEEDED_LITERAL_MIN` long (zero-width ``\\b`` or ``^`` do not break a run).

    >>> needed_literal(list(_sre_parser.parse(r"\\bpaid for by the advertiser\\b")))
    'paid for by the advertiser'
    >>> needed_literal(list(_sre_parser.parse(r"^this entry was (?:posted|written)\\b")))
    'this entry was '
    >>> needed_literal(list(_sre_parser.parse(r"^\\d+ min read$"))) is None
    False
    >>> needed_literal(list(_sre_parser.parse(r"^(?:ab|cd)+$"))) is None
    True
    """
    best, run = "", ""
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run += chr(av)
            best = max(best, run, key=len)
        elif name != "AT":
            run = ""
    return best if len(best) >= NEEDED_LITERAL_MIN else None


NEEDED_ONE_OF_MIN = 3
NEEDED_ONE_OF_MAX = 6
"""A pattern whose every match holds one of at most :data:`NEEDED_ONE_OF_MAX` literal texts,
each at least :data:`NEEDED_ONE_OF_MIN` long, skips keys holding none of them."""


def needed_one_of(items: list) -> tuple[str, ...] | None:
    """Literal texts one of which every match of a parsed pattern contains: the alternatives of
    a run of parts that each match one of a few fixed texts (a literal, a group of literal
    alternatives, a class of single characters), the run with the longest shortest text.

    >>> needed_one_of(list(_sre_parser.parse(r"(?:^|\\W)(?:photo|credit)\\s*:")))
    ('credit', 'photo')
    >>> needed_one_of(list(_sre_parser.parse(r"^\\w+ (?:is|has been) (?:a|the) ")))
    (' has been a ', ' has been the ', ' is a ', ' is the ')
    >>> needed_one_of(list(_sre_parser.parse(r"icp[备证]")))
    ('icp备', 'icp证')
    >>> needed_one_of(list(_sre_parser.parse(r"(?:ap|afp)\\b"))) is None  # "ap" is too short
    True
    """
    best: tuple[str, ...] | None = None
    for start in range(len(items)):
        texts: set[str] = {""}
        for end in range(start, len(items)):
            longer = _fixed_texts(items[end : end + 1], texts)
            if longer is None:
                break
            texts = longer
            shortest = min(len(t) for t in texts)
            if shortest >= NEEDED_ONE_OF_MIN and (best is None or shortest > min(len(t) for t in best)):
                best = tuple(sorted(texts))
    return best if best is not None and len(best) > 1 else None


def _fixed_texts(items: list, before: set[str]) -> set[str] | None:
    """Each of ``before`` followed by each text the parsed sequence can match, when that is a
    few fixed texts (``None`` otherwise: a repeat, a category, a flag, too many texts)."""
    out = before
    for op, av in items:
        name = str(op)
        if name == "AT":
            continue  # zero-width: the texts around it stay next to each other
        if name == "LITERAL":
            texts: set[str] | None = {chr(av)}
        elif name == "IN":
            texts = {chr(v) for o, v in av} if all(str(o) == "LITERAL" for o, _ in av) else None
        elif name == "SUBPATTERN":
            texts = None if av[1] or av[2] else _fixed_texts(list(av[3]), {""})
        elif name == "BRANCH":
            texts = set()
            for alt in av[1]:
                got = _fixed_texts(list(alt), {""})
                if got is None:
                    return None
                texts |= got
        else:
            return None
        if texts is None:
            return None
        out = {a + b for a in out for b in texts}
        if len(out) > NEEDED_ONE_OF_MAX:
            return None
    return out


MAX_NEED_COST = 40
"""Needed-character sets costlier than this (many letters or spaces) do not filter lines."""


def _rarity_cost(chars: Iterable[str]) -> int:
    """How often a line holds one of ``chars``, roughly: letters and spaces are common."""
    return sum(20 if c.isspace() else 8 if c.isalnum() else 1 for c in chars)


def _mandatory_sets(items: list) -> list[frozenset[str]]:
    """Character sets of the parts every match of this parsed sequence must contain."""
    out: list[frozenset[str]] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(frozenset(chr(av)))
        elif name == "IN":
            got = _in_chars(av)
            if got is not None and "\\d" not in got:
                out.append(frozenset(got))
        elif name == "SUBPATTERN" and not av[1] & re.IGNORECASE:
            out.extend(_mandatory_sets(list(av[-1])))
        elif name == "ATOMIC_GROUP":
            out.extend(_mandatory_sets(list(av)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            out.extend(_mandatory_sets(list(av[2])))
        elif name == "BRANCH":
            union: set[str] = set()
            for alt in av[1]:
                sets = _mandatory_sets(list(alt))
                if not sets:
                    break
                union |= min(sets, key=_rarity_cost)
            else:
                out.append(frozenset(union))
    return out


_ANY = None


def _first_chars(items: list) -> set[str] | None:
    """Characters a match of this parsed sequence can start with (``"\\d"`` for any digit),
    or ``None`` when it could start with anything."""
    for op, av in items:
        name = str(op)
        if name == "AT":
            continue
        if name == "LITERAL":
            return {chr(av)}
        if name == "IN":
            return _in_chars(av)
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            return _first_chars(list(av if name == "ATOMIC_GROUP" else av[-1]))
        if name == "BRANCH":
            out: set[str] = set()
            for alt in av[1]:
                got = _first_chars(list(alt))
                if got is None:
                    return _ANY
                out |= got
            return out
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, _, sub = av
            return _first_chars(list(sub)) if lo >= 1 else _ANY
        return _ANY
    return _ANY


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _opening_chars(items: list) -> frozenset[str] | None:
    """Characters a non-empty match of this parsed sequence can open with (``"\\d"`` for any
    digit, ``"\\s"`` for any white space), looking past optional parts; ``None`` when it
    could open with anything or can match the empty string.

    >>> sorted(_opening_chars(list(_sre_parser.parse(r"(?:page\\s+)?\\d+ of"))))
    ['\\\\d', 'p']
    >>> _opening_chars(list(_sre_parser.parse(r"(?:a)?b?")))
    """
    chars, empty = _ends(items, last=False)
    return None if chars is None or empty else frozenset(chars)


def _closing_chars(items: list) -> frozenset[str] | None:
    """Characters a non-empty match of this parsed sequence can close with, looking back past
    optional parts (as :func:`_opening_chars` from the other end).

    >>> sorted(_closing_chars(list(_sre_parser.parse(r"(?:afp|ap)(?:\\s*photo)?\\s*[)\\]]?$"))))
    [')', '\\\\s', ']', 'o', 'p']
    >>> _closing_chars(list(_sre_parser.parse(r"a\\w*$")))
    """
    chars, empty = _ends(items, last=True)
    return None if chars is None or empty else frozenset(chars)


def _ends(items: list, *, last: bool) -> tuple[set[str] | None, bool]:
    """``(chars, empty)``: what a match of the sequence can open with, or close with when
    ``last`` (``None``: anything), and whether it can match the empty string. Zero-width parts
    (anchors, lookarounds) are passed over, which only widens the answer."""
    out: set[str] = set()
    for op, av in reversed(items) if last else items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name == "LITERAL":
            return out | {chr(av)}, False
        if name == "IN":
            got = _in_chars(av, spaces=True)
            return (None if got is None else out | got), False
        if name == "SUBPATTERN" and av[1] & re.IGNORECASE:
            return None, False
        if name in ("SUBPATTERN", "ATOMIC_GROUP", "BRANCH", *_REPEATS):
            if name == "BRANCH":
                alts = [_ends(list(alt), last=last) for alt in av[1]]
            elif name in _REPEATS:
                sub, empty = _ends(list(av[2]), last=last)
                alts = [(sub, empty or av[0] == 0)]
            else:
                alts = [_ends(list(av if name == "ATOMIC_GROUP" else av[-1]), last=last)]
            for chars, _ in alts:
                if chars is None:
                    return None, False
                out |= chars
            if not any(empty for _, empty in alts):
                return out, False
            continue
        return None, False
    return out, True


def _in_chars(av: list, *, spaces: bool = False) -> set[str] | None:
    out: set[str] = set()
    for op, v in av:
        name = str(op)
        if name == "LITERAL":
            out.add(chr(v))
        elif name == "RANGE" and v[1] - v[0] <= 400:
            out.update(chr(c) for c in range(v[0], v[1] + 1))
        elif name == "CATEGORY" and str(v) == "CATEGORY_DIGIT":
            out.add("\\d")
        elif name == "CATEGORY" and str(v) == "CATEGORY_SPACE" and spaces:
            out.add("\\s")
        else:
            return _ANY
    return out


def _needed_text(need: frozenset[str] | None) -> str | None:
    """Needed characters as the compiled regex loop reads them: a str of them (a key holds one
    of them when it holds a character of the str), or ``None``."""
    if need is None:
        return None
    return "".join(sorted(c for c in need if isinstance(c, str) and len(c) == 1))  # a key's characters are 1 long


def _hit(e: Entry) -> Hit:
    pattern = e.phrase if len(e.phrase) <= 40 else e.phrase[:39] + "…"
    shown = {"exact": e.phrase, "prefix": e.phrase + "…", "contains": "…" + e.phrase + "…", "regex": f"/{pattern}/"}[e.form]
    return Hit(e.kind, e.weight, f'{e.label} ({e.kind} lexicon: "{shown}")' if e.label != f"{e.kind} lexicon" else f'{e.kind} lexicon: "{shown}"', e.form)


def _read_data(name: str) -> str | None:
    path = resources.files("boilerstrip").joinpath("data", *name.split("/"))
    return path.read_text(encoding="utf-8") if path.is_file() else None


@lru_cache(maxsize=1)
def builtin_entries() -> tuple[Entry, ...]:
    """Entries of every shipped lexicon file, all languages."""
    out: list[Entry] = []
    for lang in LANGUAGES:
        for kind in NOISE_KINDS:
            text = _read_data(f"{lang}/{kind}.txt")
            if text is not None:
                out.extend(parse_entries(kind, text.splitlines()))
    if not out:
        raise RuntimeError("boilerstrip's lexicon files are missing from the installation")
    return tuple(out)


@lru_cache(maxsize=16)
def load_lexicon(extra: tuple[tuple[str, str], ...] = ()) -> Lexicon:
    """The built-in lexicons plus user ``(kind, entry)`` pairs, compiled once per set of extras."""
    entries = list(builtin_entries())
    for kind, text in extra:
        entries.extend(parse_entries(kind, [text], strict=True))
    return Lexicon(entries)


@lru_cache(maxsize=16)
def stopwords(lang: str) -> frozenset[str]:
    """The stopword list of ``lang`` (empty for an unknown language)."""
    text = _read_data(f"{lang}/stopwords.txt")
    if text is None:
        return frozenset()
    words = frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))
    if not words:
        raise RuntimeError(f"stopword list for {lang} is empty")
    return words


@lru_cache(maxsize=1)
def all_stopwords() -> frozenset[str]:
    """The union of every shipped stopword list."""
    return frozenset().union(*(stopwords(lang) for lang in LANGUAGES))


_C = extension("_cstages", "regex_hits", "prefix_hits", "contains_hits", "exact_key", "lexicon_match")
COMPILED = _C is not None
"""Whether :meth:`Lexicon._match`, :meth:`Lexicon.prefix_entries`, :meth:`Lexicon.contains_entries`
and :meth:`_RegexDispatch.entries` run the compiled ``boilerstrip._cstages``."""
