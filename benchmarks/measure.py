"""Running a tool over pages (timed, fault-tolerant, cached) and scoring what it returned.

The cache holds, per tool and set, ``{page id: [output, cpu seconds, failure, wall seconds]}`` under
``benchmarks/.cache/anchors/<tool>/<set>.json.gz`` with the tool's signature; a changed signature
(settings, revision, package version) discards it.

Timings are the tool call alone. Throughput is computed from the process's CPU time
(``time.process_time``), which other processes on a shared machine barely disturb, so cached
anchor timings and a fresh boilerstrip timing stay comparable; wall-clock time is kept beside it.
"""

from __future__ import annotations

import gzip
import json
import signal
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks.anchors import Tool
from benchmarks.data import cache_dir
from benchmarks.scoring import prf, snippet_hits

CACHE_FORMAT = "2"
"""Bumped when the layout of cached runs changes."""

SNIPPET_ONLY_SETS: frozenset[str] = frozenset({"trafilatura_eval"})
"""Sets whose ``gold`` is only the snippets: scored by snippets, not by token F1."""


class PageTimeout(Exception):
    """A tool ran past the per-page time limit."""


@dataclass(frozen=True)
class PageRun:
    """One tool's output on one page."""

    page_id: str
    out: str
    seconds: float
    failure: str | None = None
    wall_seconds: float = 0.0


@dataclass(frozen=True)
class Stat:
    """Mean and median of a per-page measure."""

    mean: float
    median: float

    @staticmethod
    def of(values: Sequence[float]) -> Stat:
        """Mean and median of ``values`` (NaN for none)."""
        if not values:
            return Stat(float("nan"), float("nan"))
        return Stat(statistics.fmean(values), statistics.median(values))


@dataclass(frozen=True)
class Score:
    """One tool on one set."""

    set_name: str
    tool: str
    pages: int
    precision: Stat | None
    recall: Stat | None
    f1: Stat | None
    seconds: float
    in_bytes: int
    failures: int
    failure_examples: tuple[str, ...] = ()
    wall_seconds: float = 0.0
    with_kept: int = 0
    with_total: int = 0
    without_removed: int = 0
    without_total: int = 0

    @property
    def docs_per_s(self) -> float:
        """Pages per second of tool time."""
        return self.pages / self.seconds if self.seconds > 0 else float("inf")

    @property
    def wall_docs_per_s(self) -> float:
        """Pages per second of wall-clock time in the tool."""
        return self.pages / self.wall_seconds if self.wall_seconds > 0 else float("inf")

    @property
    def mb_per_s(self) -> float:
        """Megabytes (10^6 bytes of UTF-8 input) per second of tool time."""
        return self.in_bytes / 1e6 / self.seconds if self.seconds > 0 else float("inf")

    @property
    def with_share(self) -> float:
        """Share of ``with`` snippets found in the output (pooled over pages)."""
        return self.with_kept / self.with_total if self.with_total else float("nan")

    @property
    def without_share(self) -> float:
        """Share of ``without`` snippets absent from the output (pooled over pages)."""
        return self.without_removed / self.without_total if self.without_total else float("nan")


