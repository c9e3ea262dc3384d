"""The compiled features core (``boilerstrip._cfeatures``) makes the very records of the pure-Python
path, field by field: same values of the same types, floats bit for bit, the line keys included
(made in C, and by ``lexicon.line_keys`` when the core is given it). Skipped when the extension is
not built; ``features_of_lines`` then runs the Python path alone."""

from __future__ import annotations

import struct
from dataclasses import fields
from pathlib import Path
from types import MappingProxyType

import pytest
from hostile_inputs import BODY_LINES, NOISE_LINES, ODD_CHARS, line_content
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from boilerstrip import features
from boilerstrip.features import FEATURE_TEXT_CHARS, LineFeatures, python_features_of_lines, words_of
from boilerstrip.lexicon import MATCH_CHARS, all_stopwords, line_keys, stopwords
from boilerstrip.model import shipped_word_scores
from boilerstrip.segment import split_lines

pytestmark = pytest.mark.skipif(
    not features.COMPILED,
    reason="boilerstrip._cfeatures is not built (installed without a C compiler): only the pure-Python path runs",
)

STOP = all_stopwords()
LEARNED = shipped_word_scores()
SCORES = dict(LEARNED)  # a plain dict, as the core reads it
FIELDS = [f.name for f in fields(LineFeatures)]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def compiled(texts, stop, scores, *, keys_in_python: bool = False) -> list[LineFeatures]:
    """The core's records, never the Python fallback; the keys by ``line_keys`` if asked."""
    keys = line_keys if keys_in_python else features._C_KEYS
    got = features._C.features_of_lines(
        texts, stop, scores, features._BLANK, features._C_SETTERS, keys, FEATURE_TEXT_CHARS, MATCH_CHARS
    )
    assert got is not NotImplemented, "the core handed back inputs it should handle"
    return got


def _bits(x: object) -> tuple[str, object]:
    """A value with its type; a float by its bits (0.0 is not -0.0, a NaN is itself)."""
    return type(x).__name__, struct.pack("<d", x) if isinstance(x, float) else x


def assert_same(texts: list[str], stop: frozenset[str] = STOP, scores: dict[str, float] | None = SCORES) -> None:
    want = python_features_of_lines(texts, stop, scores)
    for keys_in_python in (False, True):
        got = compiled(texts, stop, scores, keys_in_python=keys_in_python)
        assert len(got) == len(want)
        for text, g, w in zip(texts, got, want):
            assert type(g) is LineFeatures
            if w is features._BLANK:
                assert g is w, f"blank line {text!r} is not the shared blank record"
            for name in FIELDS:
                a, b = getattr(g, name), getattr(w, name)
                assert _bits(a) == _bits(b), f"{name} of {text[:100]!r}: C {a!r}, Python {b!r}"
    assert list(map(_record_bits, features.features_of_lines(texts, stop, scores))) == list(map(_record_bits, want))


def _record_bits(f: LineFeatures) -> tuple[tuple[str, object], ...]:
    return tuple(_bits(getattr(f, name)) for name in FIELDS)


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.txt"))


def test_the_core_is_used_and_makes_the_keys() -> None:
    # If this fails after a change to lexicon's key constants (_QUOTES, _LEAD, _LEAD_FIRST), the core
    # still gives the right keys (it calls lexicon.line_keys), but _features.c should follow lexicon.
    assert features._C_KEYS is None
    assert features.features_of_lines(["One two."], STOP) == compiled(["One two."], STOP, None)


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_lines(path: Path) -> None:
    texts = list(dict.fromkeys(line.text for line in split_lines(path.read_text(encoding="utf-8"))))
    assert_same(texts)
    assert_same(texts, stopwords("en"), None)
    assert_same(texts, frozenset(), {})


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


class _Str(str):
    pass


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
