"""The compiled features core (``boilerstrip._cfeatures``) makes the very records of the pure-Python
path, field by field: same values of the same types, floats bit for bit, the line keys included
(made in C, and by ``lexicon.line_keys`` when the core is given it), and the same with the ASCII
tokens looked up in its vocabulary table (``VocabTable``, at any number of hash bits) as in the
stop-word set and the score dict. Skipped when the extension is not built; ``features_of_lines``
then runs the Python path alone."""

from __future__ import annotations

import string
import struct
from dataclasses import fields
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType, SimpleNamespace

import numpy as np
import pytest
from hostile_inputs import BODY_LINES, NOISE_LINES, ODD_CHARS, line_content
from hostile_inputs import StrSubclass as _Str
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from boilerstrip import features
from boilerstrip.features import FEATURE_TEXT_CHARS, LineFeatures, python_features_of_lines, words_of
from boilerstrip.lexicon import MATCH_CHARS, all_stopwords, line_keys, stopwords
from boilerstrip.model import WordScores, shipped_word_scores
from boilerstrip.segment import split_lines

VocabTable = getattr(features._C, "VocabTable", None)
pytestmark = pytest.mark.skipif(
    not features.COMPILED,
    reason="boilerstrip._cfeatures is not built (installed without a C compiler): only the pure-Python path runs",
)

STOP = all_stopwords()
LEARNED = shipped_word_scores()
SCORES = dict(LEARNED)  # a plain dict: looked up as it is, or through a table built from it
FIELDS = [f.name for f in fields(LineFeatures)]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compiled(texts, stop, scores, *, keys_in_python: bool = False, table=None) -> list[LineFeatures]:
    """The core's records, never the Python fallback; the keys by ``line_keys`` if asked, the
    ASCII tokens looked up in ``table`` if given."""
    got = call_core(texts, stop, scores, keys_in_python=keys_in_python, table=table)
    assert got is not NotImplemented, "the core handed back inputs it should handle"
    return got


def call_core(texts, stop, scores, *, keys_in_python: bool = False, table=None):
    keys = line_keys if keys_in_python else features._C_KEYS
    args = (texts, stop, scores, features._BLANK, features._C_SETTERS, keys, FEATURE_TEXT_CHARS, MATCH_CHARS)
    return features._C.features_of_lines(*args) if table is None else features._C.features_of_lines(*args, table)


_SHIPPED_TABLE = VocabTable(STOP, SCORES) if VocabTable is not None else None


def table_of(stop, scores, hash_bits: int = 64):
    """A VocabTable of ``stop`` and ``scores`` (the shipped pair's made once)."""
    if stop is STOP and scores is SCORES and hash_bits == 64:
        return _SHIPPED_TABLE
    return VocabTable(stop, scores, hash_bits=hash_bits)


def _bits(x: object) -> tuple[str, object]:
    """A value with its type; a float by its bits (0.0 is not -0.0, a NaN is itself)."""
    return type(x).__name__, struct.pack("<d", x) if isinstance(x, float) else x


def assert_same(
    texts: list[str], stop: frozenset[str] = STOP, scores: dict[str, float] | None = SCORES, hash_bits=(64,)
) -> None:
    """The core's records equal the Python path's: with the keys made in C and by ``line_keys``,
    and, for a dict of scores, with a table of ``stop`` and ``scores`` at each of ``hash_bits``
    and through ``features_of_lines`` with ``WordScores``."""
    want = python_features_of_lines(texts, stop, scores)
    runs = [dict(keys_in_python=False), dict(keys_in_python=True)]
    if type(scores) is dict:
        runs += [dict(table=table_of(stop, scores, bits)) for bits in hash_bits]
    for run in runs:
        got = compiled(texts, stop, scores, **run)
        assert len(got) == len(want)
        for text, g, w in zip(texts, got, want):
            assert type(g) is LineFeatures
            if w is features._BLANK:
                assert g is w, f"blank line {text!r} is not the shared blank record"
            for name in FIELDS:
                a, b = getattr(g, name), getattr(w, name)
                assert _bits(a) == _bits(b), f"{name} of {text[:100]!r}: C {a!r}, Python {b!r} ({run})"
    assert list(map(_record_bits, features.features_of_lines(texts, stop, scores))) == list(map(_record_bits, want))
    if type(scores) is dict:
        learned = LEARNED if scores is SCORES else WordScores(scores)
        got = features.features_of_lines(texts, stop, learned)
        assert list(map(_record_bits, got)) == list(map(_record_bits, want))


