"""The context pass: settle each line with its neighbours and its place in the document.

Line rules say what a line looks like on its own; here a "Related" header claims the headline
list under it, a tag header its tags, lines that share a trailing " - Site" are titles of
linked pages, repeated short lines become captions, later copies of a
paragraph become duplicates, the region above the article and below it lose their furniture,
and short lines between paragraphs stay as headings. Every change records its reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from boilerstrip.compiled import extension, extension_slots, record_slots
from boilerstrip.duplicates import find_repeats
from boilerstrip.features import LineFeatures

CONTENT = ("body", "heading", "title")
NOT_NOISE = frozenset((*CONTENT, "blank"))
"""The kinds of a line that is not noise."""
CJK_PROSE_CHARS = 20
"""A Chinese or Japanese line this long reads as prose."""
ANCHOR_WORDS = 25
"""A prose line with at least this many words anchors the article."""
LIST_KINDS = ("related", "meta")
"""Kinds whose header claims the list below it."""
HEADER_KINDS = (*LIST_KINDS, "comments")
"""Kinds whose whole-line lexicon match makes a header."""
CAPTION_MIN_WORDS = 4
"""Repeated lines shorter than this are not taken for captions."""


@dataclass(slots=True)
class Verdict:
    """The working decision on one line while the passes run."""

    kind: str
    score: float
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    header: bool = False
    locked: bool = False
    noise: bool = field(init=False, repr=False, compare=False)
    """True when the line currently counts as noise (its kind is not in :data:`NOT_NOISE`); it
    follows the kind as :meth:`set` changes it, so change the kind through :meth:`set`."""

    def __post_init__(self) -> None:
        self.noise = self.kind not in NOT_NOISE

    def set(self, kind: str, score: float, reason: str, *, lock: bool = False) -> None:
        """Change the kind, putting the deciding reason first; ``lock`` keeps the learned
        model from overruling it (structural evidence: lists under headers, repeats...)."""
        self.kind, self.score = kind, score
        self.noise = kind not in NOT_NOISE
        self.reasons.insert(0, reason)
        self.locked = self.locked or lock


VerdictTemplate = tuple[str, float, tuple[str, ...], dict[str, float], bool, bool]
"""A line's context-free verdict as plain data: :class:`Verdict`'s fields in order, the reasons
as a tuple. Lines of the same text share one; each line gets its own :class:`Verdict` from it."""


def verdicts_from(templates: list[VerdictTemplate]) -> list[Verdict]:
    """A new :class:`Verdict` per template, with its own reasons list and scores dict. Made by
    the compiled ``boilerstrip._cstages`` when it is built (:data:`COMPILED`), otherwise by
    :func:`python_verdicts_from`: equal records.

    >>> verdicts_from([("nav", 0.95, ("menu",), {"nav": 0.95}, True, True)])
    [Verdict(kind='nav', score=0.95, reasons=['menu'], scores={'nav': 0.95}, header=True, locked=True)]
    """
    if _C is not None:
        got = _C.verdicts(Verdict, _C_SLOTS, templates, NOT_NOISE)
        if got is not NotImplemented:  # it hands back what is not a list of exact templates
            return got
    return python_verdicts_from(templates)


def python_verdicts_from(templates: list[VerdictTemplate]) -> list[Verdict]:
    """:func:`verdicts_from` in pure Python."""
    return [Verdict(k, s, list(r), dict(d), h, lock) for k, s, r, d, h, lock in templates]


def _compiled_verdicts() -> tuple[Any, tuple[Any, ...]]:
    """The C module and Verdict's slot descriptors in the order it fills them; ``(None, ())``
    when it is not built or Verdict's fields are no longer those it fills."""
    _cstages = extension("_cstages", "verdicts", "VERDICT_INIT_FIELDS")
    slots = record_slots(Verdict, _cstages.VERDICT_INIT_FIELDS) if _cstages is not None else None
    return (_cstages, slots) if slots is not None else (None, ())


_C, _C_SLOTS = _compiled_verdicts()
COMPILED = _C is not None
"""Whether :func:`verdicts_from` runs the compiled ``boilerstrip._cstages``."""


def prose_like(f: LineFeatures) -> bool:
    """Long or sentence-shaped text with function words: what article paragraphs look like
    (a long Title-Case headline is not). Chinese text counts by its length."""
    # The compiled design-matrix table (_cstages.c, prose_like) tests the same: a change here needs
    # it there too (tests/test_cstages.py fails until then).
    if f.cjk:
        return f.chars >= CJK_PROSE_CHARS
    if f.words < 10:  # too short for either test below
        return False
    return f.sentence_like or (f.words >= 20 and f.stop_ratio >= 0.15 and f.cap_ratio < 0.6)


def article_span(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> tuple[int, int] | None:
    """First and last anchor line of the article, or ``None`` when nothing reads like one.

    The article ends at its last anchor that ends like a sentence: anchors after it without a
    sentence end are long teaser headlines of the lists below an article, not its paragraphs.
    Found by the compiled ``boilerstrip._ccontext`` when it is built (:data:`SPAN_COMPILED`),
    otherwise by :func:`python_article_span`: the same span.
    """
    if _X is not None:
        got = _X.article_span(feats, verdicts, *_X_RECORDS)
        if got is not NotImplemented:  # it hands back records of types it does not handle
            return got
    return python_article_span(feats, verdicts)


def python_article_span(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> tuple[int, int] | None:
    """:func:`article_span` in pure Python."""
    for min_words in (ANCHOR_WORDS, 10):
        # the length test first: most lines are short, and it spares them the other tests
        long = [i for i, f in enumerate(feats) if f.words >= min_words or (f.cjk and f.chars >= 2 * min_words)]
        idx = [i for i in long if not verdicts[i].noise and prose_like(feats[i])]
        ended = [i for i in idx if feats[i].ends_sentence or feats[i].cjk]
        if ended:
            idx = [i for i in idx if i <= ended[-1]]
        if idx:
            return idx[0], idx[-1]
    return None


def grow_span(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], span: tuple[int, int]) -> tuple[int, int]:
    """Widen the anchored span over nearby shorter sentences: the article's first and last
    paragraphs are often short. Growth stops at noise, the title, or :data:`MAX_GAP` lines
    in a row that are not sentences."""
    first, last = span
    return _grow(feats, verdicts, first, -1), _grow(feats, verdicts, last, 1)


MAX_GAP = 3


def _grow(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], edge: int, step: int) -> int:
    gap, j = 0, edge + step
    while 0 <= j < len(feats):
        f, v = feats[j], verdicts[j]
        if not f.blank:
            if v.noise or v.kind == "title":
                break
            if prose_like(f) or _short_sentence(f):
                edge, gap = j, 0
            else:
                gap += 1
                if gap > MAX_GAP:
                    break
        j += step
    return edge


