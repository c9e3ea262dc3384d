"""Cleaning many documents: in order, in worker processes, one failure at a time.

:func:`clean_many` is the helper for pipelines. The command line's workers live here too:
:func:`clean_file` for a file and :func:`clean_record` for a JSONL record, each returning a
:class:`DocResult` that carries a failure as data instead of raising, so a batch goes on.

>>> list(clean_many(["Share news\\nTalks resumed in Geneva on Tuesday after a week of delay.\\n", ""], jobs=1))
['Talks resumed in Geneva on Tuesday after a week of delay.\\n', '']
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from boilerstrip.api import explain
from boilerstrip.config import Config
from boilerstrip.files import DocumentError, decode_document, read_document, write_atomic
from boilerstrip.report import Report

__all__ = [
    "DocResult",
    "Totals",
    "Workers",
    "clean_file",
    "clean_many",
    "clean_record",
    "default_jobs",
]

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


# --------------------------------------------------------------------------- parallel map


def _init_worker(parent: int) -> None:
    """Worker initializer: leave Ctrl-C to the parent, and exit when the parent dies.

    On Ctrl-C the parent stops the pool itself; after a SIGKILL it cannot, so a thread polls
    for the parent and ends the worker.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _run_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


class Workers:
    """A pool of ``jobs`` worker processes (none when ``jobs == 1``) with an ordered, lazy map.

    >>> with Workers(1) as workers:
    ...     list(workers.map(abs, [-1, 2, -3]))
    [1, 2, 3]
    """

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or default_jobs())
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=(os.getpid(),))
        return self

    def __exit__(self, *exc: object) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if exc[0] is not None:
            # Interrupted or abandoned: stop now rather than wait for work nobody will collect.
            # A worker stopped mid-write leaves a temporary file, never a partial output.
            terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
            if terminate is not None:
                terminate()
            else:
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 16) -> Iterator[R]:
        """``fn`` over ``items``, results in input order.

        Reads ``items`` only a few chunks ahead of the results, so an endless or huge iterable
        runs in bounded memory. ``fn`` and the items must pickle when there are workers.
        """
        if self._pool is None:
            yield from map(fn, items)
            return
        pool, source = self._pool, iter(items)
        window: deque[Future[list[R]]] = deque()
        while chunk := list(islice(source, chunksize)):
            window.append(pool.submit(_run_chunk, fn, chunk))
            if len(window) >= 3 * self.jobs:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _clean_text(text: str, config: Config | None) -> str:
    return explain(text, config=config).text


def clean_many(
    texts: Iterable[str], *, jobs: int | None = None, config: Config | None = None, chunksize: int = 16
) -> Iterator[str]:
    """Clean every text of ``texts``, yielding the results in the same order.

    ``jobs`` worker processes share the work (``None``: one per CPU; ``1``: in this process,
    no pool). ``texts`` is consumed lazily, a few chunks of ``chunksize`` ahead. An exception
    from a text (say, one that is not ``str``) is raised when its result is reached. With
    ``jobs > 1`` on a platform that spawns processes (Windows, macOS), call it under
    ``if __name__ == "__main__":``.
    """
    with Workers(jobs) as workers:
        yield from workers.map(partial(_clean_text, config=config), texts, chunksize=chunksize)


# --------------------------------------------------------------------------- document workers


@dataclass(frozen=True)
class DocResult:
    """What became of one document: its cleaned text or the reason it failed, and counts.

    ``output`` is what to write: the cleaned text for a file, the whole record line for JSONL
    (the input line unchanged when the record failed). ``report`` is the document's
    :meth:`Report.to_dict` when asked for; ``flags`` are the report's flags. ``blank`` marks a blank line between JSONL
    records: passed through, not a document.
    """

    ok: bool
    output: bytes = b""
    error: str | None = None
    chars_in: int = 0
    chars_out: int = 0
    lines_in: int = 0
    lines_out: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    report: dict[str, Any] | None = None
    flags: tuple[str, ...] = ()
    blank: bool = False


@dataclass(frozen=True)
class Job:
    """Settings a worker needs besides the document; pickled once per chunk."""

    config: Config | None = None
    max_bytes: int | None = None
    want_report: bool = False
    field: str = "text"
    keep_original: str | None = None


def _success(text: str, report: Report, job: Job, output: bytes) -> DocResult:
    return DocResult(
        ok=True,
        output=output,
        chars_in=len(text),
        chars_out=len(report.text),
        lines_in=sum(1 for d in report.lines if d.kind != "blank"),
        lines_out=sum(1 for d in report.lines if d.kept and d.kind != "blank"),
        dropped=dict(report.dropped_by_kind()),
        report=report.to_dict() if job.want_report else None,
        flags=report.flags,
    )


def clean_document(text: str, job: Job) -> tuple[str, Report]:
    """``(cleaned text, report)`` for one decoded document."""
    report = explain(text, config=job.config)
    return report.text, report