def _record_bits(f: LineFeatures) -> tuple[tuple[str, object], ...]:
    return tuple(_bits(getattr(f, name)) for name in FIELDS)


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.txt"))


def test_the_core_is_used_and_makes_the_keys() -> None:
    # If this fails after a change to lexicon's key constants (_QUOTES, _LEAD, _LEAD_FIRST), the core
    # still gives the right keys (it calls lexicon.line_keys), but _features.c should follow lexicon.
    assert features._C_KEYS is None
    assert features.features_of_lines(["One two."], STOP) == compiled(["One two."], STOP, None)


def test_records_are_left_to_reference_counting() -> None:
    """A record of a str, numbers and bools can be in no cycle: the collector does not track the
    records the core makes (less work for each collection); Python's records are tracked."""
    import gc

    texts = ["One two.", "", "Share this"]
    got = features.features_of_lines(texts, STOP)
    assert not any(gc.is_tracked(f) for f in got if f is not features._BLANK)  # the shared blank one is Python's
    assert got == features.python_features_of_lines(texts, STOP)


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_lines(path: Path) -> None:
    texts = list(dict.fromkeys(line.text for line in split_lines(path.read_text(encoding="utf-8"))))
    assert_same(texts)
    assert_same(texts, stopwords("en"), None)
    assert_same(texts, frozenset(), {})
    # The page's own words, every third a stop word and every other one scored (None for some):
    # with 0 or 4 hash bits every token that reaches the table probes through collisions.
    words = sorted({w for text in texts for w in words_of(text)})
    stop = frozenset(words[::3])
    scores = {w: (None if k % 7 == 0 else k / 8 - 3.0) for k, w in enumerate(words) if k % 2}
    assert_same(texts, stop, scores, hash_bits=(0, 4, 64))


