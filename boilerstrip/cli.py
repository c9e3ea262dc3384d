"""Strip web-scrape boilerplate: clean files, folders, JSONL corpora or stdin; explain a document.

Each command's help is its function's docstring. Exit codes: 0 when every document was
cleaned, 1 when any failed, 2 on a usage error (nothing is written then).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

from boilerstrip import __version__
from boilerstrip.api import explain
from boilerstrip.batch import Job, Totals, Workers, default_jobs
from boilerstrip.compiled import compiled_parts
from boilerstrip.config import HTML_MODES, NOISE_KINDS, PROFILES, Config
from boilerstrip.files import DocumentError, atomic_writer, decode_document, read_document
from boilerstrip.html import html_to_text
from boilerstrip.plan import HTML_SUFFIXES, PlanError, check_extra_output, plan
from boilerstrip.progress import Progress, format_duration
from boilerstrip.report import Report
from boilerstrip.runner import Run
from boilerstrip.tomlconfig import ConfigError, load_toml, make_config, read_allow, read_phrases

__all__ = ["build_parser", "main"]

DEFAULT_MAX_BYTES = 32_000_000


class UsageError(Exception):
    """A command line that cannot be run as given (exit code 2)."""


# --------------------------------------------------------------------------- option types


def _size(value: str) -> int | None:
    """``"32M"``, ``"500k"``, ``"1G"`` or a plain byte count; ``0`` means no limit."""
    units = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}
    text = value.strip().lower().removesuffix("b")
    factor = units.get(text[-1:], 1)
    try:
        number = int(text[:-1] if factor > 1 else text) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (try 20M)") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number or None


def _kinds(value: str) -> list[str]:
    kinds = [k.strip() for k in value.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in NOISE_KINDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown kind {unknown[0]!r} (kinds: {', '.join(NOISE_KINDS)})")
    return kinds


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


# --------------------------------------------------------------------------- commands


def cmd_clean(args: argparse.Namespace) -> int:
    """Clean files, folders, JSONL corpora or standard input.

    Folders are read recursively (files matching --glob, default *.txt). The output tree
    mirrors the input tree from the deepest folder holding every input: one folder's files
    land directly in OUTDIR, folders a/ and b/ become OUTDIR/a/ and OUTDIR/b/. .html and .htm
    files are converted to text first and written as .txt. With no INPUT, or -, standard
    input is cleaned to standard output; so is a single file given without -o.

    With --jsonl, each input (.jsonl or .jsonl.gz, or standard input) holds one JSON object a
    line; --field is cleaned and every other field kept. A record that cannot be cleaned is
    written unchanged, reported with its line number and counted as failed.

    Nothing is written inside an input folder or over an input. Each output is written to a
    temporary file and renamed, so a killed run leaves only whole files; --resume then skips
    outputs newer than their input. A document that cannot be read (binary, not UTF-8, larger
    than --max-bytes) is reported on stderr and the batch goes on.

    Exit status: 0 when every document was cleaned, 1 when any failed, 2 on a usage error.

    examples:
      boilerstrip clean scraped/ -o cleaned/ --jobs 4 --report decisions.jsonl
      boilerstrip clean --jsonl crawl.jsonl.gz -o cleaned/ --keep-original raw_text
      curl -s https://example.org/page.txt | boilerstrip clean > page.txt
    """
    config = _config(args)
    job = Job(
        config=config,
        max_bytes=args.max_bytes,
        want_report=args.report is not None,
        field=args.field,
        keep_original=args.keep_original,
    )
    if not args.jsonl and (args.field != "text" or args.keep_original is not None):
        raise UsageError("--field and --keep-original apply to --jsonl only")
    if args.keep_original is not None and args.keep_original == args.field:
        raise UsageError("--keep-original must name a field other than --field")
    inputs = list(args.inputs)
    if "-" in inputs and len(inputs) > 1:
        raise UsageError("- (standard input) cannot be mixed with other inputs")
    stdin = not inputs or inputs == ["-"]
    if not inputs:
        _refuse_terminal_stdin()
    if stdin and args.outdir is not None:
        raise UsageError("-o OUTDIR needs INPUT files or folders; standard input goes to standard output")
    tasks = [] if stdin else plan(inputs, args.outdir, globs=args.glob, jsonl=args.jsonl)
    if args.report is not None:
        check_extra_output(args.report, tasks, inputs)

    stderr = sys.stderr
    show_bar = not args.quiet and stderr.isatty()
    totals = Totals()
    jobs = args.jobs or default_jobs()
    if not args.jsonl:
        jobs = max(1, min(jobs, len(tasks)))  # no pool for a single file or standard input
    with ExitStack() as stack:
        report = stack.enter_context(atomic_writer(args.report)) if args.report is not None else None
        workers = stack.enter_context(Workers(jobs))
        progress = Progress(stderr, total=None, unit="documents", enabled=show_bar)
        run = Run(job, workers, totals, progress, report, resume=args.resume)
        try:
            if args.jsonl:
                run.jsonl(tasks)
            elif stdin:
                run.stdin_text()
            else:
                run.files(tasks)
        finally:
            progress.close()
    if not args.quiet:
        stderr.write(summary(totals, jobs=workers.jobs) + "\n")
    return 1 if totals.failed else 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Show every line of a document with its fate: kept or dropped, its kind, score and reasons.

    FILE is a text file (.html and .htm are converted to text first); - or none reads standard
    input. Dropped lines are red and kept lines green on a terminal; set NO_COLOR or use
    --color never for plain text. --json prints the whole report as one JSON object instead.

    examples:
      boilerstrip explain article.txt
      boilerstrip explain --json page.html | jq '.lines[] | select(.kept | not) | .reasons'
    """
    config = _config(args)
    if args.file is None:
        _refuse_terminal_stdin()
    name = args.file or "-"
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
            if args.max_bytes is not None and len(data) > args.max_bytes:
                raise DocumentError(f"too large (more than {args.max_bytes:,} bytes; see --max-bytes)")
            text = decode_document(data)
        else:
            if Path(name).is_dir():
                raise UsageError(f"{name} is a folder; explain takes one file")
            if not Path(name).exists():
                raise UsageError(f"{name}: no such file")
            text = read_document(name, max_bytes=args.max_bytes)
            if Path(name).suffix.lower() in HTML_SUFFIXES:
                text = html_to_text(text)
    except DocumentError as err:
        sys.stderr.write(f"boilerstrip: {'<stdin>' if name == '-' else name}: {err}\n")
        return 1
    report = explain(text, config=config)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        return 0
    colour = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    sys.stdout.write(render_explanation(report, colour=colour))
    return 0