def _short_sentence(f: LineFeatures) -> bool:
    return f.ends_sentence and f.words >= 6 and f.stop_ratio >= 0.1 and f.cap_ratio < 0.65


def _next_nonblank(feats: Sequence[LineFeatures], i: int, step: int = 1) -> int | None:
    j = i + step
    while 0 <= j < len(feats):
        if not feats[j].blank:
            return j
        j += step
    return None


_FRACTIONS = "½¼¾⅓⅔"
_AMOUNT = (
    rf"^(?:\d+(?:[.,/]\d+)?|[{_FRACTIONS}]|\d+\s*[{_FRACTIONS}])\s*(?:-\s*\d+\s*)?"
    r"(?:g|kg|mg|ml|l|cl|dl|el|tl|msp|prise|prisen|stück|stk|dose/n|dosen?|pck|päckchen|pkt|bund|zehen?|zehe/n"
    r"|becher|tasse/n|tassen?|scheiben?|cups?|tbsp|tsp|oz|lbs?|tablespoons?|teaspoons?|cloves?|pinch|slices?"
    r"|cs|cc|c\.à\.s|c\.à\.c|cuchara(?:s|das?)?|gramos?|łyżk[ia]|łyżeczk[ia]|szklank[ia]|dag)\b\.?"
)
_QUANTITY = re.compile(_AMOUNT + r"(?:\s+\S|$)", re.IGNORECASE)
"""A recipe's ingredient line: a quantity, a unit and what it measures ("200 g Zucker",
"2 tbsp oil", "1/2 cup of milk"), or the quantity alone when the page puts what it measures
on the next line ("135 g" / "Butter")."""


def _counted(key: str) -> bool:
    """The line starts with a number or a fraction (the first test of every ingredient line)."""
    return key[:1].isdigit() or key[:1] in _FRACTIONS


INGREDIENTS_MIN_RUN = 3
INGREDIENT_REASON = "ingredient list of a recipe"
INGREDIENT_MAX_WORDS = 12
INGREDIENT_COUNT_MAX_WORDS = 6
"""Inside an ingredient list, a line of up to this many words that starts with a number is
one more ingredient without a unit ("1 Ei(er)", "2 onions"); a short header ending in a
colon right above the list opens it ("Für den Mürbeteig:")."""
AMOUNT_MAX_WORDS = 3
"""A line of up to this many words that starts with a number ("135 g", "2 gestr. TL", "4")
is an amount whose ingredient is named on the next line."""