HARD = [
    "",
    " ",
    "\t \u3000\xa0",
    "İstanbul İİİ büyük şehir. Çok güzel!",
    "Straße STRASSE ẞ groß. Grüße aus Köln",
    "ΟΔΟΣ ΟΔΟΣ. Σ ΣΑΣ σας. ὈΔΥΣΣΕΎΣ",
    "北京是中国的首都。上海也很大！ 你好？ 漢字かなカナ・ー한국어",
    "ab北京 北京ab a北 北a 〆々〇",
    "وافق المجلس على الميزانية الجديدة يوم الاثنين. ٣ ٤٥",
    "cafe\u0301 e\u0301te\u0301 \u0301start",
    "emoji 😀 party 🎉🎉 done. 𝐀𝐁𝐂 bold. 𝟏𝟐 digits",
    "lone \ud800 surrogate \udc00 here. \udbff\udfff Pair",
    "\ud800",
    "tab\tseparated\twords. Next",
    "double  spaced  words.  Next  one",
    "nul\x00inside\x00. Here",
    "Share\nthis. New line inside",
    "-\nnot a bullet",
    "-\tdash",
    "- Related Stories",
    "• Bullet",
    "•Bullet",
    "»",
    "—",
    "> quoted",
    "Home > News > World",
    "› Next page",
    "|#+*>»›—–•·▪▸►‣- a lead run, then text",
    "\xa0›\u3000» Spaced lead",
    "#hashtag +plus |pipe",
    "Biden marks 100th day in office with Georgia ...",
    "Mayor opens the bridge over the riv…”",
    "“Quoted.” ’)]»",
    "\"'”’»)]",
    "It ended.»",
    "Wait...»)",
    "Gone…]’",
    "Done!\"",
    "Why?)",
    "完了。」",
    "It ended.” “Next one",
    "It ended.) (Next one",
    "Wait... What? Yes! No. ok. Ça va. Éte. ɐbc. Ÿes",
    "End.\u2028Next",
    "End.\x1c\x1dNext. \x85Again",
    "Share this: ",
    "Time：",
    "http://example.com www.example.com htt www",
    "under_score_words and digits123abc 4ever ²³ Ⅻ ½",
    "ǅemal ǈudi ǋ titlecase. ǅ",
    "Kelvin \u212a sign and \u2126hm",
    "12 345",
    "  12 345  ",
    "“Quoted” start",
    "(Bracket) start [x] 'single' ‘curly’",
    "\ufeffBOM start. Zero\u200bwidth\u200cjoiners\u200d",
    "x" * (FEATURE_TEXT_CHARS + 50) + " End. Next",
    "word " * 2000,
    "Σ" * (MATCH_CHARS + 5),
    "a" * (MATCH_CHARS - 1) + "Σ b",
    "a" * (MATCH_CHARS - 1) + "İb",
    "b" * (FEATURE_TEXT_CHARS - 1) + "İstanbul",
    "c" * (FEATURE_TEXT_CHARS - 2) + ". Next",
    "d" * (FEATURE_TEXT_CHARS - 3) + ". Next",
    "e " * (FEATURE_TEXT_CHARS // 2 - 1) + "。 ！",
    "f" * (FEATURE_TEXT_CHARS - 1) + "北京",
    "g" * (FEATURE_TEXT_CHARS + 1),
    "  " + "h" * FEATURE_TEXT_CHARS + "  ",
    "i.\n" * 3000,
    *NOISE_LINES,
    *BODY_LINES,
    *ODD_CHARS,
]


def test_hard_strings_together_and_alone() -> None:
    assert_same(HARD)
    assert_same(HARD, frozenset(), None)
    for text in HARD:
        assert_same([text])


def test_empty_and_blank_inputs() -> None:
    assert compiled([], STOP, SCORES) == []
    assert_same([])
    assert_same(["", " ", "\n", "\t\u3000"])
    assert_same(("Tuple", "of lines."))  # type: ignore[arg-type]


def test_a_50_mb_line() -> None:
    big = "A lot. " * (50_000_000 // 7) + "End…"
    assert_same([big, "next"])
    wide = "Σ北 😀. " * 500_000
    assert_same([wide])


SUM_WORDS = [f"w{chr(ord('a') + k // 26)}{chr(ord('a') + k % 26)}" for k in range(60)]


@PROPS
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=len(SUM_WORDS)))
@example([1e16, 1.0, -1e16])
@example([-0.0])
@example([-0.0, -0.0])
@example([0.1] * 10)
@example([1e308, 1e308, -1e308])
@example([float("inf"), -float("inf")])
@example([1.0, 1e100, 1.0, -1e100])
def test_word_score_sums_add_as_pythons_sum(values: list[float]) -> None:
    scores = dict(zip(SUM_WORDS, values))
    line = " ".join(SUM_WORDS[: len(values)])
    assert_same([line, line.upper(), "x " + line], STOP, scores)


ALPHABET = (
    "aZz Q09_ \t\n\x0b\x1c\x85\u2028\u3000\xa0.!?。！？…'\"’”‘“()[]»›:：-*•·▪►–—>|#+…"
    "İıΣσςßẞ\u212aǅ²Ⅻ½\u0301\u0307éÀɏɐŸ北京アー・가\u3040\u30ff\u4dbf\ud7af\uf900\ufaffع٣𝟏𝐀😀\ud800\udc00\x00"
    "htpw.\u3400\u4e00\u9fff\uac00\u303f\u3100\u33ff\u4dc0\u4dff\ua000\uf8ff\ufb00\uabff\ud7b0\u01c5\u02b0"
)

