"""The compiled head of the context pass (``boilerstrip._ccontext.settle_head``) gives what
``context.python_settle_head`` gives: the same verdicts (kinds, scores bit for bit, reasons,
locks, headers, noise flags) on the state the context pass hands it for every fixture, for
generated documents and generated records, and on pages built to fire each rule at its bounds.
Records of types the C code does not handle are handed back untouched. Skipped when the
extension is not built."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
from hostile_inputs import documents
from hypothesis import given
from hypothesis import strategies as st
from test_ccontext import FIXTURE_TEXTS, PROPS, SCORES, _bits, _record, _Str

from boilerstrip import Config, context
from boilerstrip.config import NOISE_KINDS
from boilerstrip.context import Verdict
from boilerstrip.decide import analyse
from boilerstrip.features import LineFeatures, line_features
from boilerstrip.lexicon import stopwords

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
pytestmark = pytest.mark.skipif(
    not context.HEAD_COMPILED, reason="boilerstrip._ccontext is not built: only the pure path of context.settle_head runs"
)
_STOP = stopwords("en")


def _compiled(texts: list, feats: list, verdicts: list, cache: Any = None, calls: tuple = ()) -> Any:
    return context._X.settle_head(
        feats, verdicts, *context._X_RECORDS, context.NOT_NOISE, texts, context._X_HEAD, calls or context._HEAD_CALLS, cache
    )


def assert_same(texts: list, feats: list, verdicts: list) -> list[Verdict]:
    """Both paths on copies of ``verdicts``: the same records. Returns the compiled path's."""
    a, b = copy.deepcopy(verdicts), copy.deepcopy(verdicts)
    assert _compiled(texts, feats, a, {}) is None
    context.python_settle_head(texts, feats, b, {})
    assert [_record(v) for v in a] == [_record(v) for v in b]
    c = copy.deepcopy(verdicts)
    context.settle_head(texts, feats, c)
    assert [_record(v) for v in c] == [_record(v) for v in b]
    return a


def _entries(text: str) -> list[tuple[list[str], list[LineFeatures], list[Verdict]]]:
    """The texts, features and verdicts the context pass hands ``settle_head`` for ``text``."""
    seen = []
    real = context.settle_head

    def capture(texts: list, feats: list, verdicts: list, cache: Any = None) -> None:
        seen.append((list(texts), list(feats), copy.deepcopy(verdicts)))
        real(texts, feats, verdicts, cache)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(context, "settle_head", capture)
        analyse(text, Config())
    return seen


def _reasons(verdicts: list[Verdict]) -> set[str]:
    return {r.split(" (")[0].split(" at line")[0].split(" at lines")[0] for v in verdicts for r in v.reasons}


