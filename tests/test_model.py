"""The shipped learned model: it loads, reads the features the package computes, evaluates its
trees exactly as the JSON says, behaves sensibly on a page, and explains what it decides.
CI never trains; these tests check the committed model file."""

from __future__ import annotations

import copy
import json
import math
import pickle
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import boilerstrip
from boilerstrip.attribution import contributions, model_reason
from boilerstrip.config import Config
from boilerstrip.context import Verdict
from boilerstrip.decide import analyse, settle
from boilerstrip.features import features_of_lines
from boilerstrip.lexicon import all_stopwords
from boilerstrip.matrix import design_matrix, neighbour_columns
from boilerstrip.model import (
    CHUNK_ROWS,
    COMPILED,
    Ensemble,
    LineModel,
    WordScores,
    model_from_file,
    shipped_model,
    shipped_word_scores,
)
from boilerstrip.refine import body_probabilities, refine_with_model

PARAGRAPHS = [
    "The city council approved a new budget on Monday after a debate that lasted well into the night.",
    "Members argued for hours about how much money should go to schools, roads and the public libraries.",
    "The mayor said the plan was a fair compromise and that it would be reviewed again in the spring.",
    "Opponents warned that the rising cost of housing had not been addressed by any of the measures.",
    "A final vote is expected next month, when the council returns from its summer break in the capital.",
]
MENU = ["Home", "News", "Sport", "Business", "Culture", "Weather", "Contact us"]
RELATED = ["Related stories", "Council votes on new parking fees", "Library opening hours extended", "Mayor opens bridge"]


def page_text() -> str:
    return "\n".join(MENU) + "\n\n" + "\n\n".join(PARAGRAPHS) + "\n\n" + "\n".join(RELATED) + "\n"


@pytest.fixture(scope="module")
def model():
    m = shipped_model()
    assert m is not None, "the package ships data/model.json"
    return m


def _json_trees(stage: str) -> dict:
    path = resources.files("boilerstrip").joinpath("data", "model.json")
    return json.loads(path.read_text(encoding="utf-8"))[stage]


def _naive_raw(d: dict, x: np.ndarray) -> float:
    """The ensemble's sum, walking each tree of the JSON node by node."""
    total = float(d["base"])
    for t in d["trees"]:
        node = 0
        while not t["leaf"][node]:
            node = t["left"][node] if x[t["feature"][node]] <= t["threshold"][node] else t["right"][node]
        total += t["value"][node]
    return total


def test_model_reads_the_features_the_package_computes(model) -> None:
    a = analyse(page_text(), Config())
    _, X, names = design_matrix(a.feats, a.verdicts, a.span)
    assert tuple(names) == model.stage1.features
    assert model.stage2.features == (*names, *neighbour_columns(np.zeros(1))[1])
    assert X.shape == (sum(not f.blank for f in a.feats), len(names))
    assert np.isfinite(X).all()


@pytest.mark.parametrize("stage", ["stage1", "stage2"])
def test_flat_array_evaluation_matches_walking_the_json_trees(model, stage: str) -> None:
    ens: Ensemble = getattr(model, stage)
    d = _json_trees(stage)
    a = analyse(page_text(), Config())
    _, X, _ = design_matrix(a.feats, a.verdicts, a.span)
    if stage == "stage2":
        X = np.hstack([X, neighbour_columns(model.stage1.predict(X))[0]])
    rng = np.random.default_rng(7)
    rows = np.vstack([X, X + rng.normal(0, 1.0, X.shape), rng.normal(0, 3.0, (20, X.shape[1]))])
    got = ens.raw(rows)
    want = np.array([_naive_raw(d, r) for r in rows])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_chunked_scoring_equals_row_by_row(model) -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(0, 2.0, (CHUNK_ROWS + 17, len(model.stage1.features)))
    whole = model.stage1.raw(X)
    assert whole.shape == (CHUNK_ROWS + 17,)
    np.testing.assert_array_equal(whole[-17:], model.stage1.raw(X[-17:]))
    assert model.stage1.raw(X[:0]).shape == (0,)


