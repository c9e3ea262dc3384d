"""Running ``boilerstrip clean`` over its inputs: files, JSONL files, or standard input.

A :class:`Run` hands documents to the workers, writes what the workers return (standard
output, JSONL records), and accounts for every document once: in the totals, in the
``--report`` file and, when it failed, on stderr.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

from boilerstrip.batch import DocResult, Job, Totals, Workers, clean_bytes, clean_file, clean_record
from boilerstrip.files import atomic_writer, is_up_to_date
from boilerstrip.plan import Task
from boilerstrip.progress import Progress

__all__ = ["STDOUT", "Run"]

STDOUT = Path("-")
"""The output path of a task written to standard output."""


@dataclass
class Run:
    """One ``clean`` command's state: settings, the worker pool, counts, progress and report."""

    job: Job
    workers: Workers
    totals: Totals
    progress: Progress
    report: IO[bytes] | None = None
    resume: bool = False

    def account(self, document: str, result: DocResult | None, *, output: str | None = None) -> None:
        """Count one document (``None``: skipped as up to date), report it, say why it failed."""
        if result is None:
            self.totals.skip()
            status = "skipped"
        else:
            self.totals.add(result)
            status = "cleaned" if result.ok else "failed"
            if not result.ok:
                self.progress.message(f"boilerstrip: {document}: {result.error}")
        if self.report is not None:
            entry: dict[str, Any] = {"document": document, "status": status}
            if output is not None:
                entry["output"] = output
            if result is not None and result.error is not None:
                entry["error"] = result.error
            if result is not None and result.report is not None:
                entry.update(result.report)
            self.report.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")

    def _up_to_date(self, task: Task) -> bool:
        return self.resume and task.output != STDOUT and is_up_to_date(task.output, task.source)

    # ----------------------------------------------------------------------- plain text

    def stdin_text(self) -> None:
        """Clean standard input to standard output."""
        result = clean_bytes(sys.stdin.buffer.read(), self.job)
        if result.ok:
            _stdout_bytes(result.output)
        self.account("<stdin>", result)

    def files(self, tasks: list[Task]) -> None:
        """Clean files; the workers write the outputs, standard output is written here."""
        todo = []
        for task in tasks:
            if self._up_to_date(task):
                self.account(str(task.source), None, output=str(task.output))
            else:
                todo.append(task)
        self.progress.total, self.progress.unit = len(todo), "files"
        chunksize = max(1, min(16, len(todo) // (4 * self.workers.jobs)))
        items = [(str(t.source), t.html, None if t.output == STDOUT else str(t.output)) for t in todo]
        results = self.workers.map(partial(clean_file, job=self.job), items, chunksize=chunksize)
        for done, (task, result) in enumerate(zip(todo, results), 1):
            if result.ok and task.output == STDOUT:
                _stdout_bytes(result.output)
            self.account(str(task.source), result, output=None if task.output == STDOUT else str(task.output))
            self.progress.update(done)

    # ----------------------------------------------------------------------- JSONL

    def jsonl(self, tasks: list[Task]) -> None:
        """Clean JSONL files (or standard input when there are none), record by record, in order."""
        self.progress.unit = "records"
        if not tasks:
            self._records("<stdin>", sys.stdin.buffer, sys.stdout.buffer, None)
            return
        sizes = {t.source: _size_of(t.source) for t in tasks}
        todo_bytes = sum(sizes.values())
        done_bytes = 0
        for task in tasks:
            if self._up_to_date(task):
                self.account(str(task.source), None, output=str(task.output))
                todo_bytes -= sizes[task.source]
                continue
            try:
                with ExitStack() as stack:
                    raw = stack.enter_context(open(task.source, "rb"))
                    source: IO[bytes] = raw
                    if task.source.name.endswith(".gz"):
                        source = stack.enter_context(cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")))
                    sink: IO[bytes] = sys.stdout.buffer
                    if task.output != STDOUT:
                        sink = stack.enter_context(atomic_writer(task.output))
                        if task.output.name.endswith(".gz"):
                            packed = gzip.GzipFile(filename="", fileobj=sink, mode="wb", mtime=0)
                            sink = stack.enter_context(cast(IO[bytes], packed))

                    def position(raw: IO[bytes] = raw, base: int = done_bytes) -> float | None:
                        return (base + raw.tell()) / todo_bytes if todo_bytes else None

                    self._records(str(task.source), source, sink, position)
            except (OSError, EOFError, zlib.error) as err:
                # The file as a whole failed (a corrupt .gz, a full disk): its partial output is discarded.
                reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
                self.account(str(task.source), DocResult(ok=False, error=f"{reason}; no output written for this file"))
            done_bytes += sizes[task.source]

    def _records(
        self, name: str, source: IO[bytes], sink: IO[bytes], position: Callable[[], float | None] | None
    ) -> None:
        results = self.workers.map(partial(clean_record, job=self.job), source, chunksize=64)
        for number, result in enumerate(results, 1):
            sink.write(result.output)
            if result.blank:
                continue  # a blank line between records: passed through, not a document
            self.account(f"{name}:{number}", result)
            self.progress.update(self.totals.documents - self.totals.skipped, fraction=position() if position else None)


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _stdout_bytes(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