@pytest.mark.parametrize("path", FIXTURE_TEXTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixtures(path: Path) -> None:
    for entry in _entries(path.read_text(encoding="utf-8")):
        assert_same(*entry)


@PROPS
@given(documents(max_lines=40))
def test_random_documents(text: str) -> None:
    for entry in _entries(text):
        assert_same(*entry)


# ---- generated records ------------------------------------------------------------------------

BIO = "About the author: Jane Q. Doe writes about food and travel for the paper every week."
TEXTS = (
    "",
    "  ",
    "200 g Zucker",
    "2 tbsp oil",
    "1/2 cup of milk",
    "½ cup sugar",
    "135 g",
    "Butter",
    "1 Ei(er)",
    "4",
    "²",
    "Für den Teig:",
    "Zutaten:",
    "Big Headline About The Budget - The Daily Site",
    "Another Story On Page Two - The Daily Site",
    "Third Story For You | The Daily Site",
    "A Teaser Headline Here... - The Daily Site",
    "Model X - $330",
    "Short - Site",
    BIO,
    "Jane Q. Doe",
    "jane q. doe",
    "Doe has written three books about the food of the south and she lives in the city with her two dogs.",
    "The council approved the budget on Monday after a long debate that lasted into the night.",
    "The council approved the budget on Monday after a long debate that lasted into the night and the mayor "
    "said it was the best budget the city has had in many years and more words to make it thirty words long.",
    "A photo of the mayor at the council meeting",
    "the mayor at the council meeting",
    "Big Headline About The Budget Plan",
    "Big Headline About The Budget Plan | The Daily Site",
    "Home » News » Big Headline About The Budget Plan",
    "Related stories",
    "Tags",
    "- A linked story about the budget",
    "budget",
    "Where can I buy it?",
    "Is this a heading?",
    "北京市政府今天宣布了一项新的城市规划方案，旨在改善交通和环境。",
)
KINDS = (
    "body", "body", "body", "heading", "title", "blank", "nav", "comments", "social", "related", "meta",
    "caption", "author", "duplicate", "legal", "ad",
)  # fmt: skip
REASONS = ("menu", "comment counter or prompt")

line_records = st.tuples(
    st.sampled_from(TEXTS),
    st.sampled_from(KINDS),
    st.lists(st.sampled_from(REASONS), max_size=2),
    st.dictionaries(st.sampled_from(NOISE_KINDS), st.sampled_from(SCORES), max_size=4),
    st.booleans(),
    st.booleans(),
)


def _records(rows: list[tuple]) -> tuple[list[str], list[LineFeatures], list[Verdict]]:
    texts = [text for text, *_ in rows]
    feats = [line_features(text, _STOP) for text in texts]
    verdicts = [Verdict(kind, 0.5, list(r), dict(scores), header, locked) for _, kind, r, scores, header, locked in rows]
    return texts, feats, verdicts


@PROPS
@given(st.lists(line_records, max_size=40))
def test_random_records(rows: list[tuple]) -> None:
    assert_same(*_records(rows))


NEXT_BELOW = {x: math.nextafter(x, 0) for x in (0.1, 0.15, 0.2, 0.6, 0.65)}
WORDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 24, 25, 26, 29, 30, 31, 40]


@st.composite
def bound_rows(draw: Any) -> tuple[LineFeatures, tuple]:
    """A line's features at the rules' bounds (words, sentence ends...), with a record."""
    row = draw(line_records)
    f = line_features(row[0], _STOP)
    f = LineFeatures(
        f.key, draw(st.sampled_from([f.chars, 0, 5, 200, 201])), draw(st.sampled_from([f.words, *WORDS])), f.tokens,
        draw(st.sampled_from([f.stop_ratio, 0.0, 0.15, 0.2, 0.3, *NEXT_BELOW.values()])),
        draw(st.sampled_from([f.cap_ratio, 0.0, 0.6, 0.65, math.nan])), 0.0, 0.0, draw(st.booleans()), False,
        draw(st.sampled_from([0, 1, 2])), draw(st.booleans()), draw(st.booleans()), False,
        ends_ellipsis=draw(st.booleans()),
    )  # fmt: skip
    return f, row


@PROPS
@given(st.lists(bound_rows(), max_size=40))
def test_random_features_at_the_bounds(rows: list[tuple]) -> None:
    texts, _, verdicts = _records([r for _, r in rows])
    assert_same(texts, [f for f, _ in rows], verdicts)


# ---- pages that fire each rule -----------------------------------------------------------------

PROSE = TEXTS[23]
LONG = TEXTS[24]
STORY = "For a week I have had great emails from a site, and I read them all with care and joy. " * 4


def _page(*lines: str | tuple[str, str] | tuple[str, str, dict[str, float], bool]) -> tuple[list, list, list]:
    """Records of lines given as a text (kind body, or blank), or (text, kind), or (text, kind,
    scores, header)."""
    rows = []
    for line in lines:
        text, kind, scores, header = (line, "body", {}, False) if isinstance(line, str) else (*line, {}, False)[:4]
        rows.append((text, "blank" if not text.strip() else kind, [], scores, header, False))
    return _records(rows)


def _same(*lines: Any) -> list[Verdict]:
    return assert_same(*_page(*lines))


