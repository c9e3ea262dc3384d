"""HTML to plain-text lines, laid out the way boilerstrip expects its input.

The page ``<title>`` comes first; then the visible text of the body, one block element
(paragraph, heading, list item, table row, ``div`` ...) per line, with blank lines around
paragraph-like blocks. Scripts, styles, templates, form controls and elements marked
``hidden`` are dropped. This is the only module that imports lxml.

>>> print(html_to_text("<title>Budget</title><nav><a href='/'>Home</a></nav>"
...                    "<p>The council <b>approved</b> it.</p><script>x()</script><ul><li>One<li>Two</ul>"),
...       end="")
Budget
<BLANKLINE>
Home
<BLANKLINE>
The council approved it.
<BLANKLINE>
One
Two
>>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
True
>>> looks_like_html("Use the <b> tag for bold text.")
False
"""

from __future__ import annotations

import html as _html
import re

from lxml import etree
from lxml import html as lxml_html

__all__ = ["html_to_text", "looks_like_html"]

# Elements that start and end a line of their own.
_LINE_TAGS = frozenset(
    "address article aside br dd details dialog div dt fieldset figcaption footer form header "
    "hgroup hr legend li main nav option section summary tr caption".split()
)
# Elements followed by a blank line (paragraph-like blocks).
_PARAGRAPH_TAGS = frozenset("blockquote dl figure h1 h2 h3 h4 h5 h6 ol p pre table ul".split())
# Elements whose content is never visible text.
_SKIP_TAGS = frozenset(
    "script style noscript template title meta link base svg math iframe object embed canvas audio video "
    "select datalist map button input textarea".split()
)
# Table cells are separated by a space on their row's line.
_CELL_TAGS = frozenset(("td", "th"))

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# A comment cannot contain "-->", so there is one way to match a run of them (no backtracking blow-up).
_START = re.compile(
    r"\A(?:\s|<!--(?:[^-]|-(?!->))*-->|<\?xml[^<>]*>)*<(?:!doctype\s+html|html|head|body)\b", re.I
)
_TAG = re.compile(
    r"<(/?)(?:p|div|span|a|br|li|ul|ol|table|tr|td|th|h[1-6]|script|style|meta|link|img|"
    r"section|article|nav|header|footer|main|aside|form|b|i|em|strong|title|body|html)\b[^<>]*>",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML document or fragment rather than plain text.

    Looks at the first 4,096 characters. A document opening with a doctype, ``<html>``,
    ``<head>`` or ``<body>`` is HTML. Otherwise it takes markup throughout, not a stray tag in
    prose: text that starts with a tag needs three or more known tags, a closing one among
    them; text that does not needs ten, three of them closing, and tags on
    :data:`MIN_TAGGED_SHARE` of its lines.

    >>> looks_like_html("<p>One.</p><p>Two.</p>")
    True
    >>> looks_like_html("Prices in <b>bold</b> are new.\\nNothing else here.")
    False
    """
    head = text[:4096]
    if _START.match(head):
        return True
    tags = [m.group(1) for m in _TAG.finditer(head)]
    closing = sum(1 for slash in tags if slash)
    if head.lstrip().startswith("<"):
        return len(tags) >= 3 and closing >= 1
    return len(tags) >= 10 and closing >= 3 and _tagged_share(text[:SHARE_CHARS]) >= MIN_TAGGED_SHARE


SHARE_CHARS = 200_000
MIN_TAGGED_SHARE = 0.05
"""Text that does not open with a tag is HTML only when this share of its non-blank lines
(in its first :data:`SHARE_CHARS` characters) hold a tag: scraped text often carries a stray
block of markup (a search widget's template, a ``<![CDATA[`` script) among hundreds of lines
of plain text, and converting it as HTML would run all those lines into one."""


def _tagged_share(text: str) -> float:
    lines = [line for line in text.splitlines() if line.strip()]
    return sum(1 for line in lines if _TAG.search(line)) / max(1, len(lines))


def html_to_text(html: str) -> str:
    """The visible text of ``html`` as lines: title first, one block element per line.

    Never raises on malformed input: empty or tag-only input gives ``""``, and a document
    nested too deeply for the parser falls back to a plain tag stripper.

    >>> html_to_text("")
    ''
    >>> html_to_text("<pre>a  b\\n  c</pre><p>x&amp;y&nbsp;z</p>")
    'a  b\\n  c\\n\\nx&y z\\n'
    """
    if not isinstance(html, str):
        raise TypeError(f"html must be str, not {type(html).__name__}")
    cleaned = _SURROGATE.sub("\ufffd", _CONTROL.sub("", html))
    if not cleaned.strip():
        return ""
    parser = lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True, no_network=True
    )
    try:
        root = lxml_html.document_fromstring(cleaned.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    if any("RESOURCE_LIMIT" in str(err.type_name) for err in parser.error_log):
        return _strip_tags(cleaned)
    out = _Lines()
    title = root.find(".//title")
    if title is not None and title.text and title.text.strip():
        out.add(title.text)
        out.end_block(paragraph=True)
    _walk(root, out)  # not just <body>: libxml2 puts stray HTML5 elements into <head>
    return out.text()


class _Lines:
    """Accumulates text into lines; at most one blank line in a row, none at the ends."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._current: list[str] = []
        self._current_pre = False
        self._blank_pending = False

    def add(self, text: str) -> None:
        """Append inline text to the current line, white space collapsed."""
        if text:
            self._current.append(_WS.sub(" ", text))

    def add_pre(self, text: str) -> None:
        """Append preformatted text: its own line breaks are kept, its spaces too."""
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                self._flush(keep_empty=True)
            if part:
                self._current.append(part)
                self._current_pre = True

    def space(self) -> None:
        """Separate two inline items (table cells) by a space."""
        if self._current:
            self._current.append(" ")

    def end_block(self, *, paragraph: bool = False) -> None:
        """End the current line; after a paragraph-like block, leave a blank line."""
        self._flush(keep_empty=False)
        if paragraph and self._lines:
            self._blank_pending = True

    def _flush(self, *, keep_empty: bool) -> None:
        line = "".join(self._current)
        line = line.rstrip() if self._current_pre else _WS.sub(" ", line).strip()
        self._current = []
        self._current_pre = False
        if not line:
            if keep_empty and self._lines:
                self._blank_pending = True
            return
        if self._blank_pending and self._lines:
            self._lines.append("")
        self._blank_pending = False
        self._lines.append(line)

    def text(self) -> str:
        self._flush(keep_empty=False)
        return "".join(line + "\n" for line in self._lines)


def _is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _walk(root: etree._Element, out: _Lines) -> None:
    """Visit ``root``'s subtree without recursion (hostile pages nest deeply)."""
    pre_depth = 0
    stack: list[tuple[etree._Element, bool]] = [(root, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if entering:
            if not tag or tag in _SKIP_TAGS or _is_hidden(el):
                _add_text(out, el.tail if el is not root else None, pre_depth)
                continue
            if tag in _LINE_TAGS or tag in _PARAGRAPH_TAGS:
                out.end_block(paragraph=tag in _PARAGRAPH_TAGS)
            elif tag in _CELL_TAGS:
                out.space()
            if tag == "pre":
                pre_depth += 1
            _add_text(out, el.text, pre_depth)
            stack.append((el, False))
            stack.extend((child, True) for child in reversed(el))
        else:
            if tag == "pre":
                pre_depth -= 1
            if tag in _LINE_TAGS or tag in _PARAGRAPH_TAGS:
                out.end_block(paragraph=tag in _PARAGRAPH_TAGS)
            elif tag in _CELL_TAGS:
                out.space()
            if el is not root:
                _add_text(out, el.tail, pre_depth)


def _add_text(out: _Lines, text: str | None, pre_depth: int) -> None:
    if text:
        (out.add_pre if pre_depth else out.add)(text)


_HIDDEN_BLOCK = re.compile(r"<(script|style|noscript|template|svg)\b|<!--", re.I)
_CLOSE = {
    tag: re.compile(rf"</{tag}\s*>", re.I) for tag in ("script", "style", "noscript", "template", "svg")
}
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_LINE_TAGS | _PARAGRAPH_TAGS)) + r")\b[^<>]*>", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")


def _strip_tags(html: str) -> str:
    """Crude fallback for documents lxml will not parse: block tags become line breaks.

    Linear in the input, unclosed comments and scripts included (they run to the end).

    >>> _strip_tags("<div><script>x<p></script>a<!-- c --> &amp; b</div><p>c")
    'a & b\\nc\\n'
    """
    kept: list[str] = []
    pos = 0
    while match := _HIDDEN_BLOCK.search(html, pos):
        kept.append(html[pos : match.start()])
        if match.group(1):
            close = _CLOSE[match.group(1).lower()].search(html, match.end())
            pos = close.end() if close else len(html)
        else:
            end = html.find("-->", match.end())
            pos = end + 3 if end >= 0 else len(html)
        kept.append(" ")
    kept.append(html[pos:])
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub("\n", "".join(kept)))
    lines = (_WS.sub(" ", line).strip() for line in _html.unescape(text).split("\n"))
    return "".join(line + "\n" for line in lines if line)