texts = st.one_of(line_content, st.text(st.sampled_from(ALPHABET), max_size=60))


@PROPS
@given(st.lists(texts, max_size=12), st.data())
@example(["a.", "B"], None)
@example(["Share\nthis.", "B", "\n"], None)
def test_random_lines(lines: list[str], data: st.DataObject | None) -> None:
    assert_same(lines)
    assert_same(lines, frozenset(), None)
    if data is not None:
        words = sorted({w for text in lines for w in words_of(text.replace("\n", " "))})
        if words:
            scores = data.draw(st.dictionaries(st.sampled_from(words), st.floats(-5, 5)))
            stop = frozenset(data.draw(st.lists(st.sampled_from(words), max_size=5)))
            assert_same(lines, stop, scores)


class _Stop(frozenset):
    pass


@pytest.mark.parametrize(
    ("texts", "stop", "scores"),
    [
        (["A line here."], STOP, MappingProxyType({"line": 1.0})),  # not a dict
        (["A line here."], STOP, {"line": 1}),  # an int score
        (["A line here."], _Stop({"a"}), None),  # a frozenset subclass
        ([_Str("A line here.")], STOP, None),  # a str subclass
    ],
)
def test_inputs_it_does_not_handle_go_to_python(texts, stop, scores) -> None:
    assert features._C.features_of_lines(
        texts, stop, scores, features._BLANK, features._C_SETTERS, None, FEATURE_TEXT_CHARS, MATCH_CHARS
    ) is NotImplemented
    assert features.features_of_lines(texts, stop, scores) == python_features_of_lines(texts, stop, scores)


def test_word_scores_are_read_as_the_dict_they_wrap() -> None:
    texts = ["The council approved the budget.", "Straße und Köln", ""]
    want = python_features_of_lines(texts, STOP, SCORES)
    assert list(map(_record_bits, features.features_of_lines(texts, STOP, LEARNED))) == list(map(_record_bits, want))
    assert list(map(_record_bits, python_features_of_lines(texts, STOP, LEARNED))) == list(map(_record_bits, want))


def test_an_iterator_of_lines_is_read_once_by_python() -> None:
    lines = ["One line.", "", "Two"]
    assert features.features_of_lines(iter(lines), STOP, SCORES) == python_features_of_lines(lines, STOP, SCORES)


# ---- the vocabulary table ----------------------------------------------------------------------


class _Float(float):
    pass


def test_the_table_answers_as_the_set_and_the_dict_at_any_number_of_hash_bits() -> None:
    some = dict(list(SCORES.items())[::5])
    for scores, bits in ((SCORES, 64), (SCORES, 7), (SCORES, 2), (some, 0)):
        table = table_of(STOP, scores, bits)
        ascii_words = {w for w in (*STOP, *scores) if w.isascii()}
        assert len(table) == len(ascii_words)
        for w in (*STOP, *scores):
            if not w.isascii():
                assert table.lookup(w) is None  # the set and the dict answer for it
                continue
            assert table.lookup(w) == (w in STOP, scores.get(w)), w
            for miss in (w + "s", w[:-1], w.upper(), w + "\0", "x" + w):
                if miss not in STOP and miss not in scores:
                    assert table.lookup(miss) == (False, None), miss
    assert table_of(frozenset(), {}).lookup("a") == (False, None)
    assert table.stop is STOP and table.scores is some


