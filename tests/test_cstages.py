"""The compiled stages (``boilerstrip._cstages``) give what their pure paths give: the same ``Line``
records from ``segment.split_lines``, the same counts and language from
``langdetect.detect_language``, and the same per-line table, design matrix and neighbour columns,
bit for bit, from ``matrix.line_table``, ``matrix.design_matrix`` (its columns by
``matrix.design_columns``) and ``matrix.neighbour_columns``, and equal ``Verdict`` records from
``context.verdicts_from``. Each stage's tests are skipped when the
extension is not built (or does not fit the records); the pure paths then run alone."""

from __future__ import annotations

import math
import struct
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hostile_inputs import BODY_LINES, LINE_ENDS, NOISE_LINES, ODD_CHARS, documents, line_content
from hostile_inputs import StrSubclass as _Str
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from boilerstrip import Config, context, langdetect, matrix, segment
from boilerstrip.config import NOISE_KINDS
from boilerstrip.context import Verdict
from boilerstrip.decide import Memo, analyse
from boilerstrip.features import LineFeatures
from boilerstrip.model import shipped_model
from boilerstrip.segment import Line, python_split_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOT_BUILT = "boilerstrip._cstages is not built (installed without a C compiler): only the pure path of {} runs"

needs_segment = pytest.mark.skipif(not segment.COMPILED, reason=NOT_BUILT.format("segment.split_lines"))
needs_langdetect = pytest.mark.skipif(not langdetect.COMPILED, reason=NOT_BUILT.format("langdetect.detect_language"))
needs_matrix = pytest.mark.skipif(not matrix.COMPILED, reason=NOT_BUILT.format("matrix.line_table"))


def _fixture_texts() -> list[Path]:
    return sorted(FIXTURES.rglob("*.txt"))


HARD_TEXTS = [
    "",
    "a",
    "\n",
    "\r\n",
    "\r",
    "\n\r",
    "\r\r\n\n\r",
    "a\r\nb\n\nc",
    "".join(f"line {k}{end}" for k, end in enumerate(LINE_ENDS)),
    "".join(LINE_ENDS),
    "".join(LINE_ENDS) + "tail",
    "x\u2028y\u2029z\x85w\x1c\x1d\x1e\x0b\x0c",
    "\u2028\u2029\x85",
    "\x00",
    "nul\x00inside\x00\n\x00\r\n",
    "\ud800",
    "lone \ud800 surrogate\n\udc00 here\r\n\udbff\udfff",
    "北京是中国的首都。\n上海也很大！\r\n漢字かなカナ・ー한국어\u2028",
    "北京时间昨天下午，国务院召开了常务会议。" * 400,
    "emoji 😀\n party 🎉\x85𝐀𝐁𝐂",
    "İstanbul İİİ büyük şehir. Çok güzel! Der die das und the of",
    "Straße STRASSE ẞ groß\nΣΑΣ σας ΟΔΟΣ",
    "under_score words_and digits123abc 4ever ²³ Ⅻ ½ ١٢٣ abc٣def",
    "١٢٣",
    "der٣die٣das 𝟏the",
    "\u33ff\u3400\u4dbf\u4dc0\u4dff\u4e00\u9fff\ua000 the",  # the Han ranges' edges
    "\u3400\u9fff",
    "ǅemal ǈudi Kelvin \u212a \u2126hm",
    "cafe\u0301 e\u0301te\u0301\n\u0301start",
    "\ufeffBOM start\u200b\u200c\u200d",
    "12345",
    "the " * 3000 + "der " * 3000,  # past SAMPLE_CHARS
    "x" * (langdetect.SAMPLE_CHARS - 1) + "İ the",  # lower-casing lengthens the sample
    "İ" * langdetect.SAMPLE_CHARS,
    "\t \u3000\xa0\n \n\t",
    *NOISE_LINES,
    *BODY_LINES,
    "\n".join(NOISE_LINES + BODY_LINES),
    "".join(ODD_CHARS),
    "\n".join(ODD_CHARS),
]


def _types(lines: list[Line]) -> list[tuple[type, ...]]:
    return [(type(x), type(x.index), type(x.text), type(x.ending)) for x in lines]


# ---- segment.split_lines ---------------------------------------------------------------------


def assert_same_lines(text: str) -> None:
    got = segment._C.split_lines(text, Line, segment._C_SLOTS)
    assert got is not NotImplemented, "the core handed back a str"
    want = python_split_lines(text)
    assert got == want, f"split_lines of {text[:100]!r}"
    assert _types(got) == _types(want)
    assert "".join(x.text + x.ending for x in got) == text
    assert segment.split_lines(text) == want


@needs_segment
def test_line_ends_at_every_place_of_a_block() -> None:
    """The compiled split skips eight bytes at a time where none can end a line: every line end
    (and characters that look near one) at every offset of a block, in 1-, 2- and 4-byte strs."""
    ends = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
    near = ["\t", "\x1f", " ", "\x7f", "\x80", "\x84", "\x86", "\xa0", "\xff", "\u0100", "\u2027", "\u202a", "\uff0a"]
    for widen in ("", "\u2019", "\U0001f600"):
        for mark in ends + near:
            for at in range(18):
                assert_same_lines(widen + "a" * at + mark + "b" * (17 - at))
                assert_same_lines("é" * at + mark + mark + "x" * 9 + widen)
    assert_same_lines("\r" + "a" * 7 + "\r\n" + "\r" * 9)  # a CR LF across two blocks