def test_lists_under_headers() -> None:
    got = _same(
        ("Related stories", "related", {"related": 0.9}, True),
        "Another Story On Page Two",
        ("Home page", "nav"),
        "Where can I buy it?",
        "- A linked story about the budget",
        PROSE,
        ("Tags", "meta", {}, True),
        "budget",
        ("council", "nav"),
        "mayor of the city",
        "A sentence that ends.",
    )
    assert [v.kind for v in got[1:5]] == ["related"] * 4
    assert got[1].reasons[0] == "listed under the related header at line 0" and got[1].locked
    assert [v.kind for v in got[7:11]] == ["meta", "meta", "meta", "body"]


def test_ingredient_lists() -> None:
    got = _same(
        "Für den Teig:", "200 g Zucker", "", "2 tbsp oil", "135 g", "Butter", "1 Ei(er)", "Zutaten:", "4",
        ("½ cup sugar", "nav"), PROSE, "1/2 cup of milk", "²", "2 tbsp oil",
    )  # fmt: skip
    assert [v.kind for v in got[:10]] == ["body", "body", "blank", *["body"] * 6, "nav"]
    assert got[0].reasons[0] == "ingredient list of a recipe (lines 0 to 9)" and got[0].locked
    assert not got[9].reasons and not got[11].reasons  # noise stays, a run of two quantities is none
    short = _same("200 g Zucker", "2 tbsp oil", PROSE, "1/2 cup of milk")
    assert not any(r.startswith(context.INGREDIENT_REASON) for v in short for r in v.reasons)


def test_ingredient_lists_at_the_bounds() -> None:
    """A run of three quantities is a list; a six-word header or counted line and the line under
    a three-word amount belong to it."""
    lines = (
        "Für den Teig und die Füllung:", "200 g Zucker fein gemahlen", "2 tbsp oil", "1/2 cup of milk",
        "2 big red onions cut fine", "2 gestr. TL", "Butter und Zucker gemischt fein gehackt heute", PROSE,
    )  # fmt: skip
    assert [f.words for f in _page(*lines)[1]] == [6, 5, 3, 4, 6, 3, 7, 16]
    got = _same(*lines)
    assert [v.reasons[:1] for v in got] == [["ingredient list of a recipe (lines 0 to 6)"]] * 7 + [[]]
    got = _same("200 g Zucker", "2 tbsp oil", "1/2 cup of milk", PROSE)
    assert [v.kind for v in got[:3]] == ["body"] * 3 and got[2].reasons == ["ingredient list of a recipe (lines 0 to 2)"]


def test_titles_of_linked_pages() -> None:
    got = _same(
        "Big Headline About The Budget - The Daily Site", "Another Story On Page Two - The Daily Site",
        "Third Story For You | The Daily Site", "A Teaser Headline Here... - The Daily Site", "Model X - $330",
        "Model Y - $330", "Model Z - $330", "Short - Site", "Short - Site", "Short - Site",
        "Ends with a full stop - The Daily Site.",
    )  # fmt: skip
    assert got[0].reasons[0] == 'one of 4 lines ending in "The Daily Site": titles of linked pages'
    assert got[0].kind == "related" and not got[0].locked
    assert "related" not in [v.kind for v in got[4:]]


def test_titles_of_linked_pages_after_each_separator() -> None:
    for sep in ("-", "|", "–", "—", "::", "»"):
        got = _same(*(f"Story number {k} is here {sep} The Site" for k in ("one", "two", "three")), PROSE)
        assert [v.kind for v in got[:3]] == ["related"] * 3, sep
        got = _same(*(f"Story number {k} is here {sep}The Site" for k in ("one", "two", "three")), PROSE)
        assert "related" not in [v.kind for v in got], sep


def test_titles_of_linked_pages_name_the_site_from_the_text() -> None:
    texts, feats, verdicts = _page(*(["Big Headline About The Budget - The Daily Site"] * 3))
    texts[0] = "  Big Headline About The Budget - The Daily Site  "
    got = assert_same(texts, feats, verdicts)
    assert got[2].reasons[0] == 'one of 3 lines ending in "The Daily Site": titles of linked pages'


def test_author_box() -> None:
    got = _same(
        "Jane Q. Doe", "jane q. doe", (BIO, "author"), TEXTS[22], PROSE + " Doe.", PROSE, "Doe again", TEXTS[22],
    )  # fmt: skip
    assert [v.kind for v in got[:5]] == ["author"] * 5 and got[6].kind == "body"
    assert got[0].reasons[0] == "name of the author whose bio is at line 2" and got[1].locked
    assert got[3].reasons[0] == "continues the author bio at line 2 (names Doe)" and got[4].score == 0.8


