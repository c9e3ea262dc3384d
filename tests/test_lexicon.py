"""Lexicon files: every language ships its lists, entries parse, patterns are safe."""

from __future__ import annotations

from importlib import resources

import pytest

from boilerstrip.lexicon import (
    LANGUAGES,
    Lexicon,
    UnsafePatternError,
    builtin_entries,
    exact_key,
    line_key,
    parse_entries,
    stopwords,
)

REQUIRED_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "zh")
CORE_KINDS = ("nav", "related", "ad", "social", "comments", "author", "legal", "caption", "meta")


@pytest.mark.parametrize("lang", REQUIRED_LANGUAGES)
def test_each_language_has_stopwords_and_core_lexicons(lang: str) -> None:
    assert len(stopwords(lang)) >= 40
    folder = resources.files("boilerstrip").joinpath("data", lang)
    missing = [k for k in CORE_KINDS if not folder.joinpath(f"{k}.txt").is_file()]
    assert not missing or lang in ("it", "pt", "nl", "pl", "zh") and set(missing) <= {"widget"}, missing


def test_all_builtin_entries_parse_and_cover_every_kind() -> None:
    entries = builtin_entries()
    assert {e.kind for e in entries} >= set(CORE_KINDS) | {"widget"}
    assert {lang for lang in LANGUAGES} >= set(REQUIRED_LANGUAGES)


def test_entry_forms() -> None:
    lex = Lexicon.from_entries(
        [("social", "share"), ("related", "also read:*"), ("legal", "*all rights reserved*"), ("meta", r"/^\d+ min read$/")]
    )
    assert [h.form for h in lex.match(line_key("Share:"))] == ["exact"]
    assert [h.form for h in lex.match(line_key("Also read: a story"))] == ["prefix"]
    assert [h.form for h in lex.match(line_key("Example Corp. All rights reserved."))] == ["contains"]
    assert [h.form for h in lex.match(line_key("4 min read"))] == ["regex"]
    assert lex.match(line_key("Shareholders met on Monday")) == ()


def test_sections_name_the_reason_and_weight() -> None:
    (entry,) = parse_entries("ad", ["[shop furniture | 0.7]", "basket  # a comment"])
    assert (entry.label, entry.weight, entry.phrase) == ("shop furniture", 0.7, "basket")


def test_unsafe_pattern_is_refused() -> None:
    with pytest.raises(UnsafePatternError):
        parse_entries("nav", [r"/^(\w+\s?)*$/"])


def test_empty_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_entries("nav", ["- "])


def test_keys_fold_bullets_quotes_and_counts() -> None:
    assert line_key("  •  You’ll  LOVE   this ") == "you'll love this"
    assert exact_key("comments (12)") == "comments"
    assert exact_key("covid 19") == "covid"
    assert exact_key("page 2 of 9") == "page 2 of"


