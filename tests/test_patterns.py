"""No regular expression in boilerstrip can backtrack catastrophically (issue 5).

Two independent checks on every compiled pattern (each lexicon regex, the lexicon's phrase
alternation, and every module-level ``re.Pattern`` in the package):

- structural: parse the pattern (``re._parser``) and reject nested quantifiers (``(a+)+``,
  exponential) and two unbounded quantifiers that can share the same non-space characters with
  nothing mandatory in between (``[:.]*x?[:.]*$``, polynomial);
- measured: in a subprocess with a hard time-out, search each pattern on adversarial strings
  ("pumped" examples of the pattern's own repeats followed by a character that makes it fail, and
  generic ones such as ``'a'*N``, ``'- '*N``, ``'('*N``) and bound the time, generously.

Run ``python tests/test_patterns.py`` to print every pattern's worst time.
"""

from __future__ import annotations

import json
import os
import pkgutil
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

import pytest

try:  # Python >= 3.11
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

MAXREPEAT = sre_parse.MAXREPEAT
UNBOUNDED = 64
"""A repeat allowing more than this many iterations counts as unbounded."""

PROBES = (
    "".join(chr(i) for i in range(32, 127))
    + "\t\n\x00\x0b\xa0\u3000\u200béèßüñçøйжاשא漢字ひカ한…»«›‹–—•·©®™★☆€£¥°±×÷¼１٣\U0001f600"
)
"""Characters used to compare character classes."""

GENERIC = ("a", "- ", "(", "1", ":", ".", "|", "x|", "© ", "★", "漢", "> ", "a ", "1,", "[1]", "://", "@a", "<")
"""Units repeated into generic adversarial strings."""

KEY_CHARS = 320
"""Length of adversarial strings: lexicon keys are cut to ``lexicon.MATCH_CHARS`` (checked below)."""

LIMIT_SECONDS = 0.005
"""Worst search time allowed per string of KEY_CHARS characters (linear patterns take ~10 µs)."""

GROWTH_LIMIT = 24.0
"""Module-level patterns may run on whole lines: 8x the input may cost at most this much more
(linear ~8, quadratic ~64)."""


# --------------------------------------------------------------------------- pattern inventory


def lexicon_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern held by the loaded lexicon (its regexes and phrase alternation),
    found by walking the object, so the check follows however the lexicon stores them."""
    from boilerstrip.lexicon import load_lexicon

    found: dict[int, re.Pattern[str]] = {}
    seen: set[int] = set()

    def walk(obj: object, depth: int) -> None:
        if id(obj) in seen or depth > 6:
            return
        seen.add(id(obj))
        if isinstance(obj, re.Pattern):
            found.setdefault(id(obj), obj)
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v, depth + 1)
        elif isinstance(obj, list | tuple | set | frozenset):
            for v in obj:
                walk(v, depth + 1)
        elif hasattr(obj, "__dict__") or hasattr(obj, "__slots__"):
            names = list(getattr(obj, "__dict__", {})) + list(getattr(obj, "__slots__", ()))
            for name in names:
                walk(getattr(obj, name, None), depth + 1)

    walk(load_lexicon(), 0)
    pats = sorted(found.values(), key=lambda rx: rx.pattern)
    return [(f"lexicon /{rx.pattern[:120]}/", rx) for rx in pats if isinstance(rx.pattern, str)]


def module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every ``re.Pattern`` bound at module level (directly or in a tuple/list/dict) in boilerstrip."""
    import boilerstrip

    out: list[tuple[str, re.Pattern[str]]] = []
    for info in pkgutil.walk_packages(boilerstrip.__path__, "boilerstrip."):
        mod = import_module(info.name)
        for name, value in vars(mod).items():
            values = value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else [value]
            for i, v in enumerate(values):
                if isinstance(v, re.Pattern) and isinstance(v.pattern, str):
                    out.append((f"{info.name}.{name}" + (f"[{i}]" if v is not value else ""), v))
    return out


# --------------------------------------------------------------------------- structural analysis

_CATEGORY_RX = {
    "CATEGORY_DIGIT": re.compile(r"\d"),
    "CATEGORY_NOT_DIGIT": re.compile(r"\D"),
    "CATEGORY_SPACE": re.compile(r"\s"),
    "CATEGORY_NOT_SPACE": re.compile(r"\S"),
    "CATEGORY_WORD": re.compile(r"\w"),
    "CATEGORY_NOT_WORD": re.compile(r"\W"),
}
_SPACE = frozenset(c for c in PROBES if c.isspace())


