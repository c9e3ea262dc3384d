"""Refine the rule and context verdicts with the shipped learned line model.

A line the rules kept goes when its body probability falls below the profile's cut, as the
noise kind its rules scored highest (``nav`` when none did); the reason names the probability.
The model rescues a line the rules dropped only when it ends like a sentence, and not in "...":
letting it rescue anything cost quality on every benchmark set (headline lists read as body to
it), and a line cut off with an ellipsis is mostly a teaser of another story. It never
overrules lexicon hits the rules are sure of (score >= ``LOCK_SCORE``), structural decisions of
the context pass, or the title, and never drops a short line between two sentences of the
article (see :func:`protected_lines`). It drops nothing on text where the rules found almost no
noise (:data:`DROP_MIN_NOISE_SHARE`): there it mistook ordinary paragraphs for noise; nor where
its drops would leave almost nothing of the page (:data:`MIN_WORDS_LEFT`).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from operator import attrgetter, not_

import numpy as np

from boilerstrip.attribution import contributions, model_reason
from boilerstrip.compiled import extension_slots
from boilerstrip.context import CJK_PROSE_CHARS, NOT_NOISE, Verdict, best_noise, prose_like
from boilerstrip.features import LineFeatures
from boilerstrip.matrix import design_matrix, neighbour_columns
from boilerstrip.model import LineModel

BODY_CUTS = {"precision": 0.6, "balanced": 0.5, "recall": 0.35}
"""A line is kept when the model's body probability reaches this cut, per profile."""
MODEL_LANGUAGES = ("en",)
OTHER_LANGUAGE_CUT_SHIFT = 0.2
"""The cut is this much lower on pages in other languages than :data:`MODEL_LANGUAGES`: most of
the model's training lines are English and its body probabilities run low on the rest
(trained without its German pages, at the English cut it kept 65.7% of German body snippets
against 86.2%; docs/when-not-to-use.md). On the train pages of trafilatura_eval (German,
Spanish, French, Polish and more) under fold models, 0.5 kept 90.4% of the body snippets and
removed 88.4% of the noise ones; 0.4 91.7% / 86.5%, 0.3 92.6% / 83.8%, 0.2 93.2% / 79.9%."""
DROP_MIN_NOISE_SHARE = 0.05
DROP_MIN_NOISE_LINES = 3
"""The model drops lines only on a page where the rules and the context pass already found
noise in this share of the non-blank lines, and in at least this many. Text that is already
clean (a clean page, or the kept text the fixed point decides again) looks to the model's
page-relative features like a page whose ordinary paragraphs sit below its median; it dropped
them (on the train pages 20,000 body tokens against 550 noise in cleaneval's later passes)."""
MIN_LINES = 10
"""Documents with fewer non-blank lines are left to the rules: too little context for the model
(on a five-line article it dropped a last paragraph; the benchmark is unchanged by the limit)."""
MIN_WORDS_LEFT = 60
"""The model drops nothing when dropping every kept line it doubts would leave fewer words of
the page than this. Where the text is a list (a catalogue, a job board, a forum index) it doubts
nearly every line, and emptied such pages that the rules had left whole; where it is right to
cut that much, the rules have usually cut the rest already. On the train pages of the sets the
model never learns from, mean F1 0.9061 -> 0.9069 (cleaneval +0.002, dragnet +0.0015); on
wcxb's train pages scored by models trained without them, 0.806 -> 0.816 (see
docs/how-it-decides.md)."""
THREAD_VIEW_SHARE = 0.5
"""When the comment thread the context pass found holds at least this share of the non-blank
lines, the model reads the page only down to the line that opens the thread (the thread is
settled already). Many of its columns compare a line with the page (medians, shares); a thread
of 150 comments made the article the odd part of its page, and the model dropped it."""


def body_probabilities(
    model: LineModel, feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], span: tuple[int, int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, p)``: non-blank line indices and the model's body probability for each."""
    rows, _, p = _score(model, feats, verdicts, span)
    return rows, p


def _score(
    model: LineModel, feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], span: tuple[int, int] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(rows, X, p)``: as :func:`body_probabilities`, with the first stage's input rows."""
    rows, X, names = design_matrix(feats, verdicts, span)
    if tuple(names) != model.stage1.features:
        raise RuntimeError("the shipped model was trained on other features; rebuild it")
    p1 = model.stage1.predict(X)
    N, _ = neighbour_columns(p1)
    return rows, X, model.stage2.predict(np.hstack([X, N]))