def test_a_bio_line_the_rule_made_opens_a_bio_itself() -> None:
    """The author-bio rule visits the lines it turned to author lines (the live order of the loop)."""
    got = _same(
        (BIO, "author"), f"Doe says: {BIO}", "About the author: Max Mustermann writes here. Mustermann and Doe " * 2,
        "Mustermann has a dog and a cat and lives in a small town with his wife and two children.",
    )  # fmt: skip
    assert [v.kind for v in got] == ["author", "author", "author", "author"]
    assert got[3].reasons[0] == "continues the author bio at line 2 (names Mustermann)"


def test_titles_and_breadcrumbs() -> None:
    got = _same("Home » News » Big Headline About The Budget Plan", "", "Big Headline About The Budget Plan", LONG, LONG)
    assert got[0].kind == "nav" and got[0].reasons[0] == "page title or breadcrumb holding the headline at line 2"
    assert got[2].kind == "title" and got[2].reasons[0] == "first headline-like line above the article"
    far = _same("Big Headline About The Budget Plan", *(["Home"] * 16), LONG, LONG, LONG)
    assert far[0].kind == "nav" and far[0].reasons[0] == "page title, 16 lines or more above the article (line 17)"
    near = _same("Big Headline About The Budget Plan", *(["Home"] * 15), LONG, LONG, LONG)
    assert near[0].kind == "title"
    small = _same("Big Headline About The Budget Plan", *(["Home"] * 16), PROSE, *(["word " * 30] * 10))
    assert small[0].kind == "title"  # a span that does not hold the page


def _paragraph(k: int) -> str:
    """Prose of 42 words that shares only its function words with the others."""
    return " ".join(f"the cat{k}{j} and the dog{k}{j} sat" for j in range(6)) + "."


@pytest.mark.parametrize("copies", [2, 5, 6, 8])
def test_repeated_captions(copies: int) -> None:
    lines = []
    for k in range(copies):
        lines += [_paragraph(k), "A photo of the mayor at the council meeting"]
    got = _same(*lines)
    where = ", ".join(str(2 * k + 1) for k in range(min(copies, 5))) + (f" and {copies - 5} more" if copies > 5 else "")
    assert got[-1].reasons[0] == f"short line repeated at lines {where}: an image caption"
    assert got[-1].kind == "caption" and got[-1].locked and got[-1].score == 0.85
    assert got[1].kind == "body"  # a heading: a paragraph follows it


def test_repeats_of_the_title_and_of_noise() -> None:
    got = _same(
        "Big Headline About The Budget Plan", LONG, "Big Headline About The Budget Plan", ("Share this story now", "social"),
        "Share this story now", LONG, "Big headline about the budget plan!",
    )  # fmt: skip
    assert got[2].reasons[0] == "repeats the title at line 0" and got[2].kind == "duplicate"
    assert got[4].reasons[0] == "repeats line 3"
    assert got[5].reasons[0] == "repeats line 1 (same words once quotes, case and spacing are ignored)"


def test_headings_and_copied_blocks() -> None:
    heading = "The Best Places To Buy It Now"
    got = _same(_paragraph(0), heading, _paragraph(1), _paragraph(2), heading, _paragraph(3), heading, "Home page")
    assert [got[i].kind for i in (1, 4, 6)] == ["body", "body", "caption"]  # headings: each opens a paragraph
    got = _same(_paragraph(0), heading, _paragraph(1), _paragraph(2), _paragraph(0), heading, _paragraph(1))
    assert got[1].kind == "body" and got[5].kind == "duplicate"  # a stretch printed twice


def test_caption_copies() -> None:
    got = _same(
        LONG, ("A photo of the mayor at the council meeting", "caption"), "the mayor at the council meeting", "",
        "the mayor at the council", LONG,
    )  # fmt: skip
    assert got[2].reasons[0] == "same text as the caption at line 1"
    assert got[4].reasons[0] == "same text as the caption at line 2"  # the copy it made, visited in turn


