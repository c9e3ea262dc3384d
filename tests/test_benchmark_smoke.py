"""The benchmark harness: scoring, C4 rules, page selection, failure handling, and a smoke run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.anchors import Tool, lines_as_html  # noqa: E402
from benchmarks.c4 import c4_clean, c4_line_ok, count_sentences  # noqa: E402
from benchmarks.measure import Stat, call_tool, pooled_throughput, score  # noqa: E402
from benchmarks.run import compare_lines, select_pages  # noqa: E402
from benchmarks.scoring import prf, snippet_hits, tokens  # noqa: E402


def test_prf_bag_of_words() -> None:
    p, r, f = prf("the cat the", "the cat sat the")
    assert (p, r) == (1.0, 0.75)
    assert f == pytest.approx(2 * 0.75 / 1.75)
    assert prf("", "gold") == (0.0, 0.0, 0.0)
    assert prf("noise only", "gold text") == (0.0, 0.0, 0.0)


def test_tokens_cjk_and_case() -> None:
    assert tokens("Hello, World! 北京") == ["hello", "world", "北", "京"]


def test_snippet_hits_collapse_space_and_case() -> None:
    out = "The  Budget was\nAPPROVED today.\nShare this"
    assert snippet_hits(out, ["budget was approved", "missing"], ["share this", "cookies"]) == (1, 2, 1, 2)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("The council approved the budget on Monday.", True),
        ('He said it was "fine."', True),
        ("Too short.", False),  # 2 words
        ("Read more about the budget", False),  # no terminal punctuation
        ("And the story goes on and on...", False),  # ellipsis
        ("Please enable JavaScript in your browser to continue.", False),
        ("Lorem ipsum dolor sit amet, consectetur.", False),
        ("function f() { return 1; } is code.", False),
        ("By using this site you agree to our Privacy Policy.", False),
        ("This website uses cookies to improve your experience.", False),
    ],
)
def test_c4_line_rules(line: str, kept: bool) -> None:
    assert c4_line_ok(line) is kept


def test_c4_clean_keeps_lines_unchanged_and_in_order() -> None:
    text = "Home | News\n  The first full sentence is here.  \nShare\nA second full sentence follows it!\n"
    assert c4_clean(text) == "  The first full sentence is here.  \nA second full sentence follows it!"
    assert c4_clean(text, min_words=5) == "  The first full sentence is here.  \nA second full sentence follows it!"
    assert c4_clean(text, min_words=7) == ""


def test_c4_page_rules() -> None:
    good = "\n".join(f"Sentence number {i} is long enough." for i in range(5))
    assert c4_clean(good, page_rules=True) == good
    assert c4_clean(good + "\nLorem ipsum dolor sit amet.", page_rules=True) == ""
    assert c4_clean("Only one sentence here, sadly.", page_rules=True) == ""
    assert count_sentences("One. Two! Three? no end") == 3


def test_lines_as_html_escapes_and_skips_blank() -> None:
    assert lines_as_html("a < b\n\n c&d ") == "<html><body><p>a &lt; b</p>\n<p>c&amp;d</p></body></html>"


def _tool(fn) -> Tool:  # type: ignore[no-untyped-def]
    return Tool("t", "text", "test", fn, cached=False)


def _boom(text: str) -> str:
    raise ValueError("broken page")


def test_failures_score_as_empty_output() -> None:
    out, cpu, failure, wall = call_tool(_tool(_boom), "x", {})
    assert (out, failure) == ("", "ValueError: broken page")
    assert cpu >= 0 and wall >= 0
    out, _, failure, _ = call_tool(_tool(lambda t: None), "x", {})
    assert (out, failure) == ("", "returned None")


def test_time_limit_turns_a_hang_into_a_failure() -> None:
    import time

    out, cpu, failure, wall = call_tool(_tool(lambda t: time.sleep(5)), "x", {}, timeout=0.2)
    assert out == "" and failure is not None and failure.startswith("PageTimeout")
    assert 0.15 < wall < 2 and cpu < 0.2  # sleeping uses wall time, not CPU time


def test_score_means_medians_snippets_and_throughput() -> None:
    from benchmarks.measure import PageRun

    pages = [
        {"id": "a", "text": "alpha beta", "gold": "alpha beta", "with": ["alpha"], "without": ["beta"]},
        {"id": "b", "text": "gamma", "gold": "delta"},
        {"id": "c", "text": "x y", "gold": "x y z w"},
    ]
    runs = [PageRun("a", "alpha beta", 0.5, None, 1.0), PageRun("b", "", 0.25, "returned None", 0.5),
            PageRun("c", "x y", 0.25, None, 0.5)]
    s = score("someset", _tool(lambda t: t), pages, runs)
    assert s.f1 is not None and s.precision is not None
    assert s.f1.mean == pytest.approx((1.0 + 0.0 + 2 / 3) / 3)
    assert s.f1.median == pytest.approx(2 / 3)
    assert s.precision.mean == pytest.approx(2 / 3)
    assert (s.with_kept, s.with_total, s.without_removed, s.without_total) == (1, 1, 0, 1)
    assert s.failures == 1 and s.failure_examples == ("b: returned None",)
    assert s.docs_per_s == pytest.approx(3.0) and s.wall_docs_per_s == pytest.approx(1.5)
    assert s.in_bytes == len("alpha betagammax y")
    assert pooled_throughput([s, s])[0] == pytest.approx(3.0)
    snip = score("trafilatura_eval", _tool(lambda t: t), pages[:1], runs[:1])
    assert snip.f1 is None and snip.with_share == 1.0 and snip.without_share == 0.0
    assert Stat.of([]).mean != Stat.of([]).mean  # NaN when no pages


def test_select_pages_split_rule_and_limit() -> None:
    pages = [{"id": i, "split": "test" if i % 2 else "train"} for i in range(10)]
    assert [p["id"] for p in select_pages(pages, "wcxb", all_pages=False, limit=0)] == [1, 3, 5, 7, 9]
    assert [p["id"] for p in select_pages(pages, "wcxb", all_pages=False, limit=2)] == [1, 3]
    assert len(select_pages(pages, "wcxb", all_pages=True, limit=0)) == 10
    assert len(select_pages(pages, "dragnet", all_pages=False, limit=0)) == 10
    assert [p["id"] for p in select_pages(pages, "dragnet", all_pages=False, limit=0, dev=True)] == [0, 2, 4, 6, 8]
    assert [p["id"] for p in select_pages(pages, "wcxb", all_pages=True, limit=1, dev=True)] == [0]


def test_compare_flags_a_gap_and_speed() -> None:
    from benchmarks.measure import Score

    def mk(set_name: str, tool: str, f1: float, sec: float) -> Score:
        st = Stat(f1, f1)
        return Score(set_name, tool, 10, st, st, st, sec, 10_000_000, 0)

    scores = [mk("l3s_gn1", "boilerstrip", 0.95, 0.1), mk("l3s_gn1", "trafilatura", 0.90, 1.0),
              mk("dragnet", "boilerstrip", 0.80, 0.1), mk("dragnet", "trafilatura", 0.90, 1.0)]
    lines, ok = compare_lines(scores)
    text = "\n".join(lines)
    assert not ok
    assert "| l3s_gn1 | 0.950 | 0.900 | +0.050 | 10.0x | pass |" in text
    assert "| dragnet | 0.800 | 0.900 | -0.100 | 10.0x | FAIL |" in text
    assert "- pass: boilerstrip docs/s" in text and "not all six were run" in text


def _bench_ready() -> bool:
    from benchmarks.data import available_sets

    try:
        import html_text  # noqa: F401
    except ImportError:
        return False
    return {"cleanportaleval", "chinese_cwced"} <= set(available_sets())


@pytest.mark.skipif(not _bench_ready(), reason="bench_data or the bench extra (html-text) is not available")
def test_smoke_run() -> None:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--smoke"], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "## cleanportaleval (3 pages)" in proc.stdout
    assert "| keep-all |" in proc.stdout and "| c4-rules |" in proc.stdout and "| boilerstrip |" in proc.stdout


@pytest.mark.parametrize(("module", "says"), [("benchmarks.run", "No benchmark pages at"),
                                              ("benchmarks.cross_sets", "Nothing to do")])
def test_missing_data_exits_cleanly(tmp_path: Path, module: str, says: str) -> None:
    env = {**os.environ, "BOILERSTRIP_BENCH_DATA": str(tmp_path / "nowhere")}
    proc = subprocess.run([sys.executable, "-m", module, "--no-write"], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env=env)
    assert proc.returncode == 0
    assert says in proc.stdout


def test_model_option_gives_boilerstrip_the_model_file(tmp_path: Path) -> None:
    """``--model PATH`` scores boilerstrip with ``Config(model_path=PATH)``; the other tools and
    the default run are unchanged."""
    from importlib import resources

    from benchmarks.anchors import all_tools
    from benchmarks.run import parse_args

    for name in ("model.json", "wordscores.json"):
        (tmp_path / name).write_bytes(resources.files("boilerstrip").joinpath("data", name).read_bytes())
    path = str(tmp_path / "model.json")
    assert parse_args(["--dev", "--model", path]).model == path
    own, default = all_tools(path), all_tools()
    tool = own["boilerstrip"]
    assert tool.prepare({}) == {"model_path": path} and path in tool.settings
    assert default["boilerstrip"].prepare({}) == {} and own["trafilatura"] == default["trafilatura"]
    text = "Home\nNews\n\nThe council approved the budget on Monday after a long debate in the hall.\n"
    assert tool.extract(text, **tool.prepare({})) == default["boilerstrip"].extract(text)


def test_cross_sets_trains_without_each_held_out_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each held-out set is scored on its test pages by a model trained on the other sets, by one
    trained on all of them, and by the shipped model; training is replaced by a copy of the shipped
    files here (CI never trains)."""
    from importlib import resources

    import benchmarks.train_model
    from benchmarks import cross_sets

    built: list[tuple[list[str], Path]] = []

    def fake_build(sets: list[str], out: Path) -> Path:
        built.append((list(sets), out))
        out.parent.mkdir(parents=True, exist_ok=True)
        for name in ("model.json", "wordscores.json"):
            (out.parent / name).write_bytes(resources.files("boilerstrip").joinpath("data", name).read_bytes())
        return out

    body = "The council approved the budget on Monday after a long debate in the town hall."
    german = "Der Rat hat am Montag nach einer langen Debatte im Rathaus den Haushalt beschlossen, und das ist gut."
    pages = [{"id": "a", "split": "test", "text": f"Home\nNews\n\n{body}\n", "gold": body, "html": ""},
             {"id": "b", "split": "train", "text": "Home\n", "gold": "", "html": ""},
             {"id": "c", "split": "test", "text": f"Startseite\n\n{german}\n", "gold": german, "html": ""}]
    monkeypatch.setattr(benchmarks.train_model, "build", fake_build)
    monkeypatch.setattr(cross_sets, "scraped_pages", lambda name: pages)
    monkeypatch.setattr(cross_sets, "LANGUAGE_MIN_PAGES", 1)
    rows = cross_sets.measure(["wcxb", "chinese_cwced"], ["wcxb", "mozilla_readability", "chinese_cwced"], tmp_path,
                              log=lambda msg: None)
    assert [sets for sets, _ in built] == [["wcxb", "mozilla_readability", "chinese_cwced"],
                                           ["mozilla_readability", "chinese_cwced"], ["wcxb", "mozilla_readability"]]
    assert len({out for _, out in built}) == 3
    assert [(r.set_name, r.language, r.pages) for r in rows] == [
        ("wcxb", "", 2), ("wcxb", "de", 1), ("wcxb", "en", 1),
        ("chinese_cwced", "", 2), ("chinese_cwced", "de", 1), ("chinese_cwced", "en", 1)]
    for r in rows:
        assert set(r.scores) == {cross_sets.SHIPPED, cross_sets.WITH, cross_sets.WITHOUT}
        assert all(s.f1 is not None and s.f1.mean == 1.0 for s in r.scores.values())


