"""From text to a :class:`~boilerstrip.report.Report`: segment, score each line, settle by context.

>>> from boilerstrip.config import Config
>>> r = decide("Related\\n- One story\\n- Another story\\n", Config())
>>> [(d.kind, d.kept) for d in r.lines]
[('related', False), ('related', False), ('related', False)]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import Any

from boilerstrip import context
from boilerstrip.compiled import extension, extension_slots, record_slots
from boilerstrip.config import Config
from boilerstrip.context import Verdict, VerdictTemplate, verdicts_from
from boilerstrip.features import LineFeatures, features_of_lines
from boilerstrip.langdetect import detect_language
from boilerstrip.lexicon import Hit, Lexicon, all_stopwords, load_lexicon, stopwords
from boilerstrip.model import LineModel, WordScores, model_from_file, shipped_model, shipped_word_scores
from boilerstrip.refine import refine_with_model
from boilerstrip.render import keep_blank_lines, render
from boilerstrip.report import FLAG_ALL_NOISE, FLAG_MOSTLY_DROPPED, LineDecision, Report
from boilerstrip.rules import KindScore, hit_scores, lexical, shape
from boilerstrip.segment import Line, split_lines

HEADER_FORMS = ("exact", "regex")
LOCK_SCORE = 0.9
"""A line whose lexicon score reaches this is noise whatever the learned model says."""
MAX_PASSES = 30
"""How many times the kept text is decided again in search of a fixed point."""
MOSTLY_DROPPED_MIN_CHARS = 2000
"""Documents at least this long are flagged when they keep less than :data:`MOSTLY_DROPPED_SHARE`."""
MOSTLY_DROPPED_SHARE = 0.1


@dataclass
class Analysis:
    """Lines, their features and their verdicts after the rules and the context pass."""

    lines: list[Line]
    feats: list[LineFeatures]
    verdicts: list[Verdict]
    language: str
    span: tuple[int, int] | None
    thread: int | None = None
    """The line that opens the comment thread below the article, if the context pass found one."""


@dataclass
class Memo:
    """What a document's passes can share, per line text: its features, its context-free
    verdict (from its lexicon hits and line-level scores), and its words for duplicate detection
    (all depend on the text alone; the words are kept only when ``find_repeats`` runs without
    its compiled call, which cuts them anew each pass)."""

    feats: dict[str, LineFeatures]
    verdicts: dict[str, VerdictTemplate]
    words: dict[str, list[str]]


def analyse(
    text: str,
    config: Config,
    *,
    language: str | None = None,
    memo: Memo | None = None,
    word_scores: Mapping[str, float] | None = None,
) -> Analysis:
    """Segment ``text``, score every line with the rules and settle it by context.

    ``language`` skips detection; ``memo`` carries what earlier passes over the same document
    computed, so later passes over the kept text reuse it; ``word_scores`` replaces the shipped
    per-word scores (training uses scores learned without the page at hand).
    """
    lines = split_lines(text)
    language = language or config.language or detect_language(text)
    # A language the user names gives its own function words; otherwise every language's
    # count, so mixed-language pages and misdetections still read as prose.
    stop = stopwords(config.language) if config.language else all_stopwords()
    memo = memo or Memo({}, {}, {})
    if word_scores is None:
        word_scores = _learned(config)[1]
    texts = [line.text for line in lines]
    new = [t for t in dict.fromkeys(texts) if t not in memo.feats]
    memo.feats.update(zip(new, features_of_lines(new, stop, word_scores)))
    feats = [memo.feats[t] for t in texts]
    verdicts = _line_verdicts(feats, texts, load_lexicon(config.extra_phrases), config.drop_threshold, memo)
    span, thread = _context_pass(texts, feats, verdicts, memo)
    return Analysis(lines, feats, verdicts, language, span, thread)


@dataclass
class Outcome:
    """The settled decisions of a document: every line, its verdict, and the kept text."""

    lines: list[Line]
    feats: list[LineFeatures]
    verdicts: list[Verdict]
    kept: list[bool]
    language: str
    text: str


UNDETECTED = "und"
"""The language recorded when detection was skipped (``clean`` without the learned model needs
none: every language's function words count unless the config names one)."""


def settle(text: str, config: Config, *, detect: bool = True, explain: bool = False) -> Outcome:
    """Decide every line of ``text``; the kept text is a fixed point.

    The kept text is decided again (up to :data:`MAX_PASSES` times; two or three for most
    pages) until a pass drops nothing more, so cleaning the output again changes nothing.
    Lines dropped by a later pass say so in their reasons; a later pass detects the language
    again on the text it reads (``Outcome.language`` is the input's). ``detect=False`` skips language
    detection when the learned model is off (it only fills ``Report.language`` then; the
    model's cut depends on the language); ``explain`` names the features behind the
    learned model's decisions and words the reasons of lines a later pass drops with the
    document's line numbers, "pass 2: ..." (extra work that only reports need; without it such
    a line's verdict is the later pass's as it stands).
    """
    memo = Memo({}, {}, {})
    language = None if detect or config.language or config.use_model else UNDETECTED
    # The model's cut depends on the language, so a later pass detects it again on the text it
    # reads: cleaning the output anew then starts from the language the last pass used.
    redetect = language is None and not config.language and config.use_model
    lines, feats, verdicts, kept, language = _one_pass(text, config, language, memo, explain)
    source, out = text, render(lines, kept)
    for n in range(2, MAX_PASSES + 1):
        if out == source:
            break
        kept_idx = list(compress(range(len(kept)), kept))
        pass_language = detect_language(out) if redetect else language
        lines2, _, verdicts2, kept2, _ = _one_pass(out, config, pass_language, memo, explain)
        if len(lines2) != len(kept_idx) or all(kept2):
            break
        for j, i in enumerate(kept_idx):
            if not kept2[j]:
                kept[i] = False
                v = verdicts2[j]
                verdicts[i] = replace(v, reasons=[f"pass {n}: {renumber(r, kept_idx)}" for r in v.reasons]) if explain else v
        source, out = out, render(lines, kept)
    return Outcome(lines, feats, verdicts, kept, language, out)


_LINE_NUMBERS = re.compile(r"\b(lines?|to) (\d[\d, ]*)")


def renumber(reason: str, index: Sequence[int]) -> str:
    """``reason`` of a later pass with its line numbers, which count the lines of the text kept
    so far, turned into the document's: line ``j`` of that text is line ``index[j]``.

    >>> renumber("short line below the article (article runs from line 2 to 5)", [0, 3, 7, 9, 12, 20])
    'short line below the article (article runs from line 7 to 20)'
    >>> renumber("short line repeated at lines 1, 4 and 2 more: an image caption", [5, 6, 7, 8, 9])
    'short line repeated at lines 6, 9 and 2 more: an image caption'
    >>> renumber('menu item (nav lexicon: "see line 1") listed under the related header at line 1', [4, 8])
    'menu item (nav lexicon: "see line 1") listed under the related header at line 8'
    """

    def one(m: re.Match[str]) -> str:
        listed = m.group(2).rstrip(", ")
        rest = m.group(2)[len(listed) :]
        parts = listed.split(", ")
        if not all(p.isdigit() for p in parts) or any(int(p) >= len(index) for p in parts):
            return m.group(0)
        return f"{m.group(1)} " + ", ".join(str(index[int(p)]) for p in parts) + rest

    # Quoted parts are lexicon phrases and patterns (a user's phrase may hold "line 3"): left as they are.
    parts = reason.split('"')
    return '"'.join(_LINE_NUMBERS.sub(one, p) if k % 2 == 0 else p for k, p in enumerate(parts))


def clean_text(text: str, config: Config) -> str:
    """What :func:`decide` would put in ``Report.text``, without building the report."""
    if not text or text.isspace():  # not text.strip(), without copying the text
        return text
    return settle(text, config, detect=False).text


def decide(text: str, config: Config) -> Report:
    """Decide every line of ``text`` under ``config`` (see :func:`settle`)."""
    if not text or text.isspace():
        return _unchanged(text, config)
    o = settle(text, config, explain=True)
    decisions = tuple(
        LineDecision(
            index=line.index,
            text=line.text,
            kept=k,
            kind=v.kind,
            score=round(v.score, 4),
            scores=dict(sorted(v.scores.items(), key=lambda kv: -kv[1])),
            reasons=tuple(v.reasons),
        )
        for line, v, k in zip(o.lines, o.verdicts, o.kept)
    )
    return Report(text=o.text, lines=decisions, language=o.language, flags=_flags(o.feats, o.kept))


def _unchanged(text: str, config: Config) -> Report:
    """Empty or whitespace-only text comes back as it is."""
    decisions = tuple(
        LineDecision(line.index, line.text, True, "blank", 1.0, {}, ("whitespace-only text comes back unchanged",))
        for line in split_lines(text)
    )
    return Report(text=text, lines=decisions, language=config.language or UNDETECTED)


def _one_pass(
    text: str, config: Config, language: str | None, memo: Memo, explain: bool = False
) -> tuple[list[Line], list[LineFeatures], list[Verdict], list[bool], str]:
    a = analyse(text, config, language=language, memo=memo)
    model = _model(config)
    if model is not None:
        refine_with_model(
            model, a.feats, a.verdicts, a.span, config.profile, explain=explain, thread=a.thread, language=a.language
        )
    texts = list(map(_TEXT, a.lines))
    allow = tuple(phrase.casefold() for phrase in config.allow)
    kept = _kept_lines(texts, a.verdicts, config, allow)
    for i in context.mark_below_footer(a.feats, a.verdicts, kept):
        kept[i] = _keep_line(texts[i], a.verdicts[i], config, allow)
    kept = keep_blank_lines(kept, list(map(_IS_BLANK, a.feats)), a.lines)
    return a.lines, a.feats, a.verdicts, kept, a.language


_TEXT = attrgetter("text")
_IS_BLANK = attrgetter("blank")


def _model(config: Config) -> LineModel | None:
    """The learned model the config asks for: none, a file of its own, or the shipped one."""
    return _learned(config)[0] if config.use_model else None


def _learned(config: Config) -> tuple[LineModel | None, WordScores]:
    """The model and per-word scores of ``config.model_path``, or the shipped ones (the word
    scores are features even when the model is off)."""
    if config.model_path:
        return model_from_file(config.model_path)
    return shipped_model(), shipped_word_scores()


def _line_verdicts(
    feats: list[LineFeatures], texts: list[str], lexicon: Lexicon, threshold: float, memo: Memo
) -> list[Verdict]:
    """Context-free verdicts: the strongest noise kind when it clears the threshold (decided
    once per distinct line text, see :func:`line_templates`)."""
    return verdicts_from(line_templates(feats, texts, lexicon, threshold, memo.verdicts))


def line_templates(
    feats: list[LineFeatures], texts: list[str], lexicon: Lexicon, threshold: float, made: dict[str, VerdictTemplate]
) -> list[VerdictTemplate]:
    """The context-free template of each line (:func:`_verdict_template`), from ``made`` (line
    text to template) or decided and stored there. Run by the compiled ``boilerstrip._cstages``
    when it is built (:data:`COMPILED`), which reads the lexicon's memo and the shape rule's
    fields itself, matches a key the memo lacks itself (:meth:`Lexicon.compiled_match`) and
    calls Python for lines with hits and the full byline test; otherwise by
    :func:`python_line_templates`: the same templates.

    >>> texts = ["Home News Sport", "", "Home News Sport", "12:30"]
    >>> made = {}
    >>> got = line_templates(features_of_lines(texts, frozenset()), texts, load_lexicon(), 0.5, made)
    >>> [t[2][0][:18] if t[2] else "" for t in got]
    ['weak nav evidence ', 'empty line', 'weak nav evidence ', 'date or time stamp']
    >>> got[0] is got[2] is made["Home News Sport"], len(made)
    (True, 3)
    """
    if _C is not None and type(lexicon) is Lexicon:

        def hit_template(f: LineFeatures, text: str, hits: tuple[Hit, ...]) -> VerdictTemplate:
            return _hits_template(hits, lexical.reads_like_prose(f), shape.fired(f, text), threshold)

        got = _C.line_templates(
            feats, texts, made, lexicon._memo, lexicon.match, _shape_table(threshold), _BLANK, _C_FIRST_CHARS,
            shape.is_byline, hit_template, LineFeatures, _C_SLOTS, lexicon.compiled_match(),
        )
        if got is not NotImplemented:  # it hands back inputs of types it does not read
            return got
    return python_line_templates(feats, texts, lexicon, threshold, made)


def python_line_templates(
    feats: list[LineFeatures], texts: list[str], lexicon: Lexicon, threshold: float, made: dict[str, VerdictTemplate]
) -> list[VerdictTemplate]:
    """:func:`line_templates` in pure Python."""
    templates: list[VerdictTemplate] = []
    for f, text in zip(feats, texts):
        got = made.get(text)
        if got is None:
            got = made[text] = _verdict_template(f, text, lexicon, threshold)
        templates.append(got)
    return templates


_BLANK: VerdictTemplate = ("blank", 1.0, ("empty line",), {}, False, False)
_PLAIN: VerdictTemplate = ("body", 0.5, (), {}, False, False)
"""A line no rule scored (templates are copied into verdicts, so lines share these)."""


def _verdict_template(f: LineFeatures, text: str, lexicon: Lexicon, threshold: float) -> VerdictTemplate:
    """The context-free verdict of a line as plain data: its strongest noise kind when the
    score clears ``threshold``, otherwise body, with the weak evidence as a reason."""
    if f.blank:
        return _BLANK
    hits = lexicon.match(f.key)
    bits = shape.fired(f, text)
    if not hits:  # most lines: the shape rule alone speaks, and says one of a few things
        return _hits_template((), False, bits, threshold) if bits else _PLAIN
    return _hits_template(hits, lexical.reads_like_prose(f), bits, threshold)


@lru_cache(maxsize=4096)
def _hits_template(hits: tuple[Hit, ...], prose: bool, bits: int, threshold: float) -> VerdictTemplate:
    """The verdict of a line with these lexicon hits (none: ``()``, ``prose`` False), reading
    like prose or not, whose shape gives ``bits``: all the rules' scores depend on
    (:func:`rules.hit_scores`), so lines of different texts with the same hits share it (the
    same hits recur across pages; a line without hits has one of sixteen)."""
    return _template_of(hit_scores(hits, prose, bits), hits, threshold)


@lru_cache(maxsize=16)
def _shape_table(threshold: float) -> tuple[VerdictTemplate, ...]:
    """The template of each shape bits under ``threshold``, :data:`_PLAIN` for none (the
    compiled :func:`line_templates` looks them up)."""
    return (_PLAIN, *(_hits_template((), False, bits, threshold) for bits in range(1, 1 << len(shape.SCORES))))


def _template_of(scores: dict[str, KindScore], hits: Sequence[Hit], threshold: float) -> VerdictTemplate:
    """The template of a line the rules scored ``scores`` (``hits``: its lexicon hits)."""
    if not scores:
        return _PLAIN
    rounded = {k: round(s.value, 4) for k, s in scores.items()}
    kind = max(scores, key=lambda k: scores[k].value)
    best = scores[kind]
    if best.value < threshold:
        return ("body", 0.5, (f"weak {kind} evidence ({best.value:.2f}): {best.reasons[0]}",), rounded, False, False)
    header = kind in context.HEADER_KINDS and any(h.kind == kind and h.form in HEADER_FORMS for h in hits)
    return (kind, best.value, best.reasons, rounded, header, best.value >= LOCK_SCORE)


_TEMPLATE_FIELDS = ("key", "words", "stop_ratio", "cap_ratio", "digit_ratio", "punct_ratio", "ends_sentence", "cjk", "blank")
"""The LineFeatures fields the compiled :func:`line_templates` reads, in the order it takes their slots."""


def _compiled_templates() -> tuple[Any, tuple[Any, ...], str]:
    """The C module, the LineFeatures slot descriptors it reads, and the characters a byline can
    open with (``shape._FIRST_CHARS`` as a str); ``(None, (), "")`` when it is not built, the
    records no longer have those slots, or it does not take them (a build older than the code)."""
    none: tuple[Any, tuple[Any, ...], str] = (None, (), "")
    _cstages = extension("_cstages", "line_templates")
    slots = record_slots(LineFeatures, _TEMPLATE_FIELDS, all_fields=False) if _cstages is not None else None
    first = "".join(sorted(shape._FIRST_CHARS))
    if _cstages is None or slots is None or len(first) != len(shape._FIRST_CHARS) or len(shape.SCORES) != 4:
        return none
    try:
        _cstages.line_templates([], [], {}, {}, len, (_PLAIN,) * 16, _BLANK, first, len, len, LineFeatures, slots)
    except TypeError:
        return none
    return _cstages, slots, first


_C, _C_SLOTS, _C_FIRST_CHARS = _compiled_templates()
COMPILED = _C is not None
"""Whether :func:`line_templates` runs the compiled ``boilerstrip._cstages``."""


_C_KEPT, (_C_KEPT_SLOTS,) = extension_slots("_cstages", "kept_lines", (Verdict, "KEPT_VERDICT_FIELDS"))
KEPT_COMPILED = _C_KEPT is not None
"""Whether :func:`_kept_lines` runs the compiled ``boilerstrip._cstages``."""


def _context_pass(
    texts: list[str], feats: list[LineFeatures], verdicts: list[Verdict], memo: Memo
) -> tuple[tuple[int, int] | None, int | None]:
    """The article span and the line opening its comment thread, after marking lines by context."""
    context.settle_head(texts, feats, verdicts, memo.words)
    return context.settle_span(feats, verdicts)


def _kept_lines(texts: list[str], verdicts: list[Verdict], config: Config, allow: tuple[str, ...]) -> list[bool]:
    """:func:`_keep_line` of every line, without the call for the lines it would settle
    without a word (blank lines, body, and noise of a dropped kind when no phrase is allowed).
    Run by the compiled ``boilerstrip._cstages`` when it is built (:data:`KEPT_COMPILED`), which
    calls :func:`_keep_line` for the other lines, otherwise by :func:`python_kept_lines`: the same
    list and reasons."""
    if _C_KEPT is not None:
        got = _C_KEPT.kept_lines(
            texts, verdicts, Verdict, _C_KEPT_SLOTS, config.drop, bool(allow),
            lambda text, v: _keep_line(text, v, config, allow), "blank", "title",
        )
        if got is not NotImplemented:  # it hands back, before any call, what is not plain lists and records
            return got
    return python_kept_lines(texts, verdicts, config, allow)


def python_kept_lines(texts: list[str], verdicts: list[Verdict], config: Config, allow: tuple[str, ...]) -> list[bool]:
    """:func:`_kept_lines` in pure Python."""
    drop = config.drop
    kept: list[bool] = []
    for text, v in zip(texts, verdicts):
        kind = v.kind
        if kind == "blank":
            kept.append(False)
        elif kind in drop and not allow and kind != "title":
            kept.append(False)
        elif not v.noise and kind not in drop and kind != "title":
            kept.append(True)
        else:
            kept.append(_keep_line(text, v, config, allow))
    return kept


def _keep_line(text: str, v: Verdict, config: Config, allow: tuple[str, ...]) -> bool:
    """Whether the config keeps a line of this verdict (and the reason when it overrules it);
    ``allow`` is the config's allowed phrases, case-folded once for the pass."""
    if v.kind == "blank":
        return False
    if v.kind == "title":
        if not config.keep_title:
            v.reasons.insert(0, "titles are not kept (keep_title=False)")
        return config.keep_title
    keep = v.kind not in config.drop
    if not keep and allow and any(a in text.casefold() for a in allow):
        keep = True
        v.reasons.insert(0, "kept: matches an allowed phrase")
    elif keep and v.noise:
        v.reasons.append(f"kept: {v.kind} is not among the kinds to drop")
    return keep


def _flags(feats: list[LineFeatures], kept: list[bool]) -> tuple[str, ...]:
    total = sum(f.chars for f in feats)
    if total == 0:
        return ()
    kept_chars = sum(f.chars for f, k in zip(feats, kept) if k)
    flags: list[str] = []
    if kept_chars == 0:
        flags.append(FLAG_ALL_NOISE)
    if total >= MOSTLY_DROPPED_MIN_CHARS and kept_chars < MOSTLY_DROPPED_SHARE * total:
        flags.append(FLAG_MOSTLY_DROPPED)
    return tuple(flags)
