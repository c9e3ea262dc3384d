"""The compiled loop of ``decide.line_templates`` (``_cstages.line_templates``) gives what
``decide.python_line_templates`` gives: equal templates (the very same objects where Python
returns shared ones: the blank and plain templates and those of the shape bits), and the same
document memo and lexicon memo, in the same order. Skipped when the extension is not built; the
pure path then runs alone."""

from __future__ import annotations

import copy
import math
from dataclasses import replace
from pathlib import Path

import pytest
from hostile_inputs import BODY_LINES, NOISE_LINES, ODD_CHARS, documents
from hostile_inputs import DictSubclass as _Dict
from hostile_inputs import StrSubclass as _Str
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boilerstrip import decide, lexicon
from boilerstrip.decide import _BLANK, _PLAIN, line_templates, python_line_templates
from boilerstrip.features import LineFeatures, features_of_lines
from boilerstrip.lexicon import Lexicon, all_stopwords, load_lexicon
from boilerstrip.model import shipped_word_scores
from boilerstrip.rules import score_line, shape
from boilerstrip.segment import Line, split_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THRESHOLDS = (0.3, 0.5, 0.95)

pytestmark = pytest.mark.skipif(
    not decide.COMPILED,
    reason="boilerstrip._cstages is not built (installed without a C compiler): only the pure path of "
    "decide.line_templates runs",
)


def _feats(texts: list[str]) -> list[LineFeatures]:
    return features_of_lines(texts, all_stopwords(), shipped_word_scores())


def _lexicon(memo: dict | None = None) -> Lexicon:
    """The shipped lexicon with a memo of its own (a shallow copy: the entries are shared)."""
    lex = copy.copy(load_lexicon())
    lex._memo = dict(memo or {})
    return lex


class _HandedBack(AssertionError):
    pass


def _compiled(feats, texts, lex, threshold, made) -> list:
    """decide.line_templates, failing if the compiled loop hands the call back."""

    def refuse(*args):
        raise _HandedBack("the compiled loop handed the call back")

    pure, decide.python_line_templates = decide.python_line_templates, refuse
    try:
        return line_templates(feats, texts, lex, threshold, made)
    finally:
        decide.python_line_templates = pure


def _same(texts, feats=None, *, threshold=0.5, made=None, lex_memo=None) -> list:
    """Both paths on the same lines from the same memos: the same templates and memos."""
    feats = _feats(texts) if feats is None else feats
    lex_c, lex_p = _lexicon(lex_memo), _lexicon(lex_memo)
    made_c, made_p = dict(made or {}), dict(made or {})
    got = _compiled(feats, texts, lex_c, threshold, made_c)
    want = python_line_templates(feats, texts, lex_p, threshold, made_p)
    assert type(got) is list and len(got) == len(want) == min(len(feats), len(texts))
    assert got == want
    shared = {id(_BLANK), id(_PLAIN), *(id(t) for t in decide._shape_table(threshold))}
    for text, g, w in zip(texts, got, want):
        if id(w) in shared:
            assert g is w, text
        assert g is made_c[text], text  # what the memo holds, for every line of that text
    assert list(made_c.items()) == list(made_p.items())
    assert list(lex_c._memo.items()) == list(lex_p._memo.items())
    return got


def _lines(path: Path) -> list[str]:
    return [line.text for line in split_lines(path.read_text(encoding="utf-8"))]


# ---- equal results -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.txt")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_documents(path: Path) -> None:
    texts = _lines(path)
    feats = _feats(texts)
    for threshold in THRESHOLDS:
        _same(texts, feats, threshold=threshold)


def test_every_fixture_line_at_once_and_again_from_the_memos() -> None:
    """All the fixtures' lines in one call (many repeated), then again with both memos filled."""
    texts = [t for p in sorted(FIXTURES.rglob("*.txt")) for t in _lines(p)]
    feats = _feats(texts)
    lex = _lexicon()
    made: dict = {}
    python_line_templates(feats, texts, lex, 0.5, made)
    _same(texts, feats, made=made, lex_memo=lex._memo)  # every line a memo hit
    _same(texts, feats, lex_memo=lex._memo)  # every key a lexicon memo hit
    assert len(set(texts)) < len(texts)


