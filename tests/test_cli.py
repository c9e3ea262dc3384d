"""The ``boilerstrip`` command, run in-process: files, folders, JSONL, stdin, failures, safety."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from boilerstrip import Config, clean, explain
from boilerstrip.cli import _config, build_parser, main

BODY = (
    "The council approved the new budget on Monday after a long debate that lasted well into the evening.\n"
    "Spending on schools rises by four percent, while road repairs will receive an extra two million euros.\n"
    "Opposition members said the plan relied on optimistic forecasts and warned that taxes could rise.\n"
)
NOISY = "Home > News\nShare news\n" + BODY + "0 comments\n"


@dataclass
class Run:
    code: int
    out: bytes
    err: str


CLI = Callable[..., Run]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> CLI:
    def run(*argv: object, stdin: bytes = b"") -> Run:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main([str(a) for a in argv])
        out, err = capsysbinary.readouterr()
        return Run(code, out, err.decode())

    return run


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its hash: to prove inputs are left byte-identical."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An input folder with nested files and every awkward case."""
    root = tmp_path / "in"
    (root / "2024" / "05").mkdir(parents=True)
    (root / "notes").mkdir()
    (root / "noisy.txt").write_text(NOISY)
    (root / "2024" / "body.txt").write_text(BODY)
    (root / "2024" / "05" / "crlf.txt").write_bytes(NOISY.replace("\n", "\r\n").encode())
    (root / "2024" / "05" / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BODY.encode())
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "latin1.txt").write_bytes("Café au lait, très bien.\n".encode("latin-1"))
    (root / "notes" / "readme.md").write_text("not selected by the default glob\n")
    paragraphs = "".join(f"<p>{line}</p>" for line in BODY.splitlines())
    (root / "page.html").write_text(f"<title>Budget</title><p>Share news</p>{paragraphs}")
    return root


# --------------------------------------------------------------------------- folders


def test_folder_is_mirrored_and_inputs_untouched(cli: CLI, tree: Path, tmp_path: Path) -> None:
    before = snapshot(tree)
    out = tmp_path / "out"
    run = cli("clean", tree, "-o", out, "-j", "1")
    assert snapshot(tree) == before
    assert run.code == 1  # binary.txt and latin1.txt fail
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "2024/05/bom.txt",
        "2024/05/crlf.txt",
        "2024/body.txt",
        "empty.txt",
        "noisy.txt",
    ]
    assert (out / "empty.txt").read_bytes() == b""
    assert (out / "2024" / "body.txt").read_text() == clean(BODY) != ""  # all body
    assert (out / "2024" / "05" / "bom.txt").read_text() == clean(BODY)  # the BOM is not text
    assert "Share news" not in (out / "noisy.txt").read_text()
    assert (out / "noisy.txt").read_text() == clean(NOISY)
    crlf = (out / "2024" / "05" / "crlf.txt").read_bytes()
    assert b"\r\n" in crlf and b"Share news" not in crlf


def test_failures_are_reported_with_reasons_and_batch_goes_on(cli: CLI, tree: Path, tmp_path: Path) -> None:
    run = cli("clean", tree, "-o", tmp_path / "out", "-j", "1")
    assert f"{tree / 'binary.txt'}: binary" in run.err
    assert f"{tree / 'latin1.txt'}: not UTF-8: invalid byte 0xe9" in run.err
    assert "7 documents: 5 cleaned, 2 failed" in run.err
    assert not (tmp_path / "out" / "binary.txt").exists()


def test_exit_zero_when_every_document_is_cleaned(cli: CLI, tree: Path, tmp_path: Path) -> None:
    (tree / "binary.txt").unlink()
    (tree / "latin1.txt").unlink()
    assert cli("clean", tree, "-o", tmp_path / "out", "-j", "1").code == 0


def test_glob_selects_files_and_html_becomes_text(cli: CLI, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli("clean", tree, "-o", out, "--glob", "*.html", "--glob", "*.md", "-j", "1", "-q")
    assert run.code == 0 and run.err == ""
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "notes/readme.md",
        "page.txt",
    ]
    page = (out / "page.txt").read_text()
    assert "<p>" not in page and "Share news" not in page
    assert BODY.splitlines()[0] in page


