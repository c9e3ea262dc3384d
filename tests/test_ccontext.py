"""The compiled context rules (``boilerstrip._ccontext``) give what their pure paths give:
``context.settle_span`` the same span, thread and verdicts (kinds, scores bit for bit, reasons,
locks, headers, noise flags) as ``context.python_settle_span``, and ``context.article_span`` the
span of ``context.python_article_span``, on the state the context pass hands them for every
fixture and for generated documents, and on generated records. Records of types the C code does
not handle are handed back untouched. Skipped when the extension is not built."""

from __future__ import annotations

import copy
import math
import struct
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pytest
from hostile_inputs import DictSubclass as _Dict
from hostile_inputs import ListSubclass as _List
from hostile_inputs import StrSubclass as _Str
from hostile_inputs import documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boilerstrip import Config, context
from boilerstrip.config import NOISE_KINDS
from boilerstrip.context import Verdict
from boilerstrip.decide import analyse
from boilerstrip.features import LineFeatures, line_features
from boilerstrip.lexicon import stopwords

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.skipif(
    not context.SPAN_COMPILED, reason="boilerstrip._ccontext is not built: only the pure path of context.settle_span runs"
)


def _bits(x: object) -> object:
    return ("float", struct.pack("<d", x)) if type(x) is float else (type(x).__name__, x)


def _record(v: Verdict) -> tuple:
    """A verdict's every field, its floats by their bits and each value with its type."""
    return (
        _bits(v.kind),
        _bits(v.score),
        type(v.reasons).__name__,
        [_bits(r) for r in v.reasons],
        type(v.scores).__name__,
        [(_bits(k), _bits(x)) for k, x in v.scores.items()],
        _bits(v.header),
        _bits(v.locked),
        _bits(v.noise),
    )


def _compiled(feats: list, verdicts: list, **calls: Any) -> Any:
    stamp, shape = calls.get("stamp_key", context._stamp_key), calls.get("prompt_shape", context._prompt_shape)
    return context._X.settle_span(feats, verdicts, *context._X_RECORDS, context.NOT_NOISE, stamp, shape)


def assert_same(feats: list, verdicts: list) -> Any:
    """Both paths on copies of ``verdicts``: the same results and records. Returns the result."""
    a, b = copy.deepcopy(verdicts), copy.deepcopy(verdicts)
    span = context._X.article_span(feats, verdicts, *context._X_RECORDS)
    assert span == context.python_article_span(feats, verdicts)
    got = _compiled(feats, a)
    assert got is not NotImplemented
    want = context.python_settle_span(feats, b)
    assert got == want
    assert [_record(v) for v in a] == [_record(v) for v in b]
    return got


def _entries(text: str) -> list[tuple[list[LineFeatures], list[Verdict]]]:
    """The features and verdicts the context pass hands ``settle_span`` for ``text``."""
    seen = []
    real = context.settle_span

    def capture(feats: list, verdicts: list) -> Any:
        seen.append((list(feats), copy.deepcopy(verdicts)))
        return real(feats, verdicts)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(context, "settle_span", capture)
        analyse(text, Config())
    return seen


FIXTURE_TEXTS = sorted(FIXTURES.rglob("*.txt"))