def _refuse_terminal_stdin() -> None:
    """No INPUT and nothing piped in: say so instead of waiting for typed text."""
    try:
        interactive = sys.stdin.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if interactive:
        raise UsageError("no input: give files or folders, pipe text in, or use - to type it")


# --------------------------------------------------------------------------- output


def summary(totals: Totals, *, jobs: int = 1) -> str:
    """The end-of-run summary: documents, lines, characters, drops per kind, failures, speed.

    >>> from boilerstrip.batch import DocResult, Totals
    >>> t = Totals()
    >>> t.add(DocResult(ok=True, chars_in=100, chars_out=60, lines_in=5, lines_out=3, dropped={"nav": 2}))
    >>> t.add(DocResult(ok=False, error="binary"))
    >>> print("\\n".join(summary(t).splitlines()[:3]))
    2 documents: 1 cleaned, 1 failed (reported above), 0 skipped
      lines:      5 in, 3 out (60.0% kept)
      characters: 100 in, 60 out (60.0% kept)
    """
    elapsed = totals.elapsed
    processed = totals.cleaned + totals.failed
    rate = processed / elapsed if elapsed > 0 else 0.0
    chars = totals.chars_in / elapsed if elapsed > 0 else 0.0
    took = f"{elapsed:.1f} s" if elapsed < 60 else format_duration(elapsed)
    failed = f"{totals.failed:,} failed" + (" (reported above)" if totals.failed else "")
    lines = [
        f"{_count(totals.documents, 'document')}: {totals.cleaned:,} cleaned, {failed}, {totals.skipped:,} skipped",
        f"  lines:      {totals.lines_in:,} in, {totals.lines_out:,} out ({_share(totals.lines_out, totals.lines_in)} kept)",
        f"  characters: {totals.chars_in:,} in, {totals.chars_out:,} out"
        f" ({_share(totals.chars_out, totals.chars_in)} kept)",
    ]
    if totals.dropped:
        by_kind = ", ".join(f"{kind} {n:,}" for kind, n in totals.dropped.most_common())
        lines.append(f"  dropped:    {by_kind}")
    if totals.flags:
        flagged = ", ".join(f"{flag} {n:,}" for flag, n in sorted(totals.flags.items()))
        lines.append(f"  flagged:    {flagged} (documents; see --report)")
    lines.append(f"  time:       {took} with {_count(jobs, 'job')}: {rate:,.1f} documents/s, {chars / 1e6:,.2f} M characters/s")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