compiled_only = pytest.mark.skipif(not COMPILED, reason="the compiled tree walk (boilerstrip._ctrees) is not built")


@compiled_only
@pytest.mark.parametrize("stage", ["stage1", "stage2"])
def test_compiled_walk_gives_numpys_bits(model, stage: str) -> None:
    """The compiled walk sums the leaves in NumPy's pairwise order: the same bits, not just close."""
    ens: Ensemble = getattr(model, stage)
    rng = np.random.default_rng(11)
    X = rng.normal(0, 2.0, (300, len(ens.features)))
    X[::7, 3] = np.nan  # NaN is not <= anything: both walks go right
    X[1::5] = np.round(X[1::5], 1)  # values on thresholds and near them
    for rows in (X, X[:1], X[:0], np.asfortranarray(X), X[:, :].astype(np.float32)):
        np.testing.assert_array_equal(ens.raw(rows).view(np.int64), ens.raw_numpy(np.asarray(rows, dtype=float)).view(np.int64))


@compiled_only
@pytest.mark.parametrize("n_trees", [1, 7, 8, 9, 128, 129, 300])
def test_compiled_walk_sums_any_number_of_trees_as_numpy_does(n_trees: int) -> None:
    rng = np.random.default_rng(n_trees)
    tree = {"feature": [0, 1, 0, 0, 0], "threshold": [0.0, 0.5, 0.0, 0.0, 0.0], "left": [1, 3, 2, 3, 4],
            "right": [2, 4, 2, 3, 4], "leaf": [False, False, True, True, True]}
    trees = [{**tree, "value": list(rng.normal(0, 1, 5) * 10.0 ** rng.integers(-8, 8))} for _ in range(n_trees)]
    ens = Ensemble.from_dict({"base": 0.25, "trees": trees, "features": ["a", "b"]})
    X = rng.normal(0, 1, (50, 2))
    np.testing.assert_array_equal(ens.raw(X).view(np.int64), ens.raw_numpy(X).view(np.int64))


def _edge_rows(ens: Ensemble, n: int, seed: int) -> np.ndarray:
    """Rows whose values sit on the ensemble's thresholds, one ulp either side, at -0.0, 0.0,
    ±inf and NaN, or anywhere: each cell picked at random among those."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 3.0, (n, len(ens.features)))
    for col in range(X.shape[1]):
        at = ens.threshold[ens.feature == col]
        if len(at) == 0:
            at = np.zeros(1)
        pool = np.concatenate([at, np.nextafter(at, -np.inf), np.nextafter(at, np.inf),
                               [-0.0, 0.0, np.inf, -np.inf, np.nan, 1e300, -1e300, 5e-324]])
        pick = rng.random(n) < 0.8
        X[pick, col] = rng.choice(pool, int(pick.sum()))
    return X


@compiled_only
@pytest.mark.parametrize("stage", ["stage1", "stage2"])
def test_compiled_walk_gives_numpys_bits_on_thresholds_and_extremes(model, stage: str) -> None:
    """Values exactly on a threshold go left, a hair above or NaN go right, -0.0 is 0.0: in
    every row count (the compiled walk takes rows two at a time) and for the trees' own rows."""
    ens: Ensemble = getattr(model, stage)
    X = _edge_rows(ens, 301, seed=len(ens.roots))
    for rows in (X, X[:1], X[:2], X[:3], X[:17]):
        np.testing.assert_array_equal(ens.raw(rows).view(np.int64), ens.raw_numpy(rows).view(np.int64))
    d = _json_trees(stage)
    np.testing.assert_allclose(ens.raw(X[:40]), [_naive_raw(d, r) for r in X[:40]], rtol=0, atol=1e-9)


