"""The ``boilerstrip`` command as a separate process: worker pools, pipes, exit codes, SIGKILL."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from boilerstrip import clean
from boilerstrip.files import TMP_SUFFIX

BODY = (
    "The council approved the new budget on Monday after a long debate that lasted well into the evening.\n"
    "Spending on schools rises by four percent, while road repairs will receive an extra two million euros.\n"
)
NOISY = "Home > News\nShare news\n" + BODY + "0 comments\n"


def boilerstrip(*argv: object, stdin: bytes = b"", timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "boilerstrip", *map(str, argv)], input=stdin, capture_output=True, timeout=timeout
    )


def hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


def test_folder_with_two_jobs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    for i in range(40):
        path = src / f"d{i % 3}" / f"doc{i:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NOISY if i % 2 else BODY)
    (src / "d0" / "bad.txt").write_bytes(b"\xff\xfe\x00\x01")
    before = hashes(src)
    done = boilerstrip("clean", src, "-o", tmp_path / "out", "--jobs", "2", "--report", tmp_path / "r.jsonl")
    assert done.returncode == 1, done.stderr
    assert hashes(src) == before
    assert b"bad.txt: not UTF-8: UTF-16 byte-order mark" in done.stderr
    assert b"41 documents: 40 cleaned, 1 failed" in done.stderr
    for path in src.rglob("doc*.txt"):
        assert (tmp_path / "out" / path.relative_to(src)).read_text() == clean(path.read_text())
    report = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert len(report) == 41


def test_stdin_stdout_and_usage_error() -> None:
    done = boilerstrip("clean", "-q", stdin=NOISY.encode())
    assert (done.returncode, done.stdout.decode(), done.stderr) == (0, clean(NOISY), b"")
    assert boilerstrip("clean", "--jobs", "none").returncode == 2
    assert boilerstrip("explain", "--help").returncode == 0


def test_jsonl_gz_order_with_two_jobs(tmp_path: Path) -> None:
    records = [{"id": i, "text": NOISY if i % 3 else BODY, "meta": {"i": i}} for i in range(500)]
    source = tmp_path / "c.jsonl.gz"
    source.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    done = boilerstrip("clean", "--jsonl", source, "-o", tmp_path / "out", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in gzip.decompress((tmp_path / "out" / "c.jsonl.gz").read_bytes()).splitlines()]
    assert [r["id"] for r in out] == list(range(500))
    assert all(r["meta"] == {"i": r["id"]} and r["text"] == clean(records[r["id"]]["text"]) for r in out)


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a FIFO and /proc")
def test_sigkill_then_resume(tmp_path: Path) -> None:
    """A run killed mid-batch leaves whole outputs only; --resume finishes without redoing any."""
    src = tmp_path / "in"
    src.mkdir()
    names = [f"doc{i:03d}.txt" for i in range(60)]
    for i, name in enumerate(names):
        if i != 30:
            (src / name).write_text(f"Item {i}\n" + (NOISY if i % 2 else BODY) * 3)
    # Reading doc030 blocks until someone writes to the FIFO: the batch is stuck mid-way.
    os.mkfifo(src / names[30])
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "boilerstrip", "clean", *(src / n for n in names), "-o", out, "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(list(out.glob("doc*.txt"))) < 24 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        # Orphaned workers notice their parent is gone and exit by themselves.
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the session this test started, in case of failure
        except ProcessLookupError:
            pass
    first = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("doc*.txt")}
    assert len(first) >= 24 and names[30] not in first and len(first) < len(names)
    assert not list(out.glob(f"*{TMP_SUFFIX}"))
    for name in first:  # every output there is whole
        assert (out / name).read_text() == clean((src / name).read_text())

    (src / names[30]).unlink()
    (src / names[30]).write_text(NOISY)
    done = boilerstrip("clean", *(src / n for n in names), "-o", out, "--jobs", "2", "--resume", "--report", tmp_path / "r.jsonl")
    assert done.returncode == 0, done.stderr
    report = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    skipped = {Path(e["document"]).name for e in report if e["status"] == "skipped"}
    cleaned = {Path(e["document"]).name for e in report if e["status"] == "cleaned"}
    assert skipped == set(first) and cleaned == set(names) - set(first)  # nothing cleaned twice
    assert {n: (p.stat().st_ino, p.stat().st_mtime_ns) for n in first for p in [out / n]} == first
    assert sorted(p.name for p in out.iterdir()) == names
    for name in names:
        assert (out / name).read_text() == clean((src / name).read_text())


def _default_sigint() -> None:
    """In the child, before exec: Ctrl-C's default action, as in a terminal's foreground job. A
    test run started in the background (``pytest &`` in a script) ignores SIGINT, every process
    it starts inherits that, and an ignored SIGINT rightly stops nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a FIFO and /proc")
def test_ctrl_c_stops_at_once_and_leaves_whole_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(20):
        (src / f"doc{i:02d}.txt").write_text(NOISY)
    os.mkfifo(src / "doc05.txt.fifo")
    names = [src / f"doc{i:02d}.txt" for i in range(20)]
    names.insert(10, src / "doc05.txt.fifo")  # a worker blocks reading it, as on a stuck mount
    proc = subprocess.Popen(
        [sys.executable, "-m", "boilerstrip", "clean", *names, "-o", tmp_path / "out", "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_default_sigint,
    )
    try:
        deadline = time.monotonic() + 30
        while len(list((tmp_path / "out").glob("doc*.txt"))) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        _, err = proc.communicate(timeout=10)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == 130 and b"interrupted" in err and b"Traceback" not in err
    assert not any(_alive(w) for w in workers)
    for path in (tmp_path / "out").glob("doc*.txt"):  # outputs, not a temporary file a worker left
        assert path.read_text() == clean(NOISY)
