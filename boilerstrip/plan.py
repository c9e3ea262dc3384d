"""Which files a batch reads and where each output goes, checked before anything is written.

A folder's files (recursively, those matching the globs) land under the output folder at the
same relative path: the output tree mirrors the input tree from the deepest folder that holds
every input. HTML files (``.html``, ``.htm``) become ``.txt`` outputs. No output may be an
input, sit inside an input folder, or be claimed by two inputs: a :class:`PlanError` says
which, and nothing is written.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp()).resolve()
>>> (root / "in" / "a").mkdir(parents=True)
>>> for name in ("a/one.txt", "two.html", "skip.md"):
...     _ = (root / "in" / name).write_text("x")
>>> tasks = plan([root / "in"], root / "out", globs=["*.txt", "*.html"])
>>> [(t.source.name, t.output.relative_to(root).as_posix(), t.html) for t in tasks]
[('two.html', 'out/two.txt', True), ('one.txt', 'out/a/one.txt', False)]
>>> (root / "more").mkdir()
>>> _ = (root / "more" / "one.txt").write_text("x")
>>> [t.output.relative_to(root).as_posix() for t in plan([root / "in", root / "more"], root / "out")]
['out/in/a/one.txt', 'out/more/one.txt']
>>> plan([root / "in"], root / "in" / "out")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
boilerstrip.plan.PlanError: the output folder ... is inside the input folder ...; choose one outside it
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from boilerstrip.files import TMP_SUFFIX

__all__ = ["HTML_SUFFIXES", "JSONL_GLOBS", "TEXT_GLOBS", "PlanError", "Task", "check_extra_output", "plan"]

TEXT_GLOBS: tuple[str, ...] = ("*.txt",)
"""Files taken from a folder by default."""

JSONL_GLOBS: tuple[str, ...] = ("*.jsonl", "*.jsonl.gz")
"""Files taken from a folder by default with ``--jsonl``."""

HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
"""Files converted from HTML to text before cleaning (outside ``--jsonl``)."""


class PlanError(ValueError):
    """Inputs and outputs that must not be run; a usage error."""


@dataclass(frozen=True)
class Task:
    """One input file, its output path and whether it is HTML."""

    source: Path
    output: Path
    html: bool = False


def _is_html(path: Path, jsonl: bool) -> bool:
    return not jsonl and path.suffix.lower() in HTML_SUFFIXES


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _walk(folder: Path, globs: Sequence[str]) -> list[Path]:
    """Regular files under ``folder`` matching any of ``globs``, sorted; symlinked folders are not followed."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if name.endswith(TMP_SUFFIX) or not any(fnmatch(name, g) for g in globs):
                continue
            if path.is_file():
                found.append(path)
    return found


def plan(
    inputs: Sequence[str | os.PathLike[str]],
    outdir: str | os.PathLike[str] | None,
    *,
    globs: Sequence[str] | None = None,
    jsonl: bool = False,
) -> list[Task]:
    """The tasks for ``inputs`` writing under ``outdir``; :class:`PlanError` if unsafe.

    Outputs keep their path relative to the deepest folder holding every input: one folder's
    files land directly in ``outdir``, two folders ``a/`` and ``b/`` become ``outdir/a/`` and
    ``outdir/b/``. ``globs`` (default :data:`TEXT_GLOBS`, or :data:`JSONL_GLOBS` with
    ``jsonl``) selects files in folders; a file named in ``inputs`` is always taken.
    """
    globs = tuple(globs or (JSONL_GLOBS if jsonl else TEXT_GLOBS))
    out = Path(outdir) if outdir is not None else None
    if out is not None and out.exists() and not out.is_dir():
        raise PlanError(f"the output folder {outdir} is a file")
    folders: list[Path] = []
    sources: list[Path] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            if out is None:
                raise PlanError(f"{given} is a folder: give an output folder with -o OUTDIR")
            if _inside(out.resolve(), path.resolve()):
                raise PlanError(
                    f"the output folder {outdir} is inside the input folder {given}; choose one outside it"
                )
            folders.append(path)
            sources.extend(_walk(path, globs))
        elif path.exists():
            sources.append(path)
        else:
            raise PlanError(f"{given}: no such file or folder")
    if out is None:
        if len(sources) > 1:
            raise PlanError("several input files: give an output folder with -o OUTDIR")
        return [Task(p, Path("-"), _is_html(p, jsonl)) for p in sources]
    roots = [os.path.abspath(f) for f in folders]
    roots += [os.path.dirname(os.path.abspath(g)) for g in inputs if not Path(g).is_dir()]
    try:
        base = os.path.commonpath(roots) if roots else "."
    except ValueError:  # pragma: no cover - inputs on different Windows drives
        raise PlanError("the inputs have no folder in common; clean them in separate runs") from None
    tasks = []
    for source in sources:
        target = out / os.path.relpath(os.path.abspath(source), base)
        if _is_html(source, jsonl):
            target = target.with_suffix(".txt")
        tasks.append(Task(source, target, _is_html(source, jsonl)))
    _check_outputs(tasks, [f.resolve() for f in folders])
    return tasks


def _check_outputs(tasks: Sequence[Task], folders: Sequence[Path]) -> None:
    sources = {t.source.resolve(): t.source for t in tasks}
    claimed: dict[Path, Path] = {}
    for task in tasks:
        if task.output == Path("-"):
            continue
        target = task.output.resolve()
        if target in sources:
            raise PlanError(f"the output for {task.source} would overwrite the input {sources[target]}")
        for folder in folders:
            if _inside(target, folder):
                raise PlanError(f"the output {task.output} would be written inside the input folder {folder}")
        if target in claimed:
            raise PlanError(f"{claimed[target]} and {task.source} would both be written to {task.output}")
        claimed[target] = task.source


def check_extra_output(path: str | os.PathLike[str], tasks: Sequence[Task], inputs: Sequence[str | os.PathLike[str]]) -> None:
    """Refuse a side output (the ``--report`` file) that is an input, inside an input folder or an output."""
    target = Path(path).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if _inside(target, source):
            raise PlanError(f"{path} would be written over or inside the input {given}")
    for task in tasks:
        if task.output != Path("-") and task.output.resolve() == target:
            raise PlanError(f"{path} is also the output for {task.source}")
