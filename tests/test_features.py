"""Line features computed for a whole document at once equal those of each line alone: the
joined-text patterns never reach across a line break, whatever the lines hold."""

from __future__ import annotations

import pytest
from hostile_inputs import line_content
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from boilerstrip.features import FEATURE_TEXT_CHARS, features_of_lines, line_features
from boilerstrip.lexicon import all_stopwords, line_key, line_keys
from boilerstrip.model import shipped_word_scores
from boilerstrip.segment import split_lines

STOP = all_stopwords()
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Lines whose neighbours could leak into them if a pattern crossed the break.
EDGES = [
    "It ended.",
    "Next one starts here",
    "“Quoted” start",
    "(Bracket) start",
    "北京。",
    "上海",
    "  12 345  ",
    "- • Related stories:",
    "",
    "\u00a0\u00a0",
    "Ends with space. ",
    "ΟΔΟΣ",
    "x" * (FEATURE_TEXT_CHARS + 50) + " End. Next",
]


@PROPS
@given(st.lists(line_content, max_size=12))
@example(EDGES)
@example(["a.", "B"])
@example(["Share\nthis.", "B", "\n"])
@example(["“", "A"])
def test_batch_features_equal_each_line_alone(lines: list[str]) -> None:
    scores = shipped_word_scores()
    together = features_of_lines(lines, STOP, scores)
    assert together == [features_of_lines([x], STOP, scores)[0] for x in lines]
    assert line_keys(lines) == [line_key(x) for x in lines]


def test_sentence_break_and_word_start_stay_inside_their_line() -> None:
    a, b = features_of_lines(["It ended.", "Next one starts here"], STOP)
    assert (a.sentences, a.cap_ratio) == (1, 0.5)  # no break into "Next"
    assert (b.sentences, b.words, b.cap_ratio) == (0, 4, 0.25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council approved the budget on Monday.", {"words": 7, "ends_sentence": True, "ends_ellipsis": False}),
        ("Biden marks 100th day in office with Georgia ...", {"ends_sentence": True, "ends_ellipsis": True}),
        ("Mayor opens the bridge over the riv…”", {"ends_sentence": True, "ends_ellipsis": True}),
        ("- Related Stories", {"bullet": True, "words": 3}),
        ("Share this: ", {"ends_colon": True, "ends_sentence": False}),
        ("北京是中国的首都。", {"cjk": True, "ends_sentence": True}),
        ("", {"chars": 0, "words": 0}),
    ],
)
def test_line_features_of_plain_lines(text: str, expected: dict[str, object]) -> None:
    got = line_features(text, STOP).as_dict()
    assert {k: got[k] for k in expected} == expected


def test_a_line_break_inside_a_text_counts_as_a_space() -> None:
    assert line_features("Share\nthis", STOP) == line_features("Share this", STOP)
    assert line_key("Share\nthis") == "share this"


def test_document_lines_match_line_by_line_features() -> None:
    text = "Home > News\n\nThe council met on Monday. It approved the budget.\n“Related” stories\n12 comments\n"
    lines = [line.text for line in split_lines(text)]
    assert features_of_lines(lines, STOP) == [line_features(x, STOP) for x in lines]