@needs_segment
@pytest.mark.parametrize("path", _fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_same_lines(text)
    for end in LINE_ENDS:
        assert_same_lines(text.replace("\n", end))


@needs_segment
@pytest.mark.parametrize("text", HARD_TEXTS, ids=range(len(HARD_TEXTS)))
def test_hard_texts_lines(text: str) -> None:
    assert_same_lines(text)


@needs_segment
def test_a_50_mb_line() -> None:
    assert_same_lines("A lot. " * (50_000_000 // 7))
    assert_same_lines("Σ北 😀. " * 500_000 + "\r\n")


@needs_segment
def test_lines_are_frozen_records() -> None:
    line = segment.split_lines("a\r\nb")[0]
    assert line == Line(0, "a", "\r\n") and hash(line) == hash(Line(0, "a", "\r\n"))
    with pytest.raises(AttributeError):
        line.text = "x"  # type: ignore[misc]


@needs_segment
def test_line_records_are_left_to_reference_counting() -> None:
    """A record of an int and two strs can be in no cycle: the collector does not track it (less
    work for each collection), and it is freed when the last reference goes."""
    import gc
    import weakref

    lines = segment.split_lines("a\nb\r\n")
    assert not any(gc.is_tracked(line) for line in lines)
    assert lines == segment.python_split_lines("a\nb\r\n")
    if hasattr(Line, "__weakref__"):
        gone = weakref.ref(lines[0])
        del lines
        assert gone() is None


@needs_segment
def test_a_str_subclass_goes_to_python() -> None:
    assert segment._C.split_lines(_Str("a\nb"), Line, segment._C_SLOTS) is NotImplemented
    assert segment.split_lines(_Str("a\nb")) == python_split_lines("a\nb")


@needs_segment
def test_split_lines_refuses_bad_descriptors() -> None:
    with pytest.raises(TypeError):
        segment._C.split_lines("a", Line, segment._C_SLOTS[:2])
    with pytest.raises(TypeError):
        segment._C.split_lines("a", int, segment._C_SLOTS)  # not the class of the slots
    with pytest.raises(TypeError):
        segment._C.split_lines("a", Line, (Line.is_blank,) * 3)
    with pytest.raises(TypeError):
        segment._C.split_lines("a", Line)


line_text = st.text(
    st.sampled_from("ab_1 ΣİẞDer北\u3400\u4dbf\u4dc0\u4e00\u9fff\ua000٣𝟏😀\x00\ud800\t" + "".join(LINE_ENDS)), max_size=80
)


@needs_segment
@PROPS
@given(st.one_of(line_text, st.lists(st.one_of(line_content, line_text), max_size=12).map("".join)))
@example("\r")
@example("a\r\r\n")
def test_random_texts_lines(text: str) -> None:
    assert_same_lines(text)


# ---- langdetect.detect_language --------------------------------------------------------------


def assert_same_language(text: str) -> None:
    sample = text[: langdetect.SAMPLE_CHARS]
    got = langdetect._C.word_hits(sample.lower(), sample, *langdetect._compiled_index())
    assert got is not NotImplemented
    words = langdetect._WORD.findall(sample.lower())
    index = langdetect._languages_of_words()
    hits = [0] * len(langdetect.STOPWORD_LANGUAGES)
    for w, n in Counter(words).items():
        for k in index.get(w, ()):
            hits[k] += n
    assert got == (len(words), len(langdetect._HAN.findall(sample)), hits), f"counts of {text[:100]!r}"
    assert langdetect.detect_language(text) == langdetect.python_detect_language(text)


@needs_langdetect
@pytest.mark.parametrize("path", _fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_language(path: Path) -> None:
    assert_same_language(path.read_text(encoding="utf-8"))


@needs_langdetect
@pytest.mark.parametrize("text", HARD_TEXTS, ids=range(len(HARD_TEXTS)))
def test_hard_texts_language(text: str) -> None:
    assert_same_language(text)


@needs_langdetect
def test_each_language_and_ties() -> None:
    for lang in langdetect.STOPWORD_LANGUAGES:
        words = sorted(langdetect.stopwords(lang))
        assert_same_language(" ".join(words))
        assert_same_language(" ".join(w.upper() for w in words))
    assert_same_language("the der")  # a tie: the first language
    assert_same_language("北京 " * 3 + "the " * 7)
    assert_same_language("北京 " * 3 + "the " * 8)


@needs_langdetect
def test_a_50_mb_text() -> None:
    assert_same_language("x" * 50_000_000)
    assert_same_language("Die " * 12_500_000)


@needs_langdetect
def test_word_hits_refuses_a_bad_index() -> None:
    with pytest.raises(ValueError):
        langdetect._C.word_hits("the", "the", {"the": (9,)}, 8, 3)
    with pytest.raises(ValueError):
        langdetect._C.word_hits("the", "the", {"the": [0]}, 8, 3)
    with pytest.raises(ValueError):
        langdetect._C.word_hits("the", "the", {}, 1000, 3)
    assert langdetect._C.word_hits(_Str("the"), "the", {}, 8, 3) is NotImplemented
    assert langdetect.detect_language(_Str("Der Die Das und")) == "de"


needs_word_index = pytest.mark.skipif(
    not langdetect.COMPILED or not hasattr(langdetect._C, "word_index"), reason=NOT_BUILT.format("langdetect's word table")
)


def _counts_both_ways(low: str, index: dict, n_langs: int = 8) -> tuple:
    """The counts by the compiled table equal those by the dict, also when the table keeps only
    a few bits of each hash (words then collide and are told apart by their code points)."""
    longest = max(map(len, index), default=0)
    by_dict = langdetect._C.word_hits(low, low, index, n_langs, longest)
    for bits in (64, 2, 0):
        table = langdetect._C.word_index(index, n_langs, bits)
        assert langdetect._C.word_hits(low, low, table, n_langs, longest) == by_dict, (bits, low[:80])
    return by_dict


@needs_word_index
def test_the_word_table_counts_as_the_dict() -> None:
    """The compiled table answers every word as the dict does: words of every width of str, a
    word that is a prefix or an extension of a function word, the same code points in texts of
    another width, a word in several languages."""
    assert type(langdetect._compiled_index()[0]) is not dict  # the shipped index is the table
    index = {"the": (0,), "der": (1,), "für": (1,), "ść": (6,), "\U0001d49c\U0001d49c": (2,), "a": (0, 3, 4), "die": (1, 5)}
    words, _, hits = _counts_both_ways("the then th der dert für fürs ść ś \U0001d49c\U0001d49c \U0001d49c a a die", index)
    assert words == 14 and hits == [3, 3, 1, 2, 2, 1, 1, 0]
    assert _counts_both_ways("the a\u0100", index)[2] == [1, 0, 0, 0, 0, 0, 0, 0]  # "a\u0100" is one word
    for lang in langdetect.STOPWORD_LANGUAGES:  # every shipped function word, alone and in prose
        words = sorted(langdetect.stopwords(lang))
        text = " ".join(words).lower()
        _counts_both_ways(text, langdetect._languages_of_words())
        _counts_both_ways(text + " \U0001f600", langdetect._languages_of_words())  # in a 4-byte str


@needs_word_index
@PROPS
@given(st.dictionaries(st.text(st.characters(categories=("Ll", "Lo")), min_size=1, max_size=6),
                       st.sets(st.integers(0, 7), min_size=1).map(lambda s: tuple(sorted(s))), max_size=300),
       st.lists(st.text(st.characters(categories=("Ll", "Lo", "Nd", "Zs")), max_size=8), max_size=60))
def test_random_word_tables(index: dict, pieces: list) -> None:
    text = " ".join(pieces + list(index)[:30])
    _counts_both_ways(text, index)


@needs_word_index
def test_word_index_refuses_what_it_cannot_hold() -> None:
    for bad in ({"the": (8,)}, {"the": (0, 0)}, {"the": [0]}, {"the": (-1,)}, {"": (0,)}, {_Str("the"): (0,)}, {1: (0,)},
                {"the": ("0",)}):
        with pytest.raises(ValueError):
            langdetect._C.word_index(bad, 8)
    for n_langs, bits in ((65, 64), (8, 65), (8, -1)):
        with pytest.raises(ValueError):
            langdetect._C.word_index({}, n_langs, bits)
    with pytest.raises(ValueError):
        langdetect._C.word_index([("the", (0,))], 8)
    table = langdetect._C.word_index({"the": (0,)}, 8)
    with pytest.raises(ValueError):  # counted for another number of languages than the table's
        langdetect._C.word_hits("the", "the", table, 4, 3)
    assert langdetect._C.word_hits("the", "the", table, 8, 3) == (1, 0, [1, 0, 0, 0, 0, 0, 0, 0])


@needs_langdetect
@PROPS
@given(st.one_of(line_text, st.lists(st.one_of(line_content, line_text, st.sampled_from(BODY_LINES)), max_size=12).map(" ".join)))
def test_random_texts_language(text: str) -> None:
    assert_same_language(text)


# ---- matrix.line_table and design_matrix -----------------------------------------------------


def _compiled_table(feats, verdicts) -> tuple[np.ndarray, np.ndarray]:
    n = len(feats)
    rows, table = np.empty(n, dtype=np.intp), np.empty((n, matrix.TABLE_WIDTH))
    got = matrix._C.line_table(
        feats, verdicts, LineFeatures, matrix._C_FEATURE_SLOTS, Verdict, matrix._C_VERDICT_SLOTS, matrix._NOISE_INDEX,
        matrix._KIND_INDEX, len(matrix._CONTENT), matrix.CJK_PROSE_CHARS, rows, table,
    )
    assert got is not NotImplemented, "the core handed back records it should handle"
    return rows[:got], table[:got]


def assert_same_matrix(feats, verdicts, span=None) -> None:
    rows, table = _compiled_table(feats, verdicts)
    want_rows, want_table = matrix.python_line_table(feats, verdicts)
    assert rows.tolist() == want_rows.tolist()
    assert table.tobytes() == want_table.tobytes(), "the per-line tables differ"
    c = matrix._C
    with np.errstate(all="ignore"):  # NaN and infinite values on purpose
        got = matrix.design_matrix(feats, verdicts, span)
        matrix._C = None
        try:
            want = matrix.design_matrix(feats, verdicts, span)
        finally:
            matrix._C = c
    assert got[0].dtype == want[0].dtype and got[0].tobytes() == want[0].tobytes()
    assert got[1].shape == want[1].shape and got[1].tobytes() == want[1].tobytes(), "the design matrices differ"
    assert got[2] == want[2] == list(matrix.DESIGN_NAMES)
    with np.errstate(all="ignore"):
        pure = matrix.python_design_matrix(feats, verdicts, span)
    assert pure[0].tobytes() == want[0].tobytes() and pure[1].tobytes() == want[1].tobytes() and pure[2] == want[2]
    if not np.isnan(table).any():
        assert_same_columns(rows, table, span)


def assert_same_columns(rows: np.ndarray, table: np.ndarray, span, *, compiled: bool = True) -> np.ndarray:
    """design_rows fills the matrix (when ``compiled``: it does not hand the call back) and
    design_columns gives the bits of python_design_columns; returns the matrix."""
    n = len(rows)
    X, logs = np.empty((n, len(matrix.DESIGN_NAMES))), np.empty((n, len(matrix._C_LOG_AT)))
    handed_back = matrix._C.design_rows(rows, table, span, X, logs) is NotImplemented
    assert handed_back != compiled, "design_rows handed back a call it should handle" if compiled else "it should not"
    with np.errstate(all="ignore"):
        got = matrix.design_columns(rows, table, span)
        want = matrix.python_design_columns(rows, table, span)
    assert got.shape == want.shape == (n, len(matrix.DESIGN_NAMES)) and got.dtype == want.dtype == np.float64
    bad = ~(got.view(np.uint64) == want.view(np.uint64)).all(axis=0)
    assert not bad.any(), f"columns differ: {[matrix.DESIGN_NAMES[k] for k in np.flatnonzero(bad)]}"
    return got


def assert_same_neighbours(p: np.ndarray, *, compiled: bool = True) -> None:
    X = np.empty((len(p), len(matrix.NEIGHBOUR_NAMES)))
    assert (matrix._C.neighbour_rows(p, X) is NotImplemented) != compiled
    with np.errstate(all="ignore"):
        got, got_names = matrix.neighbour_columns(p)
        want, want_names = matrix.python_neighbour_columns(p)
    assert got_names == want_names == list(matrix.NEIGHBOUR_NAMES)
    assert got.shape == want.shape and np.array_equal(got.view(np.uint64), want.view(np.uint64)), "neighbours differ"


def assert_same_analysis(text: str) -> None:
    a = analyse(text, Config())
    assert_same_matrix(a.feats, a.verdicts, a.span)
    assert_same_matrix(a.feats, a.verdicts, None)
    model = shipped_model()
    if model is not None:
        _, X, _ = matrix.python_design_matrix(a.feats, a.verdicts, a.span)
        assert_same_neighbours(model.stage1.predict(X))


@needs_matrix
@pytest.mark.parametrize("path", _fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_matrix(path: Path) -> None:
    assert_same_analysis(path.read_text(encoding="utf-8"))


@needs_matrix
def test_hard_texts_matrix() -> None:
    for text in HARD_TEXTS:
        assert_same_analysis(text)
    assert_same_analysis("\n".join(HARD_TEXTS))


def _feature(**changes) -> LineFeatures:
    base = LineFeatures("k", 40, 12, 12, 0.3, 0.2, 0.0, 0.05, True, False, 1, False, False, False, 1.5, 3)
    return replace(base, **changes)


SPECIAL = [0.0, -0.0, 0.15, 0.2, 0.6, 0.65, math.nextafter(0.2, 0), math.nextafter(0.65, 1), math.inf, -math.inf,
           math.nan, 1e300, -5e-324]


@needs_matrix
def test_values_on_the_thresholds_and_special_floats() -> None:
    feats = [_feature()]
    for x in SPECIAL:
        feats += [_feature(stop_ratio=x), _feature(cap_ratio=x), _feature(word_score_sum=x), _feature(words=20, stop_ratio=x)]
    for w in (0, 1, 2, 9, 10, 19, 20, 24, 25, 2**53):
        for cjk in (False, True):
            feats += [_feature(words=w, cjk=cjk), _feature(words=w, cjk=cjk, ends_sentence=False, sentences=0)]
    for c in (1, 19, 20, 200, 201, -3):
        feats += [_feature(chars=c, cjk=True), _feature(chars=c, ends_sentence=False, words=3)]
    feats += [_feature(sentences=s, ends_sentence=False, words=5) for s in (0, 1, 2, 11)]
    feats += [_feature(words=True), _feature(cjk=1), _feature(cjk=0.5), _feature(cjk=math.nan), _feature(ends_sentence=2.0)]
    feats += [_feature(chars=0, words=0)]  # blank
    kinds = ["body", "heading", "title", *NOISE_KINDS, "blank", "unheard-of"]
    verdicts = []
    for k in range(len(feats)):
        scores = {kind: SPECIAL[(k + j) % len(SPECIAL)] for j, kind in enumerate(NOISE_KINDS[: k % 5])}
        if k % 7 == 0:
            scores = {"ad": 1, "nav": True, "related": -2**53}
        verdicts.append(Verdict(kinds[k % len(kinds)], 0.5, [], scores, header=[False, True, 1, 0.5][k % 4]))
    assert_same_matrix(feats, verdicts, (2, 40))
    assert_same_matrix(feats[:1], verdicts[:1])
    assert_same_matrix([], [])
    assert_same_matrix([feats[-1]] * 3, verdicts[:3])


@needs_matrix
@pytest.mark.parametrize(
    "feature, verdict",
    [
        (_feature(words=2**53 + 1), Verdict("body", 0.5)),  # an int float() rounds
        (_feature(words=np.int64(3)), Verdict("body", 0.5)),  # not an exact int
        (_feature(stop_ratio=np.float64(0.3)), Verdict("body", 0.5)),  # a float subclass
        (_feature(), Verdict("body", 0.5, scores={"ad": np.float64(0.5)})),
        (_feature(), Verdict("body", 0.5, scores={"ad": 2**60})),
        (_feature(), Verdict(_Str("body"), 0.5)),
        (_feature(), Verdict("body", 0.5, header=None)),  # float(None) fails in Python too
    ],
)
def test_values_it_does_not_handle_go_to_python(feature, verdict) -> None:
    n = 2
    rows, table = np.empty(n, dtype=np.intp), np.empty((n, matrix.TABLE_WIDTH))
    args = ([feature, _feature()], [verdict, Verdict("nav", 0.1)], LineFeatures, matrix._C_FEATURE_SLOTS, Verdict,
            matrix._C_VERDICT_SLOTS, matrix._NOISE_INDEX, matrix._KIND_INDEX, 3, 20, rows, table)
    assert matrix._C.line_table(*args) is NotImplemented
    try:
        want = matrix.python_line_table(*args[:2])
    except Exception as e:  # the same error from the public function
        with pytest.raises(type(e)):
            matrix.line_table(*args[:2])
    else:
        got = matrix.line_table(*args[:2])
        assert got[0].tobytes() == want[0].tobytes() and got[1].tobytes() == want[1].tobytes()


@needs_matrix
def test_an_unknown_score_kind_raises_as_in_python() -> None:
    feats, verdicts = [_feature()], [Verdict("body", 0.5, scores={"not-a-kind": 1.0})]
    with pytest.raises(KeyError):
        matrix.python_line_table(feats, verdicts)
    with pytest.raises(KeyError):
        matrix.line_table(feats, verdicts)


class _Features(LineFeatures):
    pass


@needs_matrix
def test_line_table_refuses_bad_arguments() -> None:
    feats, verdicts = [_feature()], [Verdict("body", 0.5)]
    rows, table = np.empty(1, dtype=np.intp), np.empty((1, matrix.TABLE_WIDTH))
    good = [feats, verdicts, LineFeatures, matrix._C_FEATURE_SLOTS, Verdict, matrix._C_VERDICT_SLOTS, matrix._NOISE_INDEX,
            matrix._KIND_INDEX, 3, 20, rows, table]
    bad = {
        3: matrix._C_FEATURE_SLOTS[:-1],
        4: LineFeatures,  # verdict slots of another class
        5: matrix._C_FEATURE_SLOTS[:3],
        6: {"nav": 99},
        7: [("body", 0)],
        10: np.empty(0, dtype=np.intp),
        11: np.empty((1, matrix.TABLE_WIDTH - 1)),
    }
    for k, value in bad.items():
        args = list(good)
        args[k] = value
        with pytest.raises((TypeError, ValueError)):
            matrix._C.line_table(*args)
    for k, value in {10: np.empty(1, dtype=np.int32), 11: np.empty((1, matrix.TABLE_WIDTH), dtype=np.float32),
                     11.5: None}.items():
        args = list(good)
        if value is None:
            args[11] = table[:, ::2]  # not contiguous
        else:
            args[int(k)] = value
        with pytest.raises((TypeError, ValueError, BufferError)):
            matrix._C.line_table(*args)
    frozen = np.empty((1, matrix.TABLE_WIDTH))
    frozen.flags.writeable = False
    args = list(good)
    args[11] = frozen
    with pytest.raises((TypeError, ValueError, BufferError)):
        matrix._C.line_table(*args)
    args = list(good)
    args[0] = [_Features(*[getattr(feats[0], f) for f in LineFeatures.__dataclass_fields__ if f != "blank"])]
    assert matrix._C.line_table(*args) is NotImplemented  # a subclass goes to Python
    args = list(good)
    args[1] = []
    assert matrix._C.line_table(*args) is NotImplemented  # lengths differ


unit = st.sampled_from(SPECIAL) | st.floats(0, 1)


@st.composite
def records(draw: st.DrawFn) -> tuple[LineFeatures, Verdict]:
    f = _feature(
        chars=draw(st.sampled_from([0, 1, 19, 20, 21, 199, 200, 201, 5000])),
        words=draw(st.integers(0, 30)),
        stop_ratio=draw(unit), cap_ratio=draw(unit), digit_ratio=draw(unit), punct_ratio=draw(unit),
        ends_sentence=draw(st.booleans()), ends_colon=draw(st.booleans()), sentences=draw(st.integers(0, 12)),
        bullet=draw(st.booleans()), cjk=draw(st.booleans()), has_url=draw(st.booleans()),
        word_score_sum=draw(st.floats(allow_nan=True, allow_infinity=True)), word_score_n=draw(st.integers(0, 99)),
    )
    kind = draw(st.sampled_from([*matrix.KIND_ORDER, "blank", "other"]))
    scores = draw(st.dictionaries(st.sampled_from(NOISE_KINDS), st.floats(allow_nan=True) | st.integers(-9, 9)))
    return f, Verdict(kind, 0.5, [], scores, header=draw(st.booleans()))


@needs_matrix
@PROPS
@given(st.lists(records(), max_size=40), st.none() | st.tuples(st.integers(0, 40), st.integers(0, 40)))
def test_random_records_matrix(pairs, span) -> None:
    assert_same_matrix([f for f, _ in pairs], [v for _, v in pairs], span)


@needs_matrix
@PROPS
@given(documents(max_lines=60))
def test_random_documents_matrix(text: str) -> None:
    assert_same_analysis(text)


def _table(words: list[float], gaps: list[int] | None = None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Rows (ascending, a blank line after each gap) and a line table of random values with these word counts."""
    rng = np.random.default_rng(seed)
    n = len(words)
    table = rng.random((n, matrix.TABLE_WIDTH)) * rng.choice([1.0, 30.0, 1e6], (n, matrix.TABLE_WIDTH))
    table[:, 1] = words
    table[:, 13] = rng.integers(0, 5, n)  # word score counts, 0 included
    table[:, matrix._T_PROSE] = rng.random(n) < 0.5
    table[:, matrix._T_NOISE] = rng.random(n) < 0.5
    steps = np.array(gaps if gaps is not None else rng.integers(1, 3, n), dtype=np.intp)
    return np.cumsum(steps) - 1, table


@needs_matrix
@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 8, 9, 16, 127, 128, 129, 130, 300, 1000])
def test_design_columns_on_the_edges(n: int) -> None:
    rng = np.random.default_rng(n)
    rows, table = _table(list(rng.integers(0, 40, n).astype(float)), seed=n)
    last = int(rows[-1]) if n else 0
    spans = [None, (0, 0), (0, last), (last, last), (0, n - 1), (n - 1, n - 1), (last + 1, last + 5), (-5, -1), (3, 1),
             (-(2**62), 2**62), (int(rows[n // 2]) if n else 0, last)]
    for span in spans:
        assert_same_columns(rows, table, span)
    for span in [(0, 2**70), (True, 3), (0.0, 3), [0, 3], (np.int64(0), 3)]:  # Python handles these
        assert_same_columns(rows, table, span, compiled=False)
    for funct in (matrix.design_columns, matrix.python_design_columns):
        with pytest.raises(ValueError):  # unpacking it
            funct(rows, table, (0, 1, 2))
    assert_same_neighbours(rng.random(n))


@needs_matrix
def test_design_columns_median_and_sums() -> None:
    # the median of many equal counts, of odd and even numbers of lines, pairwise sums past 8 and 128 lines
    for n in (1, 2, 3, 4, 5, 8, 9, 128, 129, 1000, 1001, 9000):
        for words in ([0.0] * n, [1.0] * n, [float(k % 3) for k in range(n)], [float(n - k) for k in range(n)],
                      list(np.random.default_rng(n).random(n) * 1e9)):
            got = assert_same_columns(*_table(words, seed=n), None)
            s = np.sort(words)
            at = matrix.DESIGN_NAMES.index("page_median_words")
            assert got[0, at] == (s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2)
    # -0.0 among the word counts and NaN anywhere go to NumPy
    rows, table = _table([1.0, -0.0, 2.0])
    assert_same_columns(rows, table, None, compiled=False)
    rows, table = _table([1.0, 0.0, 2.0])
    assert_same_columns(rows, table, None)
    table[2, 5] = math.nan
    assert_same_columns(rows, table, None, compiled=False)


@needs_matrix
def test_design_columns_of_special_values() -> None:
    # infinite and huge values: their sums overflow to inf and inf - inf to NaN, the same in C and NumPy
    for x in SPECIAL:
        if math.isnan(x):
            continue
        for col in (0, 1, 8, 12, 13, matrix._T_PROSE, matrix._T_RULE, matrix._T_NOISE):
            rows, table = _table([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0], seed=col)
            table[[1, 4], col] = x
            table[5, col] = -x
            assert_same_columns(rows, table, (1, 4), compiled=not (col == 1 and x == 0))  # -0.0 words go to NumPy
    assert_same_neighbours(np.array([x for x in SPECIAL if not math.isnan(x)]))
    assert_same_neighbours(np.array([0.2, math.nan, 0.3]), compiled=False)


@needs_matrix
def test_design_rows_refuses_bad_arguments() -> None:
    rows, table = _table([1.0, 2.0, 3.0])
    n, width = len(rows), len(matrix.DESIGN_NAMES)
    good = [rows, table, None, np.empty((n, width)), np.empty((n, len(matrix._C_LOG_AT)))]
    assert matrix._C.design_rows(*good) is None
    bad = {
        0: rows.astype(np.int32), 1: table.astype(np.float32), 3: np.empty((n, width), dtype=np.int64),
        4: np.empty((n, len(matrix._C_LOG_AT)), dtype=np.float32),
    }
    for k, value in bad.items():
        args = list(good)
        args[k] = value
        with pytest.raises(TypeError):
            matrix._C.design_rows(*args)
    shapes = {0: rows[:2], 1: table[:, :-1].copy(), 3: np.empty((n, width + 1)), 4: np.empty((n + 1, len(matrix._C_LOG_AT)))}
    for k, value in {**shapes, 1.5: np.empty((n, 17))}.items():
        args = list(good)
        args[int(k)] = value
        with pytest.raises(ValueError):
            matrix._C.design_rows(*args)
    for k, value in {1: table[:, ::2], 3: np.empty((n, 2 * width))[:, ::2], 3.5: np.empty((n, width))}.items():
        args = list(good)
        if k == 3.5:
            value.flags.writeable = False
        args[int(k)] = value
        with pytest.raises((TypeError, ValueError, BufferError)):
            matrix._C.design_rows(*args)
    with pytest.raises(TypeError):
        matrix._C.design_rows(*good[:4])
    p, X = np.array([0.1, 0.9]), np.empty((2, len(matrix.NEIGHBOUR_NAMES)))
    assert matrix._C.neighbour_rows(p, X) is None
    for odd in ([0.1, 0.9], np.array([1, 2]), np.array([0.1, 0.2, 0.9, 0.4])[::2], np.array([[0.1, 0.9]]),
                np.array([0.1, 0.9], dtype=np.float32), np.array([0.1, 0.9], dtype=">f8")):
        assert matrix._C.neighbour_rows(odd, X) is NotImplemented
        try:
            want = matrix.python_neighbour_columns(odd)
        except Exception as e:  # the same error from the public function
            with pytest.raises(type(e)):
                matrix.neighbour_columns(odd)
        else:
            got = matrix.neighbour_columns(odd)
            assert got[0].tobytes() == want[0].tobytes() and got[1] == want[1]
    for out in (np.empty((3, len(matrix.NEIGHBOUR_NAMES))), np.empty((2, 5)), np.empty((2, 6), dtype=np.float32)):
        with pytest.raises((TypeError, ValueError)):
            matrix._C.neighbour_rows(p, out)


finite = st.floats(allow_nan=False, width=64) | st.sampled_from([0.0, -0.0, 1e300, -1e300, 5e-324, math.inf, -math.inf])


@st.composite
def tables(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Rows and a line table: the columns design_rows computes with drawn (word counts, word score
    sums and counts, sentences, prose and noise flags), the others random."""
    n = draw(st.integers(0, 40))
    small = st.integers(0, 30).map(float)
    rows, table = _table([0.0] * n, draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)), draw(st.integers(0, 99)))
    no_negative_zero = finite.filter(lambda x: not (x == 0 and math.copysign(1, x) < 0))
    for col, values in ((1, small | no_negative_zero), (8, small | finite), (12, finite), (13, small | finite),
                        (matrix._T_PROSE, st.sampled_from([0.0, 1.0]) | finite),
                        (matrix._T_NOISE, st.sampled_from([0.0, 1.0]) | finite)):
        table[:, col] = draw(st.lists(values, min_size=n, max_size=n))
    return rows, table


@st.composite
def big_tables(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Larger tables (past the pairwise sum's blocks of 8 and 128), special values at random places."""
    n = draw(st.integers(100, 700))
    rng = np.random.default_rng(draw(st.integers(0, 2**32)))
    rows, table = _table(list(rng.integers(0, draw(st.sampled_from([2, 10, 1000])), n).astype(float)), seed=n)
    for value in draw(st.lists(finite, max_size=6)):
        at, col = rng.integers(0, n), rng.choice([0, 1, 8, 12, 13, matrix._T_PROSE, matrix._T_NOISE])
        table[at, col] = 0.0 if col == 1 and value == 0 else value
    return rows, table


@needs_matrix
@PROPS
@given(big_tables(), st.none() | st.tuples(st.integers(-3, 2000), st.integers(-3, 2000)))
def test_random_big_tables_design_columns(rows_table, span) -> None:
    assert_same_columns(*rows_table, span)


@needs_matrix
@PROPS
@given(tables(), st.none() | st.tuples(st.integers(-3, 300), st.integers(-3, 300)))
def test_random_tables_design_columns(rows_table, span) -> None:
    assert_same_columns(*rows_table, span)


@needs_matrix
@PROPS
@given(st.lists(st.floats(0, 1) | finite, max_size=60))
def test_random_neighbour_columns(p) -> None:
    assert_same_neighbours(np.array(p, dtype=float))


def test_pure_design_names() -> None:
    # the names are those the NumPy code makes, with or without the extension
    feats = [_feature(), _feature(chars=0, words=0), _feature()]
    verdicts = [Verdict("body", 0.5), Verdict("blank", 0.5), Verdict("nav", 0.5)]
    _, X, names = matrix.python_design_matrix(feats, verdicts, (0, 2))
    assert tuple(names) == matrix.DESIGN_NAMES and X.shape == (2, len(names))
    assert tuple(matrix.python_neighbour_columns(np.zeros(2))[1]) == matrix.NEIGHBOUR_NAMES


def test_float_bits_helper_sees_negative_zero() -> None:
    # What the tables are compared by (tobytes) tells -0.0 from 0.0 and NaNs apart.
    assert struct.pack("<d", -0.0) != struct.pack("<d", 0.0)
    assert np.array([-0.0]).tobytes() != np.array([0.0]).tobytes()


# ---- context-free verdicts --------------------------------------------------------------------

needs_verdicts = pytest.mark.skipif(not context.COMPILED, reason=NOT_BUILT.format("context.verdicts_from"))


def _same_records(templates: list) -> list[Verdict]:
    got = context.verdicts_from(templates)
    want = context.python_verdicts_from(templates)
    assert got == want
    assert [v.noise for v in got] == [v.noise for v in want] == [t[0] not in context.NOT_NOISE for t in templates]
    assert all(type(v) is Verdict for v in got)
    for v, t in zip(got, templates):
        assert type(v.reasons) is list and type(v.scores) is dict and type(v.noise) is bool
        assert v.scores is not t[3]
    return got


@needs_verdicts
@pytest.mark.parametrize("path", _fixture_texts()[:12], ids=lambda p: p.stem)
def test_fixture_verdicts(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The context-free verdicts of whole documents, compiled and pure, and every template the
    documents made (blank lines, body lines with and without weak evidence, noise)."""
    text = path.read_text(encoding="utf-8")
    memo = Memo({}, {}, {})
    got = analyse(text, Config(), memo=memo).verdicts
    with monkeypatch.context() as m:
        m.setattr(context, "_C", None)
        want = analyse(text, Config()).verdicts
    assert got == want
    _same_records(list(memo.verdicts.values()))


@needs_verdicts
def test_each_verdict_owns_its_reasons_and_scores() -> None:
    template = ("nav", 0.95, ("menu", "second"), {"nav": 0.95, "meta": 0.4}, True, False)
    a, b = _same_records([template, template])
    a.reasons.append("more")
    a.scores["ad"] = 1.0
    a.set("body", 0.5, "first")
    assert b == Verdict("nav", 0.95, ["menu", "second"], {"nav": 0.95, "meta": 0.4}, True, False)
    assert a.noise is False and b.noise is True
    assert template == ("nav", 0.95, ("menu", "second"), {"nav": 0.95, "meta": 0.4}, True, False)
    assert _same_records([]) == []
    blank = ("blank", 1.0, ("empty line",), {}, False, False)
    assert _same_records([blank, ("body", 0.5, (), {}, False, True)])[1].locked is True


@needs_verdicts
def test_verdict_records_are_left_to_reference_counting() -> None:
    """The compiled records and their reasons lists are not tracked by the cycle collector (less
    work for each collection); they stay usable, and a record is freed with its last reference."""
    import gc
    import sys

    template = ("nav", 0.95, ("menu",), {"nav": 0.95}, False, False)
    got = context.verdicts_from([template, _BLANK_TEMPLATE])
    assert not any(gc.is_tracked(v) or gc.is_tracked(v.reasons) for v in got)
    assert all(gc.is_tracked(v) for v in context.python_verdicts_from([template]))  # Python's own are tracked
    got[0].set("body", 0.5, "kept")
    got[0].reasons.append("more")
    assert got[0] == Verdict("body", 0.5, ["kept", "menu", "more"], {"nav": 0.95}, False, False)
    reasons = got[0].reasons
    assert sys.getrefcount(reasons) == 3  # the record's slot, the name and the call's argument
    del got
    assert sys.getrefcount(reasons) == 2  # the record is gone with its last reference


_BLANK_TEMPLATE = ("blank", 1.0, ("empty line",), {}, False, False)


@needs_verdicts
def test_templates_it_does_not_know_go_to_python() -> None:
    good = ("nav", 0.95, ("menu",), {"nav": 0.95}, False, False)
    odd = [
        (_Str("nav"), *good[1:]),
        ("nav", 1, *good[2:]),  # an int score
        ("nav", 0.95, ["menu"], *good[3:]),
        ("nav", 0.95, ("menu",), [("nav", 0.95)], False, False),
        ("nav", 0.95, ("menu",), {"nav": 0.95}, 1, False),
        ("nav", 0.95, ("menu",), {"nav": 0.95}, False, None),
        good[:5],
        [*good],
    ]
    for t in odd:
        assert context._C.verdicts(Verdict, context._C_SLOTS, [good, t], context.NOT_NOISE) is NotImplemented, t
    assert context._C.verdicts(Verdict, context._C_SLOTS, (good,), context.NOT_NOISE) is NotImplemented  # not a list
    assert context.verdicts_from([good, odd[1]]) == context.python_verdicts_from([good, odd[1]])
    with pytest.raises(TypeError):
        context._C.verdicts(Verdict, context._C_SLOTS[:6], [good], context.NOT_NOISE)
    with pytest.raises(TypeError):
        context._C.verdicts(Line, context._C_SLOTS, [good], context.NOT_NOISE)  # slots of another class
    with pytest.raises(TypeError):
        context._C.verdicts(Verdict, context._C_SLOTS, [good], set(context.NOT_NOISE))  # not a frozenset
    with pytest.raises(TypeError):
        context._C.verdicts(Verdict, context._C_SLOTS)


@needs_verdicts
@PROPS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["body", "nav", "blank", "ß", "北"]),
            st.floats(allow_nan=True, allow_infinity=True),
            st.lists(st.text(max_size=8), max_size=3).map(tuple),
            st.dictionaries(st.sampled_from(NOISE_KINDS), st.floats(allow_nan=False)),
            st.booleans(),
            st.booleans(),
        ),
        max_size=20,
    )
)
def test_random_templates(templates: list) -> None:
    got = context.verdicts_from(templates)
    want = context.python_verdicts_from(templates)
    assert [(v.kind, struct.pack("<d", v.score), v.reasons, v.scores, v.header, v.locked, v.noise) for v in got] == [
        (v.kind, struct.pack("<d", v.score), v.reasons, v.scores, v.header, v.locked, v.noise) for v in want
    ]