def mark_ingredients(feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> None:
    """Runs of :data:`INGREDIENTS_MIN_RUN` or more ingredient lines (see :data:`_QUANTITY`)
    are a recipe's ingredient list: body, whatever their place on the page, and the learned
    model may not drop them. Blank lines, short headers ending in a colon ("Für den Teig:",
    also right above the list), counted lines without a unit ("1 Ei(er)") and the name under
    an amount standing alone ("135 g" / "Butter") belong to the run."""
    # the quantity lines, found once
    quantity = {
        i
        for i, f in enumerate(feats)
        if (key := f.key)
        and (key[0].isdigit() or key[0] in _FRACTIONS)  # _counted, inline
        and f.words <= INGREDIENT_MAX_WORDS
        and _QUANTITY.match(key)
    }
    if len(quantity) < INGREDIENTS_MIN_RUN:
        return  # too few quantity lines on the page for any list
    run: list[int] = []

    def close() -> None:
        if sum(1 for k in run if k in quantity) >= INGREDIENTS_MIN_RUN:
            for k in run:
                if not verdicts[k].noise:
                    verdicts[k].set("body", 0.75, f"{INGREDIENT_REASON} (lines {run[0]} to {run[-1]})", lock=True)

    header: int | None = None  # a short line ending in a colon right above
    amount = False  # the line above is an amount whose ingredient this line names
    for i, f in enumerate(feats):
        key = f.key
        if f.blank:
            continue
        short = f.words <= INGREDIENT_COUNT_MAX_WORDS
        if i in quantity:
            if not run and header is not None:
                run.append(header)
            run.append(i)
        elif run and f.words <= INGREDIENT_MAX_WORDS and (key.endswith(":") or amount or (short and _counted(key))):
            run.append(i)
        elif run:
            close()
            run = []
        header = i if short and key.endswith(":") else None
        amount = f.words <= AMOUNT_MAX_WORDS and _counted(key)
    close()


def mark_list_blocks(feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> None:
    """A "Related" or "Tags" header claims the headline-like or tag-like lines that follow it."""
    for i, v in enumerate(verdicts):
        if not v.header or v.kind not in LIST_KINDS:
            continue
        kind = v.kind
        j = _next_nonblank(feats, i)
        while j is not None:
            f, w = feats[j], verdicts[j]
            if w.header:
                break
            if w.noise and w.kind not in (kind, "nav"):
                break  # other furniture ends the list (menu words are often tag names too)
            fits = f.words <= 25 and f.chars <= 200 and (f.bullet or f.headline_like or f.key[-1:] in "?!")
            if kind == "meta":
                fits = f.words <= 6 and not f.ends_sentence
            if not fits:
                break
            if w.kind != kind:
                w.set(kind, 0.8, f"listed under the {kind} header at line {i}", lock=True)
            j = _next_nonblank(feats, j)


_SITE_SUFFIX = re.compile(r"\s(?:-|\||–|—|::|»)\s+([^\W\d_][^-|–—:»$€£\d]{0,40})$")
"""The part of a line after its last dash or bar: the site's name in a linked page's title
("Headline - Site"). It starts with a letter and holds no digit or price (not "Model X - $330")."""
SUFFIX_MIN_LINES = 3
"""Lines that must share a trailing " - Site" before they count as a list of linked titles."""


def mark_suffixed_titles(texts: Sequence[str], feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> None:
    """Short lines without a sentence end that share their trailing " - Site" with two or more
    others are titles of linked pages (lists of other stories), not the article's text.

    On the train pages nearly all such lines are noise in the news sets; product listings
    ("Pixel 7 Screen - Genuine") are the exception (docs/how-it-decides.md has the counts).
    """
    found: dict[str, list[int]] = {}
    for i, (f, v) in enumerate(zip(feats, verdicts)):
        if f.blank or v.noise or f.words > 30 or (f.ends_sentence and not f.ends_ellipsis):
            continue
        m = _SITE_SUFFIX.search(f.key)
        if m is not None and m.start() >= 8 and len(m.group(1).split()) <= 5:
            found.setdefault(m.group(1).strip(), []).append(i)
    for lines in found.values():
        if len(lines) < SUFFIX_MIN_LINES:
            continue
        site = _SITE_SUFFIX.search(texts[lines[0]].strip())
        name = site.group(1).strip() if site else ""
        for i in lines:
            verdicts[i].set("related", 0.7, f'one of {len(lines)} lines ending in "{name}": titles of linked pages')


_BIO_OPENING = re.compile(
    r"(?i:about the (?:author|writer|reporter)s?)\s*:\s*(?:[^\w\s]\s*)?([A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){1,2})"
)
"""An author bio's opening and the name it is about ("About the author: Mike Adams ...")."""


def mark_author_bio(texts: Sequence[str], feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> None:
    """The paragraphs after an "About the author: Jane Doe ..." line that name the same person
    (her surname within their first words) continue the bio, up to the first that does not."""
    for i, v in enumerate(verdicts):
        if v.kind != "author":
            continue
        m = _BIO_OPENING.match(texts[i].strip())
        if m is None:
            continue
        surname = m.group(1).split()[-1]
        named = re.compile(rf"\b{re.escape(surname)}\b")
        j = _next_nonblank(feats, i)
        while j is not None and not verdicts[j].noise and prose_like(feats[j]) and named.search(texts[j][:120]):
            verdicts[j].set("author", 0.8, f"continues the author bio at line {i} (names {surname})", lock=True)
            j = _next_nonblank(feats, j)


def mark_author_names(texts: Sequence[str], feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> None:
    """A short name line next to an author bio that mentions it belongs to the author box."""
    for i, v in enumerate(verdicts):
        if v.kind != "author" or feats[i].words < 8:
            continue
        bio = texts[i].casefold()
        for step in (-1, 1):
            j = _next_nonblank(feats, i, step)
            while j is not None and abs(j - i) <= 4:
                f, w = feats[j], verdicts[j]
                name = texts[j].strip().casefold()
                if w.noise or f.words > 5 or f.ends_sentence or name not in bio:
                    break
                w.set("author", 0.85, f"name of the author whose bio is at line {i}", lock=True)
                j = _next_nonblank(feats, j, step)


def mark_repeats(
    texts: Sequence[str],
    feats: Sequence[LineFeatures],
    verdicts: list[Verdict],
    span: tuple[int, int] | None,
    cache: dict[str, list[str]] | None = None,
) -> None:
    """Repeated short lines are captions; later copies of anything else are duplicates."""
    first_of = find_repeats([t if not f.blank else "" for t, f in zip(texts, feats)], cache)
    groups: dict[int, list[int]] = {}
    for i, first in enumerate(first_of):
        if first is not None:
            groups.setdefault(first, [first]).append(i)
    start = span[0] if span else len(feats)
    for first, members in groups.items():
        f = feats[first]
        if verdicts[first].kind == "title" or any(verdicts[j].kind == "title" for j in members):
            for j in members:
                if j != first and verdicts[j].kind != "title" and not verdicts[j].noise:
                    verdicts[j].set("duplicate", 0.9, f"repeats the title at line {first}", lock=True)
            continue
        if verdicts[first].noise and verdicts[first].kind != "caption":
            for j in members[1:]:
                if not verdicts[j].noise:
                    verdicts[j].set("duplicate", 0.9, f"repeats line {first}", lock=True)
            continue
        if f.words < CAPTION_MIN_WORDS:
            continue  # short repeats (menu words, labels) are left to the other rules
        caption = f.words <= 30 and (not f.ends_sentence or first < start) and not f.bullet
        if caption and _copied_block(feats, first_of, first, members):
            caption = False  # a short paragraph of an article the page prints twice
        if caption:
            where = ", ".join(str(m) for m in members[:5]) + (f" and {len(members) - 5} more" if len(members) > 5 else "")
            heading = f.words <= HEADING_MAX_WORDS and (not f.ends_sentence or f.key.endswith("?"))
            for j in members:
                if heading and not verdicts[j].noise and _opens_paragraph(feats, verdicts, j):
                    continue  # a heading; its other copies are a table of contents or captions
                if not verdicts[j].noise or verdicts[j].kind == "caption":
                    verdicts[j].set("caption", 0.85, f"short line repeated at lines {where}: an image caption", lock=True)
        else:
            for j in members[1:]:
                verdicts[j].set(
                    "duplicate", 0.9, f"repeats line {first} (same words once quotes, case and spacing are ignored)", lock=True
                )


HEADING_MAX_WORDS = 10
HEADING_PARAGRAPH_WORDS = 30
"""A repeated line of up to :data:`HEADING_MAX_WORDS` words without a sentence end (or ending in
a question mark: "Wo kann man Adblue kaufen?"), followed by prose of this many words, is a
heading, not a caption (captions are longer or sentences)."""


def _opens_paragraph(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], i: int) -> bool:
    """The next non-blank line after ``i`` is a paragraph of prose (see :data:`HEADING_PARAGRAPH_WORDS`)."""
    k = _next_nonblank(feats, i)
    return k is not None and not verdicts[k].noise and prose_like(feats[k]) and feats[k].words >= HEADING_PARAGRAPH_WORDS


def _copied_block(feats: Sequence[LineFeatures], first_of: list[int | None], first: int, members: list[int]) -> bool:
    """The line's later copies all sit in copies of a longer stretch: each has a prose
    neighbour copied at the same distance (the page prints the article twice)."""
    neighbours = [k for k in (_next_nonblank(feats, first, -1), _next_nonblank(feats, first)) if k is not None]
    prose = [k for k in neighbours if prose_like(feats[k])]
    return all(any(0 <= k + m - first < len(feats) and first_of[k + m - first] == k for k in prose) for m in members[1:])


def mark_caption_copies(texts: Sequence[str], feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> None:
    """A line whose text sits inside a nearby caption (the caption without its credit) is a caption."""
    for i, v in enumerate(verdicts):
        if v.kind != "caption" or feats[i].blank:
            continue
        cap = feats[i].key
        for step in (-1, 1):
            j = _next_nonblank(feats, i, step)
            if j is None or abs(j - i) > 3:
                continue
            w, f = verdicts[j], feats[j]
            if not w.noise and f.words >= 3 and f.key and f.key in cap and len(f.key) < len(cap):
                w.set("caption", 0.85, f"same text as the caption at line {i}", lock=True)


TITLE_FAR_LINES = 16
"""A title with this many non-blank lines or more between it and the article is the page's
``<title>`` above the site's menus, not the article's headline: on the train pages of every
set such lines are mostly noise (dragnet: 2,537 noise tokens to 86 body)."""


def mark_title(feats: Sequence[LineFeatures], verdicts: list[Verdict], span: tuple[int, int] | None) -> int | None:
    """The first headline-like line above the article is its title. When a later line above
    the article repeats it or part of it (the page's ``<title>`` with the site's name, or a
    breadcrumb trail, then the headline itself), that later line is the title and the first
    is navigation. A title :data:`TITLE_FAR_LINES` lines above an article that holds the page
    (see :func:`holds_the_page`) is navigation too; its index is still returned, as the page
    title that :func:`headline_repeat` looks for."""
    end = span[0] if span else min(len(feats), 12)
    candidates = [i for i in range(end) if _title_like(feats[i], verdicts[i])]
    if not candidates:
        return None
    i = candidates[0]
    for j in candidates[1:]:
        key = feats[j].key
        if len(key) >= 12 and key in feats[i].key:
            verdicts[i].set("nav", 0.85, f"page title or breadcrumb holding the headline at line {j}", lock=True)
            i = j
            break
    if (
        span is not None
        and sum(1 for f in feats[i + 1 : span[0]] if not f.blank) >= TITLE_FAR_LINES
        and holds_the_page(feats, span)
    ):
        verdicts[i].set("nav", 0.7, f"page title, {TITLE_FAR_LINES} lines or more above the article (line {span[0]})")
        return i
    verdicts[i].set("title", 0.8, "first headline-like line above the article")
    return i


HEADLINE_SEPARATORS = (" | ", " - ", " – ", " — ", " » ", " :: ", " · ", " › ")
"""What joins a headline and a site's name in a page title ("Headline | Site", "Site » Headline")."""
OPENING_MIN_WORDS = 40
"""Prose words that must follow a repeated headline for it to open the article."""


def headline_repeat(
    feats: Sequence[LineFeatures], verdicts: list[Verdict], span: tuple[int, int] | None, title: int | None
) -> int | None:
    """The line inside or below the article span that repeats the headline part of the page
    title ("Headline | 47 Hats" first, "Headline" further down) opens the article when prose
    follows it and none comes right before it (below the span, when more prose follows it
    than the span holds): what lies between the two is a sidebar or a menu (author blurbs, a
    book plug, a site's blurb), which becomes noise, the page title navigation and the repeat
    the title. Returns the repeat's index.

    >>> from boilerstrip.features import line_features
    >>> from boilerstrip.lexicon import stopwords
    >>> lines = ["Keeper emails from a friend | 47 Hats", "Bob Walsh wrote a book on startups, and it is good.",
    ...          "Ask Bob", "Keeper emails from a friend", "For a week I have had great emails from a site. " * 4]
    >>> feats = [line_features(t, stopwords("en")) for t in lines]
    >>> verdicts = [Verdict("body", 0.5) for _ in lines]
    >>> verdicts[0] = Verdict("title", 0.9)
    >>> headline_repeat(feats, verdicts, (1, 4), 0), [v.kind for v in verdicts]
    (3, ['nav', 'nav', 'nav', 'title', 'body'])
    """
    if span is None or title is None:
        return None
    parts = _headline_parts(feats[title].key)
    if not parts:
        return None
    for j in range(max(span[0], title + 1), len(feats)):
        f = feats[j]
        if f.key not in parts or f.blank or verdicts[j].noise or f.words < 3:
            continue
        before = _next_nonblank(feats, j, -1)
        opening = _opening_words(feats, verdicts, j)
        if opening < OPENING_MIN_WORDS or (before is not None and not verdicts[before].noise and prose_like(feats[before])):
            return None  # a section heading or a list of teasers that names the page
        if j > span[1] and opening <= _prose_words(feats, span):
            return None  # below a longer article: a teaser of this page in a list
        verdicts[title].set("nav", 0.85, f"page title holding the headline at line {j}", lock=True)
        for i in range(title + 1, j):
            v = verdicts[i]
            if not feats[i].blank and not v.noise:
                kind, value = best_noise(v)
                v.set(kind, max(0.6, value), f"above the headline at line {j}, which repeats the page title", lock=True)
        verdicts[j].set("title", 0.8, f"repeats the headline of the page title at line {title}")
        return j
    return None


def _headline_parts(page_title: str) -> set[str]:
    """What a page title holds before or after one of its :data:`HEADLINE_SEPARATORS` ("Headline"
    and "47 Hats" in "Headline | 47 Hats"), when 12 characters or longer."""
    parts: set[str] = set()
    for sep in HEADLINE_SEPARATORS:
        for mark, before in ((sep.rstrip(), True), (sep.lstrip(), False)):
            at = page_title.find(mark)
            while at != -1:
                parts.add(page_title[:at] if before else page_title[at + len(mark) :])
                at = page_title.find(mark, at + 1)
    return {p for p in parts if len(p) >= 12}


OPENING_MAX_SHORT = 6
"""Short lines allowed between a headline and its first paragraph (share buttons, a byline,
the writer's title, the agency, a date)."""


def _opening_words(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], j: int) -> int:
    """Words of the run of prose right under line ``j`` (after at most
    :data:`OPENING_MAX_SHORT` short lines), up to the first line that is not prose."""
    words, short = 0, 0
    for k in range(j + 1, len(feats)):
        f = feats[k]
        if f.blank:
            continue
        if not verdicts[k].noise and prose_like(f):
            words += f.words
        elif words == 0 and short < OPENING_MAX_SHORT:
            short += 1
        else:
            break
    return words


def _title_like(f: LineFeatures, v: Verdict) -> bool:
    if v.noise or v.locked or f.blank or not (f.headline_like or (3 <= f.words <= 30 and not prose_like(f))):
        return False
    return not f.ends_sentence or f.key[-1:] in "?!"  # a sentence is a lede, not a title


SPAN_MIN_WORDS = 60
SPAN_MIN_SHARE = 0.1
"""An article span whose prose holds under :data:`SPAN_MIN_WORDS` words and under this share
of the page's words is a stray sentence on a page of other things (a listing, a table of
papers, a shop's product grid): see :func:`holds_the_page`."""


def holds_the_page(feats: Sequence[LineFeatures], span: tuple[int, int]) -> bool:
    """Whether the article span is the page's main text, so that what lies above and below it
    can be judged by its place (:func:`mark_regions`): it is, unless its prose is both short
    and a small part of the page (see :data:`SPAN_MIN_SHARE`).

    >>> from boilerstrip.features import line_features
    >>> from boilerstrip.lexicon import stopwords
    >>> line = "The council said that the new bus will stop here at noon every day."
    >>> feats = [line_features(line, stopwords("en"))] * 30
    >>> holds_the_page(feats, (0, 29)), holds_the_page(feats, (3, 3)), holds_the_page(feats, (3, 11))
    (True, False, True)
    """
    inside = _prose_words(feats, span)
    if inside >= SPAN_MIN_WORDS:
        return True
    return inside >= SPAN_MIN_SHARE * sum(f.words for f in feats)


def _prose_words(feats: Sequence[LineFeatures], span: tuple[int, int]) -> int:
    """Words of the prose lines from ``span[0]`` to ``span[1]``."""
    # the length test first: it spares most lines the call (prose_like needs ten words or CJK)
    return sum(f.words for f in feats[span[0] : span[1] + 1] if (f.words >= 10 or f.cjk) and prose_like(f))


SUBTITLE_REASON = "headline-like line right above the article: its subtitle or first heading"


def mark_regions(feats: Sequence[LineFeatures], verdicts: list[Verdict], span: tuple[int, int]) -> None:
    """Above the article only the title, a lede and a headline-like line right above its
    first line (a subtitle, a deck, the first section's heading) survive; below it, only prose
    that ends like a sentence (long teaser headlines below an article read like prose but have
    no full stop)."""
    first, last = span
    subtitle = _next_nonblank(feats, first, -1)
    for i in chain(range(first), range(last + 1, len(feats))):  # the lines outside the span
        f, v = feats[i], verdicts[i]
        if f.blank or v.noise or v.kind == "title" or v.locked:
            continue
        if i == subtitle and f.headline_like:
            v.reasons.append(SUBTITLE_REASON)
            continue
        above = i < first
        if above:
            keep = f.sentence_like or _short_sentence(f)
        else:
            keep = (f.ends_sentence or f.cjk) and prose_like(f)
        if keep:
            continue
        kind, value = best_noise(v)
        what = "line without a sentence end" if prose_like(f) else "short line"
        where = "above the article" if above else "below the article"
        v.set(kind, max(0.6, value), f"{what} {where} (article runs from line {first} to {last})")


def mark_comment_thread(feats: Sequence[LineFeatures], verdicts: list[Verdict], span: tuple[int, int]) -> int | None:
    """Below a comment-section header that follows the article's opening, the rest is the thread.
    Without a header, a run of commenter signatures opens it (see :func:`_signature_run`); a
    counter or prompt repeated under every post opens none (see :data:`PER_POST_MIN`).
    Returns the index of the line that opens the thread, if one does."""
    first = span[0]
    prose_before = 0
    stamps = _signature_run(feats, verdicts, first)
    per_post = _per_post_headers(feats, verdicts)
    for i, (f, v) in enumerate(zip(feats, verdicts)):
        header = v.kind == "comments" and v.header and f.key not in per_post and not _in_tab_bar(feats, verdicts, i)
        if i > first and prose_before >= 2 and (i == stamps or header):
            what = "header" if header else "first of a run of commenter name-and-time lines"
            if not v.noise:
                v.set("comments", 0.75, f"opens the comment thread: the {what}", lock=True)
            for j in range(i + 1, len(feats)):
                w = verdicts[j]
                if not feats[j].blank and not w.noise:
                    w.set("comments", 0.75, f"in the comment thread under the {what} at line {i}", lock=True)
            return i
        if prose_before < 2 and not v.noise and prose_like(f):  # more are not counted
            prose_before += 1
    return None


TAB_MAX_WORDS = 2
BARE_HEADERS = ("comments", "comment")


def _in_tab_bar(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], i: int) -> bool:
    """Whether the comments header at line ``i`` is one more tab of a tab bar or menu
    ("Article / Video / Slideshow / Comments", "Posts / Comments / Tweets") rather than the
    header of a thread below the article: the two lines above it are tabs (a word or two with a
    letter and no digit, no punctuation of a prompt, not share buttons), or one is and ``i`` is a bare
    "Comments" with no prose under it. Share buttons, counters and form prompts ("Print
    article: Print", "Forgot? Reset password", "| |", "104", "283 friends") do stand above
    thread headers."""
    below = _next_nonblank(feats, i, 1)
    bare = feats[i].key in BARE_HEADERS and below is not None and not prose_like(feats[below])
    above = _next_nonblank(feats, i, -1)
    for _ in range(1 if bare else 2):
        if above is None:
            return False
        f = feats[above]
        if (
            f.words > TAB_MAX_WORDS
            or not any(c.isalpha() for c in f.key)
            or any(c.isdigit() for c in f.key)
            or any(c in f.key for c in ":?*!")
            or verdicts[above].kind in ("social", "comments")
        ):
            return False
        above = _next_nonblank(feats, above, -1)
    return True


_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_DATE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,? \d{4}\b"
    r"|\b\d{1,2}\.? (?:de )?(?:jan|feb|mär|mar|apr|mai|jun|jul|aug|sep|okt|nov|dez|janv|févr|avr|juil|août|sept|oct|déc"
    r"|ene|abr|may|ago|dic|gen|mag|giu|lug|ott|set|fev|out|mrt|mei)[a-zäéû]*\.?,? (?:de )?\d{4}\b"
)
_POST_FOOTER = re.compile(
    r"\b(?:posted|published|updated|permalink|comments?|link|trackback|tracked|by|post|joined|wrote)\b"
    r"|\bcomment\(s\)|#\d"
)
"""Words of a blog post's footer ("Posted by Jane at 10:02 PM | Permalink | Comments (3)") or a
forum post's header ("Post by jane » ...", "#2"): a run of those marks a list of posts or a
forum thread, which is the page's content, not a comment thread under an article."""
SIGNATURE_MIN_RUN = 4
SIGNATURE_MAX_GAP = 12
STAMP_MAX_WORDS = 12
STAMP_MAX_CHARS = 100


def _stamp(f: LineFeatures) -> bool:
    """A short line with a date and a time and no post-footer words: a comment's signature."""
    if f.blank or f.words > STAMP_MAX_WORDS or len(f.key) > STAMP_MAX_CHARS:
        return False
    return _stamp_key(f.key)


def _stamp_key(key: str) -> bool:
    """The patterns of :func:`_stamp`: a time, a date and no post-footer words in ``key``, once a
    leading "posted by:" is set aside. With the colon it signs a comment ("Posted by: Sean | Jan 10,
    2008 4:49:12 PM" under each comment of a TypePad blog); a post's own footer has none ("Posted
    by Jane at 10:02 PM").

    >>> _stamp_key("posted by: sean | jan 10, 2008 4:49:12 pm"), _stamp_key("posted by jane on 10.06.12 at 10:02 pm")
    (True, False)
    """
    signed = _SIGNED_BY.match(key)
    if signed is not None:
        key = key[signed.end() :]
    return _TIME.search(key) is not None and _DATE.search(key) is not None and _POST_FOOTER.search(key) is None


_SIGNED_BY = re.compile(r"(?:posted|written|submitted|comment) by\s*:\s*")


def _signature_run(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], first: int) -> int | None:
    """The first of :data:`SIGNATURE_MIN_RUN` or more signature lines below the article's
    first line, each pair no more than :data:`SIGNATURE_MAX_GAP` lines apart with prose
    between them: the signatures of a comment thread."""
    # a stamp holds a time ("11:06"): lines without a colon are spared the patterns, and pages
    # with too few stamps the walk
    stamps = {i for i in range(first + 1, len(feats)) if ":" in feats[i].key and _stamp(feats[i])}
    if len(stamps) < SIGNATURE_MIN_RUN:
        return None
    run: list[int] = []
    prose = False
    for i in range(first + 1, len(feats)):
        f = feats[i]
        if i in stamps:
            if run and (not prose or i - run[-1] > SIGNATURE_MAX_GAP):
                if len(run) >= SIGNATURE_MIN_RUN:
                    return run[0]
                run = []
            run.append(i)
            prose = False
        elif not f.blank and not verdicts[i].noise and (prose_like(f) or f.ends_sentence):
            prose = True
    return run[0] if len(run) >= SIGNATURE_MIN_RUN else None


PER_POST_MIN = 3
"""A comment counter or prompt that appears this often ("Add a comment" under every answer,
"3 Comments" under every post of a blog's front page) belongs to the posts of the page, which
are its content: it opens no thread. Comment tools ("Reply", "Flag as inappropriate") recur in
a thread and still open it."""
PROMPT_REASON = "comment counter or prompt"
"""The reason the comments lexicon gives its counters and prompts (``data/<lang>/comments.txt``)."""


def _per_post_headers(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> set[str]:
    """Keys of comment counters and prompts that appear :data:`PER_POST_MIN` times or more,
    their numbers aside ("9 Comments" and "5 Comments" under two answers are one prompt)."""
    keys: dict[str, list[str]] = {}
    for f, v in zip(feats, verdicts):
        if v.kind == "comments" and v.header and any(r.startswith(PROMPT_REASON) for r in v.reasons):
            keys.setdefault(_prompt_shape(f.key), []).append(f.key)
    return {key for same in keys.values() if len(same) >= PER_POST_MIN for key in same}


def _prompt_shape(key: str) -> str:
    """A counter's or prompt's words without its numbers and what follows a bar, so the copies
    under each post count as one prompt.

    >>> _prompt_shape("add a comment | show 1 more comment"), _prompt_shape("12 comments")
    ('add a comment', '# comments')
    """
    return _NUMBER.sub("#", key.split("|", 1)[0]).strip(" :-()[]")


_NUMBER = re.compile(r"\d[\d,.]*")


def best_noise(v: Verdict) -> tuple[str, float]:
    """The noise kind the line's rules scored highest and its score (``nav``, 0 when none did)."""
    if v.scores:
        kind = max(v.scores, key=lambda k: v.scores[k])
        return kind, v.scores[kind]
    return "nav", 0.0


def mark_inline_links(feats: Sequence[LineFeatures], verdicts: list[Verdict], span: tuple[int, int]) -> None:
    """A lone bulleted headline between paragraphs is a link to another story."""
    first, last = span
    for i in range(first + 1, last):
        f, v = feats[i], verdicts[i]
        if v.noise or not f.bullet or not f.headline_like:
            continue
        prev, nxt = _next_nonblank(feats, i, -1), _next_nonblank(feats, i, 1)
        if prev is None or nxt is None or feats[prev].bullet or feats[nxt].bullet:
            continue
        if prose_like(feats[prev]) and prose_like(feats[nxt]):
            v.set("related", 0.7, "lone bulleted headline between paragraphs: a link to another story", lock=True)


FOOTER_MIN_LINES = 8
"""A run of this many dropped lines in a row, below most of the kept text, can be the
article's footer (see :func:`mark_below_footer`)."""
FOOTER_KINDS = ("social", "related", "legal")
FOOTER_MARKER_SCORE = 0.6
"""A dropped line is a footer marker when the rules alone gave it one of
:data:`FOOTER_KINDS` at this score or more (a share button, a "Related" header, a copyright
line), not when only context or the learned model dropped it."""
FOOTER_AFTER_WORDS = 100
FOOTER_AFTER_SHARE = 0.5
"""The footer comes after at least this many words and this share of the kept text."""


def footer_start(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], kept: Sequence[bool]) -> tuple[int, int] | None:
    """First and last line of the article's footer, or ``None``: the first run of
    :data:`FOOTER_MIN_LINES` or more non-blank dropped lines, holding a footer marker, that
    follows at least :data:`FOOTER_AFTER_WORDS` words and :data:`FOOTER_AFTER_SHARE` of the
    kept text and is followed by kept text.

    >>> from boilerstrip.features import line_features
    >>> lines = ["word " * 120, "Share", "a", "b", "c", "d", "e", "f", "g", "Read this too.", "word " * 20]
    >>> feats = [line_features(t, frozenset()) for t in lines]
    >>> verdicts = [Verdict("body", 0.8) for _ in lines]
    >>> verdicts[1] = Verdict("social", 0.95, scores={"social": 0.95})
    >>> kept = [True] + [False] * 8 + [True, True]
    >>> footer_start(feats, verdicts, kept)
    (1, 8)
    >>> python_footer_start(feats, verdicts, kept)
    (1, 8)

    Run by the compiled ``boilerstrip._cstages`` when it is built (:data:`FOOTER_COMPILED`),
    otherwise by :func:`python_footer_start`: the same lines.
    """
    if _C_FOOTER is not None:
        got = _C_FOOTER.footer_rows(
            feats, verdicts, kept, LineFeatures, _C_FOOTER_FEATURES, Verdict, _C_FOOTER_VERDICTS, FOOTER_KINDS,
            FOOTER_MIN_LINES, FOOTER_MARKER_SCORE, FOOTER_AFTER_WORDS, FOOTER_AFTER_SHARE,
        )
        if got is not NotImplemented:  # it hands back records and values of types it does not handle
            return got
    return python_footer_start(feats, verdicts, kept)


def python_footer_start(
    feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], kept: Sequence[bool]
) -> tuple[int, int] | None:
    """:func:`footer_start` in pure Python."""
    total = sum(f.words for f, k in zip(feats, kept) if k and not f.blank)
    seen = run = markers = 0
    first = last = -1
    for i, (f, v, k) in enumerate(zip(feats, verdicts, kept)):
        if f.blank:
            continue
        if not k:
            if run == 0:
                first = i
            run, last = run + 1, i
            if v.kind in FOOTER_KINDS and v.scores.get(v.kind, 0.0) >= FOOTER_MARKER_SCORE:
                markers += 1
            continue
        if run >= FOOTER_MIN_LINES and markers and seen >= FOOTER_AFTER_WORDS and seen >= FOOTER_AFTER_SHARE * total:
            return first, last
        seen += f.words
        run = markers = 0
    return None


