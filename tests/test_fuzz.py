"""Bounded fuzzing of ``clean``/``explain`` (issue 5): Hypothesis at scale, for a fixed time.

Each target runs rounds of fresh random examples until ``BOILERSTRIP_FUZZ_SECONDS`` (default 2)
have passed, so the main suite stays quick and CI can run a longer pass::

    BOILERSTRIP_FUZZ_SECONDS=30 python -m pytest -q tests/test_fuzz.py

``BOILERSTRIP_FUZZ_SEED`` fixes the seeds (a failure prints the round's seed to replay it).
With Atheris installed, ``python tests/test_fuzz.py -max_total_time=600`` fuzzes with
coverage guidance instead, on raw bytes decoded every way a pipeline might.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings, target
from hypothesis import strategies as st
from hostile_inputs import check_report, configs, documents, html_documents, idempotent_configs

from boilerstrip import Config, clean, explain, features
from boilerstrip import model as modelmod

FUZZ_SECONDS = float(os.environ.get("BOILERSTRIP_FUZZ_SECONDS", "2"))
ROUND = 100
"""Examples per Hypothesis round; rounds repeat with new seeds until the time is up."""

SLOW_SECONDS = 5.0
"""One fuzz document (at most a few hundred kB) taking longer than this is a failure."""


def fuzz(strategy: st.SearchStrategy[Any], body: Callable[..., None], seconds: float = FUZZ_SECONDS) -> int:
    """Run ``body`` on examples of ``strategy`` for about ``seconds``; return how many ran."""
    base = int(os.environ.get("BOILERSTRIP_FUZZ_SEED", random.SystemRandom().randrange(2**32)))
    stop = time.monotonic() + seconds
    count = 0

    def one(example: Any) -> None:
        nonlocal count
        if time.monotonic() > stop:
            return
        count += 1
        body(example)

    n = 0
    while time.monotonic() < stop or n == 0:
        run_seed = base + n
        wrapped = settings(
            max_examples=ROUND,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        )(given(strategy)(one))
        try:
            seed(run_seed)(wrapped)()
        except Exception:
            print(f"{body.__name__} failed in the round seeded {run_seed}: BOILERSTRIP_FUZZ_SEED={run_seed} replays it")
            raise
        n += 1
    print(f"{body.__name__}: {count} examples in {n} rounds, base seed {base}")
    return count


def _invariants(args: tuple[str, Config | None]) -> None:
    text, config = args
    t = time.perf_counter()
    check_report(text, config)
    elapsed = time.perf_counter() - t
    target(elapsed / (len(text) + 1), label="seconds per character")
    assert elapsed < SLOW_SECONDS, f"{elapsed:.1f} s for {len(text):,} characters"


def _idempotent_and_deterministic(args: tuple[str, Config | None]) -> None:
    text, config = args
    once = clean(text, config=config)
    assert clean(once, config=config) == once, "clean is not idempotent"
    assert explain(text, config=config) == explain(text, config=config), "explain is not deterministic"


def _html(text: str) -> None:
    check_report(text)


def test_fuzz_invariants() -> None:
    assert fuzz(st.tuples(documents(max_lines=120), st.none() | configs), _invariants) > 0


def test_fuzz_idempotent_and_deterministic() -> None:
    assert fuzz(st.tuples(documents(max_lines=120), st.none() | idempotent_configs), _idempotent_and_deterministic) > 0


def test_fuzz_html() -> None:
    assert fuzz(html_documents(), _html) > 0


def _compiled_paths_agree(text: str) -> None:
    """The optional C parts give what the Python and NumPy paths give, on the lines of any document."""
    from boilerstrip import decide, duplicates, langdetect, lexicon, matrix, segment
    from boilerstrip.decide import analyse
    from boilerstrip.lexicon import all_stopwords, load_lexicon
    from boilerstrip.matrix import design_matrix
    from boilerstrip.model import shipped_model, shipped_word_scores
    from boilerstrip.segment import split_lines

    lines = split_lines(text)
    if segment.COMPILED:
        assert [(x.index, x.text, x.ending) for x in lines] == [
            (x.index, x.text, x.ending) for x in segment.python_split_lines(text)
        ]
    if langdetect.COMPILED:
        assert langdetect.detect_language(text) == langdetect.python_detect_language(text)
    texts = [line.text for line in lines]
    stop, scores = all_stopwords(), shipped_word_scores()
    if features.COMPILED:
        got = features.features_of_lines(texts, stop, scores)
        want = features.python_features_of_lines(texts, stop, scores)
        assert [repr(f.as_dict()) for f in got] == [repr(f.as_dict()) for f in want]
    model = shipped_model()
    a = analyse(text, Config())
    rows, X, _ = design_matrix(a.feats, a.verdicts, a.span)
    if matrix.COMPILED:
        want_rows, want_table = matrix.python_line_table(a.feats, a.verdicts)
        got_rows, got_table = matrix.line_table(a.feats, a.verdicts)
        assert got_rows.tobytes() == want_rows.tobytes() and got_table.tobytes() == want_table.tobytes()
        assert X.tobytes() == matrix.python_design_columns(want_rows, want_table, a.span).tobytes()
        if model is not None:
            p1 = model.stage1.predict(X)
            assert matrix.neighbour_columns(p1)[0].tobytes() == matrix.python_neighbour_columns(p1)[0].tobytes()
    if modelmod.COMPILED and model is not None:
        assert model.stage1.raw(X).tobytes() == model.stage1.raw_numpy(X).tobytes()  # X: < CHUNK_ROWS rows
    if lexicon.COMPILED:
        lex = load_lexicon()
        for key in dict.fromkeys(f.key for f in a.feats):
            assert lex.regexes.entries(key) == lex.regexes.python_entries(key)
            assert lex.prefix_entries(key) == lex.python_prefix_entries(key)
    if decide.COMPILED:
        lex, got_made, want_made = load_lexicon(), {}, {}
        got = decide.line_templates(a.feats, texts, lex, Config().drop_threshold, got_made)
        assert got == decide.python_line_templates(a.feats, texts, lex, Config().drop_threshold, want_made)
        assert list(got_made.items()) == list(want_made.items())
    if duplicates.COMPILED:
        assert duplicates.dup_tokens_of(texts) == duplicates.python_dup_tokens_of(texts)
        want_repeats = duplicates.python_repeats(duplicates.python_dup_tokens_of(texts))
        assert duplicates.find_repeats(texts) == want_repeats
        constants = (duplicates.NEAR_MIN_TOKENS, duplicates.NEAR_SIMILARITY, duplicates._ANCHOR, duplicates._WINDOW)
        assert duplicates._C.repeats_of(texts, duplicates.TOKEN_CHARS, *constants, 7) == want_repeats  # words collide


def test_fuzz_compiled_paths_agree() -> None:
    from boilerstrip.compiled import compiled_parts

    if not any(on for _, on in compiled_parts().values()):
        pytest.skip("the optional compiled parts are not built")
    assert fuzz(documents(max_lines=120), _compiled_paths_agree) > 0


def _atheris_main() -> None:  # pragma: no cover - optional, long local runs
    import atheris

    def one_input(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        raw = fdp.ConsumeBytes(fdp.remaining_bytes())
        for text in (raw.decode("utf-8", "replace"), raw.decode("utf-8", "surrogateescape"), raw.decode("latin-1")):
            check_report(text)
            once = clean(text)
            assert clean(once) == once

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    import atheris

    atheris.instrument_all()  # boilerstrip is imported already: instrument it in place
    _atheris_main()