@compiled_only
def test_compiled_walk_copies_shallow_leaves_down_to_the_ensembles_depth() -> None:
    """Trees of different depths in one ensemble, leaves at every level, a depth larger than
    any tree's (the walk stops early) and one smaller (walks stop where it says)."""
    rng = np.random.default_rng(5)

    def tree(depth: int) -> dict:
        t: dict = {"feature": [], "threshold": [], "left": [], "right": [], "value": [], "leaf": []}

        def grow(d: int) -> int:
            i = len(t["feature"])
            leaf = d == depth or (d > 0 and rng.random() < 0.3)
            for key, v in (("feature", int(rng.integers(0, 3))), ("threshold", float(rng.integers(-2, 3))),
                           ("left", i), ("right", i), ("value", float(rng.normal())), ("leaf", leaf)):
                t[key].append(v)
            if not leaf:
                t["left"][i] = grow(d + 1)
                t["right"][i] = grow(d + 1)
            return i

        grow(0)
        return t

    trees = [tree(int(rng.integers(0, 7))) for _ in range(37)]
    X = rng.integers(-3, 4, (101, 3)).astype(float)
    X[::9, 1] = np.nan
    for depth in (None, 9, 6, 3, 1):
        ens = Ensemble.from_dict({"base": -0.5, "trees": trees, "features": ["a", "b", "c"], "depth": depth})
        assert ens._packed is not None
        np.testing.assert_array_equal(ens.raw(X).view(np.int64), ens.raw_numpy(X).view(np.int64))
        if depth in (None, 9, 6):
            got = ens.raw(X)
            want = [_naive_raw({"base": -0.5, "trees": trees}, r) for r in X]
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@compiled_only
def test_compiled_walk_leaves_trees_too_deep_to_unroll_to_numpy() -> None:
    n = 15  # a chain of inner nodes 0 .. n - 1: each one's right child is a leaf, n + i
    chain = {"feature": [0] * (2 * n + 1), "threshold": [float(-i) for i in range(2 * n + 1)],
             "left": [i + 1 if i < n - 1 else 2 * n for i in range(n)] + list(range(n, 2 * n + 1)),
             "right": [n + i for i in range(n)] + list(range(n, 2 * n + 1)),
             "value": [float(i) for i in range(2 * n + 1)], "leaf": [False] * n + [True] * (n + 1)}
    ens = Ensemble.from_dict({"base": 0.0, "trees": [chain], "features": ["x"]})
    assert ens._packed is None
    X = np.arange(-20.0, 2.0)[:, None]
    assert ens.raw(X).tolist() == [_naive_raw({"base": 0.0, "trees": [chain]}, x) for x in X] == ens.raw_numpy(X).tolist()
    assert len(set(ens.raw(X).tolist())) == n + 1


@compiled_only
def test_compiled_walk_refuses_arrays_that_point_outside_themselves(model) -> None:
    from dataclasses import replace

    from boilerstrip import _ctrees

    ens = model.stage1
    X = np.zeros((2, len(ens.features)))
    broken = {
        "feature": replace(ens, feature=ens.feature + len(ens.features)),
        "child": replace(ens, child=ens.child + len(ens.value)),
        "roots": replace(ens, roots=ens.roots - 1),
        "features": replace(ens, features=ens.features[:-1]),
    }
    for name, bad in broken.items():
        with pytest.raises(ValueError, match="outside"):
            bad.raw(X)
    with pytest.raises(ValueError, match="shapes"):
        _ctrees.raw(X, ens._packed, np.empty(3))
    with pytest.raises(ValueError, match="shapes"):
        _ctrees.pack(ens.feature, ens.threshold, ens.child[1:], ens.value, ens.roots, ens.depth, 0.0, len(ens.features))
    with pytest.raises(TypeError):
        _ctrees.pack(ens.feature.astype(np.int32), ens.threshold, ens.child, ens.value, ens.roots, ens.depth, 0.0,
                     len(ens.features))
    with pytest.raises(TypeError):
        _ctrees.raw(X.astype(np.float32), ens._packed, np.empty(2))
    with pytest.raises((TypeError, ValueError, BufferError)):  # out must be writable
        _ctrees.raw(X, ens._packed, np.frombuffer(bytes(16)))
    for not_packed in (None, ens.threshold, b"\0" * 64):
        with pytest.raises((TypeError, ValueError)):
            _ctrees.raw(X, not_packed, np.empty(2))