def protected_lines(
    feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], span: tuple[int, int] | None
) -> set[int]:
    """Lines inside the article span that the model may not drop: a sentence (or a line ending
    in a colon) standing alone between two kept sentences, and Chinese or Japanese prose,
    which the shipped model has seen little of. A lone headline between paragraphs is left to
    the model: it is as often a link to another story as a heading."""
    if span is None:
        return set()
    first, last = span

    bread = [  # the sentences
        i
        for i in range(first, last + 1)
        if not (f := feats[i]).blank and not verdicts[i].noise and ((f.ends_sentence and f.words >= 3) or prose_like(f))
    ]
    safe = {i for i in bread if feats[i].cjk}
    for a, b in zip(bread, bread[1:]):
        between = [j for j in range(a + 1, b) if not feats[j].blank]
        if len(between) == 1:
            f = feats[between[0]]
            if f.ends_sentence or f.ends_colon or f.cjk:
                safe.add(between[0])
    return safe


_BLANK = attrgetter("blank")
_NOISE = attrgetter("noise")


def _rescuable(f: LineFeatures, v: Verdict) -> bool:
    """A line the model may give back to the body: the rules dropped it, but not for sure, and it
    ends like a sentence, not in "..."."""
    return v.noise and not v.locked and v.kind != "title" and f.ends_sentence and not f.ends_ellipsis