def test_headline_repeating_the_page_title() -> None:
    got = _same(
        "Keeper emails from a friend | 47 Hats", LONG,
        ("Ask Bob", "body", {"social": 0.5, "related": 0.9, "nav": 0.9}, False), "Keeper emails from a friend", STORY,
    )  # fmt: skip
    assert [v.kind for v in got] == ["nav", "nav", "related", "title", "body"]
    assert got[2].score == 0.9 and got[2].reasons[0] == "above the headline at line 3, which repeats the page title"
    assert got[0].reasons[0] == "page title holding the headline at line 3"
    assert got[3].reasons[0] == "repeats the headline of the page title at line 0"


def test_fixtures_exercise_the_rules() -> None:
    """The fixtures reach most rules the C code runs (the pages above reach the others)."""
    reasons = set()
    for path in FIXTURE_TEXTS:
        for texts, feats, verdicts in _entries(path.read_text(encoding="utf-8")):
            context.python_settle_head(texts, feats, verdicts)
            reasons |= _reasons(verdicts)
    for prefix in ("first headline-like line above the article", "short line repeated", "repeats line", "repeats the title",
                   "page title", "listed under the", "same text as the caption"):  # fmt: skip
        assert any(r.startswith(prefix) for r in reasons), prefix


# ---- the rules' bounds ------------------------------------------------------------------------

WORDS_OF = ("cat", "dog", "sun", "hat", "box", "pen", "cup", "map", "car", "bus", "rat", "owl", "fox")


def _sentence(n: int, end: str = ".", seed: int = 0) -> str:
    """Prose of ``n`` words, half of them function words; another ``seed``, other words."""
    return " ".join("the" if k % 2 == 0 else WORDS_OF[k % len(WORDS_OF)] + "xyzw"[seed] for k in range(n)) + end


def test_sentences_have_their_words() -> None:
    assert [line_features(_sentence(n), _STOP).words for n in (10, 20, 25, 30, 40)] == [10, 20, 25, 30, 40]


def test_lists_under_headers_at_the_bounds() -> None:
    bullet = "- " + _sentence(24, "")
    got = _same(("Related stories", "related", {}, True), bullet, "- " + _sentence(25, "", 1), PROSE)
    assert [line_features(t, _STOP).words for t in (bullet,)] == [25]
    assert [v.kind for v in got[1:3]] == ["related", "body"]
    got = _same(("Tags", "meta", {}, True), "one two three four five six", "one two three four five six seven", PROSE)
    assert [v.kind for v in got[1:3]] == ["meta", "title"]  # not listed: the title rule takes it


def test_titles_of_linked_pages_at_the_bounds() -> None:
    long = " ".join(["Word"] * 26) + " - The Daily Site"
    assert line_features(long, _STOP).words == 30
    got = _same(long, "Another Story On Page Two - The Daily Site", "Third Story For You | The Daily Site", PROSE)
    assert got[0].kind == "related"
    got = _same("Word " + long, "Another Story On Page Two - The Daily Site", "Third Story For You | The Daily Site", PROSE)
    assert got[0].kind != "related" and got[1].kind != "related"


def test_author_names_four_lines_away() -> None:
    got = _same("Jane Q. Doe", "", "", "", (BIO, "author"), "", "", "", "", "Jane Q. Doe", PROSE)
    assert got[0].kind == "author" and got[9].kind != "author"


def test_titles_at_the_bounds() -> None:
    got = _same("Is it good?", LONG)
    assert got[0].kind == "title"  # three words ending in a question mark
    crumb = "twelve chars"
    got = _same(f"Home page {crumb} here", crumb.title(), LONG)
    assert got[0].kind == "nav" and got[1].kind == "title"
    got = _same(f"Home page {crumb[1:]} here", crumb[1:].title(), LONG)
    assert got[0].kind == "title"


@pytest.mark.parametrize(("heading", "words", "kinds"), [(10, 30, ["body", "body"]), (11, 30, ["caption", "caption"]),
                                                         (10, 29, ["body", "caption"])])  # fmt: skip
