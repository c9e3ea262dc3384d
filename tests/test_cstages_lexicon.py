"""The compiled lexicon loops, duplicate words and repeats loop (``boilerstrip._cstages``) give
what their pure paths give: the same entries in the same order from ``Lexicon.prefix_entries``,
``Lexicon.contains_entries`` and ``_RegexDispatch.entries``, the same hits in the same order from
``Lexicon._match`` (one compiled call, ``lexicon_match``) as from ``Lexicon.python_match``, the
same ``exact_key``, the same token lists from ``duplicates.dup_tokens_of``, and the same indices
from the loop of ``find_repeats`` as from ``duplicates.python_repeats``, and from
``find_repeats``' call on the texts themselves (``repeats_of``) as from ``python_repeats`` of
``python_dup_tokens_of``. Skipped when the extension is not built; the pure paths then run
alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_inputs import BODY_LINES, NOISE_LINES, ODD_CHARS, documents, line_content
from hostile_inputs import StrSubclass as _Str
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from boilerstrip import duplicates, lexicon
from boilerstrip.duplicates import (
    NEAR_MIN_TOKENS,
    NEAR_SIMILARITY,
    TOKEN_CHARS,
    dup_tokens,
    find_repeats,
    python_dup_tokens_of,
    python_repeats,
)
from boilerstrip.lexicon import Lexicon, line_key, line_keys, load_lexicon

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOT_BUILT = "boilerstrip._cstages is not built (installed without a C compiler): only the pure path of {} runs"

needs_lexicon = pytest.mark.skipif(not lexicon.COMPILED, reason=NOT_BUILT.format("the lexicon loops"))
needs_duplicates = pytest.mark.skipif(not duplicates.COMPILED, reason=NOT_BUILT.format("duplicates.dup_tokens_of"))


def _fixture_lines() -> list[str]:
    return [ln for p in sorted(FIXTURES.rglob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]


HARD = [
    "",
    "a",
    "_",
    "__init__ x_y _a b_",
    "\x00",
    "nul\x00inside\x00word",
    "\ud800",
    "lone \ud800 surrogate \udc00 here \udbff\udfff x\ud800y",
    "İstanbul İİİ büyük şehir İ",
    "Straße STRASSE ẞ groß ß",
    "ΣΑΣ σας ΟΔΟΣ ὈΔΥΣΣΕΎΣ final σ and ς",
    "北京是中国的首都。上海也很大！漢字かなカナ・ー한국어",
    "cafe\u0301 e\u0301te\u0301 \u0301start ̈a",
    "ǅemal ǈudi ﬁne ﬀ Kelvin \u212a \u2126hm µ ÿ Ÿ ŉ ǰ",
    "under_score words_and digits123abc 4ever ²³ Ⅻ ½ ١٢٣ abc٣def 𝟏𝟐",
    "emoji 😀 party 🎉 𝐀𝐁𝐂 𝔘𝔫𝔦",
    "\ufeffBOM start\u200b\u200c\u200d zero width",
    "\t \u3000\xa0 \u2028",
    "read more »",
    "share on facebook twitter",
    "comments (12)",
    "© 2024 all rights reserved",
    "posted by admin on march 3, 2024 at 10:15 am",
    "12 comments",
    "page 2 of 9",
    "→ next ⇒ more … € 12,99",
    *NOISE_LINES,
    *BODY_LINES,
    "".join(ODD_CHARS),
    " ".join(ODD_CHARS),
]


# ---- the lexicon loops -----------------------------------------------------------------------


def assert_same_entries(lex: Lexicon, key: str) -> None:
    d = lex.regexes
    got = d.entries(key)
    assert got == d.python_entries(key), f"regex entries of {key[:100]!r}"
    assert all(type(e) is lexicon.Entry for e in got)
    got = lex.prefix_entries(key)
    assert got == lex.python_prefix_entries(key), f"prefix entries of {key[:100]!r}"
    got = lex.contains_entries(key)
    assert got == lex.python_contains_entries(key), f"contains entries of {key[:100]!r}"


def assert_same_hits(lex: Lexicon, key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    got = lex._match(key)
    with monkeypatch.context() as m:
        m.setattr(lexicon, "_C", None)
        want = lex._match(key)
    assert got == want, f"hits of {key[:100]!r}"


@needs_lexicon
def test_fixture_keys(monkeypatch) -> None:
    lex = load_lexicon()
    keys = list(dict.fromkeys(line_keys(_fixture_lines())))
    assert len(keys) > 500
    found = found_contains = 0
    for key in keys:
        assert_same_entries(lex, key)
        assert_same_hits(lex, key, monkeypatch)
        found += bool(lex.regexes.python_entries(key)) + bool(lex.python_prefix_entries(key))
        found_contains += bool(lex.python_contains_entries(key))
    assert found > 20 and found_contains > 5  # the comparison saw hits, not only misses


@needs_lexicon
@pytest.mark.parametrize("text", HARD, ids=range(len(HARD)))
def test_hard_keys(text: str, monkeypatch) -> None:
    lex = load_lexicon()
    for key in {text, line_key(text), text[:1] + " " + text, "12 " + text, text.upper()}:
        assert_same_entries(lex, key)
        assert_same_hits(lex, key, monkeypatch)


@needs_lexicon
def test_a_50_mb_key() -> None:
    lex = load_lexicon()
    for key in ("posted by " * 5_000_000, "a" * 50_000_000 + " read more", "€" * 1_000_000 + "😀 12 comments"):
        assert_same_entries(lex, key)


# A lexicon whose needed characters and literal runs are of every width, to reach every branch of
# the needed-character test (characters below 256, wider ones, keys of each width).
WIDE = Lexicon.from_entries(
    [
        ("nav", r"/→\s*\w+/"),
        ("nav", r"/[»›]\s*next/"),
        ("social", r"/😀|🎉/"),
        ("social", r"/[€£¥]\s*\d+/"),
        ("ads", r"/sponsored by the 广告商/"),
        ("ads", r"/\bpaid post\b/"),
        ("comments", r"/^\d+ (?:comments?|反馈)$/"),
        ("nav", r"/^(?:page\s+)?\d+ of \d+/"),
        ("nav", r"/[\x00\ud800]x/"),
        ("nav", r"/(?:photo|image|写真)\s*:/"),
        ("social", r"/(?i)share this/"),
        ("nav", "read more*"),
        ("nav", "read*"),
        ("nav", "ß*"),
        ("nav", "北京*"),
        ("nav", "😀 party*"),
        ("nav", "home"),
        ("nav", "*next page*"),
        ("social", "*share this*"),
        ("social", "*share*"),
        ("legal", "*© copyright*"),
        ("caption", "*foto:*"),
        ("nav", "*北京 news*"),
        ("social", "*😀 party*"),
        ("nav", "*ß_x*"),
    ]
)
WIDE_KEYS = [
    "→ home", "→home", "a → b", "» next", "›next", "😀", "x 🎉 y", "€ 12", "£12", "¥", "sponsored by the 广告商 x",
    "sponsored by the 广告", "a paid post", "paid posts", "12 comments", "1 comment", "3 反馈", "page 2 of 9", "2 of 9",
    "\x00x", "\ud800x", "\ud800", "photo:", "写真 :", "image", "share this", "read more", "read more»", "reader", "read",
    "read 😀", "ß", "ßx", "ß1", "北京", "北京x", "北京 x", "😀 party", "😀 party!", "😀 partyx", "home", "next page", "",
    "please share this, share it", "share_this", "reshare this", "share thisx share", "sharethis share.", "© copyright 2024",
    "x© copyright", "a© copyright", "_© copyright", "foto:x", "foto:", "afoto: x", "北京 news", "看北京 news", "x 😀 party",
    "ß_x ß_xy ß_x_", "share share share this share",
]


@needs_lexicon
@pytest.mark.parametrize("key", WIDE_KEYS, ids=range(len(WIDE_KEYS)))
def test_needed_characters_of_every_width(key: str, monkeypatch) -> None:
    for k in (key, key + " €", "ā" + key, "😀" + key, key + "\u0101", key * 3):
        assert_same_entries(WIDE, k)
        assert_same_hits(WIDE, k, monkeypatch)


def test_the_wide_lexicon_has_what_its_keys_need() -> None:
    d = WIDE.regexes
    needs = [need for items in (d.always, d.literal_first, d.digit, *d.by_first.values()) for _, _, need, _ in items]
    lits = [lit for items in (d.always, d.literal_first, d.digit, *d.by_first.values()) for _, _, _, lit in items]
    assert any(need and any(ord(c) > 0xFFFF for c in need) for need in needs)
    assert any(need and any(0xFF < ord(c) <= 0xFFFF for c in need) for need in needs)
    assert any(lit and not lit.isascii() for lit in lits)
    assert sum(bool(WIDE.regexes.python_entries(k)) for k in WIDE_KEYS) > 12
    assert sum(bool(WIDE.python_contains_entries(k)) for k in WIDE_KEYS) > 12


key_text = st.text(st.sampled_from("ab _:12»€→😀北京ßİ\x00\ud800 comentsrdhxpaig"), max_size=40)


@needs_lexicon
@PROPS
@given(st.one_of(key_text, line_content.map(line_key), st.sampled_from(NOISE_LINES).map(line_key)))
@example("12 comments")
def test_random_keys(key: str) -> None:
    assert_same_entries(load_lexicon(), key)
    assert_same_entries(WIDE, key)


@needs_lexicon
def test_a_str_subclass_goes_to_python() -> None:
    lex = load_lexicon()
    items = lex.regexes._compiled_offers.get(lex.regexes._offer("12 comments"))
    assert lexicon._C.regex_hits(_Str("12 comments"), items or ()) is NotImplemented
    assert lexicon._C.prefix_hits(_Str("read more"), [("read", [])]) is NotImplemented
    assert lexicon._C.prefix_hits("read more", [(_Str("read"), [])]) is NotImplemented
    assert lexicon._C.prefix_hits("read more", [("", [])]) is NotImplemented  # Python raises its IndexError
    assert lexicon._C.contains_hits(_Str("share this"), {"s": [("share", [1])]}) is NotImplemented
    assert lexicon._C.contains_hits("share this", {"s": [(_Str("share"), [1])]}) is NotImplemented
    assert lexicon._C.contains_hits("share this", {"s": [("", [1])]}) is NotImplemented
    assert lex.contains_entries(_Str("share this article")) == lex.contains_entries("share this article")
    assert lex.match(_Str("12 comments")) == lex.match("12 comments")


@needs_lexicon
def test_bad_items_are_refused() -> None:
    C = lexicon._C
    rx = re.compile("a")
    with pytest.raises(TypeError):
        C.regex_hits("a")
    with pytest.raises(TypeError):
        C.regex_hits("a", {"x": 1})
    with pytest.raises(TypeError):
        C.regex_hits("a", [(rx.search, 1, None)])
    with pytest.raises(TypeError):
        C.regex_hits("a", [(rx.search, 1, frozenset("a"), None)])  # need must be prepared as a str
    with pytest.raises(TypeError):
        C.regex_hits("a", [(rx.search, 1, None, b"a")])
    with pytest.raises(TypeError):
        C.regex_hits("a", [(None, 1, None, None)])  # not callable
    with pytest.raises(TypeError):
        C.regex_hits("a", [(rx.search, 1, None, ("x", b"a"))])  # needed texts must be str
    with pytest.raises(TypeError):
        C.regex_hits("a", [(rx.search, 1, None, ["a"])])  # a tuple of them, not a list
    with pytest.raises(TypeError):
        C.prefix_hits("a", [("a",)])
    with pytest.raises(TypeError):
        C.prefix_hits("a", [("a", None)])
    with pytest.raises(TypeError):
        C.prefix_hits("a", "a")
    with pytest.raises(TypeError):
        C.contains_hits("a", [("a", [1])])  # not a dict
    with pytest.raises(TypeError):
        C.contains_hits("a", {"a": "a"})
    with pytest.raises(TypeError):
        C.contains_hits("a", {"a": [("a",)]})
    with pytest.raises(TypeError):
        C.contains_hits("a", {"a": [("a", None)]})
    assert C.contains_hits("b", {"a": "a"}) == []  # buckets are read only where their character opens a word
    assert C.regex_hits("abc", [(rx.search, 1, None, "bc"), (rx.search, 2, "xa", None), (rx.search, 3, "", None)]) == [1, 2]
    # one of the needed texts (a tuple) must be there; the need characters are tested first
    one_of = [
        (rx.search, 1, None, ("x", "bc")),
        (rx.search, 2, None, ("x", "y")),
        (rx.search, 3, None, ()),
        (rx.search, 4, "q", ("a", b"a")),  # not tested: no "q" in the key
    ]
    assert C.regex_hits("abc", one_of) == [1]
    # At each place the first phrase of the bucket that is there and ends a word; then on after it.
    by_first = {"s": [("share this", [1]), ("share", (2,))], "t": [("this", [3])], "©": [("© c", [4])], "ü": [("über", [5])]}
    assert C.contains_hits("share this, share thisx this_ this x© c ©  c über", by_first) == [1, 2, 3, 5]
    assert C.contains_hits("share thisshare this", by_first) == [2, 3]
    assert C.contains_hits("x über", {_Str("ü"): [("über", [5])], "ab": [("ab", [6])]}) == [5]  # odd keys still looked up
    assert C.prefix_hits("read more", [("read more", (1, 2)), ("read", [3]), ("rea", [4])]) == [1, 2, 3]


@needs_lexicon
def test_tests_short_circuit_and_errors_pass_through() -> None:
    calls: list[str] = []

    def search(key: str) -> object:
        calls.append(key)
        return None if key == "none" else 0 if key == "zero" else key

    items = [
        (search, "lit", None, "zzz"),
        (search, "need", "q", None),
        (search, "both", "q", "zzz"),
        (search, "plain", None, None),
    ]
    assert lexicon._C.regex_hits("abc", items) == ["plain"]
    assert calls == ["abc"]
    assert lexicon._C.regex_hits("zero", items) == []  # falsy results are no match, as in Python

    def boom(key: str) -> object:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        lexicon._C.regex_hits("a", [(boom, 1, None, None)])

    shrinking: list = []

    def shrink(key: str) -> object:
        shrinking.clear()  # a search that empties the list it is read from
        return key

    shrinking.extend([(shrink, 1, None, None), (shrink, 2, None, None)])
    assert lexicon._C.regex_hits("a", shrinking) == [1]


# ---- the whole match in one call: exact_key and lexicon_match ------------------------------


EXACT_HARD = [
    "", " ", ":", " :.!?…»›>|-–—", "\t", "a", "1", "12", "1,2.", ",", ".", "()", "[]", "(", ")", "[", "]", "x ()", "x []",
    "comments (12)", "comments [3]", "comments (12):", "comments (12) »", "comments(12)", "comments (1,234)", "(1,2.3)",
    "(12)", "[3]", "a ( 12 )", "a (\u3000 12\u3000)", "a (\x1c1\x1f)", "a (\xa012\x85)", "a (1 2)", "a (,)", "a (.)",
    "a (1,)", "a (,1)", "a (1 ,)", "a ( ,1)", "a (, 1)", "a (12]", "a [12)", "a 12]", "a [12", "a (1 (2))",
    "a ((12))", "a (x (12))", "a (12) (x)", "a [1] (2)", "a (1) [x]", "x ²", "x (²)", "x (²³)", "x (½)", "x (Ⅻ)",
    "x (١٢)", "x ١٢", "x (𝟏𝟐)", "ａｂ（１２）", "ab (１２)", "ab（12）", "covid 19", "page 2 of 9", "x1", "x 1", "x_1", "x²1",
    "x½1", "xⅫ1", "x١1", "é1", "北京1", "北京 1", "…12", "» 12", "— 12 —", "12 comments…", "a\t(1)\t", "read more »",
    "in:", "a.b.c.", "v1.2.3", "v 1.2.3", "1.2.3", "-1", "a -1", "a-1", "a (-1)", "\ud800 (1)", "x\udc00", "(\ud800)",
    "\ud8001", "\udc00 1", "x (1\ud800)", "😀 (12)", "😀12", "😀 12", "x\x00 12", "x (\x0012)", "a (12)\n", "a 12\n",
]


@needs_lexicon
@pytest.mark.parametrize("key", EXACT_HARD, ids=range(len(EXACT_HARD)))
def test_exact_key_hard_cases(key: str) -> None:
    C = lexicon._C
    for k in (key, key.upper(), key + ":", "x " + key, key + " (7)", key + "7"):
        assert C.exact_key(k) == lexicon.exact_key(k), repr(k)
        assert type(C.exact_key(k)) is str


@needs_lexicon
@pytest.mark.parametrize("form", ["x{}", "x{}1", "x {}1", "x ({})", "x ({}1{})", "x [{}]{}"])
def test_exact_key_every_code_point(form: str) -> None:
    """Each trimming rule against every code point (lone surrogates too): _TRAIL, str.strip's
    white space, str.isdigit, str.isalnum."""
    keys = [form.replace("{}", chr(c)) for c in range(0x110000)]
    got = list(map(lexicon._C.exact_key, keys))
    want = list(map(lexicon.exact_key, keys))
    assert got == want, next(k for k, a, b in zip(keys, got, want) if a != b)


exact_key_text = st.text(
    st.one_of(
        st.sampled_from("()[]0123456789,. \t\u3000\x1c\xa0:!?…»›>|-–—²³½Ⅻ١２（）ab_é北\ud800\x00\n"), st.characters(codec=None)
    ),
    max_size=20,
)


@needs_lexicon
@PROPS
@given(exact_key_text)
@example("comments (12)")
@example("x (1,2.3) :")
def test_exact_key_property(key: str) -> None:
    assert lexicon._C.exact_key(key) == lexicon.exact_key(key)


# A lexicon whose regex offers turn on every part of the key's description: first characters
# filed by pattern (and by what can open a match), digits and white space standing for their class
# at either end, whole-line patterns around FULL_LINE_MAX_CHARS, a closing line break.
OFFERS = Lexicon.from_entries(
    [
        ("nav", r"/^page \d+$/"),
        ("nav", r"/^next\s$/"),
        ("nav", r"/^\s*share$/"),
        ("nav", r"/^\d+ of \d+/"),
        ("nav", r"/^(?:see\s+)?more$/"),
        ("comments", r"/^\d+ comments?$/"),
        ("comments", r"/^\d+ comments?\s*$/"),
        ("social", r"/^(?:[a-z]+ )?likes?$/"),
        ("social", r"/»\s*\w+$/"),
        ("nav", "page*"),
        ("nav", "*more*"),
        ("nav", "more"),
        ("nav", "likes"),
    ]
)
FULL = lexicon.FULL_LINE_MAX_CHARS
OFFER_KEYS = [
    "page 12", "page ١٢", "page ²", "page 1 ", "page 1\u3000", "page 1\t", "page x", "next ", "next\u3000", "next\t", "next",
    "share", " share", "\u3000share", "\tshare", "2 of 3", "٢ of ٣", "² of 3", "more", "see more", "see  more", "likes",
    "red likes", "» next", "a » b", "12 comments", "12 comments ", "12 comments\u3000", "12 comments\n", "page 12\n",
    "likes\n", "\n", " ", "\u3000", "1", "١", "", "page", "more more", "12 comments\r",
    *("1" * (n - 9) + " comments" for n in (FULL - 1, FULL, FULL + 1)),
    *("1" * (n - 8) + " of 2 xx" for n in (FULL - 1, FULL, FULL + 1)),
    *("page " + "1" * (n - 5) for n in (FULL - 1, FULL, FULL + 1)),
    *("more " + "x" * (n - 10) + " more" for n in (FULL, FULL + 1)),
]


def assert_same_hits_anywhere(lex: Lexicon, key: str) -> None:
    """assert_same_hits without the monkeypatch fixture (for Hypothesis), and the hits' types."""
    got = lex._match(key)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(lexicon, "_C", None)
        want = lex._match(key)
    assert type(got) is list and all(type(h) is lexicon.Hit for h in got)
    assert got == want, f"hits of {key[:100]!r}"


