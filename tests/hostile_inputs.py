"""Hypothesis strategies for hostile documents and the invariants every result must satisfy.

Shared by ``test_properties.py`` (the main suite) and ``test_fuzz.py`` (the bounded fuzz run).
"""

from __future__ import annotations

import json
import math

from hypothesis import strategies as st

from boilerstrip import NOISE_KINDS, Config, clean, explain
from boilerstrip.config import BLANK, CONTENT_KINDS, PROFILES
from boilerstrip.report import FLAG_ALL_NOISE, FLAG_MOSTLY_DROPPED, Report


class StrSubclass(str):
    """A str subclass: the compiled parts hand a call holding one back to the pure path."""


class DictSubclass(dict):
    """A dict subclass, handed back as :class:`StrSubclass` is."""


class ListSubclass(list):
    """A list subclass, handed back as :class:`StrSubclass` is."""


LINE_ENDS = ("\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
"""Every line end of :meth:`str.splitlines`."""

_END_CHARS = frozenset("".join(LINE_ENDS))

ODD_CHARS = (
    "\x00", "\x01", "\x07", "\x1b", "\x7f", "\t", "\xa0", "\u3000", "\ufeff", "\ufffd", "\uffff",
    "\u200b", "\u200c", "\u200d", "\u2060", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066",
    "\u0301", "\ud800", "\udbff", "\udc00", "\udfff", "\U0001f600", "\U000e0001", "\U0010ffff",
)
"""Control characters, NUL, BOM, zero-width and bidi marks, combining marks, lone surrogates."""

NOISE_LINES = (
    "Home > News > World",
    "Home",
    "Share on Facebook",
    "Share this article",
    "Facebook Twitter LinkedIn Email",
    "12 comments",
    "Leave a comment",
    "© 2024 Example Media Ltd. All rights reserved.",
    "Privacy Policy",
    "Subscribe to our newsletter",
    "Read more",
    "Related articles",
    "Advertisement",
    "Photo: Reuters",
    "Tags: politics, economy",
    "By Jane Doe",
    "5 min read",
    "March 3, 2024",
    "Next »",
    "★★★★☆",
    "Startseite > Politik",
    "Partager sur Facebook",
    "相关文章",
)
"""Lines a cleaner should usually drop, in several languages."""

BODY_LINES = (
    "The council approved the new budget on Monday after a long and heated debate.",
    "Talks resumed in Geneva on Tuesday, officials said, after a week of delay over the agenda.",
    "Der Stadtrat hat am Montag nach einer langen Debatte den neuen Haushalt beschlossen.",
    "Le conseil municipal a adopté lundi le nouveau budget après un long débat.",
    "市议会周一经过长时间辩论后批准了新的预算，反对派表示将继续抗议。",
    "وافق المجلس على الميزانية الجديدة يوم الاثنين بعد نقاش طويل حول الضرائب.",
    "Совет утвердил новый бюджет в понедельник после долгих и жарких дебатов.",
    "Shares of the company rose 4% after it reported comments from regulators on the merger.",
)
"""Lines of article text in several scripts (RTL and CJK included)."""


def _no_line_ends(s: str) -> str:
    return "".join(c for c in s if c not in _END_CHARS)


any_char = st.one_of(
    st.characters(codec=None),
    st.characters(categories=["Cs"]),  # lone surrogates
    st.sampled_from(ODD_CHARS),
)
"""Any code point, lone surrogates included."""

line_content = st.one_of(
    st.sampled_from(NOISE_LINES),
    st.sampled_from(BODY_LINES),
    st.text(any_char, max_size=40).map(_no_line_ends),
    st.tuples(st.sampled_from(NOISE_LINES + BODY_LINES), st.sampled_from(ODD_CHARS), st.integers(0, 80)).map(
        lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]
    ),
    st.tuples(st.sampled_from(("a", "- ", "(", ".", "> ", "1", " ", "漢", "\u200b", "Share ")), st.integers(1, 5000)).map(
        lambda t: t[0] * t[1]
    ),
    st.just(""),
)
"""One line without its ending: boilerplate, body, junk, odd characters, very long or empty."""

line_end = st.sampled_from(LINE_ENDS)


@st.composite
def documents(draw: st.DrawFn, max_lines: int = 30) -> str:
    """A document of mixed lines, each with any line end; sometimes raw arbitrary text."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(any_char, max_size=200))
    lines = draw(st.lists(st.tuples(line_content, line_end), max_size=max_lines))
    text = "".join(a + b for a, b in lines)
    if lines and draw(st.booleans()):
        text = text[: -len(lines[-1][1])]  # no final line end
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


configs = st.builds(
    Config,
    profile=st.sampled_from(PROFILES),
    keep_title=st.booleans(),
    drop=st.frozensets(st.sampled_from(NOISE_KINDS)),
    language=st.sampled_from([None, "en", "de", "zh"]),
    use_model=st.booleans(),
)
"""Any valid configuration."""

idempotent_configs = st.builds(
    Config,
    profile=st.sampled_from(PROFILES),
    keep_title=st.just(True),
    drop=st.frozensets(st.sampled_from(NOISE_KINDS)),
    language=st.sampled_from([None, "en", "de", "zh"]),
    use_model=st.booleans(),
)
"""Any configuration under which cleaning is idempotent: ``keep_title=False`` drops the line it
takes for the title on every call, so it is not (docs/how-it-decides.md, "Fixed point")."""

LINE_END_CHARS = "".join(LINE_ENDS)


def source_lines(text: str, report: Report) -> list[str]:
    """The lines (with endings) that ``report`` decided: the input's, or the HTML step's output's."""
    if "html_input" in report.flags:
        from boilerstrip.html import html_to_text

        text = html_to_text(text)
    return text.splitlines(keepends=True)


