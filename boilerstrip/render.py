"""Turn per-line keep decisions into the cleaned text.

Kept lines come out verbatim with their own line endings. Between two kept lines, the first run
of blank lines that stood between them in the input is kept too, so paragraphs stay apart.

>>> keep_blank_lines([True, False, False, False, True], [False, True, False, True, False])
[True, True, False, False, True]

A kept line ending in a bare ``\\r`` is never followed by a kept empty line ending in ``\\n``:
joined, the two would read as one ``\\r\\n`` line end and the output would no longer be
made of input lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress

from boilerstrip.compiled import extension_slots
from boilerstrip.segment import Line


def keep_blank_lines(kept: Sequence[bool], blank: Sequence[bool], lines: Sequence[Line] | None = None) -> list[bool]:
    """``kept`` plus the first blank run between each pair of kept non-blank lines. Run by the
    compiled ``boilerstrip._cstages`` when it is built (:data:`COMPILED`), otherwise by
    :func:`python_keep_blank_lines`: the same list."""
    if _C is not None:
        got = _C.blank_runs(kept, blank, lines, Line, _C_SLOTS)
        if got is not NotImplemented:  # it hands back what is not lists of bools and Line records
            return got
    return python_keep_blank_lines(kept, blank, lines)


def python_keep_blank_lines(
    kept: Sequence[bool], blank: Sequence[bool], lines: Sequence[Line] | None = None
) -> list[bool]:
    """:func:`keep_blank_lines` in pure Python."""
    out = _with_blank_runs(kept, blank)
    if lines is not None:
        prev: Line | None = None
        for i, line in enumerate(lines):
            if not out[i]:
                continue
            if prev is not None and prev.ending == "\r" and not line.text and line.ending.startswith("\n"):
                out[i] = False
                continue
            prev = line
    return out


def _with_blank_runs(kept: Sequence[bool], blank: Sequence[bool]) -> list[bool]:
    out = list(kept)
    last_kept: int | None = None
    for i, (k, b) in enumerate(zip(kept, blank)):
        if b or not k:
            continue
        if last_kept is not None:
            j = last_kept + 1
            while j < i and not blank[j]:
                j += 1
            while j < i and blank[j]:
                out[j] = True
                j += 1
        last_kept = i
    return out


def render(lines: Sequence[Line], kept: Sequence[bool]) -> str:
    """The kept lines, each with its original ending."""
    return "".join([line.text + line.ending for line in compress(lines, kept)])


_C, (_C_SLOTS,) = extension_slots("_cstages", "blank_runs", (Line, "LINE_TEXT_FIELDS"))
COMPILED = _C is not None
"""Whether :func:`keep_blank_lines` runs the compiled ``boilerstrip._cstages``."""