@needs_lexicon
@pytest.mark.parametrize("key", OFFER_KEYS, ids=range(len(OFFER_KEYS)))
def test_offers(key: str) -> None:
    for lex in (OFFERS, load_lexicon(), WIDE):
        assert_same_hits_anywhere(lex, key)


def test_the_offer_lexicon_reaches_the_offers() -> None:
    d = OFFERS.regexes
    assert {"\\d", "\\s"} <= d._lasts and not set("0123456789 ") & d._lasts  # digits and spaces go by class
    assert "\\s" in d._firsts and d.digit and d.literal_first and d.full_line
    assert sum(bool(OFFERS.python_match(k)) for k in OFFER_KEYS) > 25
    # the whole-line threshold: offered up to FULL_LINE_MAX_CHARS characters, not beyond
    assert [bool(OFFERS.python_match("1" * (n - 9) + " comments")) for n in (FULL - 1, FULL, FULL + 1)] == [True, True, False]


@needs_lexicon
def test_fresh_lexicons_build_their_offers() -> None:
    """The compiled match builds each offer it needs (nothing else has asked for it first)."""
    keys = ["12 comments", "page 2 of 9", "5 min read", "photo: ap", "x" * 200, *OFFER_KEYS]
    for lex in (Lexicon(lexicon.builtin_entries()), Lexicon(OFFERS._entries)):
        assert not lex.regexes._compiled_offers
        got = [lex._match(key) for key in keys]
        assert set(lex.regexes._compiled_offers) == {lex.regexes._offer(k) for k in keys}
        assert got == [lex.python_match(key) for key in keys]