def _any_rescuable(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> bool:
    """Whether a line is one the model may give back (:func:`_rescuable`)."""
    return any(v.noise and _rescuable(f, v) for f, v in zip(feats, verdicts))


def _counts(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> tuple[int, int, bool | None]:
    """The non-blank lines, the noise among them, and whether a line is one the model may give
    back (:func:`_any_rescuable`; ``None`` when not looked at: the pure path looks only on the
    pages that need it). Counted by the compiled ``boilerstrip._cstages`` when it is built
    (:data:`COMPILED`), otherwise by :func:`python_counts`: the same counts."""
    if _C is not None:
        got = _C.refine_counts(feats, verdicts, LineFeatures, _C_FEATURE_SLOTS, Verdict, _C_VERDICT_SLOTS, "title")
        if got is not NotImplemented:  # it hands back records and values of types it does not handle
            return got
    return python_counts(feats, verdicts)


def python_counts(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict]) -> tuple[int, int, bool | None]:
    """:func:`_counts` in Python, with map and compress, not a Python loop (every page comes
    through here), leaving the rescuable lines to be looked at later."""
    filled = list(map(not_, map(_BLANK, feats)))
    return sum(filled), sum(map(_NOISE, compress(verdicts, filled))), None


def _words_left(feats: Sequence[LineFeatures], verdicts: Sequence[Verdict], dropping: set[int]) -> int:
    """Words of the lines kept so far, without the lines in ``dropping``."""
    kept = (f.words for i, (f, v) in enumerate(zip(feats, verdicts)) if not f.blank and not v.noise and i not in dropping)
    return sum(kept)


def _model_view(
    feats: Sequence[LineFeatures],
    verdicts: Sequence[Verdict],
    span: tuple[int, int] | None,
    thread: int | None,
    nonblank: int,
) -> tuple[Sequence[LineFeatures], Sequence[Verdict], tuple[int, int] | None]:
    """The lines the model reads: all of them, or those down to the line that opens a comment
    thread holding at least :data:`THREAD_VIEW_SHARE` of the page (when :data:`MIN_LINES` of
    them remain)."""
    if thread is None:
        return feats, verdicts, span
    end = thread + 1
    above = sum(1 for f in feats[:end] if not f.blank)
    if nonblank - above < THREAD_VIEW_SHARE * nonblank or above < MIN_LINES:
        return feats, verdicts, span
    if span is not None:
        span = (min(span[0], thread), min(span[1], thread))
    return feats[:end], verdicts[:end], span


def _decide(
    feats: Sequence[LineFeatures],
    verdicts: Sequence[Verdict],
    span: tuple[int, int] | None,
    rows: np.ndarray,
    p: np.ndarray,
    cut: float,
    *,
    may_drop: bool,
    noisy: int,
    nonblank: int,
) -> list[tuple[int, int]]:
    """Settle each line ``rows[r]`` by its body probability ``p[r]`` and return ``(r, line)`` of
    the lines changed (rescued ones first). Run by the compiled ``boilerstrip._cstages`` when it
    is built (:data:`COMPILED`), otherwise by :func:`python_decide`: the same verdicts."""
    if _C is not None:
        got = _C.refine_rows(
            feats, verdicts, LineFeatures, _C_FEATURE_SLOTS, Verdict, _C_VERDICT_SLOTS, NOT_NOISE, _KINDS, rows, p,
            span, cut, may_drop, noisy, nonblank, MIN_WORDS_LEFT, CJK_PROSE_CHARS,
        )
        if got is not NotImplemented:  # it hands back, nothing changed, records and values of other types
            return got
    return python_decide(feats, verdicts, span, rows, p, cut, may_drop=may_drop, noisy=noisy, nonblank=nonblank)


def python_decide(
    feats: Sequence[LineFeatures],
    verdicts: Sequence[Verdict],
    span: tuple[int, int] | None,
    rows: np.ndarray,
    p: np.ndarray,
    cut: float,
    *,
    may_drop: bool,
    noisy: int,
    nonblank: int,
) -> list[tuple[int, int]]:
    """:func:`_decide` in pure Python."""
    safe = protected_lines(feats, verdicts, span)
    changed: list[tuple[int, int]] = []  # (row in X, line index)
    doubted: list[tuple[int, int, float]] = []  # (row in X, line index, body probability)
    for r, (i, prob) in enumerate(zip(rows.tolist(), p.tolist())):
        v = verdicts[i]
        if v.locked or v.kind == "title":
            continue
        if prob >= cut:
            if not v.noise:
                v.reasons.append(f"learned model agrees (body probability {prob:.2f})")
                continue
            f = feats[i]
            if f.ends_sentence and not f.ends_ellipsis:  # _rescuable: not locked, not the title, above
                why = f"learned model: body probability {prob:.2f} for a sentence the rules dropped"
                v.set("body" if prose_like(f) else "heading", prob, why)
                changed.append((r, i))
                continue
        elif i in safe:
            v.reasons.append(
                f"learned model doubts it (body probability {prob:.2f}), but a line between two sentences of the article stays"
            )
            continue
        elif not v.noise:
            if may_drop:
                doubted.append((r, i, prob))
            else:
                v.reasons.append(
                    f"learned model doubts it (body probability {prob:.2f}), but the rules found almost no noise "
                    f"on this page ({noisy} of {nonblank} lines), so the model drops nothing"
                )
            continue
        v.reasons.append(f"learned model: body probability {prob:.2f} (it rescues only sentences)")
    left = _words_left(feats, verdicts, {i for _, i, _ in doubted}) if doubted else 0
    for r, i, prob in doubted:
        v = verdicts[i]
        if left >= MIN_WORDS_LEFT:
            kind, _ = best_noise(v)
            v.set(kind, 1.0 - prob, f"learned model: body probability {prob:.2f}, below {cut:.2f}")
            changed.append((r, i))
        else:
            v.reasons.append(
                f"learned model doubts it (body probability {prob:.2f}), but dropping every line it doubts would "
                f"leave {left} words of the page, so the model drops nothing"
            )
    return changed


def refine_with_model(
    model: LineModel,
    feats: Sequence[LineFeatures],
    verdicts: Sequence[Verdict],
    span: tuple[int, int] | None,
    profile: str,
    *,
    explain: bool = False,
    thread: int | None = None,
    language: str = "en",
) -> None:
    """Let the model settle every line the rules are not sure of. ``explain`` adds to each line
    the model changes a reason naming the features that moved it most (see
    :mod:`boilerstrip.attribution`); without it, a page where the model may not drop and no
    dropped line is a sentence it could give back is not scored at all (its only effect there
    would be reasons, which only reports show). ``thread`` is the line opening the comment
    thread, whose lines the context pass has settled (see :data:`THREAD_VIEW_SHARE`);
    ``language`` the page's, which lowers the cut outside :data:`MODEL_LANGUAGES`."""
    nonblank, noisy, rescuable = _counts(feats, verdicts)
    if nonblank < MIN_LINES:
        return
    may_drop = noisy >= max(DROP_MIN_NOISE_LINES, DROP_MIN_NOISE_SHARE * nonblank)
    if rescuable is None and not explain and not may_drop:
        rescuable = _any_rescuable(feats, verdicts)
    if not explain and not may_drop and not rescuable:
        return  # the model could only add reasons, which only reports show
    feats, verdicts, span = _model_view(feats, verdicts, span, thread, nonblank)
    rows, X, p = _score(model, feats, verdicts, span)
    cut = BODY_CUTS[profile] - (0.0 if language in MODEL_LANGUAGES else OTHER_LANGUAGE_CUT_SHIFT)
    changed = _decide(feats, verdicts, span, rows, p, cut, may_drop=may_drop, noisy=noisy, nonblank=nonblank)
    if explain and changed:
        # The first stage reads the line and its surroundings; the second mostly follows the
        # first stage's scores of the line and its neighbours, so the first says more.
        found = contributions(model.stage1, X, [r for r, _ in changed])
        for (_, i), c in zip(changed, found):
            reason = model_reason(c, towards_body=not verdicts[i].noise)
            if reason is not None:
                verdicts[i].reasons.insert(1, reason)


_KINDS = ("title", "body", "heading", "nav")
"""The kinds the compiled loop names: the title, a rescued line's two, and best_noise's default."""


_C, (_C_FEATURE_SLOTS, _C_VERDICT_SLOTS) = extension_slots(
    "_cstages", "refine_rows", (LineFeatures, "REFINE_FEATURE_FIELDS"), (Verdict, "REFINE_VERDICT_FIELDS")
)
COMPILED = _C is not None
"""Whether the decision loop of :func:`refine_with_model` runs the compiled ``boilerstrip._cstages``."""
