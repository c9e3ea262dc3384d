"""Tables, the markdown report (docs/benchmark.md) and its plot, from the scores of one run."""

from __future__ import annotations

import math
import platform
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks.anchors import Tool, package_versions
from benchmarks.data import HEADLINE_SETS, data_dir
from benchmarks.measure import Score, pooled_throughput

VERSIONED = ("boilerstrip", "trafilatura", "readability-lxml", "Resiliparse", "jusText", "html-text", "lxml", "numpy")


def _f(x: float | None, spec: str = ".3f") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if math.isinf(x):
        return "∞"
    return format(x, spec)


def _rate(x: float) -> str:
    """A throughput with sensible precision."""
    if math.isinf(x):
        return "∞"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def headline_summary(scores: Sequence[Score], sets: Sequence[str]) -> list[tuple[str, float, dict[str, float], float, float, float]]:
    """Per tool: ``(tool, mean F1 over the headline sets run, F1 per set, docs/s, MB/s, wall docs/s)``."""
    heads = [s for s in HEADLINE_SETS if s in sets]
    tools = list(dict.fromkeys(s.tool for s in scores))
    out = []
    for tool in tools:
        mine = [s for s in scores if s.tool == tool and s.set_name in heads and s.f1 is not None]
        if not mine:
            continue
        per = {s.set_name: s.f1.mean for s in mine}  # type: ignore[union-attr]
        docs, mb = pooled_throughput(mine)
        wall = sum(s.wall_seconds for s in mine)
        out.append((tool, sum(per.values()) / len(per), per, docs, mb, sum(s.pages for s in mine) / wall if wall > 0 else math.inf))
    return out


def summary_table(scores: Sequence[Score], sets: Sequence[str]) -> str:
    """Mean F1 per headline set, their mean, and pooled throughput, one row per tool."""
    heads = [s for s in HEADLINE_SETS if s in sets]
    rows = [[f"**{tool}**" if tool == "boilerstrip" else tool, _f(mean), *(_f(per.get(h)) for h in heads), _rate(docs), _rate(mb), _rate(wall)]
            for tool, mean, per, docs, mb, wall in headline_summary(scores, sets)]
    return _table(["tool", f"mean F1 ({len(heads)} sets)", *heads, "docs/s", "MB/s", "docs/s (wall clock)"], rows)


def set_table(scores: Sequence[Score], set_name: str) -> str:
    """One set: P/R/F1 mean and median, throughput, failures (and snippet shares if any)."""
    mine = [s for s in scores if s.set_name == set_name]
    snip = any(s.with_total or s.without_total for s in mine)
    head = ["tool", "P mean", "P med", "R mean", "R med", "F1 mean", "F1 med", "docs/s", "MB/s", "failures"]
    if snip:
        head += ["with kept", "without removed"]
    rows = []
    for s in mine:
        st = [s.precision, s.recall, s.f1]
        row = [s.tool, *(x for stat in st for x in ((_f(stat.mean), _f(stat.median)) if stat else ("–", "–")))]
        row += [_rate(s.docs_per_s), _rate(s.mb_per_s), str(s.failures)]
        if snip:
            row += [_f(s.with_share, ".1%"), _f(s.without_share, ".1%")]
        rows.append(row)
    return _table(head, rows)


def console_tables(scores: Sequence[Score], sets: Sequence[str]) -> str:
    """Everything for the terminal: per-set tables and the headline summary."""
    parts = []
    for name in sets:
        n = next((s.pages for s in scores if s.set_name == name), 0)
        parts.append(f"\n## {name} ({n} pages)\n\n{set_table(scores, name)}")
    if any(s in sets for s in HEADLINE_SETS):
        parts.append(f"\n## Headline sets\n\n{summary_table(scores, sets)}")
    return "\n".join(parts)


