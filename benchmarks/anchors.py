"""The tools the benchmark compares: boilerstrip, HTML extractors and text-only baselines.

Each :class:`Tool` reads either the page's HTML or its scraped text (SCORING.md) and returns the
text it keeps. ``prepare`` computes per-page options outside the timed call (jusText's stop list);
``extract`` is the timed call. Third-party packages are imported inside the functions, so
importing this module needs none of them.

Settings (also written into docs/benchmark.md):

- trafilatura: ``extract(html, include_comments=False, include_tables=True)``, other options at
  their defaults (no precision/recall bias, no de-duplication, no metadata). Comments are left out
  because no gold here counts user comments as main content.
- readability: readability-lxml ``Document(html).summary(html_partial=True)``, turned into text with
  ``html_text.extract_text(..., guess_layout=True)`` so block boundaries become line breaks.
- resiliparse: ``extract_plain_text(html, main_content=True)``, other options at their defaults.
- justext: ``justext.justext(html, stoplist)`` with default thresholds, non-boilerplate paragraphs
  joined by newlines. Stop list: English on the English-only sets; elsewhere the page's
  ``<html lang>`` if jusText has that language, else the candidate stop list that covers the largest
  share of the scraped text's words; where no stop list covers 5% of the words, jusText's
  language-independent mode (empty stop list, ``stopwords_low = stopwords_high = 0``). Text mostly
  in Chinese/Japanese/Korean script uses that mode with the length thresholds scaled to characters
  (``length_low=20, length_high=60`` instead of 70/200): at the default lengths a 130-character
  Chinese paragraph is only "near-good" and a page without "good" paragraphs comes out empty.
- justext-text: the same jusText on the scraped text, each non-blank line wrapped in ``<p>``.
- c4-rules: :func:`benchmarks.c4.c4_clean` on the scraped text (line rules only, >= 3 words).
- keep-all: the scraped text unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import html as html_lib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from benchmarks.data import PERMISSIVE_SETS, dev_fold
from benchmarks.scoring import tokens

ENGLISH_SETS: frozenset[str] = frozenset(
    {"l3s_gn1", "dragnet", "cleanportaleval", "cleaneval", "evan_extract", "wcxb"}
)
"""Sets whose pages are English (bench_data/README.md): jusText uses its English stop list."""

ISO_TO_STOPLIST: dict[str, str] = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "pl": "Polish",
    "pt": "Portuguese", "it": "Italian", "fi": "Finnish", "gl": "Galician", "ar": "Arabic",
    "ru": "Russian", "cs": "Czech", "ro": "Romanian", "nl": "Dutch", "sv": "Swedish",
    "da": "Danish", "nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal", "tr": "Turkish",
    "hu": "Hungarian", "ko": "Korean", "ca": "Catalan", "el": "Greek", "uk": "Ukrainian",
    "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian", "et": "Estonian", "lv": "Latvian",
    "lt": "Lithuanian", "la": "Latin",
}
"""ISO 639-1 codes of ``<html lang>`` mapped to jusText stop-list names."""

DETECT_CANDIDATES: tuple[str, ...] = (
    "English", "German", "Spanish", "French", "Polish", "Portuguese", "Italian", "Finnish",
    "Dutch", "Czech", "Romanian", "Russian", "Arabic",
)
"""Stop lists tried when the page does not name a language jusText knows."""

LANGUAGE_INDEPENDENT = ""
"""Stop-list name meaning jusText's language-independent mode."""

CJK_MODE = "CJK"
"""Language-independent mode with length thresholds for Chinese/Japanese/Korean script."""