@compiled_only
def test_compiled_walk_refuses_the_packed_trees_of_another_model(model) -> None:
    from boilerstrip import _ctrees

    one, two = model.stage1, model.stage2
    for ens, other in ((one, two), (two, one)):
        X = np.zeros((3, len(other.features)))
        with pytest.raises(ValueError, match="shapes"):
            _ctrees.raw(X, ens._packed, np.empty(3))
        with pytest.raises(ValueError, match="shapes"):
            ens.raw(X)


def test_an_ensemble_copies_and_pickles_after_it_ran_and_its_arrays_are_read_only(model) -> None:
    ens = model.stage2
    X = _edge_rows(ens, 9, seed=1)
    want = ens.raw(X)
    for again in (pickle.loads(pickle.dumps(ens)), copy.copy(ens), copy.deepcopy(ens)):
        assert (again.features, again.base, again.depth) == (ens.features, ens.base, ens.depth)
        np.testing.assert_array_equal(again.raw(X).view(np.int64), want.view(np.int64))
    for a in (ens.feature, ens.threshold, ens.child, ens.value, ens.roots):
        with pytest.raises(ValueError):
            a[0] = a[1]


def test_model_scores_paragraphs_above_menu_and_related_lines(model) -> None:
    text = page_text()
    a = analyse(text, Config())
    rows, p = body_probabilities(model, a.feats, a.verdicts, a.span)
    prob = {a.lines[int(i)].text: float(q) for i, q in zip(rows, p)}
    others = [prob[t] for t in MENU + RELATED]
    assert min(prob[t] for t in PARAGRAPHS) > 0.5
    # The rules settle menus and related lists on this page; the model still ranks them lower.
    assert np.mean([prob[t] for t in PARAGRAPHS]) - np.mean(others) > 0.2