@needs_lexicon
def test_hits_are_made_once_per_entry() -> None:
    lex = load_lexicon()
    assert len(lex._entries) == len(lexicon.builtin_entries())
    assert all(lex._hits[id(e)] == lexicon._hit(e) for e in lex._entries)
    for key in ("12 comments", "read more", "comments (12)", "share this article"):
        got = lex._match(key)
        assert got and all(id(h) in {id(hit) for hit in lex._hits.values()} for h in got)


@needs_lexicon
def test_long_keys_and_line_breaks(monkeypatch) -> None:
    lex = load_lexicon()
    keys = list(dict.fromkeys(line_keys(_fixture_lines())))
    long = [k for k in keys if len(k) > FULL]
    assert len(long) > 20
    for key in long[:300] + [k + " " + k for k in keys[:300]]:
        assert_same_hits(lex, key, monkeypatch)
    for key in [*keys[:300], *NOISE_LINES]:
        for end in ("\n", "\r", "\u2028", " \n", "\n\n"):
            assert_same_hits(lex, key + end, monkeypatch)
            assert_same_hits(OFFERS, key + end, monkeypatch)


@needs_lexicon
def test_a_50_mb_key_matches() -> None:
    lex = load_lexicon()
    for key in ("posted by " * 5_000_000, "a" * 50_000_000 + " read more", "€" * 1_000_000 + "😀 12 comments"):
        assert lex._match(key) == lex.python_match(key)