_HTML_LANG = re.compile(r"<html\b[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

Reads = Literal["html", "text"]


@dataclass(frozen=True)
class Tool:
    """One cleaner under test."""

    name: str
    reads: Reads
    settings: str
    extract: Callable[..., str | None]
    prepare: Callable[[Mapping[str, Any]], dict[str, Any]] = field(default=lambda page: {})
    packages: tuple[str, ...] = ()
    revision: str = "1"
    cached: bool = True

    def signature(self) -> str:
        """What the cached outputs depend on: settings, revision and package versions."""
        return f"{self.name}|{self.settings}|rev {self.revision}|{package_versions(self.packages)}"


def package_versions(names: tuple[str, ...]) -> str:
    """``name version`` for each installed distribution, comma separated."""
    out = []
    for n in names:
        try:
            out.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            if n == "boilerstrip":  # run from the source tree, not installed
                import boilerstrip

                out.append(f"boilerstrip {boilerstrip.__version__} (source tree)")
            else:
                out.append(f"{n} (not installed)")
    return ", ".join(out)


def quiet_logs() -> None:
    """Silence the anchors' per-page warnings (readability, trafilatura, htmldate...)."""
    for name in ("readability", "readability.readability", "trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# --- HTML tools -------------------------------------------------------------------------------


def run_trafilatura(html: str) -> str | None:
    """trafilatura on the page, comments excluded, tables included."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True)


def run_readability(html: str) -> str | None:
    """readability-lxml's main-content HTML, as text with line breaks between blocks."""
    import html_text
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return html_text.extract_text(summary, guess_layout=True) if summary else None


def run_resiliparse(html: str) -> str | None:
    """Resiliparse's plain-text extraction with its main-content heuristics."""
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True)


# --- jusText ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def stoplist(name: str) -> frozenset[str]:
    """A jusText stop list by name; the empty name gives the empty set."""
    if name in (LANGUAGE_INDEPENDENT, CJK_MODE):
        return frozenset()
    import justext

    return frozenset(justext.get_stoplist(name))


def html_lang(html: str) -> str | None:
    """The two-letter language of ``<html lang=...>``, lower-cased, if any."""
    m = _HTML_LANG.search(html[:20000])
    return m.group(1)[:2].lower() if m else None


def detect_stoplist(text: str, *, min_share: float = 0.05) -> str:
    """The candidate stop list covering the largest share of ``text``'s words.

    Returns :data:`CJK_MODE` for mostly-CJK text and :data:`LANGUAGE_INDEPENDENT` when no list
    reaches ``min_share``.
    """
    toks = tokens(text)[:5000]
    if not toks:
        return LANGUAGE_INDEPENDENT
    if sum(1 for t in toks if _CJK_CHAR.fullmatch(t)) > 0.3 * len(toks):
        return CJK_MODE
    best, share = LANGUAGE_INDEPENDENT, min_share
    for name in DETECT_CANDIDATES:
        words = stoplist(name)
        s = sum(1 for t in toks if t in words) / len(toks)
        if s > share:
            best, share = name, s
    return best


def choose_stoplist(page: Mapping[str, Any]) -> str:
    """jusText stop-list name for a page (see the module docstring)."""
    if page.get("dataset") in ENGLISH_SETS:
        return "English"
    text = str(page.get("text", ""))
    if _CJK_CHAR.search(text[:5000]) and detect_stoplist(text) == CJK_MODE:
        return CJK_MODE
    lang = html_lang(str(page.get("html", "")))
    if lang in ISO_TO_STOPLIST:
        return ISO_TO_STOPLIST[lang]
    return detect_stoplist(text)


def justext_options(page: Mapping[str, Any]) -> dict[str, Any]:
    """``prepare`` for the jusText tools: the stop list name."""
    return {"language": choose_stoplist(page)}


def _justext_paragraphs(html: str, language: str) -> str:
    import justext

    if language == CJK_MODE:
        paras = justext.justext(html, frozenset(), stopwords_low=0, stopwords_high=0, length_low=20, length_high=60)
    elif language == LANGUAGE_INDEPENDENT:
        paras = justext.justext(html, frozenset(), stopwords_low=0, stopwords_high=0)
    else:
        paras = justext.justext(html, stoplist(language))
    return "\n".join(p.text for p in paras if not p.is_boilerplate)


def run_justext(html: str, language: str = "English") -> str:
    """jusText on the page HTML."""
    return _justext_paragraphs(html, language)


def lines_as_html(text: str) -> str:
    """Each non-blank line of ``text`` as one escaped ``<p>`` paragraph.

    >>> lines_as_html("a < b\\n\\nc")
    '<html><body><p>a &lt; b</p>\\n<p>c</p></body></html>'
    """
    paras = [f"<p>{html_lib.escape(line.strip(), quote=False)}</p>" for line in text.splitlines() if line.strip()]
    return "<html><body>" + "\n".join(paras) + "</body></html>"


def run_justext_text(text: str, language: str = "English") -> str:
    """jusText over the scraped text, one paragraph per line."""
    if not text.strip():
        return ""
    return _justext_paragraphs(lines_as_html(text), language)


# --- text tools -------------------------------------------------------------------------------


def run_c4(text: str) -> str:
    """C4-style line rules (benchmarks/c4.py)."""
    from benchmarks.c4 import c4_clean

    return c4_clean(text)


def run_keep_all(text: str) -> str:
    """The scraped text as is."""
    return text


def run_boilerstrip(text: str, model_path: str | None = None) -> str:
    """boilerstrip on the scraped text (with a model file of its own instead of the shipped one)."""
    import boilerstrip

    if model_path is None:
        return boilerstrip.clean(text)
    return boilerstrip.clean(text, config=boilerstrip.Config(model_path=model_path))


def _source_hash(name: str) -> str:
    return hashlib.sha1((Path(__file__).parent / name).read_bytes()).hexdigest()[:10]


def all_tools(model_path: str | None = None, fold_models: str | None = None) -> dict[str, Tool]:
    """Every tool by name, in the order tables list them; ``model_path`` gives boilerstrip a
    model file of its own (``Config(model_path=...)``); ``fold_models``, a folder written by
    ``python -m benchmarks.train_model --folds``, gives it on each page of a permissive set the
    model trained without that page's dev fold (the shipped model elsewhere)."""
    boilerstrip_tool = Tool("boilerstrip", "text", "boilerstrip.clean(text), default Config", run_boilerstrip,
                            packages=("boilerstrip",), cached=False)
    if model_path is not None:
        boilerstrip_tool = replace(boilerstrip_tool, settings=f"boilerstrip.clean(text), Config(model_path={model_path!r})",
                                   prepare=lambda page: {"model_path": model_path})
    elif fold_models is not None:
        def fold_model(page: Mapping[str, Any]) -> dict[str, Any]:
            if page.get("dataset") not in PERMISSIVE_SETS:
                return {}
            return {"model_path": str(Path(fold_models) / str(dev_fold(page)) / "model.json")}

        boilerstrip_tool = replace(boilerstrip_tool, prepare=fold_model,
                                   settings=f"boilerstrip.clean(text), the model of {fold_models}/<dev fold> on permissive sets")
    return {
        t.name: t
        for t in (
            boilerstrip_tool,
            Tool("trafilatura", "html", "extract(html, include_comments=False, include_tables=True)",
                 run_trafilatura, packages=("trafilatura",)),
            Tool("readability", "html", "Document(html).summary(html_partial=True) -> html_text",
                 run_readability, packages=("readability-lxml", "html-text")),
            Tool("resiliparse", "html", "extract_plain_text(html, main_content=True)",
                 run_resiliparse, packages=("Resiliparse",)),
            Tool("justext", "html", "justext(html, stoplist by language), default thresholds",
                 run_justext, prepare=justext_options, packages=("jusText",)),
            Tool("justext-text", "text", "justext over <p>-wrapped lines of the scraped text",
                 run_justext_text, prepare=justext_options, packages=("jusText",)),
            Tool("c4-rules", "text", "C4 line rules, >= 3 words, line-level only", run_c4,
                 revision=_source_hash("c4.py")),
            Tool("keep-all", "text", "scraped text unchanged", run_keep_all, cached=False),
        )
    }
