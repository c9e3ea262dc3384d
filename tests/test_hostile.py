"""Inputs that are not ordinary article text get a clear, documented result (issue 5).

Each test here names one case of docs/robustness.md and would fail without its handling.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hostile_inputs import LINE_ENDS, check_report

from boilerstrip import clean, explain
from boilerstrip.report import FLAG_ALL_NOISE, FLAG_MOSTLY_DROPPED

ARTICLE = (
    "The city council approved the new budget on Monday after a long and heated debate that lasted into the night.\n"
    "Supporters said the plan would fund two new schools and repair the old bridge on the east side of the river.\n"
    "\n"
    "Opponents argued that the tax increase would hurt small businesses, which are still recovering from the floods.\n"
    "The mayor, who had pushed for the measure for months, called the vote a turning point for the whole city.\n"
    "\n"
    "A final reading is scheduled for next month, when residents will also be able to comment on the details.\n"
)

ARTIKEL = (
    "Der Stadtrat hat am Montag nach einer langen und hitzigen Debatte den neuen Haushalt für das kommende Jahr beschlossen.\n"
    "Die Befürworter sagten, mit dem Geld könnten zwei neue Schulen gebaut und die alte Brücke am Fluss saniert werden.\n"
    "\n"
    "Die Gegner warnten dagegen, dass die höheren Steuern vor allem kleine Betriebe belasten würden, die sich noch erholen.\n"
)

NOISE = (
    "Home > News > World\n"
    "Share on Facebook\n"
    "Share this article\n"
    "12 comments\n"
    "Leave a comment\n"
    "Related articles\n"
    "Advertisement\n"
    "Subscribe to our newsletter\n"
    "Privacy Policy\n"
    "© 2024 Example Media Ltd. All rights reserved.\n"
)

PAGE = "Home > News > World\nShare on Facebook\n\n" + ARTICLE + "\n12 comments\nRelated articles\n© 2024 Example Media Ltd. All rights reserved.\n"


def run_python(code: str, timeout: float, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this checkout of boilerstrip."""
    root = str(Path(__file__).resolve().parent.parent)
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]), **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout, env=full_env
    )


# --------------------------------------------------------------------------- empty and blank input


@pytest.mark.parametrize(
    "text", ["", " ", "\n", "\r\n\r\n", " \t\n\n", "\u3000\n", "\x85", "\u2028\u2029", "\x0c", "\xa0\r"], ids=repr
)
def test_empty_or_whitespace_only_text_is_returned_unchanged(text: str) -> None:
    assert clean(text) == text
    report = explain(text)
    assert report.text == text
    assert all(d.kind == "blank" for d in report.lines)
    assert FLAG_ALL_NOISE not in report.flags and FLAG_MOSTLY_DROPPED not in report.flags


# --------------------------------------------------------------------------- whole documents


@pytest.mark.parametrize("article", [ARTICLE, ARTIKEL], ids=["en", "de"])
def test_all_body_document_comes_back_whole(article: str) -> None:
    assert clean(article) == article
    assert not explain(article).flags


@pytest.mark.parametrize("end", ["\r\n", "\r", "\u2028", "\x85"], ids=repr)
def test_all_body_document_with_other_line_ends_comes_back_whole(end: str) -> None:
    article = ARTICLE.replace("\n", end)
    assert clean(article) == article


def test_all_noise_document_returns_empty_and_says_why() -> None:
    report = explain(NOISE)
    assert clean(NOISE) == "" == report.text
    assert FLAG_ALL_NOISE in report.flags
    assert "all_noise" in report.table()
    for d in report.lines:
        assert not d.kept
        assert d.reasons, f"line {d.index} dropped without a reason"
        assert "no rule fired" not in report.why(d.index)


BURIED = NOISE * 30 + ARTICLE
"""A long run of boilerplate, then a short article: under 10% of the text is article."""


def test_long_document_that_loses_nearly_everything_is_flagged() -> None:
    report = check_report(BURIED)
    assert len(report.text) < 0.1 * len(BURIED)
    assert FLAG_MOSTLY_DROPPED in report.flags
    assert (FLAG_ALL_NOISE in report.flags) == (report.text.strip() == "")


def test_article_after_long_boilerplate_is_not_lost() -> None:
    """However much boilerplate comes first, the article is still the article."""
    assert clean(BURIED) == ARTICLE


def test_ordinary_page_is_not_flagged() -> None:
    report = check_report(PAGE)
    assert "The mayor, who had pushed" in report.text
    assert "Share on Facebook" not in report.text
    assert FLAG_MOSTLY_DROPPED not in report.flags and FLAG_ALL_NOISE not in report.flags


def test_short_all_noise_document_is_all_noise_not_mostly_dropped() -> None:
    """``mostly_dropped`` is for long documents: a three-line menu is just noise."""
    report = explain("Home\nShare on Facebook\n12 comments\n")
    assert report.flags == (FLAG_ALL_NOISE,)


