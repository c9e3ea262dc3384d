"""Line labels from gold texts and snippets (benchmarks.labels), on small synthetic pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks import labels as L

BODY = [
    "The storm reached the northern coast early on Monday and flooded the harbour district.",
    "Fishermen had moved their boats inland after the weather service issued a warning on Sunday.",
    "Officials said the clean-up would take at least two weeks and cost several million euros.",
]


def by_index(text: str, gold: str, **kw: float) -> dict[int, L.LineLabel]:
    return {x.i: x for x in L.label_page(text, gold, **kw)}


def test_headline_repeated_in_sidebar_is_body_once() -> None:
    title = "Storm floods harbour district"
    text = "\n".join([title, "Home | News | Sport", "", title, *BODY, "", "Most read", title, "Other news today"])
    gold = "\n".join([title, *BODY])
    got = by_index(text, gold)
    title_lines = [i for i, line in enumerate(text.splitlines()) if line == title]
    assert [got[i].label for i in title_lines] == ["noise", "body", "noise"]  # the headline above the body
    assert all(got[i].label == "body" for i in range(4, 7))
    assert got[1].label == got[9].label == got[10].label == "noise"


def test_blank_lines_keep_their_index_and_get_no_record() -> None:
    text = "Menu\n\n" + BODY[0] + "\n\n\n" + BODY[1]
    got = L.label_page(text, BODY[0] + "\n" + BODY[1])
    assert [(x.i, x.label) for x in got] == [(0, "noise"), (2, "body"), (5, "body")]
    assert [x.n for x in got] == [1, 14, 15]


def test_partly_matched_lines_follow_the_thresholds() -> None:
    # gold ends with "the harbour reopened on friday"; the scraped line adds as many tokens of noise
    half = "The harbour reopened on Friday share this on facebook now"  # 5 of 10 tokens
    third = "Officials thanked volunteers read more from our weather desk today please"  # 3 of 11
    text = "\n".join([*BODY, half, third])
    gold = "\n".join([*BODY, "The harbour reopened on Friday.", "Officials thanked volunteers."])
    got = by_index(text, gold)
    assert got[3].match == pytest.approx(0.5) and got[3].label == "body"  # at least half: body
    assert got[4].match == pytest.approx(3 / 11) and got[4].label == "ambiguous"
    stricter = by_index(text, gold, body_min=0.6, noise_max=0.3)
    assert stricter[3].label == "ambiguous" and stricter[4].label == "noise"


def test_each_gold_token_is_used_once() -> None:
    text = "\n".join([BODY[0], BODY[0]])  # scraped twice, in the gold once
    got = L.label_page(text, BODY[0])
    assert [x.label for x in got] == ["body", "noise"]  # the first copy; the repeat is noise


def test_whole_article_twice_keeps_the_first_copy() -> None:
    article = [f"Paragraph {k}: " + line for k, line in enumerate(BODY * 3)]
    text = "\n".join(["Top story", *article, "Print version", *article])
    got = L.label_page(text, "\n".join(article))
    labels = [x.label for x in got]
    assert labels[1:10] == ["body"] * 9 and labels[10:] == ["noise"] * 10


def test_content_out_of_order_is_found() -> None:
    moved = "A separate box listed the emergency phone numbers for every town along the coast."
    text = "\n".join([moved, "Advertisement", *BODY])  # the page shows the box first
    gold = "\n".join([*BODY, moved])
    got = L.label_page(text, gold)
    assert [x.label for x in got] == ["body", "noise", "body", "body", "body"]


def test_short_chance_match_is_not_body() -> None:
    gold = "\n".join([*BODY, "Its market cap fell after the storm, traders said on Tuesday."])
    text = "\n".join(["Market Cap", "$4.3B", *BODY[:2], "Market Cap", "$2.1B", BODY[2]])
    got = L.label_page(text, gold)
    assert [x.label for x in got] == ["noise", "noise", "body", "body", "noise", "noise", "body"]


def test_repeated_words_go_to_the_copy_that_makes_whole_lines() -> None:
    head = "Best overall: the Fellow Stagg electric kettle"
    text = "\n".join([BODY[0], "Best overall:", "the Fellow Stagg electric kettle at Amazon $200", "Advert", head, BODY[1]])
    gold = "\n".join([BODY[0], head, BODY[1]])
    got = L.label_page(text, gold)
    assert [x.label for x in got] == ["body", "noise", "noise", "noise", "body", "body"]


def test_cjk_lines_count_characters() -> None:
    gold = "北京今天下大雨，交通受到严重影响。\n市政府要求市民减少出行。"
    text = "首页 新闻 体育\n北京今天下大雨，交通受到严重影响。\n市政府要求市民减少出行。点击分享\n相关阅读"
    got = L.label_page(text, gold)
    assert [x.label for x in got] == ["noise", "body", "body", "noise"]
    assert got[1].n == 15 and got[1].match == 1.0
    assert got[2].n == 15 and got[2].match == pytest.approx(11 / 15)


def test_token_less_lines_are_noise() -> None:
    got = L.label_page("* * *\n" + BODY[0], BODY[0])
    assert (got[0].label, got[0].n, got[0].match) == ("noise", 0, 0.0)


def test_align_is_in_order_and_one_to_one() -> None:
    a = [5, 1, 2, 3, 4, 9, 1, 2, 3]
    b = [1, 2, 3, 4]
    blocks = L.align(a, b)
    assert blocks == [(1, 0, 4)]
    assert L.align([], b) == [] and L.align(a, []) == []


def test_snippet_spanning_lines_labels_each_line() -> None:
    text = "Startseite\nDer Sturm erreichte am Montag\n\ndie Küste und überflutete den Hafen.\nImpressum Datenschutz\nKontakt"
    got = L.snippet_labels(text, ["Sturm erreichte am Montag die Küste"], ["Impressum Datenschutz Kontakt"])
    assert [(x.i, x.label) for x in got] == [(0, None), (1, "body"), (3, "body"), (4, "noise"), (5, "noise")]
    assert [x.match for x in got] == [None, 1.0, 1.0, 0.0, 0.0]


def test_snippet_containment_both_ways() -> None:
    text = "Die Stadt meldet neue Zahlen für 2024 und 2025\nZahlen\nWeiterlesen"
    got = L.snippet_labels(text, ["neue Zahlen", "Die Stadt meldet neue Zahlen für 2024 und 2025 sowie"], [])
    assert [x.label for x in got] == ["body", None, None]  # a stray one-word line is no piece


def test_snippet_found_twice_is_ambiguous_and_conflicts_too() -> None:
    text = "Hafen überflutet\nHafen überflutet\nDer Hafen wurde am Montag überflutet. Teilen auf Facebook"
    got = L.snippet_labels(text, ["Hafen überflutet", "Der Hafen wurde am Montag"], ["Teilen auf Facebook"])
    assert [x.label for x in got] == ["ambiguous", "ambiguous", "ambiguous"]


def test_without_snippet_matches_whole_words_only() -> None:
    got = L.snippet_labels("Our subscribers love it\nSubscribe", [], ["Subscribe"])
    assert [x.label for x in got] == [None, "noise"]


def test_short_without_snippet_in_a_long_line_is_ambiguous() -> None:
    long_line = " ".join(BODY[:2])  # 29 tokens, mentions "warning"
    got = L.snippet_labels(f"Warning\n{long_line}\nWarning issued today", [], ["Warning"])
    assert [x.label for x in got] == ["noise", "ambiguous", "noise"]


def test_page_labels_picks_the_method_by_set() -> None:
    page = {"dataset": "trafilatura_eval", "text": "A b c\nImpressum", "gold": "", "with": [], "without": ["Impressum"]}
    assert [x.label for x in L.page_labels(page)] == [None, "noise"]
    page = {"dataset": "wcxb", "text": "Menu\n" + BODY[0], "gold": BODY[0]}
    assert [x.label for x in L.page_labels(page)] == ["noise", "body"]
    assert L.oracle_scores(page, L.page_labels(page))["f1"] == 1.0


def test_load_labels_reads_what_label_set_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [{"id": 7, "dataset": "wcxb", "split": "train", "text": "Menu\n" + BODY[0], "gold": BODY[0]}]
    monkeypatch.setattr(L, "scraped_pages", lambda name: pages)
    monkeypatch.setattr(L, "labels_path", lambda name: tmp_path / f"{name}.jsonl.gz")
    summary = L.label_set("wcxb", workers=1)
    assert summary["lines"] == 2 and summary["oracle_f1_mean"] == 1.0
    recs = L.load_labels("wcxb")
    assert recs["7"]["split"] == "train"
    assert recs["7"]["lines"] == [{"i": 0, "label": "noise", "match": 0.0, "n": 1}, {"i": 1, "label": "body", "match": 1.0, "n": 14}]
    with gzip.open(tmp_path / "wcxb.jsonl.gz", "rt", encoding="utf-8") as fh:
        assert json.loads(fh.readline())["dataset"] == "wcxb"