_RED, _GREEN, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[0m"


def render_explanation(report: Report, *, colour: bool = False) -> str:
    """The document, one line per input line: number, keep/DROP, kind, score, text, reasons.

    >>> from boilerstrip.report import LineDecision, Report
    >>> r = Report(text="Body.\\n", language="en", lines=(
    ...     LineDecision(0, "Share news", False, "social", 0.9, reasons=("share button",)),
    ...     LineDecision(1, "Body.", True, "body", 0.1)))
    >>> print(render_explanation(r), end="")
        0 DROP social     0.90  Share news  ← share button
        1 keep body       0.10  Body.
    language en; 2 lines, 1 kept; dropped: social 1
    """
    out = []
    for d in report.lines:
        if d.kind == "blank":
            row = f"{d.index:>5}      blank"
            out.append(f"{_DIM}{row}{_RESET}" if colour else row)
            continue
        mark = "keep" if d.kept else "DROP"
        reasons = f"  ← {'; '.join(d.reasons)}" if d.reasons else ""
        head = f"{d.index:>5} {mark} {d.kind:<9} {d.score:5.2f}  "
        if colour:
            tint = _GREEN if d.kept else _RED
            out.append(f"{tint}{head}{_RESET}{d.text}{_DIM}{reasons}{_RESET}")
        else:
            out.append(f"{head}{d.text}{reasons}")
    content = [d for d in report.lines if d.kind != "blank"]
    kept = sum(1 for d in content if d.kept)
    dropped = ", ".join(f"{k} {n}" for k, n in report.dropped_by_kind().most_common()) or "nothing"
    footer = f"language {report.language}; {len(content)} lines, {kept} kept; dropped: {dropped}"
    if report.flags:
        footer += f"; flags: {', '.join(report.flags)}"
    out.append(footer)
    return "".join(line + "\n" for line in out)


# --------------------------------------------------------------------------- parser


def _config(args: argparse.Namespace) -> Config:
    """The Config from --config FILE.toml, overridden by the flags that were given."""
    try:
        from_file = load_toml(args.config) if args.config is not None else {}
        overrides: dict[str, Any] = {}
        if args.profile is not None:
            overrides["profile"] = args.profile
        if args.keep_title is not None:
            overrides["keep_title"] = args.keep_title
        if args.drop is not None:
            overrides["drop"] = [kind for group in args.drop for kind in group]
        if args.lang is not None:
            overrides["language"] = args.lang
        if args.phrases is not None:
            overrides["extra_phrases"] = read_phrases(args.phrases)
        if args.allow is not None:
            overrides["allow"] = read_allow(args.allow)
        if args.model is not None:
            overrides["use_model"] = args.model
        if args.html is not None:
            overrides["html"] = args.html
        config = make_config(from_file, overrides, source=str(args.config or ""))
    except ConfigError as err:
        raise UsageError(str(err)) from None
    return config


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("cleaning options (also settable in --config FILE.toml)")
    group.add_argument("--config", metavar="FILE.toml", help="read options from a TOML file; flags given override it")
    group.add_argument("--profile", choices=PROFILES, help="precision drops more, recall keeps more (default: balanced)")
    group.add_argument(
        "--keep-title", action=argparse.BooleanOptionalAction, default=None,
        help="keep the line recognised as the page title (default: keep)",
    )
    group.add_argument(
        "--drop", metavar="KIND[,KIND...]", type=_kinds, action="append",
        help="remove only these noise kinds (repeatable); other noise is labelled but kept. "
        f"Kinds: {', '.join(NOISE_KINDS)}",
    )
    group.add_argument("--lang", metavar="CODE", help="language of the documents, e.g. en, de (default: detect)")
    group.add_argument(
        "--phrases", metavar="FILE", help="extra noise phrases, one a line as KIND<TAB>PHRASE (# comments)"
    )
    group.add_argument("--allow", metavar="FILE", help="phrases, one a line, whose lines are never dropped")
    group.add_argument(
        "--model", action=argparse.BooleanOptionalAction, default=None,
        help="refine decisions with the shipped learned model when present (default: use it)",
    )
    group.add_argument(
        "--html", choices=HTML_MODES, default=None,
        help="input that looks like HTML: convert it to text lines first (default), treat it as text, or refuse it",
    )
    group.add_argument(
        "--max-bytes", metavar="SIZE", type=_size, default=DEFAULT_MAX_BYTES,
        help="refuse documents larger than this (e.g. 500k, 20M; 0: no limit; default: 32M)",
    )


def _doc(fn: Callable[..., Any]) -> tuple[str, str]:
    """(one-line help, full description) from a command's docstring."""
    text = inspect.cleandoc(fn.__doc__ or "")
    return text.split("\n", 1)[0], text


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"clean": cmd_clean, "explain": cmd_explain}
"""Every subcommand and the function that runs it (its docstring is its help)."""


