"""What the cleaner decided about every line, as plain data.

A :class:`Report` holds one :class:`LineDecision` per input line (blank lines included), the
cleaned text, the detected language and document-level flags. It renders as a table for people
and as JSON-ready dicts for programs.

>>> from boilerstrip import explain
>>> report = explain("Home > News\\n\\nThe council approved the budget on Monday after a long debate.\\n")
>>> [(d.kind, d.kept) for d in report.lines]
[('nav', False), ('blank', False), ('body', True)]
>>> report.lines[0].reasons[1]
'short fragment of capitalised words, like a menu'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FLAG_MOSTLY_DROPPED = "mostly_dropped"
"""Flag set when a long document loses nearly all of its text: worth a human look."""

FLAG_ALL_NOISE = "all_noise"
"""Flag set when no line of a non-empty document was kept."""


@dataclass(frozen=True, slots=True)
class LineDecision:
    """The fate of one input line.

    ``index`` is the 0-based line number in the input; ``kind`` is ``body``, ``heading``,
    ``title``, ``blank`` or a noise kind; ``score`` is the confidence in ``kind``;
    ``scores`` holds the score in [0, 1] of every noise kind that scored above zero;
    ``reasons`` say, in words, what decided it.
    """

    index: int
    text: str
    kept: bool
    kind: str
    score: float
    scores: Mapping[str, float] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of this decision."""
        return {
            "index": self.index,
            "text": self.text,
            "kept": self.kept,
            "kind": self.kind,
            "score": round(self.score, 4),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Every line's decision, the cleaned text and document-level facts."""

    text: str
    lines: tuple[LineDecision, ...]
    language: str
    flags: tuple[str, ...] = ()

    @property
    def kept(self) -> tuple[LineDecision, ...]:
        """Decisions of the lines that were kept."""
        return tuple(d for d in self.lines if d.kept)

    @property
    def dropped(self) -> tuple[LineDecision, ...]:
        """Decisions of the non-blank lines that were dropped."""
        return tuple(d for d in self.lines if not d.kept and d.kind != "blank")

    def dropped_by_kind(self) -> Counter[str]:
        """How many non-blank lines were dropped, per kind."""
        return Counter(d.kind for d in self.dropped)

    def why(self, index: int) -> str:
        """One sentence on why line ``index`` was kept or dropped."""
        d = self.lines[index]
        verb = "kept" if d.kept else "dropped"
        because = "; ".join(d.reasons) if d.reasons else "no rule fired"
        return f"line {d.index} {verb} as {d.kind} ({d.score:.2f}): {because}"

    def to_dicts(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per line."""
        return [d.to_dict() for d in self.lines]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the whole report."""
        return {
            "language": self.language,
            "flags": list(self.flags),
            "lines_in": sum(1 for d in self.lines if d.kind != "blank"),
            "lines_kept": sum(1 for d in self.lines if d.kept and d.kind != "blank"),
            "dropped_by_kind": dict(sorted(self.dropped_by_kind().items())),
            "lines": self.to_dicts(),
        }

    def table(self, *, width: int = 60, show_blank: bool = False) -> str:
        """A fixed-width table: line number, kept/dropped, kind, score, text and reasons."""
        rows = [f"{'line':>5}  {'':4}  {'kind':<9} {'score':>5}  text  [reasons]"]
        for d in self.lines:
            if d.kind == "blank" and not show_blank:
                continue
            text = d.text.strip()
            if len(text) > width:
                text = text[: width - 1] + "…"
            mark = "keep" if d.kept else "DROP"
            reasons = "; ".join(d.reasons)
            rows.append(f"{d.index:>5}  {mark:4}  {d.kind:<9} {d.score:5.2f}  {text}  [{reasons}]")
        if self.flags:
            rows.append(f"flags: {', '.join(self.flags)}")
        return "\n".join(rows)

    def __str__(self) -> str:
        return self.table()