def is_subsequence_concat(out: str, lines: list[str]) -> bool:
    """True when ``out`` is some in-order selection of ``lines`` concatenated (string level)."""
    reach = {0}
    for line in lines:
        reach |= {p + len(line) for p in reach if out.startswith(line, p)}
    return len(out) in reach


def is_line_subsequence(lines: list[str], of: list[str]) -> bool:
    """True when ``lines`` occur in ``of`` in the same order."""
    it = iter(of)
    return all(any(line == x for x in it) for line in lines)


def check_report(text: str, config: Config | None = None) -> Report:
    """Run ``explain`` and ``clean`` on ``text`` and assert every documented invariant."""
    cfg = config or Config()
    report = explain(text, config=config)
    out = clean(text, config=config)
    assert isinstance(out, str)
    assert out == report.text, "clean() and explain().text differ"

    if not text.strip():
        assert out == text, "empty or whitespace-only text must come back unchanged"

    raw = source_lines(text, report)
    # explain covers every line, in order, with its text
    assert len(report.lines) == len(raw), f"{len(report.lines)} decisions for {len(raw)} lines"
    for i, (d, line) in enumerate(zip(report.lines, raw)):
        assert d.index == i
        assert d.text == line.rstrip(LINE_END_CHARS), f"line {i}: decision text is not the line"
        assert isinstance(d.kept, bool)
        is_blank = not d.text.strip()
        assert (d.kind == BLANK) == is_blank, f"line {i} {d.text!r}: kind {d.kind!r}"
        assert d.kind in (BLANK, *CONTENT_KINDS, *NOISE_KINDS), d.kind
        if not is_blank:
            # a dropped line is one of the kinds the config drops (or an unwanted title); a kept one is not
            dropped_kind = d.kind in cfg.drop or (d.kind == "title" and not cfg.keep_title)
            assert d.kept != dropped_kind, f"line {i}: kept={d.kept} as {d.kind}"
        assert isinstance(d.score, float | int) and math.isfinite(d.score) and 0.0 <= d.score <= 1.0, d.score
        for k, v in d.scores.items():
            assert k in NOISE_KINDS, k
            assert math.isfinite(v) and 0.0 <= v <= 1.0, (k, v)
        assert all(isinstance(r, str) and r for r in d.reasons)
        # a reason is a sentence, not a list that grows with the document
        assert all(len(r) <= 400 + len(d.text) for r in d.reasons), max(d.reasons, key=len)[:200]
        if not d.kept and not is_blank:
            assert d.reasons, f"line {i} dropped as {d.kind} without a reason"

    # the output is exactly the kept lines, verbatim and in order
    assert out == "".join(raw[d.index] for d in report.lines if d.kept)
    if len(raw) <= 2000:  # the string-level check is quadratic on many equal lines
        assert is_subsequence_concat(out, raw)
    # ... and read back, its lines are input lines (a kept "\r" line then a kept "\n" would not be)
    assert is_line_subsequence(out.splitlines(keepends=True), raw), "output lines read back differently"

    # document flags
    assert all(isinstance(f, str) for f in report.flags)
    assert len(set(report.flags)) == len(report.flags), report.flags
    has_body = any(line.strip() for line in raw)
    kept_any = any(d.kept and d.kind != BLANK for d in report.lines)
    assert (FLAG_ALL_NOISE in report.flags) == (has_body and not kept_any), report.flags
    if FLAG_MOSTLY_DROPPED in report.flags:
        assert report.dropped, "mostly_dropped without any dropped line"
    assert isinstance(report.language, str) and report.language

    # renders without error
    json.dumps(report.to_dict())
    assert isinstance(report.table(), str)
    return report


TAGS = ("<p>", "</p>", "<div class=\"nav\">", "</div>", "<br>", "<script>var a = '<p>';</script>", "<!-- c -->",
        "<html><body>", "</body></html>", "<!DOCTYPE html>", "<a href=\"/x\">", "</a>", "<li>", "<table><tr><td>",
        "&amp;", "&#0;", "&#xd800;", "&nbsp;", "<", ">", "<p", "<![CDATA[", "<?xml version=\"1.0\"?>")


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """Tag soup around boilerplate and body lines, with odd characters and broken markup."""
    parts = draw(st.lists(st.one_of(st.sampled_from(TAGS), line_content, line_end), min_size=1, max_size=40))
    return "<html><body>" + "".join(parts) if draw(st.booleans()) else "".join(parts)