def test_words_of_the_set_only_of_the_dict_only_or_scored_none() -> None:
    stop = frozenset({"the", "of", "and", "x"})
    scores = {"of": 1.5, "news": -2.0, "said": None, "x": None, "y": 0.25, "the": -0.0}
    table = table_of(stop, scores)
    assert [table.lookup(w) for w in ("the", "of", "and", "news", "said", "x", "y", "z")] == [
        (True, -0.0), (True, 1.5), (True, None), (False, -2.0), (False, None), (True, None), (False, 0.25), (False, None),
    ]
    lines = ["The news of the day, and what was said.", "THE NEWS", "NeWs sAiD x y X Y z", "Said.", "y", "the"]
    assert_same(lines, stop, scores, hash_bits=(0, 1, 64))
    got = compiled(lines, stop, scores, table=table)
    assert (got[0].stop_ratio, got[0].word_score_sum, got[0].word_score_n) == (4 / 9, -0.5, 4)
    assert (got[2].word_score_n, got[3].word_score_n, got[5].word_score_n) == (3, 0, 1)


def test_one_letter_long_and_upper_case_tokens() -> None:
    long_word = "q" * 300
    stop = frozenset({"a", "i", long_word})
    scores = {"a": 1.0, "b": 2.0, long_word: 3.0, "z" * FEATURE_TEXT_CHARS: 4.0, "z" * (FEATURE_TEXT_CHARS + 1): 5.0}
    lines = [
        "A", "a b c", "I B", "B", long_word, long_word.upper(), "q" * 299, "q" * 301, f"x {long_word}y {long_word}",
        "z" * FEATURE_TEXT_CHARS, "Z" * (FEATURE_TEXT_CHARS + 1), "z" * (FEATURE_TEXT_CHARS - 1), "Q" * 5000,
    ]
    assert_same(lines, stop, scores, hash_bits=(0, 64))
    got = compiled(lines, stop, scores, table=table_of(stop, scores))
    assert [f.word_score_sum for f in got] == [1.0, 3.0, 2.0, 2.0, 3.0, 3.0, 0.0, 0.0, 3.0, 4.0, 4.0, 0.0, 0.0]


def test_tokens_that_are_not_ascii_are_looked_up_in_the_set_and_the_dict() -> None:
    # An ASCII token of a head that is not ASCII goes to the table as str.lower made it (the
    # Kelvin sign lower-cases to "k"); the others to the set and the dict, those longer than
    # every ASCII word too.
    long_word = "dampfschifffahrtsgesellschaftskapitän"
    stop = frozenset({"straße", "und", "k", "σας", long_word})
    scores = {"straße": 1.0, "stra": 2.0, "cafe": 0.5, "café": 0.25, "kelvin": 3.0, "北": 0.125, "ß": 4.0, "und": None}
    scores[long_word] = 1.5
    lines = [
        "Straße und STRASSE ẞ", "café CAFE Café cafe", "\u212aelvin KELVIN kelvin \u212a", "北京 北 und", "İstanbul ı i",
        "ΣΑΣ σας Σας", "stra\u00dfe", "x" * 10 + "é" + "y" * 300, long_word.upper(), f"Der {long_word}",
    ]
    assert_same(lines, stop, scores, hash_bits=(0, 64))
    got = compiled(lines, stop, scores, table=table_of(stop, scores))
    assert [f.word_score_n for f in got[:4]] == [2, 4, 3, 2]
    assert [(f.stop_ratio, f.word_score_sum) for f in got[-2:]] == [(1.0, 1.5), (0.5, 1.5)]


@pytest.mark.parametrize("value", [1, True, np.float64(0.5), _Float(0.25), Fraction(1, 3)])
def test_a_score_that_is_not_a_float_hands_the_call_back(value) -> None:
    scores = {"line": value, "here": 0.5}
    table = table_of(STOP, scores)
    assert table.lookup("line") == (False, NotImplemented)
    assert call_core(["A line here."], STOP, scores, table=table) is NotImplemented
    assert call_core(["A LINE."], STOP, scores, table=table) is NotImplemented
    assert_same(["Another here.", "No such word"], STOP, scores)  # the word not met: no hand-back
    texts = ["Another here.", "A line here.", ""]
    want = python_features_of_lines(texts, STOP, scores)
    for got in (features.features_of_lines(texts, STOP, WordScores(scores)), features.features_of_lines(texts, STOP, scores)):
        assert list(map(_record_bits, got)) == list(map(_record_bits, want))