@dataclass
class CacheFile:
    """The cached runs of one tool on one set."""

    path: Path
    signature: str
    runs: dict[str, list[Any]] = field(default_factory=dict)
    measured: list[str] = field(default_factory=list)

    @staticmethod
    def open(tool: Tool, set_name: str, *, refresh: bool = False) -> CacheFile:
        """Load the cache of ``tool`` on ``set_name`` (empty when refreshing or stale)."""
        path = cache_dir() / "anchors" / tool.name / f"{set_name}.json.gz"
        cf = CacheFile(path, f"format {CACHE_FORMAT}|{tool.signature()}")
        if path.exists() and not refresh:
            try:
                with gzip.open(path, "rt", encoding="utf-8") as fh:
                    data = json.load(fh)
            except (OSError, ValueError):
                return cf
            if data.get("signature") == cf.signature:
                cf.runs = data.get("runs", {})
                cf.measured = list(data.get("measured", []))
        return cf

    def save(self) -> None:
        """Write atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            json.dump({"signature": self.signature, "measured": self.measured, "runs": self.runs}, fh)
        tmp.replace(self.path)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`PageTimeout` in the block after ``seconds`` (no limit if <= 0 or no SIGALRM)."""
    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise PageTimeout(f"over {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def call_tool(tool: Tool, doc: str, options: Mapping[str, Any], *, timeout: float = 0) -> tuple[str, float, str | None, float]:
    """``(output, cpu seconds, failure, wall seconds)``: a raise, a time-out or ``None`` gives empty output."""
    out: str | None = None
    failure: str | None = None
    with time_limit(timeout):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            out = tool.extract(doc, **options)
        except Exception as exc:  # noqa: BLE001 - any anchor failure scores as empty output
            failure = f"{type(exc).__name__}: {str(exc)[:160]}"
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if failure is None and out is None:
        failure = "returned None"
    return out or "", cpu, failure, wall


def tool_input(tool: Tool, page: Mapping[str, Any]) -> str:
    """The document a tool reads: the page HTML or its scraped text."""
    return str(page["html"] if tool.reads == "html" else page["text"])


def warm_up(tool: Tool) -> None:
    """One untimed call on a tiny page, so imports and lazy loading are not timed."""
    page = {"html": "<html><body><p>Warm up text for the tool, one sentence long.</p></body></html>",
            "text": "Warm up text for the tool, one sentence long.\n", "dataset": "warm-up"}
    call_tool(tool, tool_input(tool, page), tool.prepare(page), timeout=60)


def run_tool(
    tool: Tool,
    set_name: str,
    pages: Sequence[Mapping[str, Any]],
    *,
    refresh: bool = False,
    timeout: float = 0,
    progress: Callable[[str], None] | None = None,
    save_every: int = 200,
) -> tuple[list[PageRun], int]:
    """Run ``tool`` on ``pages``, reusing cached runs; ``(runs, pages computed now)``."""
    cache = CacheFile.open(tool, set_name, refresh=refresh) if tool.cached else None
    warm_up(tool)
    runs: list[PageRun] = []
    computed = 0
    for page in pages:
        pid = str(page["id"])
        hit = cache.runs.get(pid) if cache else None
        if hit is None:
            out, sec, failure, wall = call_tool(tool, tool_input(tool, page), tool.prepare(page), timeout=timeout)
            computed += 1
            if cache is not None:
                cache.runs[pid] = [out, sec, failure, wall]
                if computed % save_every == 0:
                    _stamp_and_save(cache)
                    if progress:
                        progress(f"  {set_name}/{tool.name}: {len(runs) + 1}/{len(pages)}")
        else:
            out, sec, failure, wall = hit
        runs.append(PageRun(pid, out, float(sec), failure, float(wall)))
    if cache is not None and computed:
        _stamp_and_save(cache)
    return runs, computed


def _stamp_and_save(cache: CacheFile) -> None:
    cache.measured = sorted({*cache.measured, datetime.now(timezone.utc).strftime("%Y-%m-%d")})
    cache.save()


def score(set_name: str, tool: Tool, pages: Sequence[Mapping[str, Any]], runs: Sequence[PageRun]) -> Score:
    """Token P/R/F1 (unless the set has snippets only), snippet shares, throughput, failures."""
    ps: list[float] = []
    rs: list[float] = []
    fs: list[float] = []
    hits = [0, 0, 0, 0]
    failures = Counter[str]()
    examples: list[str] = []
    in_bytes = 0
    for page, run in zip(pages, runs, strict=True):
        in_bytes += len(tool_input(tool, page).encode("utf-8"))
        if run.failure:
            failures[run.failure.split(":")[0]] += 1
            if len(examples) < 3:
                examples.append(f"{run.page_id}: {run.failure}")
        if set_name not in SNIPPET_ONLY_SETS:
            p, r, f = prf(run.out, str(page["gold"]))
            ps.append(p)
            rs.append(r)
            fs.append(f)
        if page.get("with") or page.get("without"):
            for i, v in enumerate(snippet_hits(run.out, page.get("with") or [], page.get("without") or [])):
                hits[i] += v
    has_f1 = set_name not in SNIPPET_ONLY_SETS
    return Score(
        set_name=set_name,
        tool=tool.name,
        pages=len(runs),
        precision=Stat.of(ps) if has_f1 else None,
        recall=Stat.of(rs) if has_f1 else None,
        f1=Stat.of(fs) if has_f1 else None,
        seconds=sum(r.seconds for r in runs),
        in_bytes=in_bytes,
        failures=sum(failures.values()),
        failure_examples=tuple(examples),
        wall_seconds=sum(r.wall_seconds for r in runs),
        with_kept=hits[0],
        with_total=hits[1],
        without_removed=hits[2],
        without_total=hits[3],
    )


def pooled_throughput(scores: Sequence[Score]) -> tuple[float, float]:
    """``(docs/s, MB/s)`` over all pages of ``scores`` together."""
    sec = sum(s.seconds for s in scores)
    if sec <= 0:
        return float("inf"), float("inf")
    return sum(s.pages for s in scores) / sec, sum(s.in_bytes for s in scores) / 1e6 / sec