def test_batch_summary_counts_mostly_dropped_documents(tmp_path: Path) -> None:
    """A pipeline sees in the batch summary how many documents lost nearly all their text."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "lost.txt").write_text(NOISE * 12 + "The council approved the new budget on Monday after a long debate.\n")
    (src / "fine.txt").write_text(PAGE)
    proc = run_python(
        f"import sys; from boilerstrip.cli import main; sys.exit(main(['clean', {str(src)!r}, '-o', {str(tmp_path / 'out')!r}]))",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"mostly[ _-]dropped\W{0,3}1\b", proc.stderr), proc.stderr


# --------------------------------------------------------------------------- line ends and odd characters


def test_line_ends_are_kept_verbatim() -> None:
    crlf = PAGE.replace("\n", "\r\n")
    assert clean(crlf) == clean(PAGE).replace("\n", "\r\n")
    mixed = "".join(line + LINE_ENDS[i % len(LINE_ENDS)] for i, line in enumerate(PAGE.splitlines()))
    check_report(mixed)
    assert [d.kept for d in explain(mixed).lines] == [d.kept for d in explain(PAGE).lines]


def test_joining_kept_lines_never_makes_a_new_line_end() -> None:
    """A kept line ending in ``\\r`` followed by a kept line starting ``\\n`` would read back as one
    ``\\r\\n`` line that is not in the input."""
    text = (
        "Body A is a long enough line of prose, the mayor said on Monday evening in the hall.\r"
        "Share on Facebook\n"
        "\n"
        "The council approved the new budget on Monday after a long and heated debate.\n"
    )
    out = clean(text)
    in_lines = text.splitlines(keepends=True)
    out_lines = out.splitlines(keepends=True)
    assert all(line in in_lines for line in out_lines), out_lines
    assert clean(out) == out


def test_bom_nul_surrogates_and_zero_width_characters_do_not_break_body_lines() -> None:
    odd = "\ufeff" + ARTICLE.replace("budget", "bud\u200bget").replace("schools", "schools\x00").replace(
        "bridge", "bridge\ud800"
    )
    report = check_report(odd)
    assert report.text == odd


@pytest.mark.parametrize(
    "text",
    [
        "وافق المجلس البلدي يوم الاثنين على الميزانية الجديدة بعد نقاش طويل وحاد استمر حتى وقت متأخر من الليل.\n"
        "وقال المؤيدون إن الخطة ستمول مدرستين جديدتين وإصلاح الجسر القديم على الضفة الشرقية للنهر.\n",
        "市议会周一经过长时间激烈辩论后批准了新的预算，支持者表示该计划将为两所新学校提供资金，并修复河东岸的旧桥。\n"
        "反对者则认为，增税将伤害仍在从去年洪灾中恢复的小企业，市长称这次投票是城市的转折点。\n",
    ],
    ids=["arabic", "chinese"],
)
def test_rtl_and_cjk_articles_come_back_whole(text: str) -> None:
    report = check_report(text)
    assert report.text == text


def test_rejects_non_text_with_a_clear_error() -> None:
    with pytest.raises(TypeError, match="str"):
        clean(ARTICLE.encode())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        explain(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- big and degenerate inputs


@pytest.mark.parametrize(
    "text",
    [
        "word " * 200_000,
        "." * 1_000_000,
        "- " * 300_000,
        "(" * 300_000,
        "漢" * 300_000,
        "Share on Facebook\n" * 10_000,
        ARTICLE.splitlines(keepends=True)[0] * 5_000,
        "\n" * 50_000,
        "x\r" * 20_000,
    ],
    ids=["long-words", "dots", "dash-space", "parens", "cjk", "noise-lines", "same-line", "blank-lines", "cr-lines"],
)
def test_degenerate_inputs_finish_and_keep_the_invariants(text: str) -> None:
    """Sanity, not timing (see benchmarks/adversarial.py): these finish and stay well-formed."""
    check_report(text)


@pytest.mark.parametrize(
    "expr",
    [
        "'Home\\nThe mayor said the plan would fund two schools.\\n' * 20_000",
        "'Share on Facebook\\n' * 30_000",
        "''.join(f'Related story number {i}\\n' for i in range(20_000))",
        "'The city council approved the new budget on Monday after a long debate.\\n' * 20_000",
    ],
    ids=["repeated-caption", "repeated-noise", "distinct-noise", "repeated-body"],
)
def test_memory_stays_linear_on_repeated_lines(expr: str) -> None:
    """A few MB of repeated lines must not need GBs: the run is capped at 1 GB of address space."""
    code = f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1_000_000_000, 1_000_000_000))
        import boilerstrip
        text = {expr}
        report = boilerstrip.explain(text)
        print(len(text), max((len(r) for d in report.lines for r in d.reasons), default=0))
    """
    proc = run_python(code, timeout=60)
    assert proc.returncode == 0, proc.stderr[-1500:]


