"""HTML to text: layout, what is dropped, and robustness on hostile markup."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerstrip.html import html_to_text, looks_like_html

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Council approves budget</title>
<style>body { color: red }</style><script>var x = "<p>not text</p>";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
<h1>Council approves budget</h1>
<p>The council approved the new budget on Monday after a long debate.</p>
<p>Spending on <em>schools</em> rises by&nbsp;4%.</p>
<!-- a comment -->
<div hidden>hidden text</div><div style="display:none">also hidden</div>
<figure><img src="x.jpg"><figcaption>The town hall.</figcaption></figure>
</article>
<footer>&copy; 2024 Example News</footer>
<noscript>Enable JavaScript</noscript>
</body></html>"""


def test_page_layout() -> None:
    lines = html_to_text(PAGE).splitlines()
    assert lines[0] == "Council approves budget"
    assert lines.count("Council approves budget") == 2  # title line, then the h1
    assert "Home" in lines and "World" in lines
    assert "The council approved the new budget on Monday after a long debate." in lines
    assert "Spending on schools rises by 4%." in lines
    assert "The town hall." in lines
    assert "© 2024 Example News" in lines


@pytest.mark.parametrize("gone", ["color: red", "not text", "a comment", "hidden text", "also hidden", "Enable JavaScript"])
def test_invisible_content_dropped(gone: str) -> None:
    assert gone not in html_to_text(PAGE)


def test_blank_lines_single_and_not_at_ends() -> None:
    text = html_to_text(PAGE)
    assert "\n\n\n" not in text
    assert not text.startswith("\n") and text.endswith("\n") and not text.endswith("\n\n")


def test_pre_keeps_its_lines_and_indentation() -> None:
    assert html_to_text("<pre>def f():\n    return 1</pre>") == "def f():\n    return 1\n"


def test_table_cells_share_a_line() -> None:
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><th>c<td>d</table>") == "a b\nc d\n"


def test_html5_elements_outside_body_are_kept() -> None:
    # libxml2 puts unknown elements met before <body> into <head>; their text must survive.
    assert html_to_text("<title>T</title><header>Site</header><p>x</p>").splitlines() == ["T", "", "Site", "", "x"]


@pytest.mark.parametrize(
    "markup",
    ["", "   ", "<", "<<<>>>", "<html></html>", "<!-- only a comment -->", "<script>x</script>", "\x00\x00"],
)
def test_empty_or_tag_only_input(markup: str) -> None:
    assert html_to_text(markup).strip("\n<>") == ""


def test_encoding_declarations_do_not_break_str_input() -> None:
    markup = '<?xml version="1.0" encoding="latin-1"?><meta charset="iso-8859-1"><p>café</p>'
    assert html_to_text(markup) == "café\n"


def test_lone_surrogates_and_control_characters() -> None:
    assert html_to_text("<p>a\ud800b\x00c\x1bd</p>") == "a\ufffdbcd\n"


@pytest.mark.parametrize("depth", [300, 5000])
def test_deep_nesting_keeps_text(depth: int) -> None:
    markup = "<div>" * depth + "deep" + "</div>" * depth + "<p>after</p>"
    assert html_to_text(markup).split() == ["deep", "after"]


def test_unclosed_inline_tags_keep_text() -> None:
    markup = "<font>" * 3000 + "<p>first</p><p>second</p>"
    assert html_to_text(markup).split() == ["first", "second"]


def test_rejects_bytes() -> None:
    with pytest.raises(TypeError):
        html_to_text(b"<p>x</p>")  # type: ignore[arg-type]


_PIECES = list("<>/=\"' &;#abdipv\n\x00é") + [
    "<p>", "</p>", "<div>", "<br>", "<script>", "</script>", "<pre>", "</pre>", "<!--", "-->", "&amp;", "<title>",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_never_raises_and_returns_lines(markup: str) -> None:
    text = html_to_text(markup)
    assert isinstance(text, str)
    assert text == "" or (text.endswith("\n") and not text.startswith("\n"))
    assert "\n\n\n" not in text and "\x00" not in text


@pytest.mark.parametrize(
    "text",
    [
        "<!doctype html><title>x</title>",
        "  \n<html lang=en><body>hi",
        "<!-- saved page --><HTML><HEAD>",
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">',
        "<div class=a><p>One</p><p>Two</p></div>",
        "<p>x</p>" * 20,
    ],
)
def test_looks_like_html_yes(text: str) -> None:
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The council approved the budget.\nShare news\n",
        "Use <b>bold</b> sparingly, and <i>italics</i> too.",
        "a < b and c > d, so <p> is a tag name.",
        "<3 love this article\nmore text",
        "Title\n\n" + "Plain paragraph text. " * 500 + "<p>late</p>" * 20,
        # scraped text with a search widget's template left in it among its menu lines
        "Headline - Site\n\nWSJ\nFacebook\nTwitter\n" + "Menu item\n" * 30 + "<div><ul><li>a</li></ul></div>" * 5,
    ],
)
def test_looks_like_html_no(text: str) -> None:
    assert not looks_like_html(text)


def test_scraped_text_with_a_block_of_markup_keeps_its_lines() -> None:
    """A stray block of markup does not make scraped text HTML: converting it would run the
    page's lines into one and no line could be dropped on its own."""
    from boilerstrip import explain

    body = "The council approved the new budget on Monday after a long debate that lasted into the night."
    menu = "".join(f"Section {i}\n" for i in range(40))
    text = f"Budget passes - Daily\n\n{menu}<div><ul><li>x</li></ul></div>" + "<span>a</span>" * 12 + f"\n\n{body}\n"
    report = explain(text)
    assert "html_input" not in report.flags
    assert len(report.lines) == len(text.splitlines())
    kept = [d.text for d in report.lines if d.kept and d.text]
    assert body in kept and not any(t.startswith(("Section", "<div>")) for t in kept)


@pytest.mark.parametrize(
    "markup",
    [
        "<!--x-->" * 2000 + "plain text",  # a run of comments: no backtracking blow-up
        "<" * 200_000,
        "<p" * 100_000,
        "<div>" * 3000 + "<script" * 20_000,  # too deep for lxml, then unclosed scripts
        "<div>" * 3000 + "<!--" * 50_000,
        "<div>" * 3000 + '<p title="' * 30_000,
    ],
)
def test_hostile_markup_is_linear(markup: str) -> None:
    import time

    started = time.perf_counter()
    looks_like_html(markup)
    html_to_text(markup)
    assert time.perf_counter() - started < 2.0