def test_single_file_without_outdir_goes_to_stdout(cli: CLI, tree: Path) -> None:
    run = cli("clean", tree / "noisy.txt", "-q")
    assert run.code == 0 and run.out.decode() == clean(NOISY)


def test_outputs_mirror_paths_from_the_common_folder(cli: CLI, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli("clean", tree / "noisy.txt", tree / "2024" / "body.txt", "-o", out, "-q")
    assert run.code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == ["2024/body.txt", "noisy.txt"]
    (tree.parent / "more").mkdir()
    (tree.parent / "more" / "noisy.txt").write_text(NOISY)
    run = cli("clean", tree / "2024", tree.parent / "more", "-o", tmp_path / "out2", "-q")
    assert run.code == 0
    assert sorted(p.relative_to(tmp_path / "out2").as_posix() for p in (tmp_path / "out2").rglob("*.txt")) == [
        "in/2024/05/bom.txt", "in/2024/05/crlf.txt", "in/2024/body.txt", "more/noisy.txt",
    ]


def test_max_bytes(cli: CLI, tree: Path, tmp_path: Path) -> None:
    run = cli("clean", tree / "noisy.txt", "-o", tmp_path / "out", "--max-bytes", "100")
    assert run.code == 1 and "too large (more than 100 bytes" in run.err
    assert cli("clean", tree / "noisy.txt", "-o", tmp_path / "out", "--max-bytes", "0", "-q").code == 0


# --------------------------------------------------------------------------- stdin


def test_stdin_to_stdout(cli: CLI) -> None:
    for argv in (("clean",), ("clean", "-")):
        run = cli(*argv, "-q", stdin=NOISY.encode())
        assert run.code == 0 and run.out.decode() == clean(NOISY) and "Share news" not in run.out.decode()


@pytest.mark.parametrize(
    ("data", "reason"), [(b"\x00\x01\x02", "binary"), (b"caf\xe9\n", "not UTF-8"), (b"\xff\xfex\x00", "UTF-16")]
)
def test_stdin_failure(cli: CLI, data: bytes, reason: str) -> None:
    run = cli("clean", stdin=data)
    assert run.code == 1 and run.out == b"" and "<stdin>: " in run.err and reason in run.err


def test_empty_stdin(cli: CLI) -> None:
    run = cli("clean", "-q", stdin=b"")
    assert (run.code, run.out) == (0, b"")


def test_summary_counts(cli: CLI) -> None:
    run = cli("clean", stdin=NOISY.encode())
    assert "1 document: 1 cleaned, 0 failed, 0 skipped" in run.err
    report = explain(NOISY)
    assert f"lines:      6 in, {len([d for d in report.kept if d.kind != 'blank'])} out" in run.err
    assert "social 1" in run.err and "time:" in run.err


# --------------------------------------------------------------------------- safety: usage errors


@pytest.mark.parametrize(
    "argv",
    [
        ("{in}",),  # a folder needs -o
        ("{in}", "-o", "{in}"),
        ("{in}", "-o", "{in}/cleaned"),
        ("{in}/noisy.txt", "-o", "{in}"),  # the output would be the input itself
        ("{in}/noisy.txt", "{in}/2024/body.txt"),  # several files need -o
        ("{tmp}/missing.txt", "-o", "{tmp}/out"),
        ("{in}", "-o", "{tmp}/out", "--report", "{in}/report.jsonl"),
        ("{in}", "-", "-o", "{tmp}/out"),
        ("-", "-o", "{tmp}/out"),
        ("--field", "body", "{in}", "-o", "{tmp}/out"),
        ("--jsonl", "--keep-original", "text", "-", ),
        ("{in}", "-o", "{tmp}/out", "--drop", "nav,banner"),
        ("{in}", "-o", "{tmp}/out", "--profile", "loud"),
        ("{in}", "-o", "{tmp}/out", "--jobs", "0"),
        ("{in}", "-o", "{tmp}/out", "--max-bytes", "lots"),
        ("{in}", "-o", "{tmp}/out", "--config", "{tmp}/missing.toml"),
        ("--no-such-option",),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(cli: CLI, tree: Path, tmp_path: Path, argv: tuple[str, ...]) -> None:
    before = snapshot(tmp_path)
    run = cli("clean", *(a.format(**{"in": tree, "tmp": tmp_path}) for a in argv))
    assert run.code == 2, run.err
    assert "error" in run.err
    assert snapshot(tmp_path) == before


def test_two_inputs_claiming_one_output(cli: CLI, tree: Path, tmp_path: Path) -> None:
    (tree / "noisy.html").write_text("<p>x</p>")
    run = cli("clean", tree, "-o", tmp_path / "out", "--glob", "*.txt", "--glob", "*.html")
    assert run.code == 2 and "would both be written to" in run.err


def test_outdir_symlinked_into_input_is_refused(cli: CLI, tree: Path, tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(tree / "2024", target_is_directory=True)
    assert cli("clean", tree, "-o", link).code == 2


def test_no_command_and_help(cli: CLI) -> None:
    assert cli().code == 2
    for argv in (("--help",), ("clean", "--help"), ("explain", "--help")):
        run = cli(*argv)
        assert run.code == 0 and b"usage: boilerstrip" in run.out


# --------------------------------------------------------------------------- resume and report


def test_version_says_which_compiled_parts_run(monkeypatch, capsys) -> None:
    from boilerstrip import context, decide, duplicates, features, langdetect, lexicon, matrix, model, refine, render, segment

    flags = (
        *((m, "COMPILED") for m in (features, model, segment, langdetect, matrix, lexicon, duplicates, context, decide)),
        (context, "SPAN_COMPILED"), (refine, "COMPILED"), (context, "FOOTER_COMPILED"), (render, "COMPILED"),
        (decide, "KEPT_COMPILED"), (context, "HEAD_COMPILED"),
    )
    everything = (
        "features, trees, lines, language, matrix, lexicon, repeats, verdicts, templates, context, refine, footer, blanks, kept, "
        "context head"
    )
    off = (False,) * 5
    for on, want in (
        ((True,) * 15, f"(compiled: {everything})"),
        ((True, True, False, False, False, False, False, False, False, False, *off), "(compiled: features, trees)"),
        ((False, True, False, True, False, False, False, False, False, False, *off), "(compiled: trees, language)"),
        ((False, False, True, False, True, False, False, False, False, False, *off), "(compiled: lines, matrix)"),
        ((False, False, False, False, False, True, False, False, False, False, *off), "(compiled: lexicon)"),
        ((False, False, False, False, True, False, True, False, False, False, *off), "(compiled: matrix, repeats)"),
        ((False, False, False, False, False, False, False, True, False, False, *off), "(compiled: verdicts)"),
        ((False, False, False, False, False, False, False, True, True, False, *off), "(compiled: verdicts, templates)"),
        ((False, False, False, False, False, False, False, False, False, True, *off), "(compiled: context)"),
        ((False,) * 10 + (True, False, True, False, False), "(compiled: refine, blanks)"),
        ((False,) * 10 + (False, True, False, True, False), "(compiled: footer, kept)"),
        ((False,) * 14 + (True,), "(compiled: context head)"),
        ((False,) * 15, "(pure Python)"),
    ):
        for (module, name), flag in zip(flags, on):
            monkeypatch.setattr(module, name, flag)
        assert main(["--version"]) == 0
        assert capsys.readouterr().out.strip().endswith(want)


def test_resume_skips_up_to_date_outputs(cli: CLI, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli("clean", tree, "-o", out, "-j", "1")
    stats = {p: p.stat() for p in out.rglob("*.txt")}
    run = cli("clean", tree, "-o", out, "-j", "1", "--resume")
    assert "5 skipped" in run.err and "0 cleaned" in run.err
    assert {p: (s.st_ino, s.st_mtime_ns) for p, s in stats.items()} == {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in stats
    }
    source = tree / "noisy.txt"
    os.utime(source, ns=(source.stat().st_atime_ns, (out / "noisy.txt").stat().st_mtime_ns + 10**9))
    run = cli("clean", tree, "-o", out, "-j", "1", "--resume")
    assert "1 cleaned" in run.err and "4 skipped" in run.err


def test_report_has_one_line_per_document(cli: CLI, tree: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    cli("clean", tree, "-o", tmp_path / "out", "-j", "1", "--report", report)
    entries = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(entries) == 7
    by_doc = {Path(e["document"]).name: e for e in entries}
    assert by_doc["binary.txt"]["status"] == "failed" and by_doc["binary.txt"]["error"].startswith("binary")
    noisy = by_doc["noisy.txt"]
    assert noisy["status"] == "cleaned" and noisy["output"].endswith("noisy.txt")
    assert [line["text"] for line in noisy["lines"]] == NOISY.splitlines()
    assert {"index", "kept", "kind", "score", "scores", "reasons"} <= set(noisy["lines"][0])
    assert noisy["dropped_by_kind"]["social"] == 1
    cli("clean", tree, "-o", tmp_path / "out", "-j", "1", "--report", report, "--resume")
    statuses = [json.loads(line)["status"] for line in report.read_text().splitlines()]
    assert statuses.count("skipped") == 5 and statuses.count("failed") == 2


# --------------------------------------------------------------------------- JSONL


def records_file(path: Path, lines: list[str]) -> Path:
    data = "".join(line + "\n" for line in lines).encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


GOOD = [json.dumps({"id": i, "text": NOISY if i % 2 else BODY, "url": f"https://example.org/{i}", "n": 1.5}) for i in range(6)]
BAD = ["not json {", json.dumps({"id": 90}), json.dumps({"id": 91, "text": None}), json.dumps([1, 2])]


def read_records(path: Path) -> list[str]:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.name.endswith(".gz") else data).decode().splitlines()


@pytest.mark.parametrize("name", ["corpus.jsonl", "corpus.jsonl.gz"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_keeps_records_order_and_fields(cli: CLI, tmp_path: Path, name: str, jobs: str) -> None:
    (tmp_path / "in").mkdir()
    source = records_file(tmp_path / "in" / name, GOOD[:3] + BAD[:1] + GOOD[3:] + [""] + BAD[1:])
    before = source.read_bytes()
    run = cli("clean", "--jsonl", source.parent, "-o", tmp_path / "out", "-j", jobs, "--keep-original", "raw")
    assert source.read_bytes() == before
    assert run.code == 1
    lines = read_records(tmp_path / "out" / name)
    assert len(lines) == 11 and lines[7] == ""
    assert lines[3] == BAD[0] and lines[8:] == BAD[1:]  # bad records: unchanged, in place
    records = [json.loads(line) for line in lines[:3] + lines[4:7]]
    assert [r["id"] for r in records] == list(range(6))
    for r in records:
        assert r["url"] == f"https://example.org/{r['id']}" and r["n"] == 1.5
        assert r["raw"] == (NOISY if r["id"] % 2 else BODY)
        assert r["text"] == clean(r["raw"])
    assert f"{source}:4: not JSON" in run.err
    assert f"{source}:9: no field 'text'" in run.err
    assert f"{source}:10: field 'text' is NoneType, not a string" in run.err
    assert f"{source}:11: not a JSON object but list" in run.err
    assert "10 documents: 6 cleaned, 4 failed" in run.err


def test_jsonl_stdin_field_and_report(cli: CLI, tmp_path: Path) -> None:
    records = [json.dumps({"body": NOISY, "id": "a"}), json.dumps({"body": BODY, "id": "é"}, ensure_ascii=False)]
    report = tmp_path / "r.jsonl"
    run = cli("clean", "--jsonl", "--field", "body", "-q", "--report", report, stdin="\n".join(records).encode())
    assert run.code == 0
    out = [json.loads(line) for line in run.out.decode().splitlines()]
    assert out == [{"body": clean(NOISY), "id": "a"}, {"body": clean(BODY), "id": "é"}]
    assert "é" in run.out.decode()  # not escaped
    entries = [json.loads(line) for line in report.read_text().splitlines()]
    assert [e["document"] for e in entries] == ["<stdin>:1", "<stdin>:2"]


def test_jsonl_single_file_to_stdout(cli: CLI, tmp_path: Path) -> None:
    source = records_file(tmp_path / "c.jsonl.gz", GOOD[:2])
    run = cli("clean", "--jsonl", source, "-q")
    assert run.code == 0
    assert [json.loads(line)["text"] for line in run.out.splitlines()] == [clean(BODY), clean(NOISY)]


def test_jsonl_keep_original_must_not_overwrite(cli: CLI) -> None:
    line = json.dumps({"text": NOISY, "raw": "already here"})
    run = cli("clean", "--jsonl", "--keep-original", "raw", stdin=line.encode())
    assert run.code == 1 and json.loads(run.out) == json.loads(line) and "already exists" in run.err


def test_corrupt_gzip_fails_the_file_and_writes_nothing(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl.gz"
    source.write_bytes(gzip.compress(("\n".join(GOOD) + "\n").encode())[:-30])
    out = tmp_path / "out"
    run = cli("clean", "--jsonl", source, "-o", out)
    assert run.code == 1 and f"{source}:" in run.err
    assert not out.exists() or list(out.iterdir()) == []


# --------------------------------------------------------------------------- options and config


def parsed(*argv: str) -> Config:
    return _config(build_parser().parse_args(["clean", *argv]))


def test_flags_make_the_config(tmp_path: Path) -> None:
    phrases = tmp_path / "phrases.tsv"
    phrases.write_text("# my phrases\nsocial\tFollow us on Mastodon\n\nlegal\tAll rights reserved\n")
    allow = tmp_path / "allow.txt"
    allow.write_text("Reporting by\n# comment\n")
    config = parsed(
        "--profile", "precision", "--no-keep-title", "--drop", "nav,social", "--drop", "ad", "--lang", "DE",
        "--phrases", str(phrases), "--allow", str(allow), "--no-model",
    )
    assert config == Config(
        profile="precision", keep_title=False, drop={"nav", "social", "ad"}, language="de",
        extra_phrases={"social": ["Follow us on Mastodon"], "legal": ["All rights reserved"]},
        allow=("Reporting by",), use_model=False,
    )
    assert parsed() == Config()


def test_config_file_and_flags_override_it(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text(
        'profile = "recall"\nkeep_title = false\ndrop = ["nav"]\nlanguage = "fr"\nallow = ["Par"]\n'
        '[extra_phrases]\nsocial = ["Suivez-nous"]\n'
    )
    assert parsed("--config", str(toml)) == Config(
        profile="recall", keep_title=False, drop={"nav"}, language="fr", allow=("Par",),
        extra_phrases={"social": ["Suivez-nous"]},
    )
    overridden = parsed("--config", str(toml), "--profile", "balanced", "--drop", "social", "--keep-title")
    assert (overridden.profile, overridden.drop, overridden.keep_title, overridden.language) == (
        "balanced", frozenset({"social"}), True, "fr",
    )


def test_drop_changes_what_is_removed(cli: CLI) -> None:
    kept = cli("clean", "-q", "--drop", "nav", stdin=NOISY.encode()).out.decode()
    assert "Share news" in kept and "Home > News" not in kept


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('profile = "loud"', "profile must be one of"),
        ("profile = 3", "profile must be a string"),
        ("keep_title = 'no'", "keep_title must be true or false"),
        ('drop = ["nav", 3]', "drop must be a list of strings"),
        ('drop = ["banner"]', "unknown kinds in drop: banner"),
        ('colour = "red"', "unknown key 'colour'"),
        ("[extra_phrases]\nbanner = ['x']", "unknown noise kind"),
        ("profile = ", "not valid TOML"),
    ],
)
def test_bad_config_file(cli: CLI, tmp_path: Path, content: str, message: str) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text(content)
    run = cli("clean", "--config", toml, stdin=b"x")
    assert run.code == 2 and message in run.err and str(toml) in run.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("social Follow us\n", ":1: expected KIND<TAB>PHRASE"),
        ("# ok\nbanner\tx\n", ":2: unknown noise kind for a phrase: 'banner'"),
        ("social\t/(a+)+/\n", "nested quantifier in lexicon pattern"),
        ("social\t/[a/\n", "bad pattern in the social lexicon"),
    ],
)
def test_bad_phrases_file(cli: CLI, tmp_path: Path, content: str, message: str) -> None:
    phrases = tmp_path / "p.tsv"
    phrases.write_text(content)
    run = cli("clean", "--phrases", phrases, stdin=b"x")
    assert run.code == 2 and message in run.err


# --------------------------------------------------------------------------- explain


def test_explain_marks_every_line(cli: CLI, tree: Path) -> None:
    run = cli("explain", tree / "noisy.txt")
    assert run.code == 0
    lines = run.out.decode().splitlines()
    assert len(lines) == len(NOISY.splitlines()) + 1  # one per line, then a footer
    share = next(line for line in lines if "Share news" in line)
    assert " DROP social " in share and "←" in share
    report = explain(NOISY)
    for line, decision in zip(lines, report.lines):
        assert line.split()[:3] == [str(decision.index), "keep" if decision.kept else "DROP", decision.kind]
    assert "\x1b[" not in run.out.decode()
    assert lines[-1].startswith("language ")


def test_explain_colour_and_no_color(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    assert b"\x1b[31m" in cli("explain", "--color", "always", stdin=NOISY.encode()).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert b"\x1b[" not in cli("explain", stdin=NOISY.encode()).out
    assert b"\x1b[" not in cli("explain", "--color", "never", stdin=NOISY.encode()).out


def test_explain_json_and_html(cli: CLI, tree: Path) -> None:
    report = json.loads(cli("explain", "--json", tree / "noisy.txt").out)
    assert [line["text"] for line in report["lines"]] == NOISY.splitlines()
    page = json.loads(cli("explain", "--json", tree / "page.html").out)
    assert page["lines"][0]["text"] == "Budget"


def test_explain_failures(cli: CLI, tree: Path) -> None:
    assert cli("explain", tree / "binary.txt").code == 1
    assert cli("explain", tree).code == 2
    assert cli("explain", tree / "missing.txt").code == 2


# --------------------------------------------------------------------------- progress bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_only_on_a_terminal(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet: bool) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    args = ["clean", str(tree), "-o", str(tmp_path / "out"), "-j", "1"] + (["-q"] if quiet else [])
    main(args)
    shown = terminal.getvalue()
    assert ("\r\x1b[K" in shown and " files" in shown and "files/s" in shown) is not quiet
    assert ("documents:" in shown) is not quiet
    assert "binary" in shown  # failures are reported either way


def test_no_progress_bar_when_not_a_terminal(cli: CLI, tree: Path, tmp_path: Path) -> None:
    assert "\r" not in cli("clean", tree, "-o", tmp_path / "out", "-j", "1").err


def test_progress_line() -> None:
    from boilerstrip.progress import Progress

    bar = Progress(io.StringIO(), total=200, unit="files", enabled=False)
    bar.update(50)
    line = bar.line(now=bar._started + 10)
    assert "50/200 files" in line and "5.0 files/s" in line and "ETA 0:30" in line and "25%" in line
    records = Progress(io.StringIO(), total=None, unit="records", enabled=False)
    records.update(1000, fraction=0.5)
    assert "ETA 0:02" in records.line(now=records._started + 2) and "1,000 records" in records.line()


def test_no_input_from_a_terminal_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class Keyboard(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Keyboard(io.BytesIO(b"typed\n")))
    assert main(["clean"]) == 2 and main(["explain"]) == 2
    assert "no input" in capsys.readouterr().err
    assert main(["clean", "-", "-q"]) == 0  # - reads the terminal anyway