def test_duplicate_paragraph_is_dropped_but_first_copy_kept() -> None:
    para = ARTICLE.splitlines(keepends=True)[0]
    out = clean(para * 50)
    assert out.startswith(para)
    assert out.count(para) <= 2


# --------------------------------------------------------------------------- HTML


HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Budget approved</title></head><body>"
    "<nav><a href='/'>Home</a> &gt; <a href='/news'>News</a></nav>"
    "<article><p>The city council approved the new budget on Monday after a long and heated debate.</p>"
    "<p>Supporters said the plan would fund two new schools and repair the old bridge on the river.</p></article>"
    "<footer>© 2024 Example Media Ltd. All rights reserved.</footer></body></html>"
)


def test_html_input_is_converted_by_the_html_step_and_flagged() -> None:
    report = check_report(HTML_PAGE)
    assert "html_input" in report.flags
    assert "The city council approved the new budget" in report.text
    assert "two new schools" in report.text
    assert "<p>" not in report.text and "<article>" not in report.text
    assert clean(HTML_PAGE) == report.text


def test_html_fragment_is_converted() -> None:
    frag = "<p>The city council approved the new budget on Monday after a long and heated debate.</p>\n<p>Two new schools.</p>"
    report = check_report(frag)
    assert "html_input" in report.flags
    assert "<p>" not in report.text


@pytest.mark.parametrize(
    "text",
    [
        "Use the <b> tag for bold text, the manual says, and close it with the matching end tag.\n",
        "If a < b and b > c, then nothing follows about a and c, the teacher explained to the class.\n",
        "Home > News > World\n" + ARTICLE,
    ],
)
def test_plain_text_that_mentions_tags_is_not_treated_as_html(text: str) -> None:
    report = check_report(text)
    assert "html_input" not in report.flags


def test_html_with_control_characters_and_surrogates_does_not_crash() -> None:
    check_report("<html><body><p>Bad\x00 bytes\ud800 and \x1b escapes\x0c here.</p>&#0;&#xd800;</body></html>")


def test_deeply_nested_html_does_not_crash() -> None:
    check_report("<html><body>" + "<div>" * 50_000 + "The council approved the budget." + "</div>" * 50_000)


@pytest.mark.parametrize(
    "expr",
    [
        "'<!---->' * 2000 + 'x'",
        "'<!--' * 20_000",
        "'<html><body>' + '<script' * 20_000",
        "'<html><body>' + '<' * 200_000",
        "'<?xml a>' * 2000 + 'x'",
        "'<p>x</p>' * 3 + '<!--' * 20_000",
    ],
    ids=["comments", "open-comments", "open-scripts", "angles", "xml-decls", "fragment-open-comments"],
)
def test_html_detection_and_conversion_cannot_hang(expr: str) -> None:
    """Runs in a subprocess so a catastrophic regex fails the test instead of hanging the suite."""
    code = f"""
        import boilerstrip, time
        text = {expr}
        t = time.perf_counter()
        boilerstrip.clean(text)
        print(time.perf_counter() - t)
    """
    try:
        proc = run_python(code, timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("clean() did not finish in 15 s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert float(proc.stdout) < 5


# --------------------------------------------------------------------------- patterns and determinism


@pytest.mark.parametrize("evil", [r"/(a|aa)*$/", r"/(?:a?){25}a{25}/", r"/a*a*a*a*a*a*b/"], ids=lambda s: s)
def test_user_patterns_cannot_hang_the_cleaner(evil: str) -> None:
    """A user regex in ``extra_phrases`` is refused as unsafe or runs in bounded time."""
    code = f"""
        import boilerstrip
        try:
            cfg = boilerstrip.Config(extra_phrases={{"nav": [{evil!r}]}})
            boilerstrip.explain("x\\n", config=cfg)
        except ValueError as err:
            print("refused:", err)
            raise SystemExit(0)
        boilerstrip.clean(("a" * 300 + "!\\n") * 3, config=cfg)
        print("ran")
    """
    try:
        proc = run_python(code, timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail(f"clean() with extra phrase {evil} did not finish in 8 s")
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_same_result_in_fresh_processes_with_different_hash_seeds() -> None:
    docs = [PAGE, NOISE * 3 + ARTICLE, ARTIKEL + NOISE, HTML_PAGE, "Related\n- One story\n- Another story\n" + ARTICLE]
    code = f"""
        import json, boilerstrip
        docs = {docs!r}
        print(json.dumps([boilerstrip.explain(d).to_dict() for d in docs], sort_keys=True))
    """
    runs = [run_python(code, timeout=60, PYTHONHASHSEED=seed) for seed in ("1", "2")]
    for proc in runs:
        assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(runs[0].stdout) == json.loads(runs[1].stdout)
    assert json.loads(runs[0].stdout) == [explain(d).to_dict() for d in docs]
