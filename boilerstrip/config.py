"""The one options object shared by every entry point.

>>> from boilerstrip import Config
>>> Config().profile
'balanced'
>>> Config(profile="precision", drop={"nav", "related"}).drop == frozenset({"nav", "related"})
True
>>> Config(profile="loud")
Traceback (most recent call last):
...
ValueError: profile must be one of precision, balanced, recall; got 'loud'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

NOISE_KINDS: tuple[str, ...] = (
    "nav",
    "related",
    "ad",
    "social",
    "comments",
    "author",
    "legal",
    "caption",
    "meta",
    "widget",
    "duplicate",
)
"""Every kind of boilerplate a line can be classified as."""

CONTENT_KINDS: tuple[str, ...] = ("body", "heading", "title")
"""Kinds that make up the article itself."""

BLANK = "blank"
"""Kind given to empty or whitespace-only lines."""

PROFILES: tuple[str, ...] = ("precision", "balanced", "recall")

Profile = Literal["precision", "balanced", "recall"]

HTML_MODES: tuple[str, ...] = ("convert", "text", "refuse")
HtmlMode = Literal["convert", "text", "refuse"]

# How sure a line-level score must be before a line is dropped, per profile.
# "precision" favours a clean output (drops more), "recall" favours keeping body.
DROP_THRESHOLDS: Mapping[str, float] = {"precision": 0.40, "balanced": 0.50, "recall": 0.65}


def _freeze_phrases(value: object) -> tuple[tuple[str, str], ...]:
    """Normalise user phrases to sorted ``(kind, phrase)`` pairs."""
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for kind, phrases in value.items():
            if isinstance(phrases, str):
                phrases = [phrases]
            pairs.extend((str(kind), str(p)) for p in phrases)
    else:
        for item in value or ():  # type: ignore[union-attr, attr-defined]
            if isinstance(item, str) or len(item) != 2:
                raise ValueError(f"extra_phrases items must be (kind, phrase) pairs; got {item!r}")
            pairs.append((str(item[0]), str(item[1])))
    for kind, _ in pairs:
        if kind not in NOISE_KINDS or kind == "duplicate":
            raise ValueError(f"unknown noise kind for a phrase: {kind!r}")
    return tuple(sorted(set(pairs)))


def _check_phrases(pairs: tuple[tuple[str, str], ...]) -> None:
    """Parse user phrases now, so an empty, invalid or unsafe one fails here with a ValueError."""
    from boilerstrip.lexicon import parse_entries

    for kind, phrase in pairs:
        parse_entries(kind, [phrase], strict=True)


@dataclass(frozen=True, kw_only=True)
class Config:
    """Options for :func:`boilerstrip.clean` and :func:`boilerstrip.explain`.

    - ``profile``: ``"precision"`` drops more (cleaner output), ``"recall"`` keeps more.
    - ``keep_title``: keep the line recognised as the page title.
    - ``drop``: which noise kinds are removed; lines of other kinds are labelled but kept.
    - ``language``: an ISO 639-1 code (``"en"``, ``"de"`` ...) or ``None`` to detect it.
    - ``extra_phrases``: ``{kind: [phrase, ...]}`` added to the built-in lexicons, in the
      lexicon syntax (see ``docs/configuration.md``).
    - ``allow``: phrases (case-insensitive substrings) whose lines are never dropped.
    - ``use_model``: refine line decisions with the shipped learned model when present.
    - ``model_path``: a model file written by ``python -m benchmarks.train_model --out PATH``
      (with its ``wordscores.json`` beside it) to use instead of the shipped one, for comparing
      a retrained model; a missing or malformed file is a ``ValueError``.
    - ``html``: what to do with input that looks like HTML: ``"convert"`` it to text lines
      first (the default), treat it as ``"text"``, or ``"refuse"`` it with a ``ValueError``.
    """

    profile: Profile = "balanced"
    keep_title: bool = True
    drop: frozenset[str] = field(default_factory=lambda: frozenset(NOISE_KINDS))
    language: str | None = None
    extra_phrases: tuple[tuple[str, str], ...] = ()
    allow: tuple[str, ...] = ()
    use_model: bool = True
    html: HtmlMode = "convert"
    model_path: str | None = None

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}; got {self.profile!r}")
        if self.html not in HTML_MODES:
            raise ValueError(f"html must be one of {', '.join(HTML_MODES)}; got {self.html!r}")
        drop = frozenset(self.drop if not isinstance(self.drop, str) else [self.drop])
        unknown = drop - set(NOISE_KINDS)
        if unknown:
            raise ValueError(f"unknown kinds in drop: {', '.join(sorted(unknown))}")
        object.__setattr__(self, "drop", drop)
        object.__setattr__(self, "extra_phrases", _freeze_phrases(self.extra_phrases))
        _check_phrases(self.extra_phrases)
        allow: Iterable[str] = [self.allow] if isinstance(self.allow, str) else self.allow
        object.__setattr__(self, "allow", tuple(a for a in (s.strip() for s in allow) if a))
        if self.language is not None:
            object.__setattr__(self, "language", self.language.strip().lower() or None)
        if self.model_path is not None:
            object.__setattr__(self, "model_path", os.fspath(self.model_path))
            if not os.path.isfile(self.model_path):
                raise ValueError(f"no model file at {self.model_path}")

    @property
    def drop_threshold(self) -> float:
        """The score above which a line counts as noise under this profile."""
        return DROP_THRESHOLDS[self.profile]