ASCII_WORDS = st.text(st.sampled_from(string.ascii_letters), min_size=1, max_size=9)
SEPARATORS = st.sampled_from(
    [" ", " ", " ", ", ", ". ", "-", "1", "  ", "\t", "'", "é", "İ", "ß", "北", "\u212a", "Σ", "😀", "\n"]
)


@PROPS
@given(
    st.lists(st.lists(st.tuples(ASCII_WORDS, SEPARATORS), max_size=12), max_size=8),
    st.data(),
    st.sampled_from([0, 1, 3, 64]),
)
def test_random_mostly_ascii_lines_with_a_table(parts, data, hash_bits) -> None:
    lines = ["".join(w + sep for w, sep in line) for line in parts]
    words = sorted({w for text in lines for w in words_of(text.replace("\n", " "))} | {"the", "zzz"})
    pick = st.one_of(st.sampled_from(words), ASCII_WORDS)
    scores = data.draw(st.dictionaries(pick, st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none())))
    stop = frozenset(data.draw(st.lists(pick, max_size=8)))
    assert_same(lines, stop, scores, hash_bits=(hash_bits,))


# Words of every length up to the 16 bytes a slot holds and past them, sharing prefixes: a token
# read eight characters at a time is compared on its whole key and length, a longer one on its
# further bytes too.
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
PACKED = [_ALPHABET[:k] for k in range(1, 21)]
PACKED_KIN = [w[:-1] + "z" for w in PACKED[1:]] + ["q" * 17, "q" * 16 + "r", "a" * 8, "a" * 9]


def _packed_pair() -> tuple[frozenset[str], dict[str, float | None]]:
    words = PACKED + PACKED_KIN
    stop = frozenset(w for k, w in enumerate(words) if k % 3 != 2)
    scores = {w: (None if k % 7 == 3 else float(k) / 8) for k, w in enumerate(words) if k % 3 != 1}
    return stop, scores


@pytest.mark.parametrize("hash_bits", [0, 1, 2, 3, 4, 64])
def test_packed_words_of_every_length_are_found_by_their_every_byte(hash_bits) -> None:
    stop, scores = _packed_pair()
    table = table_of(stop, scores, hash_bits)
    assert len(table) == len(PACKED + PACKED_KIN)
    for w in PACKED + PACKED_KIN:
        assert table.lookup(w) == (w in stop, scores.get(w)), w
        misses = [w + "a", w[:-1], w + "\0", "\0" + w, w.upper()]
        misses += [w[:m] + chr(ord(w[m]) ^ bit) + w[m + 1 :] for m in range(len(w)) for bit in (1, 0x40)]
        for miss in misses:
            if miss not in stop and miss not in scores:
                assert table.lookup(miss) == (False, None), (w, miss)
    lines = []
    for w in PACKED + PACKED_KIN:  # at each offset of an eight-byte load, at the line's end and not
        lines += [w, w.upper(), f"{w.title()}.", f"x {w}", f"xy,{w}!z", f"{w}1{w[:-1]}", f"{'-' * (len(w) % 8)}{w}e"]
        lines += [f"“{w}” {w.upper()}’s", f"é{w} {w}é {w}"]  # a head that is not ASCII
    assert_same(lines, stop, scores, hash_bits=(hash_bits,))