def test_contributions_name_the_features_that_moved_a_row(model) -> None:
    a = analyse(page_text(), Config())
    _, X, names = design_matrix(a.feats, a.verdicts, a.span)
    found = contributions(model.stage1, X, [0, len(X) // 2])
    assert len(found) == 2
    for row in found:
        assert row, "some feature of a menu line or a paragraph differs from the page median"
        assert all(c.name in names for c in row)
        effects = [abs(c.effect) for c in row]
        assert effects == sorted(effects, reverse=True)
    assert contributions(model.stage1, X, []) == []
    reason = model_reason(found[0], towards_body=False)
    assert reason is None or reason.startswith("learned model's strongest evidence for noise: ")


FIXTURE_WITH_MODEL_DROPS = Path(__file__).resolve().parent.parent / "fixtures" / "snippets" / "wcxb-0013.txt"


def test_explain_names_model_evidence_and_clean_text_is_the_same() -> None:
    text = FIXTURE_WITH_MODEL_DROPS.read_text(encoding="utf-8")
    report = boilerstrip.explain(text)
    model_drops = [d for d in report.lines if not d.kept and d.reasons[0].startswith("learned model: body probability")]
    assert model_drops, "the model settles some line of this page"
    assert all(d.reasons[1].startswith("learned model's strongest evidence for noise: ") for d in model_drops)
    assert report.text == boilerstrip.clean(text)
    assert settle(text, Config(), explain=True).text == settle(text, Config(), explain=False).text


def test_without_the_model_the_rules_decide_alone() -> None:
    text = page_text() * 3
    with_model = boilerstrip.explain(text)
    without = boilerstrip.explain(text, config=Config(use_model=False))
    assert not any("learned model" in r for d in without.lines for r in d.reasons)
    assert any("learned model" in r for d in with_model.lines for r in d.reasons)


MORE_PARAGRAPHS = [
    "Teachers at the two largest schools said their buildings needed new roofs before the winter.",
    "Bus drivers asked for longer breaks, saying the new timetable left them no time to rest at all.",
    "Shop owners on the high street welcomed plans to widen the pavements outside their windows.",
    "The fire brigade wants a second station in the north, where the town has grown fastest of late.",
    "Residents of the old quarter complained that the noise from the building works began too early.",
    "The library will stay open until eight in the evening on weekdays from the first of September.",
]
"""Six more paragraphs: with PARAGRAPHS, a page of eleven lines that is all body."""


def _constant_model(model, raw: float) -> LineModel:
    """A model of the shipped features that gives every line the same body probability."""
    leaf = {"feature": [0], "threshold": [0.0], "left": [0], "right": [0], "value": [raw], "leaf": [True]}

    def stage(features: tuple[str, ...]) -> Ensemble:
        return Ensemble.from_dict({"features": list(features), "base": 0.0, "depth": 0, "trees": [leaf]})

    return LineModel(stage(model.stage1.features), stage(model.stage2.features), {})


def test_model_rescues_dropped_sentences_but_not_lines_cut_off_with_an_ellipsis(model) -> None:
    sentence = "The council will publish the full timetable for the new routes on its website."
    teaser = "Council to publish the timetable for the new routes on its ..."
    a = analyse(page_text(), Config())
    feats = list(a.feats)
    extra = features_of_lines([sentence, teaser], all_stopwords())
    for i, f in zip((0, 1), extra):  # put both over two menu lines, dropped by a (weak) nav rule
        feats[i] = f
        a.verdicts[i] = Verdict(kind="nav", score=0.6, reasons=["short line above the article"])
    refine_with_model(_constant_model(model, 4.0), feats, a.verdicts, a.span, "balanced")
    assert not a.verdicts[0].noise and "for a sentence the rules dropped" in a.verdicts[0].reasons[0]
    assert a.verdicts[1].noise


def test_model_drops_nothing_where_the_rules_found_almost_no_noise(model) -> None:
    doubting = _constant_model(model, -4.0)  # body probability 0.02 for every line
    clean = analyse("\n\n".join(PARAGRAPHS + MORE_PARAGRAPHS) + "\n", Config())
    assert not any(v.noise for f, v in zip(clean.feats, clean.verdicts) if not f.blank)
    refine_with_model(doubting, clean.feats, clean.verdicts, clean.span, "balanced", explain=True)
    assert not any(v.noise for f, v in zip(clean.feats, clean.verdicts) if not f.blank)
    assert "the rules found almost no noise on this page (0 of 11 lines)" in clean.verdicts[0].reasons[-1]


def _short_line_doubter(model, max_words: float, doubt: float = -4.0) -> LineModel:
    """A model of the shipped features that doubts lines of at most ``max_words`` words (body
    probability 0.02, or the log-odds ``doubt``) and trusts longer ones (0.98)."""
    tree = {"feature": [0, 0, 0], "threshold": [math.log1p(max_words), 0.0, 0.0], "left": [1, 1, 2], "right": [2, 1, 2],
            "value": [0.0, doubt, 4.0], "leaf": [False, True, True]}

    def stage(features: tuple[str, ...]) -> Ensemble:
        tree["feature"][0] = features.index("log_words")
        return Ensemble.from_dict({"features": list(features), "base": 0.0, "depth": 1, "trees": [tree]})

    return LineModel(stage(model.stage1.features), stage(model.stage2.features), {})


def test_model_drops_nothing_where_its_drops_would_leave_almost_nothing(model) -> None:
    """Where the rules found noise the model drops the lines it doubts, unless that would leave
    fewer than MIN_WORDS_LEFT words of the page (a list it doubts from top to bottom)."""
    from boilerstrip.refine import MIN_WORDS_LEFT

    def paragraphs_dropped(text: str, doubter: LineModel) -> tuple[list[bool], list[str]]:
        a = analyse(text, Config())
        refine_with_model(doubter, a.feats, a.verdicts, a.span, "balanced")
        pairs = [(v.noise, "; ".join(v.reasons)) for f, v in zip(a.feats, a.verdicts) if f.words >= 15]
        return [n for n, _ in pairs], [r for _, r in pairs]

    doubting = _constant_model(model, -4.0)
    dropped, reasons = paragraphs_dropped(page_text(), doubting)
    assert dropped and not any(dropped)
    assert "dropping every line it doubts would leave 0 words of the page, so the model drops nothing" in reasons[0]

    # Lines of up to 17 words: two of page_text's five paragraphs (89 words), 55 words left.
    assert sum(len(p.split()) for p in PARAGRAPHS if len(p.split()) > 17) < MIN_WORDS_LEFT
    dropped, reasons = paragraphs_dropped(page_text(), _short_line_doubter(model, 17.5))
    assert not any(dropped) and "would leave 55 words" in reasons[1]
    longer = page_text() + "\n" + "\n\n".join(MORE_PARAGRAPHS) + "\n"
    dropped, reasons = paragraphs_dropped(longer, _short_line_doubter(model, 17.5))
    words = [len(p.split()) for p in PARAGRAPHS + MORE_PARAGRAPHS]
    assert dropped == [w <= 17 for w in words]
    assert reasons[1].startswith("learned model: body probability 0.02, below 0.50")


def test_model_cut_is_lower_on_pages_in_languages_it_knows_less(model) -> None:
    """A line the model gives 0.40 goes on an English page (cut 0.50) and stays on a German one
    (cut 0.30: most training lines are English, and its probabilities run low elsewhere)."""
    from boilerstrip.refine import BODY_CUTS, OTHER_LANGUAGE_CUT_SHIFT

    unsure = _short_line_doubter(model, 17.5, doubt=math.log(0.4 / 0.6))
    text = page_text() + "\n" + "\n\n".join(MORE_PARAGRAPHS) + "\n"
    dropped = {}
    for language in ("en", "de"):
        a = analyse(text, Config())
        refine_with_model(unsure, a.feats, a.verdicts, a.span, "balanced", language=language)
        dropped[language] = [v.noise for f, v in zip(a.feats, a.verdicts) if f.words >= 15]
    assert BODY_CUTS["balanced"] - OTHER_LANGUAGE_CUT_SHIFT < 0.4 < BODY_CUTS["balanced"]
    assert any(dropped["en"]) and not any(dropped["de"])


def test_settle_gives_the_model_the_pages_language(monkeypatch) -> None:
    """``clean`` detects the language when the model is on (its cut depends on it), and skips
    detection when it is off."""
    import boilerstrip.decide as decide

    seen: list[str] = []
    monkeypatch.setattr(decide, "refine_with_model", lambda *a, **k: seen.append(k["language"]))
    german = "Die Regierung hat am Montag die neue Regel für alle Bürger beschlossen, und das ist gut.\n" * 3
    boilerstrip.clean(german)
    assert seen[0] == "de"
    assert settle(german, Config(use_model=False), detect=False).language == "und"


class _UnusableModel:
    """Stands in for the model where it must not be consulted."""

    @property
    def stage1(self) -> Ensemble:
        raise AssertionError("the model was consulted")


def test_clean_skips_the_model_where_it_could_change_nothing() -> None:
    """Where the model may not drop (almost no noise) and no dropped line is a sentence it could
    give back, ``clean`` (no explanations wanted) does not run it."""
    clean = analyse("\n\n".join(PARAGRAPHS + MORE_PARAGRAPHS) + "\n", Config())
    assert not any(v.noise for f, v in zip(clean.feats, clean.verdicts) if not f.blank)
    refine_with_model(_UnusableModel(), clean.feats, clean.verdicts, clean.span, "balanced")  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="consulted"):
        refine_with_model(_UnusableModel(), clean.feats, clean.verdicts, clean.span, "balanced", explain=True)  # type: ignore[arg-type]


class _RecordingModel:
    """The shipped model, noting how many lines each first-stage call reads."""

    def __init__(self, model: LineModel) -> None:
        self.model, self.rows = model, []

    @property
    def stage1(self):
        outer = self

        class Stage:
            features = outer.model.stage1.features

            def predict(self, X: np.ndarray) -> np.ndarray:
                outer.rows.append(len(X))
                return outer.model.stage1.predict(X)

        return Stage()

    @property
    def stage2(self) -> Ensemble:
        return self.model.stage2


def _threaded_page(comments: int) -> str:
    post = "Reader {} wrote that the budget debate was far too long and that the roads need work."
    posts = [post.format(k) for k in range(comments)]
    article = "\n\n".join(PARAGRAPHS + MORE_PARAGRAPHS)
    return "\n".join(MENU) + "\n\n" + article + "\n\n12 Comments\n\n" + "\n\n".join(posts) + "\n"


def test_the_model_reads_the_page_above_a_comment_thread_that_fills_most_of_it(model) -> None:
    """A thread of many comments made the article the odd part of its page to the model's
    page-relative columns; where the thread holds half the page or more, the model reads the
    page down to the line that opens it."""
    long = analyse(_threaded_page(40), Config())
    assert long.thread is not None and long.lines[long.thread].text == "12 Comments"
    above = sum(1 for f in long.feats[: long.thread + 1] if not f.blank)
    recording = _RecordingModel(model)
    refine_with_model(recording, long.feats, long.verdicts, long.span, "balanced", thread=long.thread)  # type: ignore[arg-type]
    assert recording.rows == [above]
    assert all(v.noise for f, v in zip(long.feats[long.thread :], long.verdicts[long.thread :]) if not f.blank)

    short = analyse(_threaded_page(5), Config())
    assert short.thread is not None
    recording = _RecordingModel(model)
    refine_with_model(recording, short.feats, short.verdicts, short.span, "balanced", thread=short.thread)  # type: ignore[arg-type]
    assert recording.rows == [sum(1 for f in short.feats if not f.blank)]


def _write_model(folder: Path, model: LineModel, raw: float | None = None) -> Path:
    """``model`` (or, with ``raw``, a model of its features giving every line that log-odds)
    as the training script writes it, with the shipped word scores beside it."""
    leaf = {"feature": [0], "threshold": [0.0], "left": [0], "right": [0], "value": [raw], "leaf": [True]}
    shipped = json.loads(resources.files("boilerstrip").joinpath("data", "model.json").read_text(encoding="utf-8"))
    if raw is not None:
        for stage, ens in (("stage1", model.stage1), ("stage2", model.stage2)):
            shipped[stage] = {"features": list(ens.features), "base": 0.0, "depth": 0, "trees": [leaf]}
    (folder / "model.json").write_text(json.dumps(shipped), encoding="utf-8")
    words = resources.files("boilerstrip").joinpath("data", "wordscores.json").read_text(encoding="utf-8")
    (folder / "wordscores.json").write_text(words, encoding="utf-8")
    return folder / "model.json"


def test_a_model_file_of_ones_own_replaces_the_shipped_model(model, tmp_path: Path) -> None:
    """``Config(model_path=...)`` reads a model written by the training script (to compare a
    retrained model on the benchmark); a copy of the shipped model decides as it does."""
    text = page_text()
    copy = _write_model(tmp_path, model)
    assert boilerstrip.clean(text, config=Config(model_path=copy)) == boilerstrip.clean(text)

    (tmp_path / "doubting").mkdir()
    doubting = _write_model(tmp_path / "doubting", model, raw=-4.0)
    report = boilerstrip.explain(text, config=Config(model_path=doubting))
    doubted = [d for d in report.lines if "learned model doubts it (body probability 0.02)" in "; ".join(d.reasons)]
    assert any(d.text in PARAGRAPHS for d in doubted)
    assert all(d.text not in PARAGRAPHS for d in boilerstrip.explain(text).lines if not d.kept)


def test_a_missing_or_malformed_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no model file"):
        Config(model_path=tmp_path / "model.json")
    (tmp_path / "model.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="no word scores file"):
        boilerstrip.clean(page_text(), config=Config(model_path=tmp_path / "model.json"))
    (tmp_path / "wordscores.json").write_text('{"scores": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a model written by benchmarks.train_model"):
        boilerstrip.clean(page_text(), config=Config(model_path=tmp_path / "model.json"))


def test_the_shipped_word_scores_load_read_only() -> None:
    scores = shipped_word_scores()
    assert type(scores) is WordScores and scores is shipped_word_scores()
    raw = json.loads(resources.files("boilerstrip").joinpath("data", "wordscores.json").read_text(encoding="utf-8"))["scores"]
    assert len(scores) == len(raw) > 10_000
    assert all(type(v) is float for v in scores.values())
    assert dict(scores) == {str(k): float(v) for k, v in raw.items()}


def test_word_scores_look_up_as_the_dict_they_wrap() -> None:
    plain = {"said": 0.75, "share": -1.5, "none": None, "straße": 2.0, "": 0.0}
    scores = WordScores(plain)
    assert list(scores) == list(plain) and list(scores.items()) == list(plain.items()) and len(scores) == len(plain)
    for word in [*plain, "nope", "SAID", "strasse"]:
        assert (word in scores) == (word in plain)
        assert scores.get(word) == plain.get(word) and scores.get(word, 9.0) == plain.get(word, 9.0)
        if word in plain:
            assert scores[word] == plain[word]
        else:
            with pytest.raises(KeyError):
                scores[word]
    assert 1 not in scores and scores.get(1) is None  # type: ignore[call-overload]
    plain["said"] = 5.0  # a copy was taken
    assert scores["said"] == 0.75
    assert dict(WordScores()) == {} and not WordScores() and dict(WordScores(scores)) == dict(scores)


def test_word_scores_are_read_only_and_keyed_by_identity() -> None:
    scores = WordScores({"said": 0.75})
    with pytest.raises(TypeError):
        scores["said"] = 1.0  # type: ignore[index]
    with pytest.raises(TypeError):
        del scores["said"]  # type: ignore[attr-defined]
    for attack in (
        lambda: setattr(scores, "_scores", {}),
        lambda: delattr(scores, "_scores"),
        lambda: setattr(scores, "other", 1),
        lambda: scores.__init__({"said": 2.0}),  # type: ignore[misc]
    ):
        with pytest.raises(AttributeError):
            attack()
    assert not any(hasattr(scores, name) for name in ("update", "pop", "clear", "setdefault", "__dict__"))
    assert dict(scores) == {"said": 0.75}
    twin = WordScores({"said": 0.75})
    assert scores != twin and scores == scores and len({scores, twin, scores}) == 2
    for again in (pickle.loads(pickle.dumps(scores)), copy.copy(scores), copy.deepcopy(scores)):
        assert type(again) is WordScores and dict(again) == dict(scores)


def test_a_model_file_brings_its_word_scores(model, tmp_path: Path) -> None:
    got_model, scores = model_from_file(str(_write_model(tmp_path, model)))
    assert type(scores) is WordScores and dict(scores) == dict(shipped_word_scores())
