"""Build the fixtures taken from the permissively licensed benchmark sets, reproducibly.

``python -m benchmarks.make_fixtures`` writes:

- ``fixtures/negative/<set>-<id>.txt``: reference main texts (clean articles) that must come
  through :func:`boilerstrip.clean` unchanged;
- ``fixtures/snippets/<set>-<id>.txt``: scraped page texts with ``with`` / ``without`` snippets
  in the ``.meta.json`` beside them (trafilatura's regression-corpus idea).

Pages are chosen by a fixed rule (sorted ids, size bounds), never by how boilerstrip does on them.
Only sets whose licence allows copying excerpts are used (bench_data/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.data import html_to_scraped_text, load_pages

ROOT = Path(__file__).resolve().parent.parent / "fixtures"
LICENCES = {
    "wcxb": "CC-BY-4.0, WCXB web content extraction benchmark (Murrough Foley, 2026), dev split",
    "mozilla_readability": "Apache-2.0, mozilla/readability test pages",
    "chinese_cwced": "MIT, CWCED Chinese web content extraction dataset",
}


def _meta(page: dict[str, Any], kind: str) -> dict[str, Any]:
    meta = page.get("meta") or {}
    return {
        "source": f"{page['dataset']} page {page['id']}",
        "licence": LICENCES[page["dataset"]],
        "url": meta.get("url"),
        "fixture": kind,
    }


def _write(folder: Path, page: dict[str, Any], text: str, meta: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{page['dataset']}-{page['id']}"
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def negative_pages() -> list[dict[str, Any]]:
    """Clean reference texts: wcxb articles, mozilla_readability articles, chinese_cwced."""
    chosen: list[dict[str, Any]] = []
    wcxb = sorted(load_pages("wcxb"), key=lambda p: str(p["id"]))
    chosen += [p for p in wcxb if p["meta"].get("page_type") == "article" and 1500 <= len(p["gold"]) <= 5000][:8]
    moz = sorted(load_pages("mozilla_readability"), key=lambda p: str(p["id"]))
    chosen += [p for p in moz if not p["meta"].get("synthetic_lorem_ipsum") and 1000 <= len(p["gold"]) <= 5000][:3]
    cw = sorted(load_pages("chinese_cwced"), key=lambda p: str(p["id"]))
    chosen += [p for p in cw if 500 <= len(p["gold"]) <= 3000][:2]
    return chosen


def snippet_pages() -> list[dict[str, Any]]:
    """wcxb article pages with small scraped texts and both kinds of snippet."""
    out = []
    for p in sorted(load_pages("wcxb"), key=lambda p: str(p["id"])):
        if p["meta"].get("page_type") != "article" or not p.get("with") or not p.get("without"):
            continue
        text = html_to_scraped_text(p["html"])
        if 2000 <= len(text) <= 12000:
            p["text"] = text
            out.append(p)
        if len(out) == 8:
            break
    return out


def main() -> None:
    for p in negative_pages():
        text = p["gold"].strip() + "\n"
        _write(ROOT / "negative", p, text, _meta(p, "clean reference text: must come through unchanged"))
    for p in snippet_pages():
        meta = _meta(p, "scraped page text with snippets that must / must not survive")
        meta.update({"with": p["with"], "without": p["without"]})
        _write(ROOT / "snippets", p, p["text"], meta)
    print(f"fixtures written under {ROOT}")


if __name__ == "__main__":
    main()
