"""Split text into lines, keeping every line ending so output lines are input lines verbatim.

Line ends are those of :meth:`str.splitlines`: ``\\n``, ``\\r\\n``, ``\\r``, ``\\v``, ``\\f``,
``\\x1c``–``\\x1e``, ``\\x85``, ``\\u2028`` and ``\\u2029``.

>>> [(l.text, l.ending) for l in split_lines("a\\r\\nb\\n\\nc")]
[('a', '\\r\\n'), ('b', '\\n'), ('', '\\n'), ('c', '')]
>>> join_lines(split_lines("a\\r\\nb\\n\\nc")) == "a\\r\\nb\\n\\nc"
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from boilerstrip.compiled import extension, record_slots

LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@dataclass(frozen=True, slots=True)
class Line:
    """One input line: its 0-based ``index``, its ``text`` without the ending, and the ``ending``."""

    index: int
    text: str
    ending: str

    @property
    def is_blank(self) -> bool:
        """True when the line holds only white space."""
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Every line of ``text``, blank ones included; ``join_lines`` gives ``text`` back. Run by
    the compiled ``boilerstrip._cstages`` when it is built (:data:`COMPILED`), otherwise by
    :func:`python_split_lines`: the same records."""
    if _C is not None:
        got = _C.split_lines(text, Line, _C_SLOTS)
        if got is not NotImplemented:  # it hands back a str subclass
            return got
    return python_split_lines(text)


def python_split_lines(text: str) -> list[Line]:
    """:func:`split_lines` in pure Python.

    >>> python_split_lines("a\\rb\\x85") == split_lines("a\\rb\\x85")
    True
    """
    out: list[Line] = []
    for i, raw in enumerate(text.splitlines(keepends=True)):
        body = raw.rstrip(LINE_ENDS)  # splitlines leaves at most one ending per piece
        out.append(Line(i, body, raw[len(body) :]))
    return out


def join_lines(lines: Iterable[Line]) -> str:
    """The lines with their endings, concatenated."""
    return "".join(line.text + line.ending for line in lines)


def _compiled_core() -> tuple[Any, tuple[Any, ...]]:
    """The C module and Line's slot descriptors in the order it fills them; ``(None, ())`` when it
    is not built or Line's fields are no longer those it fills."""
    _cstages = extension("_cstages", "split_lines", "LINE_FIELDS")
    slots = record_slots(Line, _cstages.LINE_FIELDS) if _cstages is not None else None
    return (_cstages, slots) if slots is not None else (None, ())


_C, _C_SLOTS = _compiled_core()
COMPILED = _C is not None
"""Whether :func:`split_lines` runs the compiled ``boilerstrip._cstages``."""
