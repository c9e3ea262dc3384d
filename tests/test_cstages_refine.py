"""The compiled decision loop of the learned-model stage (``boilerstrip._cstages.refine_rows``)
leaves every ``Verdict`` as its pure path (``refine.python_decide``) does, field for field and bit
for bit, and hands back (returns NotImplemented, nothing changed) what it does not handle; the
compiled ``context.footer_start`` finds the footer ``context.python_footer_start`` finds, and the
compiled ``render.keep_blank_lines`` and ``decide._kept_lines`` keep the lines, with the same
reasons, their pure paths keep. The
tests are skipped when the extension is not built; the pure paths then run alone."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hostile_inputs import BODY_LINES, NOISE_LINES, configs, documents, line_content
from hostile_inputs import DictSubclass as _Dict
from hostile_inputs import ListSubclass as _List
from hostile_inputs import StrSubclass as _Str
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from boilerstrip import Config, context, decide, refine, render
from boilerstrip.config import NOISE_KINDS
from boilerstrip.context import NOT_NOISE, Verdict
from boilerstrip.decide import analyse
from boilerstrip.features import LineFeatures
from boilerstrip.model import shipped_model
from boilerstrip.segment import Line, split_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILES = tuple(refine.BODY_CUTS)

needs_refine = pytest.mark.skipif(
    not refine.COMPILED, reason="boilerstrip._cstages is not built: only the pure path of refine_with_model runs"
)


def _clone(v: Verdict) -> Verdict:
    c = Verdict(v.kind, v.score, list(v.reasons), dict(v.scores), v.header, v.locked)
    c.noise = v.noise
    return c


def _state(verdicts: list[Verdict]) -> list[tuple[Any, ...]]:
    """Every field, the floats by their bits (types included: 1 == 1.0 == True)."""

    def bits(x: object) -> object:
        return (type(x), struct.pack("<d", x)) if isinstance(x, float) else (type(x), x)

    return [
        (
            bits(v.kind), bits(v.score), list(v.reasons), [(k, bits(x)) for k, x in v.scores.items()],
            bits(v.header), bits(v.locked), bits(v.noise),
        )
        for v in verdicts
    ]


@contextmanager
def _pure() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(refine, "_C", None)
        yield


def _both(run: Callable[[list[Verdict]], object], verdicts: list[Verdict]) -> tuple[object, list[Verdict]]:
    """``run`` on copies of the verdicts compiled and pure: asserts equal results and states."""
    compiled, pure = [_clone(v) for v in verdicts], [_clone(v) for v in verdicts]
    got = run(compiled)
    with _pure():
        want = run(pure)
    assert got == want
    assert _state(compiled) == _state(pure)
    return got, compiled


def assert_same_refine(text: str, profile: str, explain: bool, language: str = "en") -> None:
    model = shipped_model()
    a = analyse(text, Config(profile=profile))
    _both(
        lambda vs: refine.refine_with_model(
            model, a.feats, vs, a.span, profile, explain=explain, thread=a.thread, language=language
        ),
        a.verdicts,
    )


def _fixture_texts() -> list[Path]:
    return sorted(FIXTURES.rglob("*.txt"))


@needs_refine
@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("path", _fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_refine(path: Path, profile: str, explain: bool) -> None:
    assert_same_refine(path.read_text(encoding="utf-8"), profile, explain)


@needs_refine
def test_fixture_refine_other_language() -> None:
    for path in _fixture_texts()[:10]:
        assert_same_refine(path.read_text(encoding="utf-8"), "balanced", False, language="de")


long_documents = st.lists(
    st.one_of(st.sampled_from(BODY_LINES), st.sampled_from(NOISE_LINES), line_content, st.just("")), min_size=8,
    max_size=60,
).map("\n".join)


@needs_refine
@PROPS
@given(
    st.one_of(documents(max_lines=60), long_documents), st.sampled_from(PROFILES), st.booleans(), st.sampled_from(["en", "de"])
)
def test_random_documents_refine(text: str, profile: str, explain: bool, language: str) -> None:
    assert_same_refine(text, profile, explain, language)


# Probabilities on and around the cuts and the rounding of two digits, and special floats.
probabilities = st.one_of(
    st.floats(0.0, 1.0),
    st.sampled_from(
        [0.6, 0.5, 0.35, 0.3, 0.4, 0.15, 0.005, 0.015, 0.125, 0.995, 0.345, 0.355, 0.5 - 1e-17, 0.35 - 1e-16, 0.0, -0.0,
         1.0, -0.001, 1e-300, math.nan, math.inf, -math.inf]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def decisions(draw: st.DrawFn) -> tuple[Any, ...]:
    """An analysed document with random locks, titles, kinds and rule scores, random body
    probabilities, a span, a cut and whether the model may drop."""
    text = draw(long_documents)
    a = analyse(text, Config())
    verdicts = [_clone(v) for v in a.verdicts]
    kinds = st.sampled_from(["body", "heading", "title", "nav", "related", "blank", *NOISE_KINDS])
    for v in verdicts:
        if draw(st.integers(0, 3)) == 0:
            v.set(draw(kinds), 0.5, "drawn", lock=draw(st.booleans()))
        if draw(st.integers(0, 3)) == 0:  # ties for the first maximum, and negative scores
            value = draw(st.sampled_from([0.0, 0.5, 0.9, -1.0, math.nan, 1.0]))
            v.scores = {k: draw(st.sampled_from([value, 0.7])) for k in draw(st.lists(st.sampled_from(NOISE_KINDS), unique=True))}
    rows = np.array([i for i, f in enumerate(a.feats) if not f.blank], dtype=int)
    p = np.array([draw(probabilities) for _ in rows], dtype=float)
    n = len(a.feats)
    span = draw(st.one_of(st.none(), st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0)))))
    cut = draw(st.sampled_from([0.6, 0.5, 0.35, 0.3, 0.15, 0.345]))
    return a.feats, verdicts, span, rows, p, cut, draw(st.booleans()), draw(st.integers(0, 50)), len(rows)


def _decide(feats, span, rows, p, cut, may_drop, noisy, nonblank) -> Callable[[list[Verdict]], object]:
    return lambda vs: refine._decide(feats, vs, span, rows, p, cut, may_drop=may_drop, noisy=noisy, nonblank=nonblank)


@needs_refine
@PROPS
@given(decisions())
def test_random_decisions(case: tuple[Any, ...]) -> None:
    feats, verdicts, span, rows, p, cut, may_drop, noisy, nonblank = case
    assert_compiled_ran(feats, verdicts, span, rows, p, cut, may_drop, noisy, nonblank)
    _both(_decide(feats, span, rows, p, cut, may_drop, noisy, nonblank), verdicts)


def _call(feats, verdicts, span, rows, p, cut=0.5, may_drop=True, noisy=5, nonblank=20) -> object:
    return refine._C.refine_rows(
        feats, verdicts, LineFeatures, refine._C_FEATURE_SLOTS, Verdict, refine._C_VERDICT_SLOTS, NOT_NOISE,
        refine._KINDS, rows, p, span, cut, may_drop, noisy, nonblank, refine.MIN_WORDS_LEFT, refine.CJK_PROSE_CHARS,
    )


def assert_compiled_ran(feats, verdicts, span, rows, p, cut, may_drop, noisy, nonblank) -> None:
    """The compiled loop takes plain inputs itself (it does not hand them back)."""
    copies = [_clone(v) for v in verdicts]
    assert _call(feats, copies, span, rows, p, cut, may_drop, noisy, nonblank) is not NotImplemented


PAGE = "\n".join(
    [
        "Home | News | Sport | Weather",
        "Council approves the new bus routes",
        *BODY_LINES,
        "Short line between.",
        *BODY_LINES,
        "Share this article",
        "Related: more stories",
        "Copyright 2024 Example Media. All rights reserved.",
        "Sign up for our newsletter",
    ]
)


def _page() -> tuple[list[LineFeatures], list[Verdict], np.ndarray, np.ndarray]:
    a = analyse(PAGE, Config())
    rows = np.array([i for i, f in enumerate(a.feats) if not f.blank], dtype=int)
    p = np.linspace(0.0, 1.0, len(rows))
    return list(a.feats), [_clone(v) for v in a.verdicts], rows, p


@needs_refine
def test_the_page_takes_every_branch() -> None:
    feats, verdicts, rows, p = _page()
    for v in verdicts[:3]:
        v.set("nav", 0.6, "drawn")
    verdicts[3].scores = {"nav": 0.5, "related": 0.5, "social": 0.4}
    for may_drop in (False, True):
        for cut in (0.0, 0.3, 0.5, 1.0):
            for span in (None, (0, len(feats) - 1), (2, 5)):
                _both(_decide(feats, span, rows, p, cut, may_drop, 3, len(rows)), verdicts)
    _both(_decide(feats, None, rows, np.zeros(len(rows)), 0.5, True, 3, len(rows)), verdicts)  # all doubted


def _hand_back(feats, verdicts, rows, p, **kw) -> None:
    before = _state(verdicts)
    assert _call(feats, verdicts, kw.pop("span", None), rows, p, **kw) is NotImplemented
    assert _state(verdicts) == before


@needs_refine
@pytest.mark.parametrize(
    "change",
    [
        lambda vs: setattr(vs[-1], "kind", _Str(vs[-1].kind)),
        lambda vs: setattr(vs[-1], "locked", 0),
        lambda vs: setattr(vs[-1], "noise", 1),
        lambda vs: setattr(vs[-1], "reasons", tuple(vs[-1].reasons)),
        lambda vs: setattr(vs[-1], "scores", _Dict(vs[-1].scores)),  # a line it drops
        lambda vs: setattr(vs[-1], "scores", {1: 0.5}),
        lambda vs: setattr(vs[-1], "scores", {"nav": "0.5"}),
        lambda vs: setattr(vs[-1], "scores", {"nav": 2**60}),
    ],
)
def test_verdicts_it_does_not_handle_go_to_python(change: Callable[[list[Verdict]], None]) -> None:
    feats, verdicts, rows, p = _page()
    verdicts[-1].set("body", 0.5, "drawn")
    verdicts[-1].locked = False
    verdicts[-1].scores = {"nav": 0.5, "social": 0.6}
    p = np.full(len(rows), 0.99)
    p[-1] = 0.01  # it agrees with every line but the last, which it drops
    assert (len(rows) - 1, int(rows[-1])) in _call(feats, [_clone(v) for v in verdicts], None, rows, p)
    change(verdicts)
    _hand_back(feats, verdicts, rows, p)
    _both(_decide(feats, None, rows, p, 0.5, True, 5, len(rows)), verdicts)  # and Python settles them


class _Features(LineFeatures):
    __slots__ = ()


def _swap(feats: list[LineFeatures], i: int, **changes: object) -> list[LineFeatures]:
    out = list(feats)
    f = out[i]
    g = LineFeatures(**{**f.as_dict(), **changes}) if changes else _Features(**f.as_dict())
    object.__setattr__(g, "blank", f.blank)
    out[i] = g
    return out


@needs_refine
def test_inputs_it_does_not_handle_go_to_python() -> None:
    feats, verdicts, rows, p = _page()
    last = int(rows[-1])
    _hand_back(_swap(feats, last), verdicts, rows, p)  # a list holding another class
    _hand_back(_swap(feats, last, words=12.0), verdicts, rows, p)
    _hand_back(_swap(feats, last, ends_sentence="yes"), verdicts, rows, p)
    _hand_back(_swap(feats, last, words=2**60), verdicts, rows, p)
    _hand_back(feats, verdicts[:-1], rows, p)
    _hand_back(tuple(feats), _List(verdicts), rows, p)
    _hand_back(_List(feats), verdicts, rows, p)
    _hand_back(feats, verdicts, rows[::-1].copy(), p)
    _hand_back(feats, verdicts, rows, p[:-1].copy())
    _hand_back(feats, verdicts, rows, p.astype(np.float32))
    _hand_back(feats, verdicts, rows.astype(np.int32), p)
    _hand_back(feats, verdicts, rows, list(p))
    _hand_back(feats, verdicts, np.array([*rows[:-1], len(feats)]), p)
    _hand_back(feats, verdicts, rows, p, span=(-1, 3))
    _hand_back(feats, verdicts, rows, p, span=(0, len(feats)))
    _hand_back(feats, verdicts, rows, p, span=[0, 3])
    _hand_back(feats, verdicts, rows, p, span=(0, True))
    _hand_back(feats, verdicts, rows, p, cut=1)
    _hand_back(feats, verdicts, rows, p, may_drop=1)
    _hand_back(feats, verdicts, rows, p, noisy=5.0)
    if (blank := [i for i, f in enumerate(feats) if f.blank]):
        _hand_back(feats, verdicts, np.array(sorted({*rows.tolist(), blank[0]})), np.zeros(len(rows) + 1))


@needs_refine
def test_it_refuses_records_it_cannot_read() -> None:
    feats, verdicts, rows, p = _page()
    args = [feats, verdicts, LineFeatures, refine._C_FEATURE_SLOTS, Verdict, refine._C_VERDICT_SLOTS, NOT_NOISE,
            refine._KINDS, rows, p, None, 0.5, True, 5, 20, 60, 20]
    with pytest.raises(TypeError):
        refine._C.refine_rows(*args[:-1])
    for at, bad in ((3, refine._C_VERDICT_SLOTS), (5, refine._C_FEATURE_SLOTS), (4, LineFeatures), (6, set(NOT_NOISE)),
                    (7, ("title", "body")), (7, ("title", "body", "heading", 1))):
        with pytest.raises(TypeError):
            refine._C.refine_rows(*args[:at], bad, *args[at + 1 :])


@needs_refine
@example(0.355)
@example(0.345)
@example(0.125)
@example(-0.0)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_probability_digits(prob: float) -> None:
    feats, verdicts, rows, _ = _page()
    p = np.full(len(rows), prob)
    _both(_decide(feats, None, rows, p, 0.5, False, 3, len(rows)), verdicts)


# ---- footer_start -------------------------------------------------------------------------------

needs_footer = pytest.mark.skipif(not context.FOOTER_COMPILED, reason="boilerstrip._cstages is not built")


def assert_same_footer(feats, verdicts, kept) -> None:
    got = context.footer_start(feats, verdicts, kept)
    assert got == context.python_footer_start(feats, verdicts, kept)
    assert type(got) is type(context.python_footer_start(feats, verdicts, kept))


def _footer_call(feats, verdicts, kept, **changes) -> object:
    params = dict(
        kinds=context.FOOTER_KINDS, min_lines=context.FOOTER_MIN_LINES, marker_score=context.FOOTER_MARKER_SCORE,
        after_words=context.FOOTER_AFTER_WORDS, after_share=context.FOOTER_AFTER_SHARE,
    )
    params.update(changes)
    return context._C_FOOTER.footer_rows(
        feats, verdicts, kept, LineFeatures, context._C_FOOTER_FEATURES, Verdict, context._C_FOOTER_VERDICTS,
        *params.values(),
    )


def _analysed_kept(text: str) -> tuple[list[LineFeatures], list[Verdict], list[bool]]:
    a = analyse(text, Config())
    return list(a.feats), a.verdicts, [not f.blank and not v.noise for f, v in zip(a.feats, a.verdicts)]


@needs_footer
@pytest.mark.parametrize("path", _fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_footer(path: Path) -> None:
    assert_same_footer(*_analysed_kept(path.read_text(encoding="utf-8")))


FOOTER_TEXT = "\n".join(["word " * 120, "Share", "a", "b", "c", "d", "e", "f", "g", "Read this too.", "word " * 20])


footer_lines = st.tuples(
    st.sampled_from(["word " * 120, "word " * 30, "word " * 7, "Share", "Related stories", "Copyright 2024", "a", "", "Read."]),
    st.booleans(),
    st.sampled_from([None, "social", "related", "legal", "nav", "body"]),
    st.sampled_from([None, 0.6, 0.6 - 1e-16, 0.95, 0.0, math.nan, 1]),
)
# Runs of dropped lines around the footer's length, between kept text, so footers are found
dropped_runs = st.lists(
    st.tuples(st.sampled_from(["Share", "b", ""]), st.just(False), st.sampled_from([None, "social", "nav"]),
              st.sampled_from([None, 0.6, 0.5, 0.95])),
    min_size=context.FOOTER_MIN_LINES - 1, max_size=context.FOOTER_MIN_LINES + 1,
)
kept_runs = st.lists(
    st.tuples(st.sampled_from(["word " * 60, "word " * 40, "word " * 100, "x", ""]), st.just(True), st.none(), st.none()),
    min_size=1, max_size=3,
)


@needs_footer
@PROPS
@given(st.one_of(st.lists(footer_lines, max_size=40), st.lists(st.one_of(dropped_runs, kept_runs), max_size=8).map(
    lambda runs: [line for run in runs for line in run])))
@example([("word " * 120, True, None, None)] + [("Share", False, "social", 0.6)] * 8 + [("Read.", True, None, None)])
@example(  # after 200 of 500 words: not past half the kept text
    [("word " * 100, True, None, None)] * 2 + [("Share", False, "social", 0.95)] * 8 + [("word " * 100, True, None, None)] * 3
)
@example(  # a footer kind without its score is no marker
    [("word " * 120, True, None, None)] + [("Share", False, "social", None)] + [("b", False, None, None)] * 7
    + [("Read.", True, None, None)]
)
def test_random_footers(lines: list[tuple[str, bool, str | None, float | None]]) -> None:
    feats, verdicts, kept = _analysed_kept("\n".join(t for t, *_ in lines) + ("\n" if lines else ""))
    feats, verdicts = feats[: len(lines)], verdicts[: len(lines)]
    kept = [k for _, k, _, _ in lines][: len(feats)]
    for v, (_, _, kind, score) in zip(verdicts, lines):
        if kind is not None:
            v.set(kind, 0.5, "drawn")
            v.scores = {} if score is None else {kind: score}
    assert_same_footer(feats, verdicts, kept)
    assert _footer_call(feats, verdicts, kept) is not NotImplemented


@needs_footer
def test_footers_it_does_not_handle_go_to_python() -> None:
    feats, verdicts, kept = _analysed_kept(FOOTER_TEXT)
    kept = [True] + [False] * 8 + [True, True]
    verdicts[1].set("social", 0.95, "drawn")
    verdicts[1].scores = {"social": 0.95}
    assert _footer_call(feats, verdicts, kept) == (1, 8) == context.footer_start(feats, verdicts, kept)
    assert _footer_call(feats, verdicts, [1] + kept[1:]) is NotImplemented
    assert _footer_call(feats, verdicts, kept[:-1]) is NotImplemented
    assert _footer_call(feats, verdicts, _List(kept)) is NotImplemented
    assert _footer_call(_swap(feats, 0), verdicts, kept) is NotImplemented
    assert _footer_call(_swap(feats, 0, words=120.0), verdicts, kept) is NotImplemented
    assert _footer_call(_swap(feats, 0, words=2**60), verdicts, kept) is NotImplemented
    assert _footer_call(feats, verdicts, kept, after_share="0.5") is NotImplemented
    for change in (
        lambda v: setattr(v, "kind", _Str("social")),
        lambda v: setattr(v, "scores", _Dict(v.scores)),
        lambda v: setattr(v, "scores", {"social": "0.95"}),
        lambda v: setattr(v, "scores", {"social": 2**60}),
    ):
        changed = [_clone(v) for v in verdicts]
        change(changed[1])
        assert _footer_call(feats, changed, kept) is NotImplemented
        try:
            assert_same_footer(feats, changed, kept)
        except TypeError:  # Python compares the str score with the number itself
            assert isinstance(changed[1].scores["social"], str)
    with pytest.raises(TypeError):
        _footer_call(feats, verdicts, kept, kinds=list(context.FOOTER_KINDS))


# ---- the counts ---------------------------------------------------------------------------------


def assert_same_counts(feats, verdicts) -> None:
    got = refine._C.refine_counts(
        feats, verdicts, LineFeatures, refine._C_FEATURE_SLOTS, Verdict, refine._C_VERDICT_SLOTS, "title"
    )
    nonblank, noisy, _ = refine.python_counts(feats, verdicts)
    assert got == (nonblank, noisy, refine._any_rescuable(feats, verdicts))
    assert [type(x) for x in got] == [int, int, bool]


@needs_refine
@pytest.mark.parametrize("path", _fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_counts(path: Path) -> None:
    a = analyse(path.read_text(encoding="utf-8"), Config())
    assert_same_counts(list(a.feats), a.verdicts)


@needs_refine
@PROPS
@given(decisions())
def test_random_counts(case: tuple[Any, ...]) -> None:
    feats, verdicts, *_ = case
    assert_same_counts(list(feats), verdicts)


@needs_refine
def test_counts_it_does_not_handle_go_to_python() -> None:
    feats, verdicts, rows, _ = _page()
    last = int(rows[-1])
    for v in verdicts:  # no line it may give back before the last, whose fields it then reads
        v.locked = True
    verdicts[last].set("nav", 0.5, "drawn")
    verdicts[last].locked = False
    assert_same_counts(feats, verdicts)
    sentence = next(i for i in rows.tolist() if feats[i].ends_sentence and not feats[i].ends_ellipsis)
    title = [_clone(v) for v in verdicts]
    title[sentence].kind, title[sentence].noise, title[sentence].locked = "title", True, False
    assert_same_counts(_swap(feats, last, ends_sentence=False), title)  # a title is never given back

    def call(fs, vs):
        return refine._C.refine_counts(fs, vs, LineFeatures, refine._C_FEATURE_SLOTS, Verdict, refine._C_VERDICT_SLOTS, "title")

    assert call(_swap(feats, last), verdicts) is NotImplemented
    assert call(_swap(feats, last, ends_sentence="yes"), verdicts) is NotImplemented
    assert call(feats, verdicts[:-1]) is NotImplemented
    assert call(_List(feats), verdicts) is NotImplemented
    for change in (
        lambda v: setattr(v, "kind", _Str(v.kind)), lambda v: setattr(v, "locked", 0), lambda v: setattr(v, "noise", 1)
    ):
        changed = [_clone(v) for v in verdicts]
        change(changed[last])
        assert call(feats, changed) is NotImplemented
    with pytest.raises(TypeError):
        refine._C.refine_counts(feats, verdicts, LineFeatures, refine._C_FEATURE_SLOTS, Verdict, refine._C_VERDICT_SLOTS, 1)


# ---- keep_blank_lines ---------------------------------------------------------------------------

needs_render = pytest.mark.skipif(not render.COMPILED, reason="boilerstrip._cstages is not built")


def assert_same_blank_runs(kept, blank, lines) -> None:
    got = render.keep_blank_lines(kept, blank, lines)
    assert got == render.python_keep_blank_lines(kept, blank, lines)
    assert all(type(k) is bool for k in got)
    assert render._C.blank_runs(kept, blank, lines, Line, render._C_SLOTS) is not NotImplemented


@needs_render
@PROPS
@given(documents(max_lines=40), st.data())
@example("a\r\n\nb\r\nc\r", None)
@example("a\r\nb\r", None)
def test_random_blank_runs(text: str, data: st.DataObject | None) -> None:
    lines = split_lines(text)
    blank = [not line.text.strip() for line in lines]
    if data is None:
        kept = [True] * len(lines)
    else:
        kept = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    assert_same_blank_runs(kept, blank, lines)
    assert_same_blank_runs(kept, blank, None)


@needs_render
def test_the_first_blank_run_after_dropped_lines() -> None:
    lines = split_lines("a\nx\n\nb\n\n\nc")
    kept, blank = [True, False, False, True, False, False, True], [not line.text for line in lines]
    assert render.keep_blank_lines(kept, blank, lines) == [True, False, True, True, True, True, True]
    assert_same_blank_runs(kept, blank, lines)
    lines = split_lines("a\rb\n\nc")  # the empty line follows "b\n", not "a\r"
    assert render.keep_blank_lines([True, True, False, True], [False, False, True, False], lines) == [True] * 4


@needs_render
def test_bare_cr_then_empty_lf_line() -> None:
    lines = split_lines("a\r\nb\r\n\nc\n\nd")
    kept = [True, True, False, False, False, True]
    assert_same_blank_runs(kept, [not line.text for line in lines], lines)
    lines = split_lines("a\rx\n\nb")  # a kept "a\r" and "\n" would read as one line end
    assert render.keep_blank_lines([True, False, False, True], [False, False, True, False], lines) == [True, False, False, True]
    assert render.keep_blank_lines([True, False, True, True], [False, False, True, False], lines) == [True, False, False, True]


@needs_render
def test_blank_runs_it_does_not_handle_go_to_python() -> None:
    lines = split_lines("a\n\nb\n")
    kept, blank = [True, False, True], [False, True, False]
    assert render.keep_blank_lines(kept, blank, lines) == [True, True, True]

    def call(*args):
        return render._C.blank_runs(*args, Line, render._C_SLOTS)

    assert call(tuple(kept), blank, lines) is NotImplemented
    assert call(kept, _List(blank), lines) is NotImplemented
    assert call([1, 0, 1], blank, lines) is NotImplemented
    assert call(kept, blank[:-1], lines) is NotImplemented
    assert call(kept, blank, lines[:-1]) is NotImplemented
    assert call(kept, blank, tuple(lines)) is NotImplemented
    assert call(kept, blank, [*lines[:-1], Line(2, _Str("b"), "\n")]) is NotImplemented
    assert call(kept, blank, [*lines[:-1], "b"]) is NotImplemented
    with pytest.raises(TypeError):
        render._C.blank_runs(kept, blank, lines, Line, render._C_SLOTS[:1])


# ---- _kept_lines --------------------------------------------------------------------------------

needs_kept = pytest.mark.skipif(not decide.KEPT_COMPILED, reason="boilerstrip._cstages is not built")


def assert_same_kept(texts, verdicts, config: Config, allow: tuple[str, ...], *, plain: bool = True) -> None:
    compiled, pure = [_clone(v) for v in verdicts], [_clone(v) for v in verdicts]
    got = decide._kept_lines(texts, compiled, config, allow)
    assert got == decide.python_kept_lines(texts, pure, config, allow)
    assert _state(compiled) == _state(pure)
    assert not plain or decide._C_KEPT.kept_lines(
        texts, [_clone(v) for v in verdicts], Verdict, decide._C_KEPT_SLOTS, config.drop, bool(allow),
        lambda t, v: decide._keep_line(t, v, config, allow), "blank", "title",
    ) == got


@needs_kept
@PROPS
@given(long_documents, configs, st.sampled_from([(), ("council",), ("share", "the")]), st.data())
def test_random_kept_lines(text: str, config: Config, allow: tuple[str, ...], data: st.DataObject) -> None:
    a = analyse(text, config)
    texts = [line.text for line in a.lines]
    kinds = st.sampled_from(["body", "heading", "title", "blank", *NOISE_KINDS])
    for v in a.verdicts:
        if data.draw(st.integers(0, 3)) == 0:
            v.set(data.draw(kinds), 0.5, "drawn")
    assert_same_kept(texts, a.verdicts, config, allow)


@needs_kept
def test_kept_lines_it_does_not_handle_go_to_python() -> None:
    a = analyse(PAGE, Config())
    texts = [line.text for line in a.lines]
    config = Config()

    def call(ts, vs, drop=config.drop, allow=False):
        return decide._C_KEPT.kept_lines(
            ts, vs, Verdict, decide._C_KEPT_SLOTS, drop, allow, lambda t, v: decide._keep_line(t, v, config, ()),
            "blank", "title",
        )

    assert call(texts, a.verdicts) == decide.python_kept_lines(texts, [_clone(v) for v in a.verdicts], config, ())
    assert call(tuple(texts), a.verdicts) is NotImplemented
    assert call(texts, _List(a.verdicts)) is NotImplemented
    assert call(texts[:-1], a.verdicts) is NotImplemented
    assert call(texts, a.verdicts, drop=set(config.drop)) is NotImplemented
    assert call(texts, a.verdicts, allow=1) is NotImplemented
    for change in (lambda v: setattr(v, "kind", _Str(v.kind)), lambda v: setattr(v, "noise", 1)):
        changed = [_clone(v) for v in a.verdicts]
        change(changed[-1])
        before = _state(changed)
        assert call(texts, changed) is NotImplemented
        assert _state(changed) == before
        assert_same_kept(texts, changed, config, (), plain=False)


@needs_kept
def test_kept_lines_passes_on_what_keep_line_raises() -> None:
    a = analyse(PAGE, Config())
    texts = [line.text for line in a.lines]

    def fail(text: str, v: Verdict) -> bool:
        raise KeyError(text)

    with pytest.raises(KeyError):
        decide._C_KEPT.kept_lines(
            texts, a.verdicts, Verdict, decide._C_KEPT_SLOTS, frozenset(NOISE_KINDS), False, fail, "blank", "title"
        )