def test_cross_sets_table_gives_f1_or_snippet_shares() -> None:
    from benchmarks.cross_sets import SHIPPED, WITH, WITHOUT, Row, report, table
    from benchmarks.measure import Score

    def mk(set_name: str, f1: float | None, kept: int = 0) -> Score:
        st = Stat(f1, f1) if f1 is not None else None
        return Score(set_name, "boilerstrip", 10, st, st, st, 1.0, 1000, 0, with_kept=kept, with_total=10,
                     without_removed=8, without_total=10)

    rows = [Row("wcxb", 10, {SHIPPED: mk("wcxb", 0.81), WITH: mk("wcxb", 0.80), WITHOUT: mk("wcxb", 0.78)}),
            Row("trafilatura_eval", 10, {SHIPPED: mk("trafilatura_eval", None, 9), WITH: mk("trafilatura_eval", None, 9),
                                         WITHOUT: mk("trafilatura_eval", None, 8)}),
            Row("trafilatura_eval", 5, {SHIPPED: mk("trafilatura_eval", None, 9), WITH: mk("trafilatura_eval", None, 9),
                                        WITHOUT: mk("trafilatura_eval", None, 5)}, "de")]
    text = table(rows)
    assert "| trafilatura_eval, language de (5) | `with` kept / `without` removed | 90.0% / 80.0% | 90.0% / 80.0% | " \
           "50.0% / 80.0% | -40.0 / +0.0 points |" in text
    assert "| wcxb (10) | mean token F1 | 0.810 | 0.800 | 0.780 | -0.020 |" in text
    assert "| trafilatura_eval (10) | `with` kept / `without` removed | 90.0% / 80.0% | 90.0% / 80.0% | 80.0% / 80.0% | " \
           "-10.0 / +0.0 points |" in text
    page = report(rows, ["wcxb", "trafilatura_eval"], "python -m benchmarks.cross_sets --sets wcxb")
    assert page.startswith("# Trained without the set\n") and text in page
    assert "Generated by `python -m benchmarks.cross_sets --sets wcxb`" in page
    assert "train split of wcxb, trafilatura_eval" in page