def _in_class(items: list, c: str, icase: bool) -> bool:
    negate = False
    hit = False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            hit |= _lit(av, c, icase)
        elif name == "RANGE":
            lo, hi = av
            hit |= lo <= ord(c) <= hi or (icase and (lo <= ord(c.lower()) <= hi or lo <= ord(c.upper()[0]) <= hi))
        elif name == "CATEGORY":
            hit |= bool(_CATEGORY_RX[str(av)].match(c))
    return hit != negate


def _lit(v: int, c: str, icase: bool) -> bool:
    return chr(v) == c or (icase and chr(v).lower() == c.lower())


class _Analysis:
    """Walks one parsed pattern; ``problems`` lists what makes it able to backtrack badly."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        parsed = sre_parse.parse(pattern, flags)
        self.icase = bool(parsed.state.flags & re.IGNORECASE)
        self.dotall = bool(parsed.state.flags & re.DOTALL)
        lits = {chr(av) for op, av in _iter_items(list(parsed)) if str(op) in ("LITERAL", "NOT_LITERAL")}
        self.probes = "".join(sorted(set(PROBES) | lits))
        self.items = list(parsed)
        self._chars: dict[tuple[str, object], frozenset[str]] = {}
        self.problems: list[str] = []
        self.seq(self.items)

    # character sets ------------------------------------------------------------------------
    def chars(self, items: list) -> frozenset[str]:
        """Every character some match of ``items`` can consume (over-approximated)."""
        out: set[str] = set()
        for item in items:
            op, av = item  # av objects live in self.items, so their ids are stable
            key = (str(op), av if av is None or isinstance(av, int) else id(av))
            if key not in self._chars:
                self._chars[key] = self._item_chars(item)
            out |= self._chars[key]
        return frozenset(out)

    def _item_chars(self, item: tuple) -> frozenset[str]:
        out: set[str] = set()
        for op, av in [item]:
            name = str(op)
            if name == "LITERAL":
                out |= {c for c in self.probes if _lit(av, c, self.icase)}
            elif name == "NOT_LITERAL":
                out |= {c for c in self.probes if not _lit(av, c, self.icase)}
            elif name == "ANY":
                out |= {c for c in self.probes if self.dotall or c != "\n"}
            elif name == "IN":
                out |= {c for c in self.probes if _in_class(av, c, self.icase)}
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                out |= self.chars(list(av[2]))
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                out |= self.chars(list(av if name == "ATOMIC_GROUP" else av[-1]))
            elif name == "BRANCH":
                for alt in av[1]:
                    out |= self.chars(list(alt))
            elif name in ("GROUPREF", "GROUPREF_EXISTS"):
                out |= set(self.probes)
        return frozenset(out)

    def nullable(self, items: list) -> bool:
        """True when ``items`` can match the empty string."""
        for op, av in items:
            name = str(op)
            if name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                if av[0] == 0 or self.nullable(list(av[2])):
                    continue
                return False
            if name in ("SUBPATTERN", "ATOMIC_GROUP"):
                if self.nullable(list(av if name == "ATOMIC_GROUP" else av[-1])):
                    continue
                return False
            if name == "BRANCH":
                if any(self.nullable(list(alt)) for alt in av[1]):
                    continue
                return False
            return False
        return True

    def first(self, items: list, from_end: bool = False) -> frozenset[str]:
        """Characters a match of ``items`` can start (or, ``from_end``, end) with."""
        out: set[str] = set()
        for op, av in reversed(items) if from_end else items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                out |= self.first(list(av[2]), from_end)
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                out |= self.first(list(av[-1] if name == "SUBPATTERN" else av), from_end)
            elif name == "BRANCH":
                for alt in av[1]:
                    out |= self.first(list(alt), from_end)
            elif name not in ("AT", "ASSERT", "ASSERT_NOT"):
                out |= self.chars([(op, av)])
            if not self.nullable([(op, av)]):
                break
        return frozenset(out)

    def edge_repeats(self, items: list, from_end: bool) -> list[tuple]:
        """Variable-length repeats that can consume the first (or last) characters of ``items``."""
        out: list[tuple] = []
        for op, av in reversed(items) if from_end else items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT"):
                if av[0] != av[1]:
                    out.append((op, av))
                out += self.edge_repeats(list(av[2]), from_end)
            elif name == "SUBPATTERN":
                out += self.edge_repeats(list(av[-1]), from_end)
            elif name == "BRANCH":
                for alt in av[1]:
                    out += self.edge_repeats(list(alt), from_end)
            if not self.nullable([(op, av)]):
                break
        return out

    # checks ------------------------------------------------------------------------------
    def seq(self, items: list) -> None:
        self.adjacent(items)
        for op, av in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT") and av[1] > 1:
                self.ambiguous_iterations(list(av[2]))
                self.seq(list(av[2]))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                self.seq(list(av[2]))  # a possessive repeat cannot be backtracked into
            elif name == "ATOMIC_GROUP":
                self.seq(list(av))
            elif name == "SUBPATTERN":
                self.seq(list(av[-1]))
            elif name == "BRANCH":
                for alt in av[1]:
                    self.seq(list(alt))
            elif name in ("ASSERT", "ASSERT_NOT"):
                self.seq(list(av[1]))

    def ambiguous_iterations(self, body: list) -> None:
        """Flag a repeated ``body`` whose iterations can split one string in many ways: that is
        exponential backtracking (``(a+)+``, ``(a|aa)*``, ``(a?){20}``, ``(<!--.*?-->)*``).

        When ``body`` matches a small finite set of words, the Sardinas–Patterson test decides it
        exactly; otherwise: an inner repeat that can eat the start of the next iteration (or the
        end of the previous one), an inner repeat that can eat whole iterations, or alternatives
        that can start alike. White space is exempt: keys fold white space runs to one space.
        """
        words = self.words(body)
        if words is not None:
            if not _uniquely_decodable(sorted(words)):
                self.problems.append(f"ambiguous repeat of {sorted(words)[:4]}...: {self.pattern}")
            return
        head, tail = self.first(body), self.first(body, from_end=True)
        for from_end, edge in ((True, head), (False, tail)):
            for rep in self.edge_repeats(body, from_end):
                if (self.chars([rep]) & edge) - _SPACE:
                    self.problems.append(f"nested quantifier: {self.pattern}")
                    return
        for seq in self.sequences(body):
            for k, (op, av) in enumerate(seq):
                if str(op) not in ("MAX_REPEAT", "MIN_REPEAT") or av[1] <= UNBOUNDED:
                    continue
                if any(str(o) in ("ASSERT", "ASSERT_NOT") for o, _ in _iter_items(list(av[2]))):
                    continue  # a lookaround stops it (``(?:[^-]|-(?!->))*``): left to the timing check
                eats = self.chars([(op, av)])
                others = seq[:k] + seq[k + 1 :]
                if all(self.nullable([m]) or self.chars([m]) & eats for m in others):
                    self.problems.append(f"inner repeat can eat whole iterations: {self.pattern}")
                    return
        for alts in self.branches(body):
            finite = [self.words(alt) for alt in alts]
            for i in range(len(alts)):
                for j in range(i + 1, len(alts)):
                    if finite[i] is not None and finite[j] is not None:
                        clash = bool(finite[i] & finite[j])
                    else:
                        a, b = _literal_prefix(alts[i]), _literal_prefix(alts[j])
                        differ = bool(a and b and not (a.startswith(b) or b.startswith(a)))  # <!-- vs <?xml
                        clash = not differ and bool((self.first(alts[i]) & self.first(alts[j])) - _SPACE)
                    if clash:
                        self.problems.append(f"overlapping alternatives under a quantifier: {self.pattern}")
                        return

    def words(self, items: list, limit: int = 4096) -> frozenset[str] | None:
        """Every string ``items`` match, when that is a set of at most ``limit``; else None.

        A white-space repeat counts as ``""`` or ``" "`` (keys fold white space runs)."""
        out = {""}
        for op, av in items:
            name = str(op)
            opts: set[str] | None
            if name == "LITERAL":
                opts = {chr(av)}
            elif name == "IN" or (name == "MAX_REPEAT" and self.chars(list(av[2])) <= _SPACE):
                cs = self.chars([(op, av)])
                if name != "IN":
                    opts = {"", " "} if av[0] == 0 else {" "}
                else:
                    opts = {" "} if cs <= _SPACE else (set(cs) if len(cs) <= 16 else None)
            elif name in ("MAX_REPEAT", "MIN_REPEAT") and av[1] <= 4:
                sub = self.words(list(av[2]), limit)
                opts = None
                if sub is not None:
                    opts, power = set(), {""}
                    for k in range(av[1] + 1):
                        if k >= av[0]:
                            opts |= power
                        power = {x + y for x in power for y in sub}
                        if len(power) > limit:
                            opts = None
                            break
            elif name == "SUBPATTERN":
                sub = self.words(list(av[-1]), limit)
                opts = set(sub) if sub is not None else None
            elif name == "BRANCH":
                alts = [self.words(list(alt), limit) for alt in av[1]]
                opts = None if any(x is None for x in alts) else set().union(*alts)  # type: ignore[arg-type]
            elif name in ("AT", "ASSERT", "ASSERT_NOT"):
                opts = {""}
            else:
                opts = None
            if opts is None:
                return None
            out = {x + y for x in out for y in opts}
            if len(out) > limit:
                return None
        return frozenset(out)

    def sequences(self, items: list) -> Iterator[list]:
        """``items`` and every sequence inside its groups and alternatives (not inside repeats)."""
        yield items
        for op, av in items:
            if str(op) == "SUBPATTERN":
                yield from self.sequences(list(av[-1]))
            elif str(op) == "BRANCH":
                for alt in av[1]:
                    yield from self.sequences(list(alt))

    def branches(self, items: list) -> Iterator[list]:
        """The alternative lists of every BRANCH in ``items``, not looking inside inner repeats."""
        for op, av in items:
            name = str(op)
            if name == "BRANCH":
                yield [list(alt) for alt in av[1]]
                for alt in av[1]:
                    yield from self.branches(list(alt))
            elif name == "SUBPATTERN":
                yield from self.branches(list(av[-1]))

    def adjacent(self, items: list) -> None:
        """Two unbounded repeats sharing non-space characters, with only optional or shared items
        between them, split a run of those characters in O(n) ways: polynomial backtracking.
        (Space is exempt: lexicon keys fold white space runs to one space.)"""
        reps = [
            i
            for i, (op, av) in enumerate(items)
            if str(op) in ("MAX_REPEAT", "MIN_REPEAT") and (av[1] == MAXREPEAT or av[1] > UNBOUNDED)
        ]
        for a_pos, i in enumerate(reps):
            ci = self.chars([items[i]])
            for j in reps[a_pos + 1 :]:
                overlap = (ci & self.chars([items[j]])) - _SPACE
                if not overlap:
                    continue
                between = items[i + 1 : j]
                if all(self.nullable([m]) or self.chars([m]) & overlap for m in between):
                    shown = "".join(sorted(overlap))[:12]
                    self.problems.append(f"adjacent quantifiers share {shown!r}: {self.pattern}")
                    return


def _literal(items: list) -> str | None:
    """The string ``items`` match when they are plain literals, else None."""
    if all(str(op) == "LITERAL" for op, _ in items):
        return "".join(chr(av) for _, av in items)
    return None


def _literal_prefix(items: list) -> str:
    """The literal characters ``items`` start with."""
    out = []
    for op, av in items:
        if str(op) != "LITERAL":
            break
        out.append(chr(av))
    return "".join(out)


def _uniquely_decodable(words: list[str]) -> bool:
    """Sardinas–Patterson: can a concatenation of ``words`` be split in only one way?

    >>> _uniquely_decodable(["facebook", "x", "email", "e-mail"]), _uniquely_decodable(["a", "aa"])
    (True, False)
    """
    code = set(words)
    if "" in code:
        return False

    def dangling(a_set: set[str], b_set: set[str]) -> set[str]:
        return {b[len(a) :] for a in a_set for b in b_set if len(b) > len(a) and b.startswith(a)}

    suffixes = dangling(code, code)
    seen: set[frozenset[str]] = set()
    while suffixes:
        if suffixes & code:
            return False
        key = frozenset(suffixes)
        if key in seen:
            return True
        seen.add(key)
        suffixes = dangling(code, suffixes) | dangling(suffixes, code)
    return True


def _iter_items(items: list) -> Iterator[tuple[Any, Any]]:
    for op, av in items:
        yield op, av
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            yield from _iter_items(list(av[2]))
        elif name == "SUBPATTERN":
            yield from _iter_items(list(av[-1]))
        elif name == "ATOMIC_GROUP":
            yield from _iter_items(list(av))
        elif name == "BRANCH":
            for alt in av[1]:
                yield from _iter_items(list(alt))
        elif name in ("ASSERT", "ASSERT_NOT"):
            yield from _iter_items(list(av[1]))


def problems(pattern: str, flags: int = 0) -> list[str]:
    """What could make ``pattern`` backtrack catastrophically; empty when it is safe.

    >>> problems(r"^\\d+ comments?$")
    []
    >>> problems(r"(a+)+$")
    ['nested quantifier: (a+)+$']
    >>> problems(r"[:.]*(?:\\(\\d+\\))?[:.]*$")
    ["adjacent quantifiers share '.:': [:.]*(?:\\\\(\\\\d+\\\\))?[:.]*$"]
    >>> problems(r"\\s*:?\\s*x"), problems(r"\\w+\\s+\\w+")
    ([], [])
    >>> problems(r"(?:<!--.*?-->|\\s)*x")
    ['inner repeat can eat whole iterations: (?:<!--.*?-->|\\\\s)*x']
    >>> problems(r"(?:<!--(?:[^-]|-(?!->))*-->|\\s)*x")
    []
    """
    return _Analysis(pattern, flags).problems


# --------------------------------------------------------------------------- adversarial strings


def _member(chars: frozenset[str]) -> str:
    for c in "a1x.:-( |漢":
        if c in chars:
            return c
    return min(chars) if chars else ""


def _example(an: _Analysis, items: list, pump: int, target: int, counter: list[int], alt: int) -> str:
    """A string ``items`` would (roughly) match, with repeat number ``target`` run ``pump`` times."""
    out: list[str] = []
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            out.append(_member(an.chars([(op, av)]) - _SPACE) or " ")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            counter[0] += 1
            n = min(max(lo, pump), hi) if counter[0] == target else max(lo, min(1, hi))
            out.extend(_example(an, list(sub), pump, target, counter, alt) for _ in range(n))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            out.append(_example(an, list(av[-1] if name == "SUBPATTERN" else av), pump, target, counter, alt))
        elif name == "BRANCH":
            alts = av[1]
            out.append(_example(an, list(alts[alt % len(alts)]), pump, target, counter, alt))
    return "".join(out)


def adversarial_strings(pattern: str, length: int = KEY_CHARS) -> list[str]:
    """Strings of about ``length`` characters built to make ``pattern`` work hard and fail."""
    an = _Analysis(pattern)
    items = an.items
    n_repeats = sum(1 for op, _ in _iter_items(items) if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"))
    out: set[str] = set()
    for unit in GENERIC:
        out.add((unit * length)[:length])
        out.add((unit * length)[: length - 1] + "\x00")
    for alt in range(2):
        whole = _example(an, items, 1, 0, [0], alt)
        if whole:
            out.add((whole * length)[:length])
        for cut in range(1, min(len(whole), 10)):  # many starts that each scan far: '<script' * N
            out.add((whole[:cut] * length)[:length])
        for target in range(1, n_repeats + 1):
            pumped = _example(an, items, length, target, [0], alt)
            for s in (pumped, pumped[:-1]):
                if s:
                    out.add(s[: length - 1] + "\x00")
                    out.add("\x00" + s[: length - 1])
                    out.add(s[:length])
    # words of the pattern's alternatives, glued to word characters, can make inner repeats and
    # alternatives compete for the same text: 'by ' + 'aand' * 80 + '!' against /^by ...(and|,)...$/
    base = _example(an, items, 1, 0, [0], 0)
    words = {w for op, av in _iter_items(items) if str(op) == "BRANCH" for alt in av[1] if (w := _literal(list(alt)))}
    for w in sorted(words)[:24]:
        for glue in ("a", " "):
            for cut in (0, 3, 6):
                s = base[:cut] + (glue + w) * length
                out.add(s[: length - 1] + "\x00")
    return sorted(out)


def worst_time(rx: re.Pattern[str], strings: list[str]) -> tuple[float, str]:
    """The slowest ``rx.search`` over ``strings`` (best of three when slow), and that string.

    Each search is interrupted after 20 x LIMIT_SECONDS (``re`` checks signals while matching),
    so one catastrophic pattern cannot hide the others; it then counts as infinitely slow.
    """
    worst, which = 0.0, ""
    cap = 20 * LIMIT_SECONDS
    for s in strings:
        best = float("inf")
        for _ in range(3):
            signal.setitimer(signal.ITIMER_REAL, cap)
            t = time.perf_counter()
            try:
                rx.search(s)
            except _Interrupted:
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            best = min(best, time.perf_counter() - t)
            if best < LIMIT_SECONDS / 10:
                break
        if best > worst:
            worst, which = best, s
        if worst == float("inf"):
            break  # failed already; the others would only add time-outs
    return worst, which


class _Interrupted(Exception):
    pass


def _interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def _worker(kind: str) -> None:
    """Time every pattern of ``kind``; one JSON line per pattern, flushed before the next starts."""
    signal.signal(signal.SIGALRM, _interrupt)
    pats = lexicon_patterns() if kind == "lexicon" else module_patterns()
    for name, rx in pats:
        print(json.dumps({"start": name}), flush=True)
        strings = adversarial_strings(rx.pattern)
        if kind == "lexicon":  # what a lexicon regex really sees: the line's key
            from boilerstrip.lexicon import line_key

            strings = sorted({line_key(x) for x in strings})
        t_small, s_small = worst_time(rx, strings)
        row: dict[str, Any] = {"name": name, "pattern": rx.pattern, "seconds": t_small, "string": s_small[:60]}
        if kind == "module":
            big = adversarial_strings(rx.pattern, 8 * KEY_CHARS)
            t_big, s_big = worst_time(rx, big)
            row.update(seconds_8x=t_big, string_8x=s_big[:60])
        print(json.dumps(row), flush=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds != float("inf") else f"over {20 * LIMIT_SECONDS * 1e3:.0f} ms (interrupted)"


def _run_worker(kind: str, timeout: float) -> list[dict[str, Any]]:
    cmd = [sys.executable, __file__, kind]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH", "")]))}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout if isinstance(exc.stdout, str) else (exc.stdout or b"").decode()
        last = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
        hung = last[-1].get("start") if last else "?"
        pytest.fail(f"pattern timing did not finish in {timeout:.0f}s; stuck on {hung}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [r for r in (json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")) if "name" in r]


# --------------------------------------------------------------------------- tests


def test_there_are_patterns_to_check() -> None:
    assert len(lexicon_patterns()) >= 10
    assert module_patterns()


@pytest.mark.parametrize("source", [lexicon_patterns, module_patterns], ids=["lexicon", "module"])
def test_no_pattern_can_backtrack_catastrophically(source: Callable[[], list[tuple[str, re.Pattern[str]]]]) -> None:
    bad = [p for _, rx in source() for p in problems(rx.pattern, rx.flags & ~re.UNICODE)]
    assert not bad, "\n".join(bad)


def test_lexicon_matching_reads_a_bounded_prefix() -> None:
    """Matching cost per line does not grow with the line: the key is cut to MATCH_CHARS."""
    from boilerstrip.lexicon import MATCH_CHARS, line_key

    assert MATCH_CHARS <= KEY_CHARS
    for unit in GENERIC:
        assert len(line_key(unit * 100_000)) <= MATCH_CHARS


@pytest.mark.parametrize(
    "evil", [r"(a+)+$", r"(a*)*b", r"(?:\w+\s?)+$", r"(x+x+)+y", r"((ab)*)+c"], ids=lambda s: s
)
def test_user_regexes_with_nested_quantifiers_are_refused(evil: str) -> None:
    """``extra_phrases`` regexes go through the same check as the shipped lexicons."""
    from boilerstrip import Config, explain

    with pytest.raises(ValueError, match="quantifier"):
        explain("a" * 100 + "\n", config=Config(extra_phrases={"nav": [f"/{evil}/"]}))


def test_lexicon_patterns_finish_fast_on_adversarial_strings() -> None:
    rows = _run_worker("lexicon", timeout=120)
    slow = [f"{_ms(r['seconds'])}  {r['name']}  on {r['string']!r}" for r in rows if r["seconds"] > LIMIT_SECONDS]
    assert len(rows) == len(lexicon_patterns())
    assert not slow, "\n".join(slow)


def test_module_patterns_scale_linearly_on_adversarial_strings() -> None:
    rows = _run_worker("module", timeout=120)
    bad = [
        f"{r['name']}: {_ms(r['seconds'])} -> {_ms(r['seconds_8x'])} at 8x on {r['string_8x']!r}"
        for r in rows
        if r["seconds"] > LIMIT_SECONDS or r["seconds_8x"] > GROWTH_LIMIT * r["seconds"] + 0.001
    ]
    assert len(rows) == len(module_patterns())
    assert not bad, "\n".join(bad)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("lexicon", "module"):
        _worker(sys.argv[1])
    else:
        for kind in ("lexicon", "module"):
            print(f"== {kind}")
            for r in _run_worker(kind, timeout=600):
                extra = f"  8x: {r['seconds_8x'] * 1e3:8.3f} ms" if "seconds_8x" in r else ""
                print(f"{r['seconds'] * 1e3:8.3f} ms{extra}  {r['name']}")