@needs_lexicon
@PROPS
@given(st.one_of(key_text, exact_key_text, line_content.map(line_key), line_content, st.sampled_from(OFFER_KEYS)))
@example("12 comments")
def test_random_keys_match(key: str) -> None:
    for lex in (load_lexicon(), WIDE, OFFERS):
        assert_same_hits_anywhere(lex, key)


@needs_lexicon
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_document_keys_match(text: str) -> None:
    lines = text.splitlines()
    for key in {*line_keys(lines), *lines}:
        assert_same_hits_anywhere(load_lexicon(), key)


@needs_lexicon
def test_user_phrases(monkeypatch) -> None:
    extra = (("nav", "back to top"), ("nav", "back*"), ("social", "*follow us*"), ("ads", r"/^sponsored by \w+$/"),
             ("ads", "[paid | 0.9]"), ("ads", "ad"))
    lex = load_lexicon(extra)
    for key in ("back to top", "back to top (3)", "back", "please follow us on x", "sponsored by acme", "ad", "ad:",
                *WIDE_KEYS, *OFFER_KEYS):
        assert_same_hits(lex, line_key(key), monkeypatch)
        assert_same_hits(lex, key, monkeypatch)


@needs_lexicon
def test_odd_weights_go_to_python() -> None:
    """Two hits or more of a weight that is not a float, or NaN, are sorted by Python's own rules."""
    C = lexicon._C
    for weights in ((float("nan"), 0.9), (1, 0.9), (0.9, float("nan")), (True, 0.5)):
        lex = Lexicon([lexicon.Entry("nav", form, "home", "l", w) for form, w in zip(("exact", "prefix"), weights)])
        assert C.lexicon_match("home", lex._tables, FULL) is NotImplemented
        assert [h.form for h in lex._match("home")] == [h.form for h in lex.python_match("home")]
    one = Lexicon([lexicon.Entry("nav", "exact", "home", "l", float("nan"))])  # one hit: nothing to compare
    assert len(C.lexicon_match("home", one._tables, FULL)) == 1
    inf = Lexicon([lexicon.Entry("nav", "exact", "home", "l", w) for w in (0.5, float("inf"), -0.0, 0.0, float("-inf"), 0.5)])
    assert C.lexicon_match("home", inf._tables, FULL) == inf.python_match("home")
    many = Lexicon([lexicon.Entry("nav", "exact", "home", str(i), (i * 7 % 5) / 4) for i in range(40)])
    assert C.lexicon_match("home", many._tables, FULL) == many.python_match("home")  # more hits than the small buffer


@needs_lexicon
def test_match_hands_back_and_refuses() -> None:
    C = lexicon._C
    lex = load_lexicon()
    t = lex._tables
    assert C.lexicon_match(_Str("12 comments"), t, FULL) is NotImplemented
    assert C.exact_key(_Str("a:")) is NotImplemented
    assert lex._match(_Str("comments (12)")) == lex.python_match("comments (12)")
    assert C.lexicon_match("12 comments", t, FULL) == lex.python_match("12 comments")
    # an entry without its hit, a prefix phrase or contains phrase that is not a plain str
    no_hit = (*t[:7], {})
    assert C.lexicon_match("12 comments", no_hit, FULL) is NotImplemented
    assert C.lexicon_match("zzz", no_hit, FULL) == []
    assert C.lexicon_match("read more", (t[0], {"r": [(_Str("read"), [])]}, *t[2:]), FULL) is NotImplemented
    assert C.lexicon_match("share it", (*t[:2], {"s": [(_Str("share"), [])]}, *t[3:]), FULL) is NotImplemented
    for bad in ((), t[:7], (*t[:3], set(), [], *t[5:]), (*t[:6], None, t[7]), (t[0], [], *t[2:]), (*t[:5], [], *t[6:])):
        with pytest.raises(TypeError):
            C.lexicon_match("a", bad, FULL)
    with pytest.raises(TypeError):
        C.lexicon_match("a", t, 120.0)
    with pytest.raises(TypeError):
        C.lexicon_match("a", t)
    with pytest.raises(TypeError):
        C.lexicon_match("home", ({"home": None}, *t[1:]), FULL)
    with pytest.raises(TypeError):
        C.lexicon_match("read", (t[0], {"r": None}, *t[2:]), FULL)
    with pytest.raises(TypeError):
        C.exact_key()


@needs_lexicon
def test_callback_errors_pass_through() -> None:
    C = lexicon._C
    lex = Lexicon(OFFERS._entries)
    t = lex._tables

    def boom(offer: tuple) -> tuple:
        raise RuntimeError("no offer")

    with pytest.raises(RuntimeError, match="no offer"):
        C.lexicon_match("page 12", (*t[:6], boom, t[7]), FULL)
    with pytest.raises(TypeError, match="offer's items"):
        C.lexicon_match("page 12", (*t[:6], lambda offer: {}, t[7]), FULL)
    no_regex = C.lexicon_match("page 12", (*t[:6], lambda offer: (), t[7]), FULL)  # the prefix entry only
    assert no_regex == [lex._hits[id(e)] for e in lex.python_prefix_entries("page 12")] != []

    def search(key: str) -> object:
        raise ValueError("search")

    entry = lex.regexes.items[0][1]
    offers = {lex.regexes._offer("page 12"): ((search, entry, None, None),)}
    with pytest.raises(ValueError, match="search"):
        C.lexicon_match("page 12", (*t[:5], offers, boom, t[7]), FULL)
    with pytest.raises(TypeError, match="lexicon_match: an item"):
        C.lexicon_match("page 12", (*t[:5], {lex.regexes._offer("page 12"): ((search,),)}, boom, t[7]), FULL)

    def clearing(key: str) -> object:
        offers.clear()  # a search that empties the offers the call read its items from
        return key

    offers = {lex.regexes._offer("page 12"): ((clearing, entry, None, None), (clearing, entry, None, None))}
    others = [*lex.exact.get(lexicon.exact_key("page 12"), ()), *lex.python_prefix_entries("page 12")]
    want = sorted([lex._hits[id(e)] for e in [*others, entry, entry]], key=lambda h: -h.weight)
    assert others and C.lexicon_match("page 12", (*t[:5], offers, boom, t[7]), FULL) == want


# ---- duplicate words ------------------------------------------------------------------------


