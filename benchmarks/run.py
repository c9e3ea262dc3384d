"""Benchmark boilerstrip against HTML extractors and text baselines: ``python -m benchmarks.run``.

Every tool runs on the same pages of each set in ``../shared/bench_data`` (or
``$BOILERSTRIP_BENCH_DATA``): HTML tools on the page, text tools on its scraped text (SCORING.md).
Anchor outputs and timings are cached under ``benchmarks/.cache/anchors``; boilerstrip always runs.
Writes ``docs/benchmark.md`` and ``docs/img/benchmark.png`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.data import HEADLINE_SETS, PERMISSIVE_SETS, SETS, available_sets, data_dir, scraped_pages

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "docs" / "benchmark.md"
TOOL_NAMES: tuple[str, ...] = (
    "boilerstrip", "trafilatura", "readability", "resiliparse", "justext", "justext-text", "c4-rules", "keep-all",
)
SMOKE_SETS: tuple[str, ...] = ("cleanportaleval", "chinese_cwced")
SMOKE_TOOLS: tuple[str, ...] = ("boilerstrip", "keep-all", "c4-rules")
SPLIT_RULE = (
    "Sets a shipped model may train on ({permissive}): only pages whose fixed split "
    "(`benchmarks.data.split_of`) is `test`. Every other set: all pages (no model ever sees them)."
)


@dataclass(frozen=True)
class Targets:
    """The quality and speed targets ``--compare`` checks (boilerstrip against trafilatura)."""

    max_f1_gap: float = 0.02
    mean_f1: float = 0.90
    with_kept: float = 0.90
    without_removed: float = 0.80
    speed_ratio: float = 10.0
    mb_per_s: float = 5.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Score boilerstrip and anchor extractors on ../shared/bench_data (token P/R/F1, "
        "snippets, docs/s, MB/s) and write docs/benchmark.md.",
    )
    ap.add_argument("--sets", nargs="+", choices=SETS, metavar="SET", help=f"sets to run (default: all present): {', '.join(SETS)}")
    ap.add_argument("--tools", nargs="+", choices=TOOL_NAMES, metavar="TOOL", help=f"tools (default: all): {', '.join(TOOL_NAMES)}")
    ap.add_argument("--limit", type=int, default=0, metavar="N", help="first N pages per set after the split filter")
    ap.add_argument("--all-pages", action="store_true", help="score every page, also the train split of the permissive sets")
    ap.add_argument("--dev", action="store_true", help="score only train-split pages of every set, the pages to make design "
                    "choices on (dragnet's own split, a fixed hash split elsewhere); writes no report")
    ap.add_argument("--model", metavar="PATH", help="boilerstrip uses this model file (written by python -m "
                    "benchmarks.train_model --out PATH, with its wordscores.json beside it) instead of the shipped one")
    ap.add_argument("--fold-models", metavar="DIR", help="with --dev: on the permissive sets' pages boilerstrip uses the "
                    "model trained without the page's dev fold (written by python -m benchmarks.train_model --folds DIR)")
    ap.add_argument("--refresh", action="store_true", help="recompute cached anchor outputs and timings")
    ap.add_argument("--timeout", type=float, default=120.0, metavar="S", help="per-page time limit of a tool call (0: none; default 120)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="markdown report (default docs/benchmark.md); the plot goes to img/benchmark.png beside it")
    ap.add_argument("--no-write", action="store_true", help="print only, write no report")
    ap.add_argument("--compare", action="store_true", help="print boilerstrip minus trafilatura per set and the pass/fail of the targets")
    ap.add_argument("--smoke", action="store_true", help=f"CI check: 3 pages of {', '.join(SMOKE_SETS)}, tools {', '.join(SMOKE_TOOLS)}, no report")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sets = args.sets or list(SMOKE_SETS)
        args.tools = args.tools or list(SMOKE_TOOLS)
        args.limit = args.limit or 3
        args.no_write = True
    if args.dev:
        args.no_write = True
    if args.fold_models and (not args.dev or args.model):
        ap.error("--fold-models needs --dev and no --model")
    return args


def select_pages(
    pages: Sequence[Mapping[str, Any]], set_name: str, *, all_pages: bool, limit: int, dev: bool = False
) -> list[Mapping[str, Any]]:
    """The pages scored: test split only for the permissive sets (unless ``all_pages``), first
    ``limit``; ``dev`` takes the train split of every set instead (for design choices)."""
    if dev:
        chosen = [p for p in pages if p.get("split") == "train"]
        return chosen[:limit] if limit > 0 else chosen
    chosen = [p for p in pages if all_pages or set_name not in PERMISSIVE_SETS or p.get("split") == "test"]
    return chosen[:limit] if limit > 0 else chosen


def log(msg: str) -> None:
    """Progress to stderr."""
    print(msg, file=sys.stderr, flush=True)


def run_benchmark(sets: Sequence[str], tool_names: Sequence[str], args: argparse.Namespace) -> tuple[list[Any], dict[str, Any]]:
    """Run and score every tool on every set; ``(scores, facts about the run)``."""
    from benchmarks.anchors import all_tools, quiet_logs
    from benchmarks.measure import run_tool, score

    quiet_logs()
    tools = [all_tools(getattr(args, "model", None), getattr(args, "fold_models", None))[n] for n in tool_names]
    scores = []
    pages_per_set: dict[str, tuple[int, int]] = {}
    computed: dict[str, int] = {t.name: 0 for t in tools}
    for set_name in sets:
        start = time.perf_counter()
        pages_all = scraped_pages(set_name)
        pages = select_pages(pages_all, set_name, all_pages=args.all_pages, limit=args.limit, dev=args.dev)
        pages_per_set[set_name] = (len(pages), len(pages_all))
        log(f"{set_name}: {len(pages)} of {len(pages_all)} pages (loaded in {time.perf_counter() - start:.1f} s)")
        for tool in tools:
            t0 = time.perf_counter()
            runs, n_new = run_tool(tool, set_name, pages, refresh=args.refresh, timeout=args.timeout, progress=log)
            computed[tool.name] += n_new
            s = score(set_name, tool, pages, runs)
            scores.append(s)
            f1 = f"F1 {s.f1.mean:.3f}" if s.f1 else f"with {s.with_share:.1%} without {s.without_share:.1%}"
            log(f"  {tool.name:13s} {f1}  {s.docs_per_s:9.1f} docs/s  ran {n_new} pages in {time.perf_counter() - t0:.1f} s, fail {s.failures}")
        del pages_all, pages
    facts = {"pages_per_set": pages_per_set, "computed": computed, "tools": tools}
    return scores, facts


def compare_lines(scores: Sequence[Any], targets: Targets = Targets()) -> tuple[list[str], bool]:
    """Boilerstrip against trafilatura per set and the targets; ``(lines, all passed)``."""
    from benchmarks.measure import pooled_throughput

    by = {(s.set_name, s.tool): s for s in scores}
    if not any(k[1] == "boilerstrip" for k in by) or not any(k[1] == "trafilatura" for k in by):
        return ["(compare needs both boilerstrip and trafilatura in --tools)"], False
    sets = [s for s in SETS if (s, "boilerstrip") in by and (s, "trafilatura") in by]
    lines = ["| set | boilerstrip F1 | trafilatura F1 | difference | boilerstrip docs/s ÷ trafilatura docs/s | within 0.02 or above |",
             "|---|---|---|---|---|---|"]
    ok = True
    for name in sets:
        b, t = by[(name, "boilerstrip")], by[(name, "trafilatura")]
        ratio = b.docs_per_s / t.docs_per_s
        if b.f1 is None or t.f1 is None:
            lines.append(f"| {name} | – | – | – | {ratio:.1f}x | (snippets) |")
            continue
        diff = b.f1.mean - t.f1.mean
        head = name in HEADLINE_SETS
        passed = diff >= -targets.max_f1_gap
        ok &= passed or not head
        verdict = ("pass" if passed else "FAIL") if head else ("yes" if passed else "no") + " (not a target set)"
        lines.append(f"| {name} | {b.f1.mean:.3f} | {t.f1.mean:.3f} | {diff:+.3f} | {ratio:.1f}x | {verdict} |")
    lines.append("")
    checks: list[tuple[str, bool]] = []
    heads = [by[(n, "boilerstrip")] for n in HEADLINE_SETS if (n, "boilerstrip") in by]
    if len(heads) == len(HEADLINE_SETS):
        mean = sum(h.f1.mean for h in heads) / len(heads)
        checks.append((f"mean F1 over the six headline sets {mean:.3f} >= {targets.mean_f1:.2f}", mean >= targets.mean_f1))
    else:
        checks.append(("mean F1 over the six headline sets: not all six were run", False))
    te = by.get(("trafilatura_eval", "boilerstrip"))
    if te is not None:
        checks.append((f"trafilatura_eval with-snippets kept {te.with_share:.1%} >= {targets.with_kept:.0%}", te.with_share >= targets.with_kept))
        checks.append((f"trafilatura_eval without-snippets removed {te.without_share:.1%} >= {targets.without_removed:.0%}",
                       te.without_share >= targets.without_removed))
    else:
        checks.append(("trafilatura_eval snippets: set not run", False))
    b_docs, b_mb = pooled_throughput([by[(n, "boilerstrip")] for n in sets])
    t_docs, _ = pooled_throughput([by[(n, "trafilatura")] for n in sets])
    checks.append((f"boilerstrip docs/s {b_docs:.0f} = {b_docs / t_docs:.1f}x trafilatura's {t_docs:.1f} (>= {targets.speed_ratio:g}x)",
                   b_docs / t_docs >= targets.speed_ratio))
    checks.append((f"boilerstrip {b_mb:.1f} MB/s of scraped text (>= {targets.mb_per_s:g})", b_mb >= targets.mb_per_s))
    for text, passed in checks:
        lines.append(f"- {'pass' if passed else 'FAIL'}: {text}")
        ok &= passed
    lines.append(f"- overall: {'PASS' if ok else 'FAIL'}")
    return lines, ok


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    present = available_sets()
    if not present:
        print(f"No benchmark pages at {data_dir()}.\n"
              "They come from the shared folder beside the repository (../shared/bench_data, see its README.md),\n"
              "or set $BOILERSTRIP_BENCH_DATA to a folder of <set>.jsonl.gz files. Nothing to do.")
        return 0
    sets = [s for s in (args.sets or SETS) if s in present]
    missing = [s for s in (args.sets or []) if s not in present]
    if missing:
        log(f"not present, skipped: {', '.join(missing)}")
    tool_names = [t for t in TOOL_NAMES if t in (args.tools or TOOL_NAMES)]
    from benchmarks import report

    started = datetime.now(timezone.utc)
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    scores, facts = run_benchmark(sets, tool_names, args)
    facts.update(started=started, load=(load_before, os.getloadavg() if load_before else None),
                 command=" ".join(["python -m benchmarks.run", *map(shlex.quote, sys.argv[1:] if argv is None else argv)]),
                 split_rule=SPLIT_RULE.format(permissive=", ".join(PERMISSIVE_SETS)) if not args.all_pages else "All pages of every set (--all-pages).",
                 limit=args.limit)
    print(report.console_tables(scores, sets))
    cmp_lines, _ = compare_lines(scores) if "boilerstrip" in tool_names and "trafilatura" in tool_names else ([], False)
    if args.compare:
        print("\n## boilerstrip against trafilatura\n")
        print("\n".join(cmp_lines))
    if not args.no_write:
        out = args.out
        img = out.parent / "img" / "benchmark.png"
        report.write(out, img, scores, sets, facts, cmp_lines)
        log(f"wrote {out} and {img}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
