"""What a rule says of a line: a :class:`Score` per kind, combined into a :class:`KindScore`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Score:
    """One rule's verdict on one line: how much it looks like ``kind``, and why."""

    kind: str
    value: float
    reason: str


@dataclass(frozen=True, slots=True)
class KindScore:
    """The combined score of one kind on one line and all reasons behind it."""

    value: float
    reasons: tuple[str, ...]
