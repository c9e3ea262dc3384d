"""Benchmark pages: loading, the scraped-text view of a page, and the fixed train/test split.

The pages live in ``../shared/bench_data`` (see its README); they are never copied into this
repository. A page becomes boilerstrip's input the way SCORING.md says: control characters removed,
then ``html_text.extract_text(html, guess_layout=True)``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

SETS: tuple[str, ...] = (
    "l3s_gn1",
    "dragnet",
    "cleanportaleval",
    "cleaneval",
    "evan_extract",
    "wcxb",
    "mozilla_readability",
    "chinese_cwced",
    "trafilatura_eval",
)
"""Every benchmark set, the six headline sets first."""

HEADLINE_SETS: tuple[str, ...] = SETS[:6]
"""The six sets whose mean F1 the quality target is stated on."""

PERMISSIVE_SETS: tuple[str, ...] = ("wcxb", "mozilla_readability", "trafilatura_eval", "chinese_cwced")
"""Sets whose licence lets a shipped model train on them (bench_data/README.md)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def data_dir() -> Path:
    """Where the benchmark pages are: ``$BOILERSTRIP_BENCH_DATA`` or ``../shared/bench_data``."""
    env = os.environ.get("BOILERSTRIP_BENCH_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "bench_data"


def available_sets() -> list[str]:
    """The sets whose file is present."""
    d = data_dir()
    return [s for s in SETS if (d / f"{s}.jsonl.gz").exists()]


def load_pages(name: str) -> Iterator[dict[str, Any]]:
    """Yield the records of one set, as stored."""
    path = data_dir() / f"{name}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def html_to_scraped_text(html: str) -> str:
    """The text a structure-blind crawler hands over (SCORING.md)."""
    import html_text  # bench extra

    return html_text.extract_text(_CONTROL.sub("", html), guess_layout=True)


def _page_key(page: Mapping[str, Any]) -> bytes:
    """``dataset/id`` of a page, the text its fixed split and dev fold are hashed from."""
    return f"{page.get('dataset')}/{page.get('id')}".encode()


def split_of(page: Mapping[str, Any]) -> str:
    """``"train"`` or ``"test"`` for a page, fixed for ever.

    dragnet keeps its own ``meta.split``; every other set uses a hash of ``dataset/id``:
    70% train, 30% test.
    """
    meta = page.get("meta") or {}
    if page.get("dataset") == "dragnet" and meta.get("split") in ("train", "test"):
        return str(meta["split"])
    bucket = int(hashlib.sha1(_page_key(page)).hexdigest()[:8], 16) % 100
    return "train" if bucket < 70 else "test"


DEV_FOLDS = 3
"""Folds of the permissive sets' train pages for honest design choices on them (see
:func:`dev_fold` and ``python -m benchmarks.train_model --folds``)."""


def dev_fold(page: Mapping[str, Any]) -> int:
    """The fold (``0`` to ``DEV_FOLDS - 1``) of a train page, from a hash of ``dataset/id``.

    The shipped model learns from every train page of the permissive sets, so scoring those
    pages with it flatters whatever it decides. A model trained without one fold scores that
    fold's pages as if they were unseen (``python -m benchmarks.run --dev --fold-models DIR``).
    """
    return int(hashlib.md5(_page_key(page)).hexdigest(), 16) % DEV_FOLDS


def cache_dir() -> Path:
    """Where converted texts are cached (ignored by git)."""
    d = Path(__file__).resolve().parent / ".cache"
    d.mkdir(parents=True, exist_ok=True)
    return d


def scraped_pages(name: str) -> list[dict[str, Any]]:
    """Pages of a set with ``text`` (scraped text) added and ``html`` kept; cached on disk.

    The cache holds ``{id: text}`` per set, so the slow HTML-to-text step runs once.
    """
    cache = cache_dir() / f"{name}.text.json.gz"
    texts: dict[str, str] = {}
    if cache.exists():
        with gzip.open(cache, "rt", encoding="utf-8") as fh:
            texts = json.load(fh)
    pages = list(load_pages(name))
    missing = False
    for p in pages:
        pid = str(p["id"])
        if pid not in texts:
            texts[pid] = html_to_scraped_text(p["html"])
            missing = True
        p["text"] = texts[pid]
        p["split"] = split_of(p)
    if missing:
        tmp = cache.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            json.dump(texts, fh)
        tmp.replace(cache)
    return pages
