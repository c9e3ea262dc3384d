"""Property tests over hostile Unicode documents: clean never raises, keeps input lines in order,
is idempotent and deterministic, and explain covers every line (issue 5)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hostile_inputs import (
    BODY_LINES,
    LINE_ENDS,
    NOISE_LINES,
    check_report,
    configs,
    documents,
    html_documents,
    idempotent_configs,
    is_subsequence_concat,
    line_content,
)

from boilerstrip import Config, clean, explain

PROPS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NOISY_DOC = "".join(line + "\n" for line in NOISE_LINES[:6] + BODY_LINES[:3] + NOISE_LINES[6:12] + BODY_LINES[3:])


@PROPS
@given(documents(), st.none() | configs)
@example("", None)
@example("\ufeff", None)
@example("\x00\r\n\ud800\u2028\x85\u200b", None)
@example(NOISY_DOC, None)
@example(NOISY_DOC.replace("\n", "\r\n"), None)
@example(NOISY_DOC.replace("\n", "\u2028"), Config(profile="precision"))
@example("a\rNext »\n\nThe council approved the new budget on Monday after a long debate.", None)
def test_every_invariant_holds(text: str, config: Config | None) -> None:
    """Never raises; explain covers every line; output = kept input lines verbatim, in order."""
    check_report(text, config)


@PROPS
@given(documents())
@example(NOISY_DOC)
def test_output_lines_are_input_lines_in_order(text: str) -> None:
    assert is_subsequence_concat(clean(text), text.splitlines(keepends=True))


@PROPS
@given(documents(), st.none() | idempotent_configs)
@example(NOISY_DOC, None)
@example("Share\r" + BODY_LINES[0] + "\nHome\n\n" + BODY_LINES[1] + "\n", None)
def test_clean_is_idempotent(text: str, config: Config | None) -> None:
    once = clean(text, config=config)
    assert clean(once, config=config) == once


@PROPS
@given(documents(), st.none() | configs)
def test_deterministic(text: str, config: Config | None) -> None:
    assert explain(text, config=config) == explain(text, config=config)


@PROPS
@given(st.lists(line_content, min_size=1, max_size=25), st.sampled_from(("\n", "\r\n", "\r", "\u2028", "\x85")))
@example(list(NOISE_LINES[:8] + BODY_LINES[:4]), "\r\n")
@example(list(NOISE_LINES[8:] + BODY_LINES[4:]), "\u2028")
def test_line_end_style_does_not_change_decisions(lines: list[str], end: str) -> None:
    """The same lines with another line end are decided the same way."""
    base = [(d.kept, d.kind) for d in explain("\n".join(lines) + "\n").lines]
    other = [(d.kept, d.kind) for d in explain(end.join(lines) + end).lines]
    assert other == base


@PROPS
@given(st.text(st.sampled_from(" \t\xa0\u3000\u2009\x1f" + "".join(LINE_ENDS)), max_size=50), st.none() | configs)
def test_whitespace_only_text_is_returned_unchanged(text: str, config: Config | None) -> None:
    assert clean(text, config=config) == text


@PROPS
@given(html_documents())
def test_html_like_input_never_crashes(text: str) -> None:
    """Tag soup, broken markup and odd characters: either path, the invariants hold."""
    check_report(text)