def _keys_to_try() -> list[str]:
    """Line keys from the shipped fixtures plus lines built to hit the patterns' literal parts."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "fixtures"
    lines = [ln for p in sorted(root.rglob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    lines += [
        "The content you see here is paid for by the advertiser or content provider.",
        "_ga sets this cookie to store a session id",
        "You can follow any responses to this entry through the RSS 2.0 feed.",
        "You can leave a response, or trackback from your own site.",
        "This entry was posted on Monday and is filed under News.",
        "Share this to your friends",
        # lines that close matches of patterns ending in $ (and near misses)
        "Reuters",
        "A crowd outside the court (AP Photo/Jane Doe)",
        "The square at dawn | AFP via Getty Images",
        "Flood waters - EPA",
        "Photo: Jane Doe/Reuters",
        "Bild: dpa / Picture Alliance",
        "John Smith says:",
        "mary commented,",
        "12 comments",
        "Comments (3)",
        "Page 2 of 10",
        "Next »",
        "5 min read",
        "Posted on 12 March 2021",
        "评论（12）",
        # lines holding one of a pattern's few needed texts (and near misses)
        "Mary Jones is a reporter at the Daily Planet covering city hall.",
        "Tom has been the editor for The Times since 2004.",
        "Credit: John Smith/Reuters",
        "Bildquelle: Max Mustermann",
        "京ICP备12345678号",
        "Photos by Jane",
    ]
    keys = [line_key(ln) for ln in lines if ln.strip()]
    # a line break after the match ($ matches before it), digits and spaces of other scripts, none
    endings = ["\n", " ", "\u00a0", "\u2003", "\u0663", "7", ")", "."]
    return keys + [k + e for k in keys[-20:] for e in endings] + [k[:-1] for k in keys[-20:]] + [""]


def test_regex_dispatch_skips_no_pattern_that_matches() -> None:
    """Trying only the patterns a key is offered, and only when it holds their needed
    characters or text, finds exactly the patterns a search of every pattern finds."""
    from boilerstrip.lexicon import FULL_LINE_MAX_CHARS, holds_text, load_lexicon

    lex = load_lexicon()
    d = lex.regexes
    every = [(rx, e) for rx, e, _, _ in d.items]
    keys = _keys_to_try()
    assert len(keys) > 200
    for key in keys:
        chars = set(key)
        quick = {
            e.phrase
            for rx, e, need, lit in d.offered(key)
            if holds_text(key, lit) and (need is None or not need.isdisjoint(chars)) and rx.search(key)
        }
        offered_to_long = [(rx, e) for rx, e in every if rx.pattern not in d.full_line]
        slow = {e.phrase for rx, e in (offered_to_long if len(key) > FULL_LINE_MAX_CHARS else every) if rx.search(key)}
        assert quick == slow, key


@pytest.mark.parametrize(
    ("pattern", "closing"),
    [
        (r"(?:afp|ap)(?:\s*photo)?\s*[)\]]?$", {"p", "o", "\\s", ")", "]"}),
        (r"^\d+ comments?$", {"t", "s"}),
        (r"^comments \(\d+\)$", {")"}),
        (r"^(?:next|prev)\s*(?:»|›)?(?<!x)$", {"t", "v", "\\s", "»", "›"}),
        (r"^\d[\d ]{6,}$", {"\\d", " "}),
        (r"a(?:b|c*)$", {"a", "b", "c"}),
        (r"a\w*$", None),  # a word character: anything
        (r"(?:ab)?$", None),  # may match the empty string
        (r"a(?i:b)$", None),  # a case-insensitive part
        (r"(a)\1$", None),  # a back reference
    ],
)
def test_closing_chars_read_what_a_match_can_end_with(pattern: str, closing: set[str] | None) -> None:
    import re

    from boilerstrip.lexicon import _closing_chars

    got = _closing_chars(list(re._parser.parse(pattern)))  # type: ignore[attr-defined]
    assert got == (None if closing is None else frozenset(closing))


def test_every_match_holds_one_of_its_patterns_needed_texts() -> None:
    """Every match of a shipped pattern found in the test keys holds the text the dispatch
    tests for before searching (its literal run, or one of its few texts)."""
    from boilerstrip.lexicon import load_lexicon

    d = load_lexicon().regexes
    some = {rx.pattern: (rx, lit) for rx, _, _, lit in d.items if isinstance(lit, tuple)}
    assert len(some) >= 8
    matched = 0
    for key in _keys_to_try():
        for rx, texts in some.values():
            m = rx.search(key)
            if m:
                matched += 1
                assert any(t in m.group(0) for t in texts), (rx.pattern, key)
    assert matched >= 5


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        (r"(?:^|\W)(?:photo|image)\s*:", ("image", "photo")),
        (r"x (?:is|has been) (?:a|the)\b", ("x has been a", "x has been the", "x is a", "x is the")),
        (r"icp[备证]", ("icp备", "icp证")),
        (r"(?:ab|abc)d", ("abcd", "abd")),
        (r"a(?:bc|de)?f", None),  # optional: no text is needed
        (r"(?:ab|cd)+", None),  # repeated
        (r"(?:x|y)z", None),  # too short
        (r"(?i:abc|def)", None),  # a flag
        (r"[a-z]bcd", None),  # a range
        (r"[xya-c]bcd", None),  # a class with a range
        (r"[xy]bcd", ("xbcd", "ybcd")),  # a class of characters
        (r"(?:a|b|c|d|e|f|g)hij", None),  # too many
    ],
)
def test_needed_one_of_reads_the_texts_every_match_holds(pattern: str, texts: tuple[str, ...] | None) -> None:
    import re

    from boilerstrip.lexicon import needed_one_of

    assert needed_one_of(list(re._parser.parse(pattern))) == texts  # type: ignore[attr-defined]


def test_every_match_of_a_pattern_ending_in_dollar_closes_with_its_closing_chars() -> None:
    """The shipped patterns' closing characters hold the last character of every match found
    in the test keys (the dispatch skips a pattern on keys ending otherwise)."""
    from boilerstrip.lexicon import load_lexicon

    d = load_lexicon().regexes
    closing = {rx.pattern: (rx, d._closing[rx.pattern]) for rx, _, _, _ in d.items if rx.pattern in d._closing}
    assert len(closing) >= 40
    matched = 0
    for key in _keys_to_try():
        for rx, chars in closing.values():
            m = rx.search(key)
            if m and m.end() > m.start():
                matched += 1
                last = key[m.end() - 1]
                allowed = last in chars or ("\\d" in chars and last.isdigit()) or ("\\s" in chars and last.isspace())
                assert allowed, (rx.pattern, key)
    assert matched >= 20