HOSTILE = [
    "",
    " ",
    "\t \u3000\xa0",
    "\x00",
    "\ud800",
    "lone \ud800 surrogate",
    "北京是中国的首都。",
    *NOISE_LINES,
    *BODY_LINES,
    *ODD_CHARS,
    "".join(ODD_CHARS),
    " ".join(ODD_CHARS),
    *(c + "By Jane Doe" for c in ODD_CHARS),
]


def test_hostile_lines() -> None:
    for threshold in THRESHOLDS:
        _same(HOSTILE, threshold=threshold)
        _same(HOSTILE * 2, threshold=threshold)


SPACED_BYLINES = [
    "\u2003By Jane Doe",  # em space
    "\x85By X Y",  # next line (a line break to splitlines, white space to lstrip)
    "\x1c\x1d\x1e\x1fBy Jane Doe",  # the separators: white space to lstrip
    "\u3000\u2028\u2029\xa0\u1680\u205fBy Jane Doe",
]
BYLINES = [
    *(f"{w.capitalize()} Jane Doe" for w in shape.BYLINE_WORDS),
    *(f" \t{w.upper()}, Jane Doe and John Roe" for w in shape.BYLINE_WORDS),
    *(f"{w} Jane Doe" for w in shape.BYLINE_WORDS),  # lower case: no byline
    *SPACED_BYLINES,
    "\u200bBy Jane Doe",  # zero width space: not white space, so no byline
    "\ufeffBy Jane Doe",  # nor a BOM
    "\u180eBy Jane Doe",  # nor the Mongolian vowel separator (white space once)
    "\u0412y Jane Doe",  # Cyrillic Ve
    "\uff22y Jane Doe",  # fullwidth B
    "Ву Jane Doe",  # Cyrillic, looks like By
    "By " + " ".join(["Jane"] * 13),  # 14 words: as many as a byline holds
    "By " + " ".join(["Jane"] * 14),
    "By " + " ".join(["Jane"] * 16),  # over 15 words: is_byline is not asked
    "By the time we arrived it was dark",
    "By",
    "B",
    "   ",
    "By Jane Smith 2024 12 31",
]


def test_bylines_and_white_space() -> None:
    """Bylines behind any white space; the loop calls ``is_byline`` for exactly the lines without
    lexicon hits of at most 15 words whose first character that is not white space can open one
    (for any other its first test says no)."""
    asked: list[str] = []

    def is_byline(text: str) -> bool:
        asked.append(text)
        return shape.is_byline(text)

    feats = _feats(BYLINES)
    lex = load_lexicon()
    decide._C.line_templates(*_args(feats, BYLINES, is_byline=is_byline))
    could = [
        t
        for t, f in dict(zip(BYLINES, feats)).items()
        if not f.blank and not lex.match(f.key) and f.words <= 15 and t.lstrip()[:1] in shape._FIRST_CHARS
    ]
    assert asked == could and len(could) > 2 * len(shape.BYLINE_WORDS)
    got = _same(BYLINES, feats)
    bylines = {t for t, g in zip(BYLINES, got) if g[0] == "author"}
    assert set(SPACED_BYLINES) <= bylines
    assert not {"\u200bBy Jane Doe", "\ufeffBy Jane Doe", "\u180eBy Jane Doe"} & bylines
    assert len(bylines) >= 2 * len(shape.BYLINE_WORDS)


def test_the_byline_characters_are_the_rules() -> None:
    assert decide._C_FIRST_CHARS == "".join(sorted(shape._FIRST_CHARS))
    assert len(decide._C_FIRST_CHARS) == len(shape._FIRST_CHARS)


MADE = [
    "Home News Sport Culture Travel Money",  # six capitalised words: menu-like
    "Home News Sport Culture Travel Money Jobs",  # seven: not
    "12 34 56 78",
    "2024 12 31 Jane",
    "» »",
    "| |",
    "»",
    "By Jane Smith",
    "BY ANNA",
    "© 2024",
    "12:30",
    "Read more",
    "The council approved the budget on Monday after a long debate.",
]


def test_lines_made_to_give_each_shape_bit() -> None:
    feats = _feats(MADE)
    lex = load_lexicon()
    seen = {shape.fired(f, t) for f, t in zip(feats, MADE) if not lex.match(f.key)}
    assert all(any(b >> i & 1 for b in seen) for i in range(len(shape.SCORES)))
    for threshold in (*THRESHOLDS, 0.0, 0.35, 0.4, 1.0, math.inf):
        _same(MADE, feats, threshold=threshold)


