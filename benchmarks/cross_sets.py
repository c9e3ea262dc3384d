"""Cross-set figures: each set the shipped model trains on, scored by a model trained without it.

    python -m benchmarks.cross_sets               # every permissive set; writes docs/cross-sets.md
    python -m benchmarks.cross_sets --sets wcxb --no-write

The shipped model learns from the train split of the permissive sets (``PERMISSIVE_SETS``) and the
benchmark scores only their test pages, but a test page of a set still comes from the sites and
conventions the model saw in its train split. For each permissive set this trains the shipped
recipe (``benchmarks.train_model``, same seed, today's code) on the *other* permissive sets and
scores the set's test pages with it, beside the same recipe trained on all of them and the
shipped model. The headline sets other than wcxb are never trained on: their figures in
docs/benchmark.md are cross-set already. Needs the ``train`` extra (LightGBM); about a minute of
training per model.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.data import PERMISSIVE_SETS, available_sets, data_dir, scraped_pages
from benchmarks.measure import SNIPPET_ONLY_SETS, Score

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "docs" / "cross-sets.md"
SHIPPED = "shipped model"
WITH = "retrained on all"
WITHOUT = "retrained without the set"


LANGUAGE_MIN_PAGES = 5
"""A language gets a row of its own when a held-out set has this many test pages in it."""


@dataclass(frozen=True)
class Row:
    """One held-out set, or its pages in one language: its score under each model, by the
    model's label."""

    set_name: str
    pages: int
    scores: dict[str, Score]
    language: str = ""


def score_with(set_name: str, pages: Sequence[dict], model_path: str | None) -> tuple[Score, dict[str, Score]]:
    """boilerstrip with the model file at ``model_path`` (``None``: the shipped one) on ``pages``:
    the score of all of them, and of those in each language with :data:`LANGUAGE_MIN_PAGES` pages."""
    from benchmarks.anchors import all_tools
    from benchmarks.measure import run_tool, score
    from boilerstrip.langdetect import detect_language

    tool = all_tools(model_path)["boilerstrip"]
    runs, _ = run_tool(tool, set_name, pages)
    by_language: dict[str, list[int]] = {}
    for k, page in enumerate(pages):
        by_language.setdefault(detect_language(str(page["text"])), []).append(k)
    parts = {lang: score(set_name, tool, [pages[k] for k in ks], [runs[k] for k in ks])
             for lang, ks in sorted(by_language.items()) if len(ks) >= LANGUAGE_MIN_PAGES and len(ks) < len(pages)}
    return score(set_name, tool, pages, runs), parts


def measure(held_out: Sequence[str], train_sets: Sequence[str], workdir: Path, log: Callable[[str], None] = print) -> list[Row]:
    """Train the recipe on ``train_sets`` and on each ``train_sets`` minus a held-out set, and
    score every held-out set's test pages with those models and the shipped one."""
    from benchmarks.train_model import build

    log(f"training on {', '.join(train_sets)}")
    with_all = build(list(train_sets), workdir / "all" / "model.json")
    rows = []
    for s in held_out:
        others = [t for t in train_sets if t != s]
        log(f"{s}: training on {', '.join(others)}")
        without = build(others, workdir / f"without-{s}" / "model.json")
        pages = [p for p in scraped_pages(s) if p["split"] == "test"]
        got = {label: score_with(s, pages, path) for label, path in
               ((SHIPPED, None), (WITH, str(with_all)), (WITHOUT, str(without)))}
        rows.append(Row(s, len(pages), {label: whole for label, (whole, _) in got.items()}))
        log(f"  {s}: " + "; ".join(f"{k} {_figure(s, v)}" for k, v in rows[-1].scores.items()))
        for lang, part in got[SHIPPED][1].items():
            rows.append(Row(s, part.pages, {label: parts[lang] for label, (_, parts) in got.items()}, lang))
    return rows


