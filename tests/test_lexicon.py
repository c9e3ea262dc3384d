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

REQUIRED_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "zh")
CORE_KINDS = ("nav", "related", "ad", "social", "comments", "author", "legal", "caption", "meta")


@pytest.mark.parametrize("lang", REQUIRED_LANGUAGES)
def test_each_language_has_stopwords_and_core_lexicons(lang: str) -> None:
    assert len(stopwords(lang)) >= 40
    folder = resources.files("boilerstrip").joinpath("data", lang)
    missing = [k for k in CORE_KINDS if not folder.joinpath(f"{k}.txt").is_file()]
    assert not missing or lang in ("it", "pt", "nl", "zh") and set(missing) <= {"widget"}, missing


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
