"""Reading documents strictly and writing outputs atomically.

Input is UTF-8 (a byte-order mark is dropped); anything else is refused with a reason rather
than guessed at. Outputs are written to a temporary file in the destination folder and renamed
over the destination, so a reader, or a run killed half-way, only ever sees whole files.

>>> decode_document(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9\\r\\n")
'café\\r\\n'
>>> decode_document(b"caf\\xe9")
Traceback (most recent call last):
...
boilerstrip.files.DocumentError: not UTF-8: invalid byte 0xe9 at offset 3
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = [
    "TMP_SUFFIX",
    "DocumentError",
    "atomic_writer",
    "decode_document",
    "is_up_to_date",
    "read_document",
    "write_atomic",
]

TMP_SUFFIX = ".boilerstrip-tmp"
"""Suffix of the temporary file an output is written to before it is renamed into place."""


class DocumentError(Exception):
    """A document that cannot be cleaned; the message is the reason, for people."""


def decode_document(data: bytes) -> str:
    """``data`` as text: UTF-8 with an optional BOM; binary or other encodings are refused.

    >>> decode_document(b"")
    ''
    >>> decode_document(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    Traceback (most recent call last):
    ...
    boilerstrip.files.DocumentError: binary (NUL byte at offset 8)
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise DocumentError("not UTF-8: UTF-16 byte-order mark")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DocumentError(f"binary (NUL byte at offset {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentError(f"not UTF-8: invalid byte 0x{data[err.start]:02x} at offset {err.start}") from None


def read_document(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> str:
    """Read and decode the document at ``path``; :class:`DocumentError` says why it cannot be.

    ``max_bytes`` (``None``: no limit) refuses larger files before reading them whole. Pipes and
    other non-regular files are read too, up to the same limit.
    """
    try:
        with open(path, "rb") as f:
            if max_bytes is not None:
                data = f.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise DocumentError(f"too large (more than {max_bytes:,} bytes; see --max-bytes)")
            else:
                data = f.read()
    except IsADirectoryError:
        raise DocumentError("is a folder") from None
    except OSError as err:
        raise DocumentError(f"cannot read: {err.strerror or err}") from None
    return decode_document(data)


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file that becomes ``path`` only when the ``with`` block ends without error.

    The temporary file is ``.<name>.boilerstrip-tmp`` beside ``path``: a fixed name, so a run
    that was killed leaves at most one per output, and the next run that writes that output
    reuses and removes it. Parent folders are created. There is no ``fsync``: this guards
    against a killed process, not against power loss.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_writer(d / "a" / "out.txt") as f:
    ...     _ = f.write(b"whole")
    >>> sorted(p.name for p in (d / "a").iterdir()), (d / "a" / "out.txt").read_bytes()
    (['out.txt'], b'whole')
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TMP_SUFFIX}")
    try:
        with open(tmp, "wb") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`atomic_writer`."""
    with atomic_writer(path) as f:
        f.write(data)


def is_up_to_date(output: str | os.PathLike[str], source: str | os.PathLike[str]) -> bool:
    """True when ``output`` exists and was modified no earlier than ``source``.

    >>> is_up_to_date("/nonexistent/out.txt", __file__)
    False
    """
    try:
        return os.stat(output).st_mtime_ns >= os.stat(source).st_mtime_ns
    except OSError:
        return False