def test_headings_at_the_bounds(heading: int, words: int, kinds: list[str]) -> None:
    title = " ".join(["Heading"] * heading)
    got = _same(LONG, title, _paragraph(0), _paragraph(1), title, _sentence(words, seed=1), PROSE)
    assert [got[1].kind, got[4].kind] == kinds


def test_the_groups_in_the_order_of_their_first_repeat() -> None:
    """A caption made by one group is noise to the next group's heading test."""
    heading, caption = "The Best Places To Buy It Now", _sentence(30, "")
    got = _same("Big Headline About The Budget Plan", heading, caption, _paragraph(2), heading, _paragraph(3), caption, PROSE)
    assert [v.kind for v in got[1:7]] == ["body", "caption", "body", "body", "body", "caption"]


@pytest.mark.parametrize(("span", "tail", "fires"), [(25, (20, 20), True), (25, (20, 19), False), (40, (20, 20), False),
                                                      (39, (20, 20), True)])  # fmt: skip
def test_headline_repeats_at_the_bounds(span: int, tail: tuple[int, int], fires: bool) -> None:
    got = _same(
        "Keeper emails from a friend | 47 Hats", _sentence(span), "Ask Bob", "Keeper emails from a friend",
        *(_sentence(n, seed=k + 1) for k, n in enumerate(tail)), "Home page",
    )  # fmt: skip
    assert (got[3].kind == "title") == fires


# ---- hand-backs ---------------------------------------------------------------------------------


def _entry() -> tuple[list, list, list]:
    texts, feats, verdicts = _page(
        ("Related stories", "related", {"related": 0.9}, True), "Another Story On Page Two", "200 g Zucker", "2 tbsp oil",
        "1/2 cup of milk", LONG, "A photo of the mayor at the council meeting", LONG,
        "A photo of the mayor at the council meeting", "Jane Q. Doe", (BIO, "author"), TEXTS[22],
        "Keeper emails from a friend | The Daily Site", "Keeper emails from a friend - The Daily Site",
        "Keeper emails from a friend » The Daily Site",
    )  # fmt: skip
    got = assert_same(texts, feats, verdicts)
    assert sum(_record(a) != _record(b) for a, b in zip(got, verdicts)) >= 6
    return texts, feats, verdicts


def _hands_back(texts: list, feats: list, verdicts: list, calls: tuple = ()) -> None:
    before = [_record(v) for v in verdicts]
    assert _compiled(texts, feats, verdicts, None, calls) is NotImplemented
    assert [_record(v) for v in verdicts] == before


def test_records_it_does_not_handle_go_to_python() -> None:
    texts, feats, verdicts = _entry()
    for i in (0, 5, len(texts) - 1):
        changed = [*texts]
        changed[i] = _Str(texts[i])
        _hands_back(changed, feats, copy.deepcopy(verdicts))
        ellipsis = [*feats]
        ellipsis[i] = copy.copy(feats[i])
        object.__setattr__(ellipsis[i], "ends_ellipsis", 1)
        _hands_back(texts, ellipsis, copy.deepcopy(verdicts))
        kinds = copy.deepcopy(verdicts)
        kinds[i].kind = _Str(kinds[i].kind)
        _hands_back(texts, feats, kinds)
    _hands_back(texts[:-1], feats, copy.deepcopy(verdicts))
    _hands_back(iter(texts), feats, copy.deepcopy(verdicts))
    assert_same(tuple(texts), feats, verdicts)
    assert assert_same([], [], []) == []


def _calls_page() -> tuple[list, list, list]:
    """A page on which the compiled path calls each of :data:`context._HEAD_CALLS`."""
    return _page(
        "Keeper emails from a friend | 47 Hats", LONG, "Keeper emails from a friend", STORY,
        *(["A longer story - The Daily Site"] * 3),
        "200 g Zucker", "Jane Q. Doe", (BIO, "author"), TEXTS[22],
    )  # fmt: skip


