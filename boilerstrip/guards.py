"""Checks in front of the cleaner: refuse what is not text, route HTML through the HTML step.

>>> prepare("Talks resumed in Geneva on Tuesday.\\n")
('Talks resumed in Geneva on Tuesday.\\n', ())
>>> text, flags = prepare("<!DOCTYPE html><html><body><p>Talks resumed.</p></body></html>")
>>> text.strip(), flags
('Talks resumed.', ('html_input',))
>>> require_text(b"bytes")
Traceback (most recent call last):
...
TypeError: text must be str, not bytes; decode bytes first
"""

from __future__ import annotations

from dataclasses import replace

from boilerstrip.report import Report

FLAG_HTML_INPUT = "html_input"
"""Flag set when the input looked like HTML and was converted to text lines first: the report's
lines are then lines of the converted text, not of the input."""


def require_text(text: object) -> str:
    """``text`` itself when it is a ``str``; a clear ``TypeError`` otherwise."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}; decode bytes first")
    return text


def prepare(text: str, html: str = "convert") -> tuple[str, tuple[str, ...]]:
    """The text the cleaner should decide, and the document flags that says how it was obtained.

    With ``html="convert"``, HTML (see :func:`boilerstrip.html.looks_like_html`) becomes its
    visible text, one block per line; with ``"refuse"`` it raises ``ValueError``; with
    ``"text"`` (and for anything that does not look like HTML) the text passes through untouched.
    """
    if html == "text" or "<" not in text:  # cheap exit: no need to load the HTML step (lxml)
        return text, ()
    from boilerstrip.html import html_to_text, looks_like_html

    if looks_like_html(text):
        if html == "refuse":
            raise ValueError("the input looks like HTML; pass Config(html='convert') to extract its text first")
        return html_to_text(text), (FLAG_HTML_INPUT,)
    return text, ()


def with_flags(report: Report, flags: tuple[str, ...]) -> Report:
    """``report`` with ``flags`` in front of its own (each once)."""
    if not flags:
        return report
    return replace(report, flags=tuple(dict.fromkeys(flags + report.flags)))