def test_dev_folds_are_fixed_and_spread() -> None:
    from benchmarks.data import DEV_FOLDS, dev_fold

    pages = [{"dataset": "wcxb", "id": str(k)} for k in range(300)]
    folds = [dev_fold(p) for p in pages]
    assert folds == [dev_fold(dict(p)) for p in pages]
    assert set(folds) == set(range(DEV_FOLDS))
    assert all(60 < folds.count(k) < 140 for k in range(DEV_FOLDS))
    assert dev_fold({"dataset": "wcxb", "id": "0"}) == 2  # fixed for ever: md5 of "wcxb/0"


def test_fold_models_give_each_permissive_page_the_model_without_its_fold(tmp_path: Path) -> None:
    from benchmarks.anchors import all_tools
    from benchmarks.data import dev_fold
    from benchmarks.run import parse_args

    tool = all_tools(fold_models=str(tmp_path))["boilerstrip"]
    page = {"dataset": "wcxb", "id": "4354"}
    assert tool.prepare(page) == {"model_path": str(tmp_path / str(dev_fold(page)) / "model.json")}
    assert tool.prepare({"dataset": "dragnet", "id": "R1"}) == {}
    assert parse_args(["--dev", "--fold-models", str(tmp_path)]).fold_models == str(tmp_path)
    for bad in (["--fold-models", str(tmp_path)], ["--dev", "--model", "m.json", "--fold-models", str(tmp_path)]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_train_model_folds_leave_out_one_fold_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.train_model as tm
    from benchmarks.data import DEV_FOLDS, dev_fold

    calls: list[tuple[list[str], Path, object]] = []
    monkeypatch.setattr(tm, "build", lambda sets, out, leave_out=None: calls.append((sets, out, leave_out)) or out)
    tm.main(["--sets", "wcxb", "--folds", str(tmp_path)])
    assert [out for _, out, _ in calls] == [tmp_path / str(k) / "model.json" for k in range(DEV_FOLDS)]
    pages = [{"dataset": "wcxb", "id": str(k)} for k in range(60)]
    for k, (sets, _, leave_out) in enumerate(calls):
        assert sets == ["wcxb"]
        assert [leave_out(p) for p in pages] == [dev_fold(p) == k for p in pages]


def test_train_model_labels_a_set_that_has_no_labels_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarks.labels as L
    import benchmarks.train_model as tm

    body = "The council voted on Tuesday to keep the old library open for another three years at least."
    pages = [{"id": str(k), "dataset": "wcxb", "split": "train", "text": f"Home > News\n{body} {k}", "gold": f"{body} {k}"}
             for k in range(3)]
    monkeypatch.setattr(L, "scraped_pages", lambda name: pages)
    monkeypatch.setattr(tm, "scraped_pages", lambda name: pages)
    monkeypatch.setattr(L, "labels_path", lambda name: tmp_path / f"{name}.jsonl.gz")
    monkeypatch.setattr(tm, "labels_path", L.labels_path)
    monkeypatch.setattr(tm, "label_set", lambda name: L.label_set(name, workers=1))
    assert not (tmp_path / "wcxb.jsonl.gz").exists()
    data = tm.collect(["wcxb"], "train")
    assert (tmp_path / "wcxb.jsonl.gz").is_file()
    assert sorted(L.load_labels("wcxb")) == ["0", "1", "2"]
    assert len(data["pages"]) == 6  # each page and its clean copy
    assert all(y.tolist().count(1) == 1 for _, y, _ in data["pages"])  # one body line each