def _figure(set_name: str, s: Score) -> str:
    if set_name in SNIPPET_ONLY_SETS:
        return f"{s.with_share:.1%} / {s.without_share:.1%}"
    assert s.f1 is not None
    return f"{s.f1.mean:.3f}"


def _difference(set_name: str, a: Score, b: Score) -> str:
    if set_name in SNIPPET_ONLY_SETS:
        return f"{(a.with_share - b.with_share) * 100:+.1f} / {(a.without_share - b.without_share) * 100:+.1f} points"
    assert a.f1 is not None and b.f1 is not None
    return f"{a.f1.mean - b.f1.mean:+.3f}"


def table(rows: Sequence[Row]) -> str:
    """The markdown table of ``rows``."""
    head = ["set (test pages)", "measure", SHIPPED, WITH, WITHOUT, "without − with"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        what = "`with` kept / `without` removed" if r.set_name in SNIPPET_ONLY_SETS else "mean token F1"
        name = f"{r.set_name}, language {r.language}" if r.language else r.set_name
        cells = [f"{name} ({r.pages})", what, *(_figure(r.set_name, r.scores[k]) for k in (SHIPPED, WITH, WITHOUT)),
                 _difference(r.set_name, r.scores[WITHOUT], r.scores[WITH])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(rows: Sequence[Row], train_sets: Sequence[str], command: str) -> str:
    """The page written to docs/cross-sets.md."""
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""# Trained without the set

Generated by `{command}` on {when}. Every number on this page is what that run measured.

The shipped model learns from the train split of {", ".join(train_sets)} (the sets whose licence
allows it), and the [benchmark](benchmark.md) scores only their test pages. Those test pages still
come from the sites and conventions the model saw in training. Here each of these sets is scored
by the same recipe (`python -m benchmarks.train_model`, same seed, the code of this run) trained
on the *other* sets only, beside that recipe trained on all of them and the shipped model.
"without − with" is what training on the set itself is worth on its test pages. A set's pages
in one language (`boilerstrip.langdetect`, at least {LANGUAGE_MIN_PAGES} test pages) also get a row.

{table(rows)}

The headline sets l3s_gn1, dragnet, cleanportaleval, cleaneval and evan_extract are never trained
on (their licences do not allow a shipped model to learn from them), so their figures in the
benchmark are cross-set already, on every page.

The model is one seed of gradient-boosted trees: retrained on the same data with other seeds, the
mean F1 of the train split moves by about 0.002, so differences of that size say little. The shipped
model was fitted on pages read with the code of an earlier commit (see "Rebuilding the shipped
model" in [how it decides](how-it-decides.md)), which is why it differs from "{WITH}".
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.cross_sets", description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="+", choices=PERMISSIVE_SETS, metavar="SET",
                    help=f"held-out sets (default: every one present): {', '.join(PERMISSIVE_SETS)}")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="markdown report (default docs/cross-sets.md)")
    ap.add_argument("--no-write", action="store_true", help="print only, write no report")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="write the trained models here instead of a temporary folder")
    args = ap.parse_args(argv)
    present = available_sets()
    train_sets = [s for s in PERMISSIVE_SETS if s in present]
    if len(train_sets) < 2:
        print(f"Need at least two of {', '.join(PERMISSIVE_SETS)} at {data_dir()} (../shared/bench_data, see its "
              "README.md, or $BOILERSTRIP_BENCH_DATA). Nothing to do.")
        return 0
    held_out = [s for s in (args.sets or train_sets) if s in train_sets]

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if args.keep:
        rows = measure(held_out, train_sets, args.keep, log)
    else:
        with tempfile.TemporaryDirectory(prefix="boilerstrip-cross-") as tmp:
            rows = measure(held_out, train_sets, Path(tmp), log)
    print(table(rows))
    if not args.no_write:
        command = " ".join(["python -m benchmarks.cross_sets", *(sys.argv[1:] if argv is None else argv)])
        args.out.write_text(report(rows, train_sets, command), encoding="utf-8")
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