RESULTS = {
    "a str subclass for a site": (1, lambda key: _Str("x")),
    "an int for a site's name": (2, lambda text: 3),
    "a str subclass for a surname": (3, lambda text: _Str("Doe")),
    "None for the repeats": (6, lambda texts, cache: None),
    "too few repeats": (6, lambda texts, cache: [None] * (len(texts) - 1)),
    "a repeat of a later line": (6, lambda texts, cache: [*[None] * (len(texts) - 1), len(texts) - 1]),
    "a repeat of itself": (6, lambda texts, cache: [*[None] * (len(texts) - 1), len(texts) - 1]),
    "a bool for a repeat": (6, lambda texts, cache: [*[None] * (len(texts) - 1), True]),
    "a huge repeat": (6, lambda texts, cache: [*[None] * (len(texts) - 1), 2**70]),
    "a list of parts": (7, lambda key: ["x" * 12]),
}


@pytest.mark.parametrize("change", RESULTS, ids=str)
def test_results_of_the_calls_it_does_not_handle_go_to_python(change: str) -> None:
    texts, feats, verdicts = _calls_page()
    calls = list(context._HEAD_CALLS)
    k, calls[k] = RESULTS[change]
    _hands_back(texts, feats, verdicts, tuple(calls))


def test_errors_of_the_calls_leave_the_records() -> None:
    texts, feats, verdicts = _calls_page()
    before = [_record(v) for v in verdicts]

    def fails(*_: object) -> object:
        raise ValueError("no")

    for k in range(len(context._HEAD_CALLS)):
        calls = list(context._HEAD_CALLS)
        calls[k] = fails
        with pytest.raises(ValueError):
            _compiled(texts, feats, verdicts, None, tuple(calls))
        assert [_record(v) for v in verdicts] == before
    with pytest.raises(TypeError):
        _compiled(texts, feats, verdicts, None, context._HEAD_CALLS[:-1])
    with pytest.raises(TypeError):
        context._X.settle_head(
            feats, verdicts, *context._X_RECORDS, context.NOT_NOISE, texts, context._X_RECORDS[1], context._HEAD_CALLS, None
        )


def test_the_compiled_calls_ask_the_patterns_of_few_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quantity pattern is asked of lines starting with a digit or a fraction only, the
    suffix pattern of lines holding a separator."""
    asked: dict[int, list[str]] = {0: [], 1: []}
    calls = list(context._HEAD_CALLS)
    for k in asked:

        def spy(key: str, k: int = k, real: Any = calls[k]) -> Any:
            asked[k].append(key)
            return real(key)

        calls[k] = spy
    texts, feats, verdicts = _records([(t, "body", [], {}, False, False) for t in TEXTS])
    a, b = copy.deepcopy(verdicts), copy.deepcopy(verdicts)
    assert _compiled(texts, feats, a, None, tuple(calls)) is None
    context.python_settle_head(texts, feats, b)
    assert [_record(v) for v in a] == [_record(v) for v in b]
    assert asked[0] == [f.key for f in feats if f.key and (f.key[0].isdigit() or f.key[0] in "½¼¾⅓⅔") and f.words <= 12]
    assert "²" in asked[0]  # str.isdigit, wider than the pattern's \d
    assert all(any(c in k for c in "-|–—:»") for k in asked[1]) and len(asked[1]) >= 6


def test_bits_of_the_scores() -> None:
    got = _same(
        "Keeper emails from a friend | 47 Hats", LONG, ("Ask Bob", "body", {"social": 0.6000000000000001, "nav": 0.6}, False),
        ("Ask Al", "body", {"social": 0.5}, False), ("Ask Al Al", "body", {}, False), "Keeper emails from a friend", STORY,
    )  # fmt: skip
    assert [(v.kind, _bits(v.score)) for v in got[2:5]] == [
        ("social", _bits(0.6000000000000001)), ("social", _bits(0.6)), ("nav", _bits(0.6))
    ]  # fmt: skip


def test_constants_are_the_rules() -> None:
    """The constants the head rules hold in C are context.py's (else they would not be used)."""
    assert len(context._X.HEAD_CONSTANTS) == 14
    assert all(getattr(context, k) == v for k, v in context._X.HEAD_CONSTANTS.items())
    assert context._compiled_head() == context._X_HEAD