def test_words_that_are_not_letters_and_empty_words() -> None:
    # No token holds a NUL, a digit or a capital, but the table still answers for such words.
    stop = frozenset({"a\0", "", "A", "a-b", "\0" * 9})
    scores = {"a": 1.0, "a\0\0": 2.0, "ab": 3.0, "\0": 4.0, "x" * 16 + "\0": 5.0}
    for bits in (0, 64):
        table = table_of(stop, scores, bits)
        assert [table.lookup(w) for w in ("a", "a\0", "a\0\0", "", "\0", "A", "a-b", "\0" * 9, "\0" * 8)] == [
            (False, 1.0), (True, None), (False, 2.0), (True, None), (False, 4.0), (True, None), (True, None),
            (True, None), (False, None),
        ]
        assert table.lookup("x" * 16 + "\0") == (False, 5.0) and table.lookup("x" * 16) == (False, None)
        assert table.lookup("x" * 17) == (False, None)
    assert_same(["a A a-b ab", "x" * 16, "x" * 17, "“a” x"], stop, scores, hash_bits=(0, 64))


@pytest.mark.parametrize("longest", [8, 9, 15, 16, 17, 24, 25])
def test_tokens_up_to_the_longest_word_are_looked_up(longest) -> None:
    # Tokens as long as the longest word and one longer, in ASCII heads and others, at 0 to 4
    # hash bits (every word in one run of slots at 0).
    word = (_ALPHABET * 2)[:longest]
    stop = frozenset({word, word[:-1], "a"})
    scores = {word: 1.5, word[:-1] + "z": 2.5, word + "a": None}
    lines = [word, word + "a", word + "b", word[:-1], word[:-1] + "Z", word.upper() + "A", f"{word}’ {word}a é{word}"]
    lines += [f"“{w}”" for w in lines]
    assert_same(lines, stop, scores, hash_bits=(0, 1, 2, 3, 4, 64))
    got = compiled(lines[:5], stop, scores, table=table_of(stop, scores))
    assert [(f.stop_ratio, f.word_score_sum, f.word_score_n) for f in got] == [
        (1.0, 1.5, 1), (0.0, 0.0, 0), (0.0, 0.0, 0), (1.0, 0.0, 0), (0.0, 2.5, 1),
    ]


def test_heads_read_without_str_lower() -> None:
    # A head that is not ASCII is read as it is when str.lower would change only its ASCII
    # capitals: tokens with capitals and non-ASCII letters are still looked up lower-cased.
    stop = frozenset({"the", "’", "straße", "naïve", "ħello"})
    scores = {"the": 0.5, "naïve": 1.0, "café": 2.0, "ñandú": 3.0, "ħello": 4.0, "wörld": 5.0}
    lines = [
        "The Naïve CAFÉ’s café — ÑANDÚ ñandú", "THE ħello Ħello HELLO", "Straße STRAßE ẞ", "WÖRLD Wörld wörld…",
        "“Naïve” ’s THE", "NAÏVE naÏve", "x” İ Kelvin \u212a THE", "ΣΑΣ THE σας",
    ]
    assert_same(lines, stop, scores, hash_bits=(0, 64))
    got = compiled(lines[:2], stop, scores, table=table_of(stop, scores))
    assert [(f.word_score_n, f.word_score_sum) for f in got] == [(6, 11.5), (3, 8.5)]


def test_every_character_str_lower_changes_is_lower_cased() -> None:
    # Each character str.lower changes, with ASCII capitals around it, against the Python path;
    # and every character whose simple lower case (Py_UNICODE_TOLOWER) is itself, which the core
    # reads as it is, is one str.lower keeps.
    changed = [chr(c) for c in range(128, 0x110000) if chr(c).lower() != chr(c)]
    assert len(changed) > 1000
    lines = [f"A{c}b THE x{c} {c}Y {c}" for c in changed]
    scores = {w: 1.0 for line in lines for w in words_of(line.lower())}
    assert_same(lines, STOP, scores)
    try:
        import ctypes

        to_lower = ctypes.pythonapi._PyUnicode_ToLowercase
    except (ImportError, AttributeError):  # not CPython
        return
    to_lower.restype, to_lower.argtypes = ctypes.c_uint32, [ctypes.c_uint32]
    assert [c for c in range(128, 0x110000) if to_lower(c) == c and chr(c).lower() != chr(c)] == []