def _build() -> str:
    """Which optional compiled parts run (docs/speed.md): "compiled: features, trees, lines, language,
    matrix, lexicon, repeats, verdicts, templates, context, refine, footer, blanks, kept" (those that
    run), or "pure Python"."""
    parts = [name for name, (_, on) in compiled_parts().items() if on]
    return f"compiled: {', '.join(parts)}" if parts else "pure Python"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``boilerstrip`` command."""
    formatter = partial(argparse.RawDescriptionHelpFormatter, width=min(100, _columns()))
    parser = argparse.ArgumentParser(
        prog="boilerstrip",
        description=inspect.cleandoc(__doc__ or "").split("\n", 1)[0],
        epilog="Run boilerstrip COMMAND --help for a command's options. Documentation: docs/cli.md.",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__} ({_build()})")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, fn in COMMANDS.items():
        short, description = _doc(fn)
        sub = commands.add_parser(name, help=short, description=description, formatter_class=formatter)
        sub.set_defaults(run=fn, command_parser=sub)
        if name == "clean":
            _add_clean_arguments(sub)
        else:
            sub.add_argument("file", nargs="?", metavar="FILE", help="the document (default: standard input)")
            sub.add_argument("--json", action="store_true", help="print the report as one JSON object")
            sub.add_argument(
                "--color", choices=("auto", "always", "never"), default="auto",
                help="colour the output: auto means on a terminal unless NO_COLOR is set (default: auto)",
            )
        _add_config_options(sub)
    return parser


def _add_clean_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("inputs", nargs="*", metavar="INPUT", help="files and folders; - or none: standard input")
    sub.add_argument("-o", "--outdir", metavar="OUTDIR", help="folder for the outputs (needed for folders and several files)")
    sub.add_argument(
        "--glob", metavar="PATTERN", action="append",
        help="files to take from folders (repeatable; default: *.txt, or *.jsonl and *.jsonl.gz with --jsonl)",
    )
    sub.add_argument(
        "-j", "--jobs", metavar="N", type=_jobs, default=None,
        help="worker processes (default: one per CPU); the order of outputs never changes",
    )
    sub.add_argument("--resume", action="store_true", help="skip outputs that exist and are newer than their input")
    sub.add_argument("--report", metavar="FILE.jsonl", help="write each document's per-line decisions, one JSON line a document")
    sub.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary; failures are still reported")
    jsonl = sub.add_argument_group("JSONL corpora")
    jsonl.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines (.jsonl or .jsonl.gz): clean one field of each record")
    jsonl.add_argument("--field", metavar="NAME", default="text", help="the field to clean (default: text)")
    jsonl.add_argument("--keep-original", metavar="FIELD", help="also keep the uncleaned text, in this new field")


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 100


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except (UsageError, PlanError) as err:
        prog = args.command_parser.prog
        sys.stderr.write(f"{prog}: error: {err}\n(see {prog} --help)\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("boilerstrip: interrupted; outputs written so far are whole (use --resume)\n")
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