def plot(path: Path, scores: Sequence[Score], sets: Sequence[str], tools: Sequence[Tool]) -> None:
    """Mean F1 over the headline sets against docs/s (log scale), one point per tool."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    reads = {t.name: t.reads for t in tools}
    summary = headline_summary(scores, sets)
    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=120)
    colours = {"html": "#1f77b4", "text": "#d62728"}
    placed: list[tuple[float, float]] = []
    for tool, mean, _, docs, _, _ in sorted(summary, key=lambda r: r[3]):
        if tool == "keep-all":  # the unchanged text: a floor, drawn as a line (its "speed" is a no-op)
            ax.axhline(mean, color="grey", linestyle="--", linewidth=1)
            ax.annotate("keep-all (no cleaning)", (0.99, mean), xycoords=("axes fraction", "data"), ha="right",
                        textcoords="offset points", xytext=(0, 3), fontsize=8, color="grey")
            continue
        if math.isinf(docs):
            continue
        kind = reads.get(tool, "text")
        ax.scatter(docs, mean, s=90 if tool == "boilerstrip" else 40, color=colours[kind],
                   marker="*" if tool == "boilerstrip" else "o", zorder=3)
        crowded = any(abs(math.log10(docs / x)) < 0.35 and abs(mean - y) < 0.01 for x, y in placed)
        ax.annotate(tool, (docs, mean), textcoords="offset points", xytext=(6, -12 if crowded else 4), fontsize=9)
        placed.append((docs, mean))
    for kind, colour in colours.items():
        ax.scatter([], [], color=colour, label=f"reads {'HTML' if kind == 'html' else 'scraped text'}")
    heads = [s for s in HEADLINE_SETS if s in sets]
    ax.set_xscale("log")
    ax.margins(x=0.12)
    ax.set_xlabel("documents per CPU second (single process, log scale)")
    ax.set_ylabel(f"mean token F1 over {len(heads)} headline sets")
    ax.set_title("Quality against throughput, same pages for every tool")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def machine() -> dict[str, str]:
    """CPU model, cores, Python, OS and package versions."""
    cpu = "unknown"
    try:
        m = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    import os

    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "Python": platform.python_version(),
        "OS": platform.platform(),
        "packages": package_versions(VERSIONED),
        "repository commit": _git_head(),
        "boilerstrip's compiled parts": _compiled_parts(),
    }


def _compiled_parts() -> str:
    """Which optional C extensions boilerstrip runs (its speed depends on them; docs/speed.md)."""
    from boilerstrip.compiled import compiled_parts

    return ", ".join(
        f"{name} ({module}) {'built' if on else 'not built: pure Python'}" for name, (module, on) in compiled_parts().items()
    )


def _git_head() -> str:
    repo = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=repo).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "boilerstrip"], capture_output=True, text=True,
                               check=True, cwd=repo).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (boilerstrip/ has uncommitted changes)" if dirty else "")


def source_rows(sets: Sequence[str]) -> list[list[str]]:
    """Per set: source repository, commit and licence, from ``bench_data/sources/<set>.md``."""
    rows = []
    for name in sets:
        path = data_dir() / "sources" / f"{name}.md"
        fields: dict[str, str] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                m = re.match(r"^\|\s*([^|]+?)\s*\|\s*(.+?)\s*\|$", line)
                if m:
                    fields[m.group(1).lower()] = m.group(2)
        title = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ") if path.exists() else name
        rows.append([name, title, fields.get("source repository", "–"), fields.get("commit", "–"),
                     fields.get("license (as stated by source)", "–")])
    return rows


def write(out: Path, img: Path, scores: Sequence[Score], sets: Sequence[str], facts: Mapping[str, Any], compare: Sequence[str]) -> None:
    """Write the markdown report and the plot."""
    tools: Sequence[Tool] = facts["tools"]
    plot(img, scores, sets, tools)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(scores, sets, facts, compare, img_rel=_rel(img, out.parent)), encoding="utf-8")


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path.resolve())


def render(scores: Sequence[Score], sets: Sequence[str], facts: Mapping[str, Any], compare: Sequence[str], *, img_rel: str) -> str:
    """The whole markdown report."""
    tools: Sequence[Tool] = facts["tools"]
    started = facts["started"]
    mach = machine()
    load = facts.get("load") or (None, None)
    parts = [
        "# Benchmark",
        "",
        f"Generated by `{facts['command']}` on {started:%Y-%m-%d %H:%M} UTC. Every number on this page is what "
        "that run measured; rerun the command to refresh it. Scoring follows `SCORING.md`: bag-of-words token "
        "precision, recall and F1 per page against the human gold text, averaged over pages (mean and median); "
        "trafilatura_eval has snippet gold only and is scored by snippets.",
        "",
        "HTML tools read the page; text tools (boilerstrip, justext-text, c4-rules, keep-all) read the *scraped text* "
        "of the same page, `html_text.extract_text(html, guess_layout=True)` after removing control characters, "
        "i.e. what a structure-blind crawler hands over. `keep-all` is that text unchanged: the floor every text "
        "cleaner starts from.",
        "",
        "## Headline sets",
        "",
        summary_table(scores, sets),
        "",
        "Mean F1 is the mean of the per-set means. docs/s and MB/s are pooled over the pages of these sets: pages "
        "(or megabytes of each tool's own input: HTML for HTML tools, scraped text for text tools) per CPU second "
        "spent inside the tool call, one process; the last column is the same per wall-clock second.",
        "",
        f"![mean F1 against docs/s]({img_rel})",
        "",
    ]
    if compare:
        parts += ["## boilerstrip against trafilatura (targets)", "", *compare, ""]
    parts += ["## Per set", ""]
    for name in sets:
        n_scored, n_all = facts["pages_per_set"][name]
        parts += [f"### {name} ({n_scored} of {n_all} pages)", "", set_table(scores, name), ""]
    parts += [
        "\"with kept\" / \"without removed\": share of the source's `with` snippets found in the output and of its "
        "`without` snippets absent from it, pooled over pages (both sides normalised by "
        "`benchmarks.scoring.normalise`: white space collapsed, quotes straightened, case ignored).",
        "",
    ]
    fails = [s for s in scores if s.failures]
    if fails:
        parts += ["## Failures", "",
                  "A tool that raised, timed out or returned nothing on a page scores empty output there.", ""]
        parts += [f"- {s.set_name} / {s.tool}: {s.failures} page{'' if s.failures == 1 else 's'}, e.g. " + "; ".join(f"`{e}`" for e in s.failure_examples)
                  for s in fails]
        parts.append("")
    parts += [
        "## Pages scored",
        "",
        facts["split_rule"] + (f" Limited to the first {facts['limit']} pages per set (`--limit`)." if facts.get("limit") else ""),
        "How much of the permissive sets' figures comes from training on their train split: "
        "[trained without the set](cross-sets.md) (`python -m benchmarks.cross_sets`).",
        "",
        _table(["set", "pages scored", "pages in file"], [[n, str(a), str(b)] for n, (a, b) in facts["pages_per_set"].items()]),
        "",
        "## Tools and settings",
        "",
        _table(["tool", "reads", "settings", "versions"],
               [[t.name, "HTML" if t.reads == "html" else "scraped text", f"`{t.settings}`", package_versions(t.packages) or "–"] for t in tools]),
        "",
        "Details in `benchmarks/anchors.py` (jusText's stop list per page: English on the English sets; elsewhere the "
        "page's `<html lang>`, else the stop list covering most words, with a character-scaled language-independent "
        "mode for Chinese/Japanese/Korean) and `benchmarks/c4.py` (the C4 line rules implemented).",
        "",
        "## Machine and timing",
        "",
        _table(["", ""], [[k, v] for k, v in mach.items()] + [["load average (1 min) at start / end", " / ".join(_f(x[0], ".2f") if x else "–" for x in load)]]),
        "",
        "Single process; time is measured around each tool call only (no loading, no scoring), as CPU time of the "
        "process (`time.process_time`, used for docs/s and MB/s) and as wall-clock time. CPU time is what the "
        "throughput figures use because other processes on a shared machine barely change it, so cached anchor "
        "timings stay comparable with a fresh boilerstrip timing. Each tool is called "
        "once on a tiny page first so imports are not timed. Anchor outputs and timings are cached per set in "
        "`benchmarks/.cache/anchors/` and reused until their settings or versions change; boilerstrip is timed "
        "afresh on every run. Pages computed in this run: "
        + ", ".join(f"{k} {v}" for k, v in facts["computed"].items()) + ". Other processes on the machine add "
        "noise to wall-clock times; compare ratios.",
        "",
        "## Data sources",
        "",
        "Pages are read from `../shared/bench_data` (or `$BOILERSTRIP_BENCH_DATA`); none are in this repository. "
        "Sources and licences as each source states them (`bench_data/sources/<set>.md`):",
        "",
        _table(["set", "dataset", "source repository", "commit", "licence (as stated by source)"], source_rows(sets)),
        "",
    ]
    return "\n".join(parts)