def test_the_table_answers_only_for_the_set_and_the_dict_it_was_built_from() -> None:
    scores = {"line": 1.0}
    table = table_of(STOP, scores)
    for stop, other in ((STOP, dict(scores)), (frozenset(set(STOP)), scores), (STOP, None), (STOP, SCORES)):
        with pytest.raises(ValueError, match="not built from these"):
            call_core(["A line."], stop, other, table=table)
    scores["more"] = 2.0  # changed after the build
    with pytest.raises(ValueError, match="not built from these"):
        call_core(["A line."], STOP, scores, table=table)
    with pytest.raises(TypeError, match="not a VocabTable"):
        call_core(["A line."], STOP, scores, table=object())
    assert call_core(["A line."], STOP, scores, table=None) == call_core(["A line."], STOP, scores)


def test_the_table_takes_exact_str_words_only() -> None:
    for stop, scores in ((frozenset({1}), {}), (frozenset({_Str("a")}), {}), (STOP, {_Str("line"): 1.0}), (STOP, {1: 1.0})):
        with pytest.raises(TypeError):
            VocabTable(stop, scores)
        learned = WordScores(scores)
        assert features.vocab_table(stop, learned) is None
        texts = ["A line here.", "1"]
        assert features.features_of_lines(texts, stop, learned) == python_features_of_lines(texts, stop, scores)
    for stop, scores in ((_Stop({"a"}), {}), (STOP, MappingProxyType({})), (list(STOP), {})):
        with pytest.raises(TypeError):
            VocabTable(stop, scores)
    with pytest.raises(ValueError):
        VocabTable(STOP, {}, hash_bits=65)
    assert len(VocabTable(set(STOP), {"é": 1.0, "b": None})) == len({w for w in STOP if w.isascii()} | {"b"})


def test_word_scores_get_one_table_each_and_equal_stop_sets_share_it() -> None:
    assert features.vocab_table(STOP, LEARNED) is features.vocab_table(frozenset(set(STOP)), LEARNED)
    table = features.vocab_table(STOP, LEARNED)
    assert table.stop is STOP and table.scores is LEARNED._scores
    a, b = WordScores({"line": 1.0}), WordScores({"line": 1.0})
    assert features.vocab_table(STOP, a) is not features.vocab_table(STOP, b)
    texts = ["A line here.", "İ line"]
    want = list(map(_record_bits, python_features_of_lines(texts, STOP, SCORES)))
    for stop in (STOP, frozenset(set(STOP)), set(STOP)):
        assert list(map(_record_bits, features.features_of_lines(texts, stop, LEARNED))) == want


def test_a_build_older_than_the_table_gets_the_plain_dict(monkeypatch) -> None:
    real, seen = features._C, []

    def old_features_of_lines(*args):
        assert len(args) == 8, "a build without VocabTable was given a table"
        seen.append(type(args[2]))
        return real.features_of_lines(*args)

    texts = ["The council approved the budget.", "Straße und Köln", ""]
    want = list(map(_record_bits, python_features_of_lines(texts, STOP, SCORES)))
    monkeypatch.setattr(features, "_C", SimpleNamespace(features_of_lines=old_features_of_lines))
    monkeypatch.setattr(features, "_C_TABLE", None)
    features.vocab_table.cache_clear()
    try:
        got = features.features_of_lines(texts, STOP, LEARNED)
    finally:
        monkeypatch.undo()
        features.vocab_table.cache_clear()
    assert list(map(_record_bits, got)) == want
    assert seen == [dict]
    assert features.vocab_table(STOP, LEARNED) is not None