def assert_same_words(texts: list[str]) -> None:
    got = duplicates._C.word_lists(texts, TOKEN_CHARS)
    assert got is not NotImplemented
    want = python_dup_tokens_of(texts)
    assert got == want, f"words of {[t[:60] for t in texts]!r}"
    assert all(type(w) is str for words in got for w in words)
    assert duplicates.dup_tokens_of(texts) == want


@needs_duplicates
def test_fixture_words() -> None:
    lines = _fixture_lines()
    assert_same_words(lines)
    assert_same_words([ln.upper() for ln in lines])


@needs_duplicates
@pytest.mark.parametrize("text", HARD, ids=range(len(HARD)))
def test_hard_words(text: str) -> None:
    assert_same_words([text, text.upper(), text.casefold(), text.swapcase()])


@needs_duplicates
def test_the_cut() -> None:
    n = TOKEN_CHARS
    texts = [
        "a" * (n - 1) + "İx",  # folding lengthens past the cut, which comes first
        "a" * n + "b",
        "a b " * n,
        "x " * (n // 2 - 1) + "ß" * 3,
        "Σ" * (n + 5),
        "😀" * (n - 1) + "AB",
        "A" * (n - 1) + "\u0301B",
    ]
    assert_same_words(texts)
    assert duplicates._C.word_lists(["ABC"], 0) == [[]]
    assert duplicates._C.word_lists(["ABC de"], 2) == [["ab"]]
    assert duplicates._C.word_lists(["İx"], 1) == [["i"]]


@needs_duplicates
def test_a_50_mb_line() -> None:
    assert_same_words(["A lot. " * (50_000_000 // 7), "Σ北 😀. " * 500_000])
    big = "Wörd_1 ΣΑΣ İ " * 4_000_000
    assert duplicates._C.word_lists([big], len(big)) == [dup_tokens(big)]


@needs_duplicates
def test_word_lists_refuses_bad_arguments() -> None:
    C = duplicates._C
    assert C.word_lists(["a", _Str("b")], 10) is NotImplemented
    assert C.word_lists([1], 10) is NotImplemented
    assert duplicates.dup_tokens_of(["a B", _Str("Ç d")]) == [["a", "b"], ["ç", "d"]]
    with pytest.raises(ValueError):
        C.word_lists(["a"], -1)
    with pytest.raises(TypeError):
        C.word_lists("a", 10)
    with pytest.raises(TypeError):
        C.word_lists(["a"], "10")
    with pytest.raises(TypeError):
        C.word_lists(["a"])
    assert C.word_lists((), 10) == [] and C.word_lists(("A_b c",), 10) == [["a_b", "c"]]


word_text = st.text(st.sampled_from("aB_1 ΣσςİıẞßǅﬁÅ\u0301北😀٣𝟏\x00\ud800\t.-'’"), max_size=60)


@needs_duplicates
@PROPS
@given(st.lists(st.one_of(word_text, line_content, st.text(max_size=40)), max_size=8))
@example(["İ", "ß", "Σ_x"])
def test_random_words(texts: list[str]) -> None:
    assert_same_words(texts)


@needs_duplicates
@PROPS
@given(documents(max_lines=40))
def test_random_documents_repeats(text: str) -> None:
    lines = text.splitlines()
    got = find_repeats(lines)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(duplicates, "_C", None)
        want = find_repeats(lines)
    assert got == want


@needs_duplicates
def test_fixture_repeats_with_a_shared_cache(monkeypatch) -> None:
    lines = _fixture_lines()
    cache: dict[str, list[str]] = {}
    got = [find_repeats(lines, cache), find_repeats(lines[::-1], cache)]
    assert cache == {}  # the compiled call cuts the words itself and keeps none
    # the cached path, as when a text is a str subclass (repeats_of hands those back)
    odd = [_Str(ln) for ln in lines]
    assert [find_repeats(odd, cache), find_repeats(odd[::-1], cache)] == got
    monkeypatch.setattr(duplicates, "_C", None)
    pure_cache: dict[str, list[str]] = {}
    assert got == [find_repeats(lines, pure_cache), find_repeats(lines[::-1], pure_cache)]
    assert cache == pure_cache


# ---- the repeats loop ------------------------------------------------------------------------

needs_repeats = pytest.mark.skipif(not duplicates.COMPILED, reason=NOT_BUILT.format("the loop of duplicates.find_repeats"))


def c_repeats(token_lists: list[list[str]]) -> list[int | None]:
    return duplicates._C.repeats(token_lists, NEAR_MIN_TOKENS, NEAR_SIMILARITY, duplicates._ANCHOR, duplicates._WINDOW)


def assert_same_repeats(token_lists: list[list[str]]) -> list[int | None]:
    got = c_repeats(token_lists)
    assert got is not NotImplemented
    want = python_repeats(token_lists)
    assert got == want
    assert all(x is None or type(x) is int for x in got)
    if duplicates.COMPILED and _as_text_words(token_lists):
        # the same lines as texts, for repeats_of to cut: each line's text of another kind
        for shift in range(len(_SEPARATORS)):
            texts = _texts_of(token_lists, shift)
            assert python_dup_tokens_of(texts) == token_lists
            for mask in (-1, 7) if shift == 0 else (-1,):
                assert c_repeats_of(texts, mask=mask) == want, f"texts of kinds shifted by {shift}, mask {mask}"
    return got


_SEPARATORS = (" ", "’", " 😀 ", "、")
"""Between the words of a line's text: an ASCII, a UCS-2, a UCS-4 and a CJK text."""


def _texts_of(token_lists: list[list[str]], shift: int) -> list[str]:
    """The lines as texts whose words are the tokens, of kinds that vary from line to line (the
    ASCII ones in upper case)."""
    texts = []
    for i, line in enumerate(token_lists):
        k = (i + shift) % len(_SEPARATORS)
        text = _SEPARATORS[k].join(line)
        texts.append(text.upper() if text.isascii() and k == 0 else text)
    return texts


def _as_text_words(token_lists: list[list[str]]) -> bool:
    """Whether each token is the one word dup_tokens finds in it, the lines short of the cut."""
    return all(len(" 😀 ".join(line)) <= TOKEN_CHARS for line in token_lists) and all(
        dup_tokens(t) == [t] for line in token_lists for t in line
    )


def words(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{k}" for k in range(n)]


def changed(toks: list[str], at: list[int], mark: str = "x") -> list[str]:
    return [f"{mark}{k}" if k in at else t for k, t in enumerate(toks)]


@needs_repeats
def test_fixture_repeats() -> None:
    docs = [p.read_text(encoding="utf-8").splitlines() for p in sorted(FIXTURES.rglob("*.txt"))]
    docs.append([ln for doc in docs for ln in doc])
    for lines in docs:
        for order in (lines, lines[::-1], lines + lines, lines + [ln.upper() + " x" for ln in lines]):
            assert_same_repeats(python_dup_tokens_of(order))


@needs_repeats
def test_the_length_threshold() -> None:
    for n in (7, 8, 9):
        base = words("w", n)
        got = assert_same_repeats([base, changed(base, [n // 2]), changed(base, [0]), changed(base, [n - 1]), base])
        near = None if n < NEAR_MIN_TOKENS else 0
        assert got == [None, None, near, near, 0]  # a middle word is among both the first and the last five


@needs_repeats
def test_the_similarity_boundary() -> None:
    for longer in (20, 40):  # 0.85 * longer is a whole number: shared == 0.85 * longer exactly
        need = round(NEAR_SIMILARITY * longer)
        base = words("w", longer)
        keep_ends = [k for k in range(longer) if 5 <= k < longer - 5]  # first and last words kept
        for miss in (longer - need, longer - need + 1):  # shared == need, need - 1
            want = 0 if miss == longer - need else None
            assert assert_same_repeats([base, changed(base, keep_ends[:miss])]) == [None, want]
            # a shorter line: length need (passes the length test) or need - 1 (fails it)
            shorter = [t for k, t in enumerate(base) if k not in keep_ends[:miss]]
            assert assert_same_repeats([base, shorter]) == [None, want]
            assert assert_same_repeats([shorter, base]) == [None, want]
            # repeated words count as many times as both lines hold them
            twice = base[:5] + ["y"] * (longer - 10) + base[-5:]
            more = base[:5] + ["y"] * (longer - 10 - miss) + words("z", miss) + base[-5:]
            assert assert_same_repeats([twice, more]) == [None, want]


def _heads_of(head: list[str], count: int, tail_mark: str | None = None) -> list[list[str]]:
    """``count`` lines under one head, unlike each other (and with tails of their own)."""
    return [head + words(f"u{k}_", 10) + (words(tail_mark, 5) if tail_mark else []) for k in range(count)]


@needs_repeats
def test_only_the_latest_eight_of_a_head_or_tail() -> None:
    head = words("h", 5)
    for count in range(1, 13):
        for target in (0, count - 8, count - 9, count - 1):
            if not 0 <= target < count:
                continue
            lines = _heads_of(head, count)
            probe = changed(lines[target], [len(lines[target]) - 1])  # its tail differs: found by the head
            got = assert_same_repeats([*lines, probe])
            assert got[-1] == (target if target >= count - 8 else None)
            # the same through the tails: lines under one tail, the probe's head differs
            rev = [line[::-1] for line in lines]
            got = assert_same_repeats([*rev, changed(rev[target], [0])])
            assert got[-1] == (target if target >= count - 8 else None)


@needs_repeats
def test_heads_before_tails_and_oldest_first() -> None:
    q = words("q", 20)
    by_head, by_tail = changed(q, [17, 18, 19]), changed(q, [0, 1, 2])  # 17 of 20 in common with q, 14 together
    for first, second in ((by_head, by_tail), (by_tail, by_head)):
        got = assert_same_repeats([first, second, q])
        assert got[2] == [first, second].index(by_head)
    older, newer = changed(q, [17, 18, 19]), changed(q, [14, 15, 16])  # both under q's head
    assert assert_same_repeats([older, newer, q]) == [None, None, 0]
    assert assert_same_repeats([newer, older, q]) == [None, None, 0]
    # a line both under the head and under the tail is offered twice; the first that is alike wins
    both = changed(q, [10])
    assert assert_same_repeats([both, *_heads_of(q[:5], 3), q]) == [None, None, None, None, 0]


@needs_repeats
def test_exact_copies_of_near_repeats() -> None:
    a = words("w", 12)
    a2, a3 = changed(a, [6]), changed(a, [7])
    # a2 nearly repeats a; an exact copy of a2 points at a2, not at a
    got = assert_same_repeats([a, a2, list(a2), a3, [], a2, a])
    assert got == [None, 0, 1, 0, None, 1, 0]
    # a near repeat is not offered to later lines: b4 is near b2 (18 of 20) but not near b (16)
    b = words("w", 20)
    b2, b4 = changed(b, [8, 9]), changed(b, [8, 9, 10, 11])
    assert assert_same_repeats([b, b2, b4]) == [None, 0, None]


@needs_repeats
def test_odd_tokens() -> None:
    wide = ["é", "ĳ", "北京", "😀", "a\x00b", "\ud800", "ß", "x" * 300, "Σ" * 70, ""]
    lines = [wide[k:] + wide[:k] for k in range(len(wide))]
    lines += [list(line) for line in lines]  # equal, other list objects
    lines += [[t.encode().decode() if t != "\ud800" else "\ud800" for t in line] for line in lines]  # other str objects
    lines += [changed(line, [3]) for line in lines] + [[""], [""], ["", ""], ["a", ""], ["", "a"], ["a"]]
    assert assert_same_repeats(lines)[-6:] == [None, 10 * 4 * 2, None, None, None, None]
    assert_same_repeats([["a"] * 9, ["a"] * 8 + ["b"], ["b"] + ["a"] * 8, ["a"] * 9])


@needs_repeats
def test_empty_and_blank() -> None:
    assert c_repeats([]) == [] and c_repeats(()) == []
    assert assert_same_repeats([[], [], []]) == [None, None, None]
    assert find_repeats([]) == [] and find_repeats(["", " ", "..."]) == [None, None, None]


@needs_repeats
def test_a_50_mb_line_repeats() -> None:
    big = "Wörd_1 ΣΑΣ İ ok " * 3_200_000
    texts = [big, "x", big + "!", big.replace("ok", "no", 1), "y " + big]
    got = find_repeats(texts)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(duplicates, "_C", None)
        assert got == find_repeats(texts)
    many = words("t", 1_000_000)
    assert assert_same_repeats([many, list(many), changed(many, [500_000]), many[:-150_000], many[:-150_001]]) == [
        None,
        0,
        0,
        0,
        None,
    ]


@needs_repeats
def test_repeats_refuses_bad_arguments() -> None:
    C = duplicates._C
    ok = [["a", "b"], ["a", "b"]]
    assert C.repeats(ok, 8, 0.85, 5, 8) == [None, 0]
    assert C.repeats([["a"], _Str("b")], 8, 0.85, 5, 8) is NotImplemented
    assert C.repeats([["a"], ("b",)], 8, 0.85, 5, 8) is NotImplemented
    assert C.repeats([["a", _Str("b")]], 8, 0.85, 5, 8) is NotImplemented
    assert C.repeats([["a", 1]], 8, 0.85, 5, 8) is NotImplemented
    assert C.repeats([["a b"], ["a", "b"]], 8, 0.85, 5, 8) is NotImplemented  # their joined keys are equal
    assert C.repeats([["北 京"]], 8, 0.85, 5, 8) is NotImplemented
    for bad in (
        ("ab", 8, 0.85, 5, 8),
        (iter(ok), 8, 0.85, 5, 8),
        (ok, "8", 0.85, 5, 8),
        (ok, 8, 1, 5, 8),
        (ok, 8, "0.85", 5, 8),
        (ok, 8, 0.85, 5.0, 8),
        (ok, 8, 0.85, 5, None),
        (ok, 8, 0.85, 5),
        (),
    ):
        with pytest.raises(TypeError):
            C.repeats(*bad)
    for bad in ((ok, 8, 0.85, 0, 8), (ok, 8, 0.85, 9, 8), (ok, 8, 0.85, 5, 0), (ok, 8, 0.85, -1, 8)):
        with pytest.raises(ValueError):
            C.repeats(*bad)
    # through find_repeats' cached path (a str subclass among the texts), the cache's words of
    # other types go to Python
    cache = {"p": ["a b"], "q": ["a", "b"], "r": [_Str("a"), "b"]}
    assert find_repeats([_Str("p"), "q", "r", "q"], cache) == [None, 0, 0, 0]
    assert find_repeats(["p", "q", "r", "q"], cache) == [None, None, None, 1]  # the compiled call ignores it


vocab = st.sampled_from(["a", "b", "c", "d", "é", "北", "😀", ""])


@st.composite
def edited_lines(draw: st.DrawFn, alphabet: st.SearchStrategy[str] = vocab) -> list[list[str]]:
    """Lines of a few words, most of them an earlier line with a few words changed, added or
    dropped, so that exact and near repeats and shared first and last words are common."""
    lines: list[list[str]] = []
    for _ in range(draw(st.integers(0, 40))):
        if lines and draw(st.booleans()):
            line = list(draw(st.sampled_from(lines)))
            for _ in range(draw(st.integers(0, 3))):
                at = draw(st.integers(0, len(line)))
                op = draw(st.sampled_from(["set", "add", "drop"]))
                if op == "add" or not line:
                    line.insert(at, draw(alphabet))
                elif op == "set":
                    line[min(at, len(line) - 1)] = draw(alphabet)
                else:
                    del line[min(at, len(line) - 1)]
        else:
            line = draw(st.lists(alphabet, max_size=draw(st.sampled_from([3, 12, 30]))))
        lines.append(line)
    return lines


@needs_repeats
@PROPS
@given(st.one_of(edited_lines(), st.lists(st.lists(st.sampled_from("ab"), max_size=12), max_size=40)))
def test_random_token_lists(token_lists: list[list[str]]) -> None:
    assert_same_repeats(token_lists)


@needs_repeats
@PROPS
@given(
    edited_lines(st.sampled_from("abc")),
    st.integers(1, 4),
    st.integers(0, 6),
    st.sampled_from([0.5, 0.6, 0.75, 0.85, 0.9, 1.0, 0.0, -1.0, float("nan"), 2 / 3, 0.1 + 0.2]),
    st.integers(1, 10),
)
def test_other_constants(token_lists: list[list[str]], anchor: int, more: int, similarity: float, window: int) -> None:
    near_min = anchor + more
    got = duplicates._C.repeats(token_lists, near_min, similarity, anchor, window)
    with pytest.MonkeyPatch.context() as m:
        for name, value in (("NEAR_MIN_TOKENS", near_min), ("NEAR_SIMILARITY", similarity), ("_ANCHOR", anchor)):
            m.setattr(duplicates, name, value)
        m.setattr(duplicates, "_WINDOW", window)
        assert got == python_repeats(token_lists)


# ---- repeats cut from the texts --------------------------------------------------------------

MASKS = (-1, 0, 1, 7)
"""Masks of the word hashes repeats_of uses: all 64 bits, then all words or most colliding, so
that equal hashes must be confirmed by the code points."""


def c_repeats_of(texts: list[str], limit: int = TOKEN_CHARS, mask: int = -1) -> list[int | None]:
    return duplicates._C.repeats_of(
        texts, limit, NEAR_MIN_TOKENS, NEAR_SIMILARITY, duplicates._ANCHOR, duplicates._WINDOW, mask
    )


def assert_same_repeats_of(texts: list[str], limit: int = TOKEN_CHARS, masks: tuple[int, ...] = MASKS) -> list[int | None]:
    want = python_repeats([dup_tokens(t[:limit]) for t in texts])
    for mask in masks:
        got = c_repeats_of(texts, limit, mask)
        assert got == want, f"mask {mask}, limit {limit}: repeats of {[t[:40] for t in texts]!r}"
        assert all(x is None or type(x) is int for x in got)
    if limit == TOKEN_CHARS:
        assert find_repeats(texts) == want
        assert find_repeats(tuple(texts)) == want
    return want


@needs_repeats
def test_fixture_repeats_of() -> None:
    docs = [p.read_text(encoding="utf-8").splitlines() for p in sorted(FIXTURES.rglob("*.txt"))]
    for lines in docs:
        for order in (lines, lines[::-1], lines + [ln.upper() + " x" for ln in lines], [ln.swapcase() for ln in lines]):
            assert_same_repeats_of(order, masks=(-1, 1, 7))
    assert_same_repeats_of([ln for doc in docs for ln in doc], masks=(-1, 7))
    found = find_repeats([ln for doc in docs for ln in doc])
    assert sum(x is not None for x in found) > 100  # the comparison saw repeats, not only misses


@needs_repeats
@pytest.mark.parametrize("text", HARD, ids=range(len(HARD)))
def test_hard_repeats_of(text: str) -> None:
    variants = [text, text.upper(), text.casefold(), text.swapcase(), text.lower(), text.title()]
    texts = variants + ["", text + " 北", "é " + text, text + " " + text, text.upper() + " ’", "😀 " + text]
    texts += [" ".join([v] * 9) for v in variants] + [" ".join([v] * 8 + ["x"]) for v in variants]
    texts += [text, text[:1], text[1:], text[::-1]]
    assert_same_repeats_of(texts)
    assert_same_repeats_of(texts[::-1])
    for limit in range(0, 9):
        assert_same_repeats_of(texts, limit)


FOLDED_ALIKE = [
    ("Straße", "STRASSE"),
    ("straße", "strasse ’"),
    ("MASSE", "Maße 😀"),
    ("ẞ", "ss"),
    ("ﬁne ﬀ", "fine FF"),
    ("\u212a", "k"),  # Kelvin sign
    ("ΣΑΣ ὈΔΥΣΣΕΎΣ", "σας ὀδυσσεύσ"),  # final sigma folds to sigma
    ("µ", "μ"),  # micro sign (Latin-1) and mu (UCS-2)
    ("ǅemal", "ǆemal"),
    ("İstanbul", "i\u0307stanbul"),  # İ folds to i and a combining dot, which \w leaves out
    ("İ", "i"),
    ("ŉ", "ʼn"),
    ("\U00010400", "\U00010428"),  # Deseret capital and small long i: UCS-4 both
    ("hello world", "HELLO WORLD 😀"),  # ASCII against a UCS-4 text
    ("café au lait", "CAFÉ AU LAIT ’"),  # Latin-1 against UCS-2
]
"""Pairs of texts whose folded words are equal, cut from texts of different kinds or folded."""


@needs_repeats
@pytest.mark.parametrize("a, b", FOLDED_ALIKE, ids=range(len(FOLDED_ALIKE)))
def test_words_equal_across_kinds_and_folding(a: str, b: str) -> None:
    assert dup_tokens(a) == dup_tokens(b)
    assert assert_same_repeats_of([a, "x", b, b.upper(), b.casefold()])[2] == 0
    assert assert_same_repeats_of([b, a])[1] == 0
    # near repeats: eight words or more, one apart, the words from either text
    long_a = " ".join([a, *words("w", 10), a])
    long_b = " ".join([b, *changed(words("w", 10), [5]), b])
    assert assert_same_repeats_of([long_a, long_b, long_a.upper()]) == [None, 0, 0]


@needs_repeats
def test_unlike_words_stay_apart() -> None:
    # alike in some way but not equal once folded: dotless ı, i; combining marks; digits; kinds
    texts = ["ı", "i", "I", "é", "e\u0301", "٣", "3", "北", "北京", "a_b", "a b", "ab", "\x00a", "a\x00", "Σ", "ς σ"]
    got = assert_same_repeats_of(texts)
    assert got == [None, None, 1] + [None] * 10 + [12, None, None]  # "a\x00" is "a", as "\x00a" is


@needs_repeats
def test_the_cut_of_repeats_of() -> None:
    n = TOKEN_CHARS
    pairs = []
    for fill in ("a", "é", "北", "\U0001d400", "Σ"):  # an ASCII, Latin-1, UCS-2 and UCS-4 head, and one that folds
        head = fill * (n - 1)
        pairs.append((head + "bc", head + "bd"))  # the same first n characters: a repeat
        pairs.append((head + "b", head + "c"))  # the last of the n characters differs: none
        pairs.append((fill + " " + head + "b", fill + " " + head + "c"))  # the last word past the cut
        pairs.append((head + "İx", head + "İy"))  # folding lengthens the last character past the cut
        pairs.append((head + " bc", head + " bd"))  # a space at the cut
    words_at_cut = "x " * (n // 2 - 1)
    pairs.append((words_at_cut + "abc", words_at_cut + "abd"))  # a word split by the cut: "ab" both
    pairs.append((words_at_cut + "abc", words_at_cut + "ab"))
    pairs.append((words_at_cut + "ab" + "é", words_at_cut + "abc"))  # ASCII up to the cut, then not
    pairs.append((words_at_cut + "ÀBé", words_at_cut + "àb"))
    for a, b in pairs:
        assert len(a) > n - 2
        assert_same_repeats_of([a, b], masks=(-1, 7))
        assert_same_repeats_of([b, a], masks=(-1,))
    first, second = pairs[0]
    assert find_repeats([first, second]) == [None, 0] and find_repeats(list(pairs[1])) == [None, None]
    for limit in (0, 1, 2, n - 1, n, n + 1):
        assert_same_repeats_of([p for pair in pairs[:6] for p in pair], limit, masks=(-1,))
    assert c_repeats_of(["ABC", "abd"], 0) == [None, None] and c_repeats_of(["ABC", "abd"], 2) == [None, 0]
    assert c_repeats_of(["İx", "i"], 1) == [None, 0]


@needs_repeats
def test_the_same_text_more_than_once() -> None:
    t = "Some line of text, repeated: ’ and with ß"
    assert assert_same_repeats_of([t, t, t, "", t.upper(), str(t.encode(), "utf-8")]) == [None, 0, 0, None, 0, 0]
    long_t = " ".join(words("w", 12)) + " é"
    near = long_t.replace("w6", "x6")
    assert assert_same_repeats_of([near, long_t, long_t, near, "", long_t]) == [None, 0, 1, 0, None, 1]
    assert assert_same_repeats_of(["", "", " ", "...", "’"]) == [None] * 5


@needs_repeats
def test_windows_and_similarity_through_texts() -> None:
    # more than _WINDOW lines under one head, as texts of every kind (assert_same_repeats turns
    # token lists into texts too; this one checks a window of candidates through find_repeats)
    head = words("h", 5)
    lines = [head + words(f"u{k}_", 10) for k in range(12)]
    for target in range(12):
        probe = changed(lines[target], [len(lines[target]) - 1])
        for shift in range(len(_SEPARATORS)):
            got = find_repeats(_texts_of([*lines, probe], shift))
            assert got[-1] == (target if target >= 12 - duplicates._WINDOW else None)
    # shared words exactly at and one below 85% of the longer line
    base = words("w", 20)
    keep_ends = list(range(5, 15))
    for miss, want in ((3, 0), (4, None)):
        texts = [" ".join(base), "’".join(changed(base, keep_ends[:miss])).upper()]
        assert assert_same_repeats_of(texts) == [None, want]


@needs_repeats
def test_repeats_of_refuses_bad_arguments() -> None:
    C = duplicates._C
    ok = ["a b", "A B"]
    assert C.repeats_of(ok, 10, 8, 0.85, 5, 8) == [None, 0] == C.repeats_of(tuple(ok), 10, 8, 0.85, 5, 8, 0)
    assert C.repeats_of(["a", _Str("b")], 10, 8, 0.85, 5, 8) is NotImplemented
    assert C.repeats_of(["a", 1], 10, 8, 0.85, 5, 8) is NotImplemented
    assert C.repeats_of([], 10, 8, 0.85, 5, 8) == [] and C.repeats_of([""], 10, 8, 0.85, 5, 8) == [None]
    assert C.repeats_of(ok, 10, 8, 0.85, 5, 8, 2**70 - 1) == [None, 0]  # a mask's low 64 bits
    for bad in (
        ("ab", 10, 8, 0.85, 5, 8),
        (iter(ok), 10, 8, 0.85, 5, 8),
        (ok, "10", 8, 0.85, 5, 8),
        (ok, 10, "8", 0.85, 5, 8),
        (ok, 10, 8, 1, 5, 8),
        (ok, 10, 8, 0.85, 5.0, 8),
        (ok, 10, 8, 0.85, 5, None),
        (ok, 10, 8, 0.85, 5, 8, 1.0),
        (ok, 10, 8, 0.85, 5),
        (ok, 10, 8, 0.85, 5, 8, -1, 0),
        (),
    ):
        with pytest.raises(TypeError):
            C.repeats_of(*bad)
    for bad in ((ok, -1, 8, 0.85, 5, 8), (ok, 10, 8, 0.85, 0, 8), (ok, 10, 8, 0.85, 9, 8), (ok, 10, 8, 0.85, 5, 0)):
        with pytest.raises(ValueError):
            C.repeats_of(*bad)
    # find_repeats hands other sequences over as a list, and str subclasses to the cached path
    assert find_repeats(iter_seq := _Seq(["x y", "X Y"])) == [None, 0] and iter_seq.read
    assert find_repeats(["Ab", _Str("aB"), "ab"]) == [None, 0, 0]


class _Seq(list):
    """A list subclass: a sequence of another type."""

    read = False

    def __iter__(self):  # type: ignore[no-untyped-def]
        type(self).read = True
        return super().__iter__()


fold_words = st.sampled_from(
    ["a", "B", "straße", "STRASSE", "ﬁ", "FI", "Σας", "σασ", "İ", "i", "ı", "K", "\u212a", "北京", "µ", "Μ", "a_b"]
    + ["x\u0301", "٣", "𝐀", "\U00010400", "\U00010428"]
)
"""Words that fold alike or nearly, of every kind."""
separators = st.sampled_from([" ", "’", " 😀 ", "\x00", ", ", "\ud800", "、", "\u0345"])
"""Between words, of every kind; U+0345 is no word character but folds to one, joining words."""


@st.composite
def edited_texts(draw: st.DrawFn) -> list[str]:
    """Texts whose words are often an earlier text's with a few changed (edited_lines), joined by
    separators of every kind, some upper-cased."""
    texts = []
    for line in draw(edited_lines(fold_words)):
        text = draw(separators).join(line)
        texts.append(text.upper() if draw(st.booleans()) else text)
    return texts


@needs_repeats
@PROPS
@given(edited_texts(), st.sampled_from(MASKS))
def test_random_texts_repeats_of(texts: list[str], mask: int) -> None:
    assert_same_repeats_of(texts, masks=(mask,))


@needs_repeats
@PROPS
@given(st.lists(st.one_of(word_text, line_content, st.text(max_size=40)), max_size=12), st.integers(0, 30))
@example(["İx", "i"], 1)
@example(["\u0345", "ι"], 1)  # a mark that is not \w folds to one that is
def test_random_texts_cut_short(texts: list[str], limit: int) -> None:
    texts = texts + texts[::-1]
    assert_same_repeats_of(texts, limit, masks=(-1, 1))
    assert_same_repeats_of(texts, masks=(-1,))