def _record(**fields) -> LineFeatures:
    base = dict(key="zzqx", chars=4, words=1, tokens=1, stop_ratio=0.0, cap_ratio=1.0, digit_ratio=0.0,
                punct_ratio=0.0, ends_sentence=False, ends_colon=False, sentences=0, bullet=False, cjk=False,
                has_url=False)
    return LineFeatures(**{**base, **fields})


def _boundaries() -> list[LineFeatures]:
    """Records at and across each of shape.fired's bounds, and of odd values (NaN, -0.0, ints)."""
    out = []
    below = math.nextafter
    for words in (0, 1, 3, 4, 6, 7, 8, 9, 15, 16, -1, 10**6):
        for stop in (0.0, -0.0, 5e-324, 0.1):
            for cap in (1.0, 0.99, below(0.99, 0.0), math.nan):
                for ends, cjk in ((False, False), (True, False), (False, True)):
                    out.append(_record(words=words, stop_ratio=stop, cap_ratio=cap, ends_sentence=ends, cjk=cjk))
        for digit in (0.4, below(0.4, 0.0), 1.0, math.nan, math.inf):
            for punct in (0.5, below(0.5, 0.0), 1.0, -math.inf):
                for cap in (0.0, 1.0):
                    out.append(_record(words=words, digit_ratio=digit, punct_ratio=punct, cap_ratio=cap))
    out += [_record(words=2, stop_ratio=0, cap_ratio=1, digit_ratio=1, punct_ratio=1)]  # ints
    out += [_record(words=True, cap_ratio=0.995), _record(words=2.0, digit_ratio=0.5), _record(words=2**53)]
    return out


def test_records_at_the_bounds_of_each_shape_bit() -> None:
    feats = _boundaries()
    # Each record its own text (the memo is per text); a byline for every third one.
    texts = [f"zzqx {i}" if i % 3 else "By Jane Doe" + " " * i for i in range(len(feats))]
    got = _same(texts, feats)
    table = decide._shape_table(0.5)
    assert {next(b for b, t in enumerate(table) if t is g) for g in got} == set(range(16))  # each bits


def test_blank_lines_and_repeats() -> None:
    texts = ["", "Home", "", "Home", "   ", "Read more", "Read more", "", "\u3000"]
    feats = _feats(texts)
    assert feats[0].blank and feats[4].blank
    got = _same(texts, feats)
    assert got[0] is got[2] is got[4] is _BLANK and got[1] is got[3] and got[5] is got[6]
    # A record that says blank is blank whatever its text (the memo is looked up by text first).
    assert _same(["x", "y"], [feats[0], feats[0]]) == [_BLANK, _BLANK]
    assert _same([], []) == [] and _same(["a"], []) == [] and _same([], feats) == []


def test_memos_filled_beforehand(monkeypatch: pytest.MonkeyPatch) -> None:
    """The document memo's templates are returned as they are (None counts as missing), and the
    lexicon memo's hits are used without calling ``match``, which runs only on a key the memo
    does not hold (or holds None for)."""
    texts = ["Home News Sport", "Read more", "12:30", "By Jane Doe", "The vote was close.", "Home News Sport"]
    feats = _feats(texts)
    lex = _lexicon()
    python_line_templates(feats, texts, lex, 0.5, {})
    marker = ("anything", 0.0, (), {}, False, False)
    got = _same(texts, feats, made={"Home News Sport": marker, "Read more": None}, lex_memo=lex._memo)
    assert got[0] is got[5] is marker and got[1] != marker

    calls: list[str] = []
    real = Lexicon.match

    def match(self, key):
        calls.append(key)
        return real(self, key)

    monkeypatch.setattr(Lexicon, "match", match)
    keys = [f.key for f in feats[:5]]
    direct = Lexicon.compiled_match
    for runs_match in (False, True):  # the compiled loop calls match, or matches in C itself
        if not runs_match:
            monkeypatch.setattr(Lexicon, "compiled_match", lambda self: None)
        for lex_memo, want in ((lex._memo, []), ({**lex._memo, keys[1]: None}, [keys[1]]), ({}, keys)):
            calls.clear()
            _same(texts, feats, lex_memo=lex_memo)  # the same memo afterwards
            if runs_match:
                want = []
            assert calls[: len(want)] == want and len(calls) == len(want) + len(keys)  # then the pure path's
        monkeypatch.setattr(Lexicon, "compiled_match", direct)