_C_FOOTER, (_C_FOOTER_FEATURES, _C_FOOTER_VERDICTS) = extension_slots(
    "_cstages", "footer_rows", (LineFeatures, "FOOTER_FEATURE_FIELDS"), (Verdict, "FOOTER_VERDICT_FIELDS")
)
FOOTER_COMPILED = _C_FOOTER is not None
"""Whether :func:`footer_start` runs the compiled ``boilerstrip._cstages``."""


def mark_below_footer(feats: Sequence[LineFeatures], verdicts: list[Verdict], kept: Sequence[bool]) -> list[int]:
    """Below the article's footer (see :func:`footer_start`), kept lines are comments, teasers
    and sidebars, not the article: mark them with their strongest noise kind and return them.
    An ingredient list below (see :func:`mark_ingredients`) means the recipe goes on under
    the share buttons: there is no footer then."""
    found = footer_start(feats, verdicts, kept)
    if found is None:
        return []
    first, last = found
    marked = [i for i in range(last + 1, len(feats)) if kept[i] and not feats[i].blank]
    if any(verdicts[i].locked and verdicts[i].reasons[0].startswith(INGREDIENT_REASON) for i in marked):
        return []  # an ingredient list below: the recipe goes on under the share buttons
    for i in marked:
        kind, value = best_noise(verdicts[i])
        verdicts[i].set(kind, max(0.6, value), f"below the article's footer (lines {first} to {last})")
    return marked