def clean_file(item: tuple[str, bool, str | None], job: Job) -> DocResult:
    """Clean the file ``item = (path, is_html, output)``; never raises.

    With an ``output`` path the cleaned text is written there atomically, here in the worker
    (so writing is spread over the workers too) and ``DocResult.output`` stays empty; with
    ``None`` it is returned as ``DocResult.output``.
    """
    path, is_html, output = item
    try:
        text = read_document(path, max_bytes=job.max_bytes)
        if is_html:
            from boilerstrip.html import html_to_text  # lxml is imported only when needed

            text = html_to_text(text)
        cleaned, report = clean_document(text, job)
        data = cleaned.encode("utf-8")
        if output is not None:
            try:
                write_atomic(output, data)
            except OSError as err:
                raise DocumentError(f"cannot write {output}: {err.strerror or err}") from None
    except DocumentError as err:
        return DocResult(ok=False, error=str(err))
    except Exception as err:  # a bug must cost one document, not the batch
        return DocResult(ok=False, error=f"internal error: {type(err).__name__}: {err}")
    return _success(text, report, job, b"" if output is not None else data)


def clean_bytes(data: bytes, job: Job) -> DocResult:
    """Decode and clean one document given as bytes (standard input); never raises."""
    try:
        if job.max_bytes is not None and len(data) > job.max_bytes:
            raise DocumentError(f"too large (more than {job.max_bytes:,} bytes; see --max-bytes)")
        text = decode_document(data)
        cleaned, report = clean_document(text, job)
    except DocumentError as err:
        return DocResult(ok=False, error=str(err))
    except Exception as err:
        return DocResult(ok=False, error=f"internal error: {type(err).__name__}: {err}")
    return _success(text, report, job, cleaned.encode("utf-8"))


def clean_record(line: bytes, job: Job) -> DocResult:
    """Clean field ``job.field`` of one JSONL record; never raises.

    A record that fails (not JSON, not an object, no such field, not a string, too large)
    comes back with its input line unchanged as ``output`` and the reason as ``error``.

    >>> r = clean_record(b'{"id": 7, "text": "Share news\\\\nTalks resumed in Geneva on Tuesday after a delay.\\\\n"}\\n', Job())
    >>> r.ok, json.loads(r.output)
    (True, {'id': 7, 'text': 'Talks resumed in Geneva on Tuesday after a delay.\\n'})
    >>> clean_record(b'{"id": 8}\\n', Job()).error
    "no field 'text'"
    """
    if not line.strip():
        return DocResult(ok=True, output=line, blank=True)
    try:
        try:
            record = json.loads(line)
        except UnicodeDecodeError:
            raise DocumentError("not UTF-8") from None
        except ValueError as err:
            raise DocumentError(f"not JSON: {err}") from None
        if not isinstance(record, dict):
            raise DocumentError(f"not a JSON object but {type(record).__name__}")
        if job.field not in record:
            raise DocumentError(f"no field {job.field!r}")
        text = record[job.field]
        if not isinstance(text, str):
            raise DocumentError(f"field {job.field!r} is {type(text).__name__}, not a string")
        if job.max_bytes is not None and len(text.encode("utf-8", "surrogatepass")) > job.max_bytes:
            raise DocumentError(f"too large (more than {job.max_bytes:,} bytes; see --max-bytes)")
        if job.keep_original is not None:
            if job.keep_original in record:
                raise DocumentError(f"field {job.keep_original!r} (for --keep-original) already exists")
        cleaned, report = clean_document(text, job)
        if job.keep_original is not None:
            record[job.keep_original] = text
        record[job.field] = cleaned
        ending = b"\r\n" if line.endswith(b"\r\n") else b"\n"
        try:
            output = json.dumps(record, ensure_ascii=False).encode("utf-8") + ending
        except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape: keep it escaped
            output = json.dumps(record).encode("ascii") + ending
    except DocumentError as err:
        return DocResult(ok=False, output=_terminated(line), error=str(err))
    except Exception as err:
        return DocResult(ok=False, output=_terminated(line), error=f"internal error: {type(err).__name__}: {err}")
    return _success(text, report, job, output)


def _terminated(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n"


# --------------------------------------------------------------------------- totals


@dataclass
class Totals:
    """Running counts over a batch, for the summary."""

    documents: int = 0
    cleaned: int = 0
    failed: int = 0
    skipped: int = 0
    chars_in: int = 0
    chars_out: int = 0
    lines_in: int = 0
    lines_out: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def add(self, result: DocResult) -> None:
        """Count one document's result."""
        self.documents += 1
        if not result.ok:
            self.failed += 1
            return
        self.cleaned += 1
        self.chars_in += result.chars_in
        self.chars_out += result.chars_out
        self.lines_in += result.lines_in
        self.lines_out += result.lines_out
        self.dropped.update(result.dropped)
        self.flags.update(result.flags)

    def skip(self) -> None:
        """Count a document left alone because its output was up to date."""
        self.documents += 1
        self.skipped += 1

    @property
    def elapsed(self) -> float:
        """Seconds since the batch started."""
        return time.monotonic() - self.started