@pytest.mark.parametrize("path", FIXTURE_TEXTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixtures(path: Path) -> None:
    (entry,) = _entries(path.read_text(encoding="utf-8"))
    assert_same(*entry)


def test_fixtures_exercise_every_rule() -> None:
    """The fixtures reach each rule the C code runs (so the tests above test them)."""
    reasons = set()
    for path in FIXTURE_TEXTS:
        for feats, verdicts in _entries(path.read_text(encoding="utf-8")):
            context.python_settle_span(feats, verdicts)
            reasons.update(r.split(" (")[0].split(" at line")[0] for v in verdicts for r in v.reasons)
    for reason in (
        "short line above the article",
        "short line below the article",
        "line without a sentence end below the article",
        context.SUBTITLE_REASON,
        "short line between paragraphs of the article",
        "reads like prose",
        "inside the article, between body lines",
        "no noise rule fired",
    ):
        assert reason in reasons


@PROPS
@given(documents(max_lines=40))
def test_random_documents(text: str) -> None:
    for entry in _entries(text):
        assert_same(*entry)


# ---- generated records ------------------------------------------------------------------------

KEYS = (
    "",
    "Comments",
    "comments",
    "comment",
    "3 Comments",
    "12 comments",
    "Add a comment",
    "Home",
    "News",
    "Sport",
    "Reply",
    "Video",
    "Jane Doe 12/03/2020 10:02",
    "Mar 3, 2021 at 11:06",
    "Posted by Jane at 10:02 on 12/03/2020",
    "- A linked story about the budget",
    "Big Headline About The Budget Plan",
    "Short sentence with a few words here.",
    "The council approved the budget on Monday after a long debate that lasted into the night.",
    "The council approved the budget on Monday after a long debate that lasted into the night and the mayor "
    "said it was the best budget the city has had in many years",
    "I think this is a great idea and the council should do much more of it for all of us here.",
    "北京市政府今天宣布了一项新的城市规划方案，旨在改善交通和环境。",
    "Tags:",
    "42",
)
KINDS = ("body", "body", "body", "heading", "title", "blank", "nav", "comments", "comments", "social", "related", "meta")
REASONS = ("comment counter or prompt", "comment counter or prompt: more", "menu", "x comment counter or prompt")
SCORES = (0.0, 0.5, 0.6, 0.6000000000000001, 0.59, 0.7, 0.95, 0.95, 1.0, math.nan, math.inf, -0.0)
_STOP = stopwords("en")

line_records = st.tuples(
    st.sampled_from(KEYS),
    st.sampled_from(KINDS),
    st.lists(st.sampled_from(REASONS), max_size=3),
    st.dictionaries(st.sampled_from(NOISE_KINDS), st.sampled_from(SCORES), max_size=4),
    st.booleans(),
    st.booleans(),
)


def _records(rows: list[tuple]) -> tuple[list[LineFeatures], list[Verdict]]:
    feats = [line_features(key, _STOP) for key, *_ in rows]
    verdicts = [Verdict(kind, 0.5, list(r), dict(scores), header, locked) for _, kind, r, scores, header, locked in rows]
    return feats, verdicts


@PROPS
@given(st.lists(line_records, max_size=40))
def test_random_records(rows: list[tuple]) -> None:
    assert_same(*_records(rows))


PROSE, REPLY = KEYS[18], KEYS[20]
COUNTER = ["comment counter or prompt"]
THREAD = [
    ("Big Headline About The Budget Plan", "title", [], {}, False, False),
    (PROSE, "body", [], {}, False, False),
    (PROSE, "body", [], {}, False, False),
    ("- A linked story about the budget", "body", [], {}, False, False),
    (PROSE, "body", [], {}, False, False),
    ("3 Comments", "comments", COUNTER, {"comments": 0.9}, True, False),
    ("Jane Doe 12/03/2020 10:02", "body", [], {}, False, False),
    (REPLY, "body", [], {}, False, False),
    ("5 Comments", "comments", ["menu", *COUNTER], {"comments": 0.9}, True, False),
    (REPLY, "body", [], {}, False, False),
    ("12 comments", "comments", COUNTER, {"comments": 0.9}, True, False),
    (REPLY, "body", [], {}, False, False),
    ("Comments", "comments", ["comments header"], {"comments": 0.9}, True, False),
    (REPLY, "body", [], {}, False, False),
    ("Home", "body", [], {"nav": 0.6, "social": 0.6000000000000001}, False, False),
    ("Reply", "body", [], {}, False, True),
    ("Video", "body", [], {"meta": 0.7, "related": 0.7}, False, False),
]


def test_a_thread() -> None:
    """Counters under every post open no thread; the header after them does."""
    feats, verdicts = _records(THREAD)
    span, thread = assert_same(feats, verdicts)
    assert (span, thread) == ((1, 13), 12)
    context.settle_span(feats, verdicts)
    assert verdicts[14].kind == "social" and verdicts[14].score == 0.6000000000000001  # the first of the maximal
    assert verdicts[16].kind == "meta" and verdicts[16].score == 0.7  # a tie: the first
    assert verdicts[3].kind == "related" and verdicts[3].locked
    assert verdicts[13].reasons[0] == "in the comment thread under the header at line 12"
    assert verdicts[15].kind == "comments" and len(verdicts[15].reasons) == 1  # locked: only the thread takes it


# ---- the rules' bounds ---------------------------------------------------------------------

NEXT_BELOW = {x: math.nextafter(x, 0) for x in (0.1, 0.15, 0.2, 0.6, 0.65)}
bound_features = st.builds(
    lambda key, chars, words, stop, cap, ends, sentences, bullet, cjk: LineFeatures(
        key, chars, words, words, stop, cap, 0.0, 0.0, ends, False, sentences, bullet, cjk, False
    ),
    st.sampled_from(KEYS),
    st.sampled_from([0, 5, 19, 20, 21, 40, 49, 50, 51, 120, 199, 200, 201]),
    st.sampled_from([0, 1, 2, 3, 5, 6, 9, 10, 11, 19, 20, 21, 24, 25, 26, 30]),
    st.sampled_from([0.0, 0.1, 0.15, 0.2, 0.3, *NEXT_BELOW.values()]),
    st.sampled_from([0.0, 0.3, 0.6, 0.65, 0.9, math.nan, *NEXT_BELOW.values()]),
    st.booleans(),
    st.sampled_from([0, 1, 2]),
    st.booleans(),
    st.booleans(),
)
"""Features at the rules' bounds (ten words, 0.6 of capitals...), their key unrelated to them."""


@PROPS
@given(st.lists(st.tuples(bound_features, line_records), max_size=40))
def test_random_features_at_the_bounds(rows: list[tuple]) -> None:
    feats = [f for f, _ in rows]
    assert_same(feats, _records([r for _, r in rows])[1])


def _f(words: int, *, ends: bool = False, key: str = "x", bullet: bool = False, cap: float = 0.1) -> LineFeatures:
    """A line of ``words`` words with a quarter of function words."""
    chars = 6 * words
    return LineFeatures(key, chars, words, words, 0.25, cap, 0.0, 0.0, ends, False, 1, bullet, False, False)


def _doc(*lines: tuple[LineFeatures, str] | LineFeatures, **calls: Any) -> tuple[Any, list[Verdict]]:
    """Both paths on the lines (features, or features and a kind; a comments kind is a header):
    the same results; returns them and the pure path's verdicts."""
    feats = [x[0] if isinstance(x, tuple) else x for x in lines]
    kinds = [x[1] if isinstance(x, tuple) else "body" for x in lines]
    verdicts = [Verdict(k, 0.5, [], {"nav": 0.7}, header=k == "comments") for k in kinds]
    got = assert_same(feats, verdicts)
    context.python_settle_span(feats, verdicts)
    return got, verdicts


ANCHOR = _f(30, ends=True)
NOISE = (_f(30, ends=True), "nav")


@pytest.mark.parametrize(("inside", "outside", "holds"), [((30, 30), 22, True), ((30, 29), 22, False), ((25, 25), 12, True)])
def test_the_page_it_holds_at_the_bounds(inside: tuple[int, int], outside: int, holds: bool) -> None:
    """Sixty words of prose hold the page, and so do a tenth of its words (the third case: 50 of
    500); the line above then loses its place."""
    words = (444 // outside) if outside == 12 else 30
    _, verdicts = _doc(_f(3), _f(3), _f(inside[0], ends=True), _f(inside[1], ends=True), *[(_f(words), "nav")] * outside)
    assert (verdicts[0].kind == "nav") is holds


def test_growth_stops_after_more_than_three_lines_without_a_sentence() -> None:
    short_sentence = _f(8, ends=True)
    (span, _), _ = _doc(ANCHOR, _f(3), _f(3), _f(3), short_sentence, _f(3), _f(3), _f(3), _f(3), short_sentence)
    assert span == (0, 4)


def test_the_span_ends_at_its_last_anchor_that_ends_a_sentence() -> None:
    feats = [ANCHOR, ANCHOR, _f(30), ANCHOR, _f(30)]
    verdicts = [Verdict("body", 0.5) for _ in feats]
    assert context.article_span(feats, verdicts) == context.python_article_span(feats, verdicts) == (0, 3)
    assert context.article_span(feats[:3], verdicts[:3]) == (0, 1)
    assert context.article_span(feats[2:3], verdicts[2:3]) == (0, 0)  # none ends one: all count


def test_prose_at_the_bound_of_capitals() -> None:
    """A line of 22 words without a sentence end is prose with under 0.6 of capitals only."""
    _, verdicts = _doc(ANCHOR, _f(22, cap=0.6), _f(22, cap=NEXT_BELOW[0.6]), ANCHOR)
    assert verdicts[1].reasons[0] == "inside the article, between body lines"
    assert verdicts[2].reasons[0] == "reads like prose (22 words)"


def test_a_bulleted_headline_at_the_span_end_is_no_inline_link() -> None:
    bulleted = _f(22, bullet=True)
    (span, _), verdicts = _doc(ANCHOR, ANCHOR, bulleted, NOISE)
    assert span == (0, 2) and verdicts[2].kind == "body"
    _, verdicts = _doc(ANCHOR, ANCHOR, _f(5, bullet=True), ANCHOR)
    assert verdicts[2].kind == "related"


@pytest.mark.parametrize(
    ("lines", "thread"),
    [
        ((ANCHOR, ANCHOR, _f(1, key="video"), _f(2, key="photos"), (_f(1, key="comments"), "comments"), ANCHOR), None),
        ((ANCHOR, ANCHOR, ANCHOR, _f(2, key="photos"), (_f(1, key="comments"), "comments"), ANCHOR), 4),
        ((ANCHOR, ANCHOR, ANCHOR, _f(2, key="photos"), (_f(1, key="comments"), "comments"), _f(2)), None),
        ((ANCHOR, ANCHOR, ANCHOR, _f(2, key="photos"), (_f(2, key="the comments"), "comments"), _f(2)), 4),
        ((ANCHOR, NOISE, (_f(2, key="the comments"), "comments"), ANCHOR), None),
        ((ANCHOR, ANCHOR, (_f(2, key="the comments"), "comments"), ANCHOR), 2),
    ],
)
def test_tab_bars_and_headers(lines: tuple, thread: int | None) -> None:
    """A tab above a header needs another above it unless the header is a bare "Comments" with
    no prose below; a header opens the thread after two lines of prose that are not noise."""
    (_, got), _ = _doc(*lines)
    assert got == thread


def _counters(n: int) -> list:
    lines: list = [ANCHOR, ANCHOR]
    for k in range(n):
        lines += [(_f(2, key=f"{k + 3} comments"), "comments"), ANCHOR]
    return lines


@pytest.mark.parametrize(("n", "thread"), [(2, 2), (3, None)])
def test_counters_under_every_post(n: int, thread: int | None) -> None:
    """Counters of one shape open a thread when they are fewer than three."""
    lines = _counters(n)
    feats = [x[0] if isinstance(x, tuple) else x for x in lines]
    counter = Verdict("comments", 0.5, [context.PROMPT_REASON], header=True)
    verdicts = [copy.deepcopy(counter) if isinstance(x, tuple) else Verdict("body", 0.5) for x in lines]
    assert assert_same(feats, verdicts)[1] == thread


@pytest.mark.parametrize(("gap", "thread"), [(12, 2), (13, None)])
def test_signatures_at_most_twelve_lines_apart(gap: int, thread: int | None) -> None:
    lines: list = [ANCHOR, ANCHOR]
    for k in range(4):
        lines += [_f(3, key=f"jane doe 12/03/2020 10:{k:02d}")] + [ANCHOR] * (gap - 1)
    (_, got), _ = _doc(*lines)
    assert got == thread


def test_stamps_are_asked_of_short_lines_with_a_colon_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """With patterns that take any key, the signatures are the short lines with a colon."""
    monkeypatch.setattr(context, "_stamp_key", lambda key: True)
    lines: list = [ANCHOR, ANCHOR]
    for k in range(4):
        too_long = _f(13, key=f"jane: {k}"), _f(12, key=f"jane: {k}" + "x" * 94)  # 13 words, 101 characters
        lines += [_f(3, key=f"jane doe {k}"), ANCHOR, *too_long, _f(12, key=f"jane: {k}" + "x" * 93), ANCHOR]
    (_, got), _ = _doc(*lines)
    assert got == 6


# ---- hand-backs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Feats(LineFeatures):
    pass


@dataclass(slots=True)
class _Verdict(Verdict):
    pass


def _subclassed(f: LineFeatures) -> LineFeatures:
    return _Feats(**{x.name: getattr(f, x.name) for x in fields(f) if x.init})


def _entry() -> tuple[list[LineFeatures], list[Verdict]]:
    """A fixture's records, on which the compiled path changes many verdicts."""
    feats, verdicts = _entries((FIXTURES / "golden" / "seed-000.txt").read_text(encoding="utf-8"))[0]
    assert _compiled(feats, copy.deepcopy(verdicts))[0] is not None
    return feats, verdicts


def _hands_back(feats: list, verdicts: list, *, pure: bool = True) -> None:
    """The compiled call hands back, leaving the records as they were; ``settle_span`` then gives
    the pure path's result."""
    before = [_record(v) for v in verdicts]
    assert _compiled(feats, verdicts) is NotImplemented
    assert [_record(v) for v in verdicts] == before
    assert all(type(v.reasons) in (list, _List) for v in verdicts)
    if pure:
        a, b = copy.deepcopy(verdicts), copy.deepcopy(verdicts)
        assert context.settle_span(feats, a) == context.python_settle_span(feats, b)
        assert [_record(v) for v in a] == [_record(v) for v in b]
        assert context.article_span(feats, verdicts) == context.python_article_span(feats, verdicts)


FEATURE_CHANGES = {
    "a str subclass key": lambda f: replace(f, key=_Str(f.key)),
    "an int for a bool": lambda f: replace(f, bullet=int(f.bullet)),
    "an int for cjk": lambda f: replace(f, cjk=int(f.cjk)),
    "a float word count": lambda f: replace(f, words=float(f.words)),
    "a bool word count": lambda f: replace(f, words=bool(f.words)),
    "a huge word count": lambda f: replace(f, words=2**60),
    "a negative word count": lambda f: replace(f, words=-1),
    "a huge int of chars": lambda f: replace(f, chars=2**60),
    "a str of sentences": lambda f: replace(f, sentences="1"),
    "a subclass of LineFeatures": _subclassed,
}


@pytest.mark.parametrize("change", FEATURE_CHANGES, ids=str)
def test_features_it_does_not_handle_go_to_python(change: str) -> None:
    feats, verdicts = _entry()
    for i in (0, len(feats) // 2, len(feats) - 1):
        changed = [*feats]
        changed[i] = FEATURE_CHANGES[change](feats[i])
        _hands_back(changed, copy.deepcopy(verdicts), pure=change not in ("a str of sentences",))


def _set(v: Verdict, **values: Any) -> Verdict:
    for name, value in values.items():
        object.__setattr__(v, name, value)
    return v


VERDICT_CHANGES = {
    "a str subclass kind": lambda v: _set(v, kind=_Str(v.kind)),
    "a dict subclass of scores": lambda v: _set(v, scores=_Dict(v.scores)),
    "a list subclass of reasons": lambda v: _set(v, reasons=_List(v.reasons)),
    "an int header": lambda v: _set(v, header=int(v.header)),
    "an int lock": lambda v: _set(v, locked=int(v.locked)),
    "an int noise flag": lambda v: _set(v, noise=int(v.noise)),
    "a subclass of Verdict": lambda v: _Verdict(v.kind, v.score, v.reasons, v.scores, v.header, v.locked),
}


@pytest.mark.parametrize("change", VERDICT_CHANGES, ids=str)
def test_verdicts_it_does_not_handle_go_to_python(change: str) -> None:
    feats, verdicts = _entry()
    for i in (0, len(feats) // 2, len(feats) - 1):
        changed = copy.deepcopy(verdicts)
        changed[i] = VERDICT_CHANGES[change](changed[i])
        _hands_back(feats, changed)


def test_scores_read_late_go_to_python() -> None:
    """Scores are read only for the lines whose noise kind a rule takes; one that is an int
    there, or a key that is a str subclass, hands the call back before anything changed."""
    feats, verdicts = _records(THREAD)
    done = copy.deepcopy(verdicts)
    context.python_settle_span(feats, done)
    taken = [i for i, v in enumerate(done) if v.scores and " the article (article runs" in v.reasons[0]]
    assert taken
    assert taken == [14, 16]
    for i in taken:
        for scores in ({k: int(x) for k, x in verdicts[i].scores.items()}, {_Str(k): x for k, x in verdicts[i].scores.items()}):
            changed = copy.deepcopy(verdicts)
            changed[i].scores = scores
            _hands_back(feats, changed)


def test_reasons_read_late_go_to_python() -> None:
    """A comment-counter header's reasons are read up to the first that starts with the
    counter's reason: one of another type before it hands the call back."""
    feats, verdicts = _records(THREAD)
    verdicts[5].reasons.insert(0, 3)
    _hands_back(feats, verdicts, pure=False)
    feats, verdicts = _records(THREAD)
    verdicts[5].reasons.insert(0, _Str("comment counter or prompt"))
    _hands_back(feats, verdicts)
    feats, verdicts = _records(THREAD)
    verdicts[5].reasons.append(3)  # after the counter's reason: not read
    assert_same(feats, verdicts)


def test_sequences_it_does_not_handle_go_to_python() -> None:
    feats, verdicts = _entry()
    _hands_back(feats[:-1], copy.deepcopy(verdicts), pure=False)
    _hands_back(feats, copy.deepcopy(verdicts)[:-1], pure=False)
    _hands_back(iter(feats), copy.deepcopy(verdicts), pure=False)  # type: ignore[arg-type]
    assert_same(tuple(feats), tuple(copy.deepcopy(verdicts)))  # type: ignore[arg-type]
    assert_same([], [])


def test_errors_of_the_calls_leave_the_records() -> None:
    feats, verdicts = _records(THREAD)
    before = [_record(v) for v in verdicts]

    def fails(_: object) -> object:
        raise ValueError("no")

    for calls in ({"stamp_key": fails}, {"prompt_shape": fails}):
        with pytest.raises(ValueError):
            _compiled(feats, verdicts, **calls)
        assert [_record(v) for v in verdicts] == before
    assert _compiled(feats, verdicts, prompt_shape=lambda key: 3) is NotImplemented  # not a str
    assert [_record(v) for v in verdicts] == before
    with pytest.raises(TypeError):
        context._X.settle_span(feats, verdicts, *context._X_RECORDS, set(context.NOT_NOISE), context._stamp_key, str)
    with pytest.raises(TypeError):
        context._X.settle_span(feats, verdicts, *context._X_RECORDS[2:], *context._X_RECORDS[:2], context.NOT_NOISE, len, str)
    with pytest.raises(TypeError):
        context._X.article_span(feats, verdicts)


def test_constants_are_the_rules() -> None:
    """The constants the C code holds are context.py's (else it would not be used)."""
    assert context._X.CONSTANTS and all(getattr(context, k) == v for k, v in context._X.CONSTANTS.items())
    assert context._compiled_span()[0] is context._X