def settle_span(feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> tuple[tuple[int, int] | None, int | None]:
    """The rules that follow the article's span, in order: the span (:func:`article_span`),
    grown (:func:`grow_span`); the regions around it when it holds the page
    (:func:`holds_the_page`, :func:`mark_regions`), the comment thread
    (:func:`mark_comment_thread`) and the lone bulleted headlines in it
    (:func:`mark_inline_links`); then :func:`mark_content` names what is left. Returns the
    grown span and the line opening the comment thread (``None`` for none).

    Run by the compiled ``boilerstrip._ccontext`` when it is built (:data:`SPAN_COMPILED`),
    which calls :func:`_stamp_key` and :func:`_prompt_shape` for the lines that need them and
    hands back, having changed nothing, records of types it does not handle; otherwise by
    :func:`python_settle_span`: the same verdicts and results.
    """
    if _X is not None:
        got = _X.settle_span(feats, verdicts, *_X_RECORDS, NOT_NOISE, _stamp_key, _prompt_shape)
        if got is not NotImplemented:
            return got
    return python_settle_span(feats, verdicts)


def python_settle_span(feats: Sequence[LineFeatures], verdicts: list[Verdict]) -> tuple[tuple[int, int] | None, int | None]:
    """:func:`settle_span` in pure Python."""
    span = python_article_span(feats, verdicts)
    thread = None
    if span is not None:
        span = grow_span(feats, verdicts, span)
        if holds_the_page(feats, span):
            mark_regions(feats, verdicts, span)
        thread = mark_comment_thread(feats, verdicts, span)
        mark_inline_links(feats, verdicts, span)
    mark_content(feats, verdicts, span)
    return span, thread


def mark_content(feats: Sequence[LineFeatures], verdicts: list[Verdict], span: tuple[int, int] | None) -> None:
    """Name what is left: headings inside the article, body everywhere else."""
    first, last = span if span else (0, len(feats) - 1)
    for i, (f, v) in enumerate(zip(feats, verdicts)):
        if f.blank or v.noise or v.kind == "title" or v.locked:
            continue
        prose = prose_like(f)
        if span and first < i < last and not prose and f.words <= 20 and not f.ends_sentence and not f.bullet:
            v.set("heading", 0.7, "short line between paragraphs of the article")
        elif prose:
            v.set("body", 0.8, f"reads like prose ({f.words} words)")
        elif span and first <= i <= last:
            v.set("body", 0.6, "inside the article, between body lines")
        else:
            v.set("body", 0.5, "no noise rule fired")


def _compiled_span() -> tuple[Any, tuple[Any, ...]]:
    """The C module of :func:`settle_span` and :func:`article_span` and the records' classes and
    slot descriptors it takes; ``(None, ())`` when it is not built, or when the records' fields
    or the rules' constants it holds are no longer those of this module."""
    _ccontext = extension("_ccontext", "settle_span", "article_span", "CONSTANTS", "FEATURE_FIELDS", "VERDICT_FIELDS")
    if _ccontext is None or any(globals().get(k) != v for k, v in _ccontext.CONSTANTS.items()):
        return None, ()
    feat_slots = record_slots(LineFeatures, _ccontext.FEATURE_FIELDS, all_fields=False)
    verdict_slots = record_slots(Verdict, _ccontext.VERDICT_FIELDS)
    if feat_slots is None or verdict_slots is None:
        return None, ()
    return _ccontext, (LineFeatures, feat_slots, Verdict, verdict_slots)


_X, _X_RECORDS = _compiled_span()
SPAN_COMPILED = _X is not None
"""Whether :func:`settle_span` and :func:`article_span` run the compiled ``boilerstrip._ccontext``."""


def settle_head(
    texts: Sequence[str], feats: Sequence[LineFeatures], verdicts: list[Verdict], cache: dict[str, list[str]] | None = None
) -> None:
    """The context rules before the span is settled, in order: the lists under headers
    (:func:`mark_list_blocks`), ingredient lists (:func:`mark_ingredients`), titles of linked
    pages (:func:`mark_suffixed_titles`), the author box (:func:`mark_author_names`,
    :func:`mark_author_bio`), then, with the article's span (:func:`article_span`), the title
    (:func:`mark_title`), repeats and captions (:func:`mark_repeats`, ``cache`` its words cache;
    :func:`mark_caption_copies`) and the headline repeating the page title
    (:func:`headline_repeat`).

    Run by the compiled ``boilerstrip._ccontext`` when it is built (:data:`HEAD_COMPILED`), which
    calls the patterns (:data:`_HEAD_CALLS`) for the lines that need them and hands back, having
    changed nothing, records of types it does not handle; otherwise by
    :func:`python_settle_head`: the same verdicts.
    """
    if _X_HEAD:
        got = _X.settle_head(feats, verdicts, *_X_RECORDS, NOT_NOISE, texts, _X_HEAD, _HEAD_CALLS, cache)
        if got is not NotImplemented:
            return
    python_settle_head(texts, feats, verdicts, cache)


def python_settle_head(
    texts: Sequence[str], feats: Sequence[LineFeatures], verdicts: list[Verdict], cache: dict[str, list[str]] | None = None
) -> None:
    """:func:`settle_head` in pure Python."""
    mark_list_blocks(feats, verdicts)
    mark_ingredients(feats, verdicts)
    mark_suffixed_titles(texts, feats, verdicts)
    mark_author_names(texts, feats, verdicts)
    mark_author_bio(texts, feats, verdicts)
    span = python_article_span(feats, verdicts)
    title = mark_title(feats, verdicts, span)
    mark_repeats(texts, feats, verdicts, span, cache)
    mark_caption_copies(texts, feats, verdicts)
    headline_repeat(feats, verdicts, span, title)


def _site_suffix(key: str) -> str | None:
    """The site's name a key ends in, as :func:`mark_suffixed_titles` groups it, or ``None``."""
    m = _SITE_SUFFIX.search(key)
    if m is not None and m.start() >= 8 and len(m.group(1).split()) <= 5:
        return m.group(1).strip()
    return None


def _site_name(text: str) -> str:
    """The site's name as :func:`mark_suffixed_titles` words it, from a line's text."""
    site = _SITE_SUFFIX.search(text.strip())
    return site.group(1).strip() if site else ""


def _bio_surname(text: str) -> str | None:
    """The surname an author bio's opening names (see :func:`mark_author_bio`), or ``None``."""
    m = _BIO_OPENING.match(text.strip())
    return m.group(1).split()[-1] if m is not None else None


def _names(surname: str, text: str) -> bool:
    """Whether the first 120 characters of ``text`` name ``surname`` (see :func:`mark_author_bio`)."""
    return re.compile(rf"\b{re.escape(surname)}\b").search(text[:120]) is not None


def _name_in_bio(name: str, bio: str) -> bool:
    """Whether the line ``name`` is in the author bio ``bio`` (see :func:`mark_author_names`)."""
    return name.strip().casefold() in bio.casefold()


_HEAD_CALLS = (_QUANTITY.match, _site_suffix, _site_name, _bio_surname, _names, _name_in_bio, find_repeats, _headline_parts)
"""What the compiled :func:`settle_head` calls, in its order."""


def _compiled_head() -> tuple[Any, ...]:
    """The slot descriptor of ``LineFeatures.ends_ellipsis`` that the compiled :func:`settle_head`
    reads beside those of :data:`_X_RECORDS`; ``()`` when it is not built or the rules' constants
    it holds (``HEAD_CONSTANTS``) are no longer those of this module."""
    if _X is None or not hasattr(_X, "settle_head") or not hasattr(_X, "HEAD_CONSTANTS"):
        return ()
    if any(globals().get(k) != v for k, v in _X.HEAD_CONSTANTS.items()):
        return ()  # the rules changed since the extension was built
    return record_slots(LineFeatures, ("ends_ellipsis",), all_fields=False) or ()


_X_HEAD = _compiled_head()
HEAD_COMPILED = bool(_X_HEAD)
"""Whether :func:`settle_head` runs the compiled ``boilerstrip._ccontext``."""