def test_a_memo_value_is_used_as_it_is() -> None:
    """Matching in C, the compiled loop reads a key's hits from the lexicon memo when it holds
    them (these made up), and matches a key whose value is None anew."""
    texts = ["Read more", "The vote was close."]
    feats = _feats(texts)
    lex = _lexicon()
    assert lex.compiled_match() is not None
    made_up = (lexicon.Hit("social", 0.95, "made up", "exact"),)
    lex._memo.update({feats[0].key: made_up, feats[1].key: None})
    got = _compiled(feats, texts, lex, 0.5, {})
    assert got[0][0] == "social" and got[0][2] == ("made up",)
    assert lex._memo[feats[1].key] == tuple(lex.python_match(feats[1].key))


def test_the_lexicon_memo_cleared_midway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lexicon.match clears its memo when it is full: the compiled loop calls it on each miss,
    so the memo is cleared at the same keys."""
    monkeypatch.setattr(lexicon, "MEMO_SIZE", 5)
    texts = [t for p in sorted(FIXTURES.rglob("*.txt"))[:6] for t in _lines(p)]
    feats = _feats(texts)
    _same(texts, feats)
    _same(texts, feats, lex_memo={f.key: () for f in feats[:4]})
    lex = _lexicon()
    _compiled(feats, texts, lex, 0.5, {})
    assert 0 < len(lex._memo) <= 5


@PROPS
@given(documents(max_lines=60), st.sampled_from(THRESHOLDS))
def test_random_documents(text: str, threshold: float) -> None:
    texts = [line.text for line in split_lines(text)]
    _same(texts, threshold=threshold)
    _same(texts + texts[::-1], threshold=threshold)


# ---- what it hands back, and errors ------------------------------------------------------------


def _args(feats, texts, made=None, lex=None, threshold=0.5, **over):
    lex = lex or _lexicon()
    args = dict(
        feats=feats, texts=texts, made={} if made is None else made, lex_memo=lex._memo, match=lex.match,
        shape_table=decide._shape_table(threshold), blank=_BLANK, first_chars=decide._C_FIRST_CHARS,
        is_byline=shape.is_byline,
        with_hits=lambda f, text, hits: decide._template_of(score_line(f, hits, text), hits, threshold),
        cls=LineFeatures, slots=decide._C_SLOTS,
    )
    args.update(over)
    return list(args.values())


def _outcome(fn, feats, texts):
    try:
        return fn(feats, texts, _lexicon(), 0.5, {})
    except Exception as e:  # noqa: BLE001 - what the pure path raises, the call raises
        return type(e)


def test_inputs_it_does_not_read_go_to_python() -> None:
    texts = ["Home News Sport", "Read more", "By Jane Doe"]
    feats = _feats(texts)
    f = feats[0]
    odd_records = [
        replace(f, words="3"),
        replace(f, cap_ratio=None),
        replace(f, stop_ratio=2**60),
        replace(f, ends_sentence=[]),
        replace(f, key=_Str(f.key)),
        replace(f, key=None),
    ]
    blank_one = replace(f)
    object.__setattr__(blank_one, "blank", 1)
    odd_records.append(blank_one)
    for odd in odd_records:
        got = decide._C.line_templates(*_args([odd, *feats[1:]], texts))
        assert got is NotImplemented, odd
        assert _outcome(line_templates, [odd, *feats[1:]], texts) == _outcome(python_line_templates, [odd, *feats[1:]], texts)
    line = Line(0, "Home News Sport", "\n")
    for feats2, texts2 in (
        ([line, *feats[1:]], texts),  # not a LineFeatures record
        (feats, [_Str(texts[0]), *texts[1:]]),  # a str subclass
        (feats, [texts[0], texts[1], b"By Jane Doe"]),
        (tuple(feats), texts),
        (feats, tuple(texts)),
    ):
        assert decide._C.line_templates(*_args(feats2, texts2)) is NotImplemented
    assert decide._C.line_templates(*_args(feats, texts, made=_Dict())) is NotImplemented
    lex = _lexicon({f.key: [] for f in feats})  # a memo value that is not a tuple
    assert decide._C.line_templates(*_args(feats, texts, lex=lex)) is NotImplemented
    lex = _lexicon()
    assert decide._C.line_templates(*_args(feats, texts, lex=lex, match=lambda key: [])) is NotImplemented
    assert decide._C.line_templates(*_args(feats, texts, lex_memo=_Dict())) is NotImplemented
    # A lexicon of another class (its match may not read the memo) goes to Python.
    other = _OtherLexicon([f.key for f in feats])
    assert line_templates(feats, texts, other, 0.5, {}) == python_line_templates(feats, texts, _lexicon(), 0.5, {})


class _OtherLexicon(Lexicon):
    """A lexicon whose match does not read its memo (which says no key has hits)."""

    def __init__(self, keys) -> None:
        self.__dict__.update(copy.copy(load_lexicon()).__dict__)
        self._memo = {k: () for k in keys}

    def match(self, key):
        return load_lexicon().match(key)


def test_bad_arguments_raise() -> None:
    texts = ["Home"]
    feats = _feats(texts)
    args = _args(feats, texts)
    for k, bad in (
        (5, decide._shape_table(0.5)[:15]),
        (5, list(decide._shape_table(0.5))),
        (7, frozenset(decide._C_FIRST_CHARS)),
        (4, None),
        (8, None),
        (9, None),
        (10, Line),  # slots of another class
        (11, decide._C_SLOTS[::-1]),  # the right class's slots, in another order
        (11, decide._C_SLOTS[:8]),
    ):
        with pytest.raises(TypeError):
            decide._C.line_templates(*args[:k], bad, *args[k + 1 :])
    with pytest.raises(TypeError):
        decide._C.line_templates(*args[:11])


def test_errors_of_the_callbacks_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Home News Sport", "Read more", "By Jane Doe"]
    feats = _feats(texts)

    def boom(*args):
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError):
        decide._C.line_templates(*_args(feats, texts, is_byline=boom))
    with pytest.raises(ZeroDivisionError):
        decide._C.line_templates(*_args(feats, texts, with_hits=boom))
    with pytest.raises(ZeroDivisionError):
        decide._C.line_templates(*_args(feats, texts, match=boom))

    class Untrue:
        def __bool__(self):
            raise ZeroDivisionError("no truth")

    with pytest.raises(ZeroDivisionError):
        decide._C.line_templates(*_args(feats, texts, is_byline=lambda text: Untrue()))
    monkeypatch.setattr(shape, "is_byline", boom)
    with pytest.raises(ZeroDivisionError):
        line_templates(feats, texts, _lexicon(), 0.5, {})
    monkeypatch.undo()
    monkeypatch.setattr(decide, "_hits_template", boom)
    with pytest.raises(ZeroDivisionError):
        line_templates(feats, texts, _lexicon(), 0.5, {})
    made: dict = {}
    with pytest.raises(ZeroDivisionError):  # what it decided before the error stays in the memo
        decide._C.line_templates(*_args(feats, texts, made=made, with_hits=boom))
    assert list(made) == texts[:1]


def test_lists_changed_by_a_callback() -> None:
    """A callback that shortens or lengthens the lists: the loop follows them as zip does."""
    texts = ["Read more", "Home News Sport", "Read more again", "Home", "zzqx"]
    feats = _feats(texts)
    noted = ("x", 1.0, (), {}, False, False)

    def pure(fs, ts, with_hits):  # python_line_templates' loop, calling with_hits as C does
        lex, made, out = _lexicon(), {}, []
        for f, text in zip(fs, ts):
            got = made.get(text)
            if got is None:
                hits = lex.match(f.key)
                got = made[text] = with_hits(f, text, hits) if hits else decide._verdict_template(f, text, lex, 0.5)
            out.append(got)
        return out

    def compiled(fs, ts, with_hits):
        return decide._C.line_templates(*_args(fs, ts, with_hits=with_hits))

    changes = (
        lambda fs, ts: (fs.clear(), ts.clear()),
        lambda fs, ts: ts.pop(),
        lambda fs, ts: (fs.extend(feats), ts.extend(["Home", "More"] * 3)),
        lambda fs, ts: fs.__setitem__(slice(None), []),
    )
    for change in changes:
        results = []
        for loop in (compiled, pure):
            fs, ts = list(feats), list(texts)
            done: list[int] = []

            def with_hits(f, text, hits):
                if not done:
                    done.append(1)
                    change(fs, ts)
                return noted

            results.append(loop(fs, ts, with_hits))
        assert results[0] == results[1]
