"""clean_many, the ordered worker pool, the document workers, strict reading and atomic writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import boilerstrip
from boilerstrip import Config, clean, clean_many
from boilerstrip.batch import Job, Totals, Workers, clean_bytes, clean_file, clean_record
from boilerstrip.files import TMP_SUFFIX, DocumentError, atomic_writer, decode_document, is_up_to_date, read_document
from boilerstrip.plan import PlanError, plan

BODY = "The council approved the new budget on Monday after a long debate that lasted well into the evening.\n"
TEXTS = [f"Share news\nItem {i}.\n{BODY}" if i % 2 else f"{i}\n{BODY}" for i in range(50)] + ["", "\n\n"]


def test_clean_many_is_exported() -> None:
    assert "clean_many" in boilerstrip.__all__ and boilerstrip.clean_many is clean_many


@pytest.mark.parametrize("jobs", [1, 2])
def test_clean_many_in_order(jobs: int) -> None:
    config = Config(drop={"social"})
    assert list(clean_many(iter(TEXTS), jobs=jobs, config=config, chunksize=3)) == [
        clean(t, config=config) for t in TEXTS
    ]


def test_clean_many_is_lazy() -> None:
    consumed = 0

    def texts() -> Iterator[str]:
        nonlocal consumed
        for i in range(10_000):
            consumed += 1
            yield f"Line {i}\n"

    results = clean_many(texts(), jobs=2, chunksize=4)
    assert next(results) == clean("Line 0\n")
    results.close()
    assert consumed <= 4 * 3 * 2 + 4  # a window of chunks, not the whole input


@pytest.mark.parametrize("jobs", [1, 2])
def test_clean_many_raises_at_the_bad_item(jobs: int) -> None:
    results = clean_many(["a\n", b"bytes\n", "c\n"], jobs=jobs, chunksize=1)  # type: ignore[list-item]
    assert next(results) == clean("a\n")
    with pytest.raises(TypeError, match="decode bytes first"):
        next(results)


def test_workers_map_order() -> None:
    with Workers(2) as workers:
        assert list(workers.map(abs, range(-100, 0), chunksize=7)) == list(range(100, 0, -1))
        assert list(workers.map(abs, [])) == []


def test_clean_file_results(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("Share news\n" + BODY)
    result = clean_file((str(good), False, None), Job(want_report=True))
    assert result.ok and result.output.decode() == clean(good.read_text())
    assert (result.lines_in, result.chars_in) == (2, len(good.read_text()))
    assert result.report is not None and len(result.report["lines"]) == 2
    missing = clean_file((str(tmp_path / "nope.txt"), False, None), Job())
    assert not missing.ok and missing.error is not None and missing.error.startswith("cannot read")
    assert clean_file((str(tmp_path), False, None), Job()).error == "is a folder"
    written = clean_file((str(good), False, str(tmp_path / "out" / "a.txt")), Job())
    assert written.ok and written.output == b"" and (tmp_path / "out" / "a.txt").read_bytes() == result.output
    (tmp_path / "file").write_text("")
    unwritable = clean_file((str(good), False, str(tmp_path / "file" / "a.txt")), Job())
    assert not unwritable.ok and unwritable.error is not None and unwritable.error.startswith("cannot write")


def test_clean_file_internal_error_costs_one_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x\n")

    def broken(text: str, job: Job) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("boilerstrip.batch.clean_document", broken)
    result = clean_file((str(path), False, None), Job())
    assert (result.ok, result.error) == (False, "internal error: RuntimeError: boom")


def test_clean_bytes() -> None:
    assert clean_bytes(BODY.encode(), Job()).output == clean(BODY).encode()
    assert clean_bytes(b"x" * 11, Job(max_bytes=10)).error == "too large (more than 10 bytes; see --max-bytes)"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"{", "not JSON"),
        (b"\xff{}", "not UTF-8"),
        (b'"text"', "not a JSON object but str"),
        (b'{"text": 3}', "field 'text' is int, not a string"),
        (b'{"body": "x"}', "no field 'text'"),
        (b'{"text": "' + b"x" * 20 + b'"}', "too large"),
    ],
)
def test_clean_record_failures_keep_the_line(line: bytes, error: str) -> None:
    result = clean_record(line, Job(max_bytes=10))
    assert not result.ok and result.error is not None and result.error.startswith(error)
    assert result.output == line + b"\n"


def test_clean_record_success_details() -> None:
    line = json.dumps({"a": [1, {"b": None}], "text": "Share news\n" + BODY, "z": "é"}, ensure_ascii=False).encode()
    result = clean_record(line + b"\r\n", Job(keep_original="orig"))
    assert result.ok and result.output.endswith(b"\r\n")
    record = json.loads(result.output)
    assert list(record) == ["a", "text", "z", "orig"]  # field order kept, original appended
    assert record["text"] == clean("Share news\n" + BODY) and record["orig"] == "Share news\n" + BODY
    assert clean_record(b"  \n", Job()).blank
    surrogate = clean_record(b'{"text": "\\ud800 x"}', Job())
    assert surrogate.ok and b"\\ud800" in surrogate.output


def test_totals() -> None:
    totals = Totals()
    totals.add(clean_bytes(("Share news\n" + BODY).encode(), Job()))
    totals.add(clean_bytes(b"\x00", Job()))
    totals.skip()
    assert (totals.documents, totals.cleaned, totals.failed, totals.skipped) == (3, 1, 1, 1)
    assert totals.dropped["social"] == 1 and totals.lines_in == 2
    totals.add(clean_bytes(b"Share news\n", Job()))
    assert totals.flags["all_noise"] == 1


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("data", "text"), [(b"", ""), (b"\xef\xbb\xbfa\r\nb", "a\r\nb"), ("ü\u2028x".encode(), "ü\u2028x")]
)
def test_decode_document(data: bytes, text: str) -> None:
    assert decode_document(data) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"abc\x00def", "binary (NUL byte at offset 3)"),
        (b"\xfe\xff\x00a", "not UTF-8: UTF-16 byte-order mark"),
        (b"ok\xc3", "not UTF-8: invalid byte 0xc3 at offset 2"),
        (b"\xed\xa0\x80", "not UTF-8: invalid byte 0xed at offset 0"),  # an encoded surrogate
    ],
)
def test_decode_document_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        decode_document(data)


def test_read_document_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    assert read_document(path, max_bytes=10) == "x" * 10
    with pytest.raises(DocumentError, match="too large"):
        read_document(path, max_bytes=9)


def test_atomic_writer_leaves_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(target) as f:
        f.write(b"half")
        raise RuntimeError
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_atomic_writer_reuses_a_stale_temp_file(tmp_path: Path) -> None:
    stale = tmp_path / f".out.txt{TMP_SUFFIX}"
    stale.write_text("left by a killed run")
    with atomic_writer(tmp_path / "out.txt") as f:
        f.write(b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_is_up_to_date(tmp_path: Path) -> None:
    import os

    source, output = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text("x")
    assert not is_up_to_date(output, source)
    output.write_text("y")
    os.utime(source, ns=(0, output.stat().st_mtime_ns - 1))
    assert is_up_to_date(output, source)
    os.utime(source, ns=(0, output.stat().st_mtime_ns + 1))
    assert not is_up_to_date(output, source)


# --------------------------------------------------------------------------- plan


def test_plan_refuses_output_into_another_input_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    with pytest.raises(PlanError, match="inside the input folder"):
        plan([tmp_path / "a", tmp_path / "b"], tmp_path / "b" / "out")


def test_plan_refuses_symlinked_output_onto_input(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("x")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "in.txt").symlink_to(tmp_path / "in.txt")
    with pytest.raises(PlanError, match="would overwrite the input"):
        plan([tmp_path / "in.txt"], tmp_path / "out")


def test_plan_skips_temp_files_and_keeps_jsonl_names(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name in ("a.jsonl", "b.jsonl.gz", f".a.jsonl{TMP_SUFFIX}", "c.txt"):
        (tmp_path / "in" / name).write_text("")
    tasks = plan([tmp_path / "in"], tmp_path / "out", jsonl=True)
    assert [(t.source.name, t.output.name, t.html) for t in tasks] == [
        ("a.jsonl", "a.jsonl", False),
        ("b.jsonl.gz", "b.jsonl.gz", False),
    ]
