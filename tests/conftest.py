"""Hypothesis profiles: ``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) makes the property tests
draw the same examples on every run, so a CI result can be replayed; the default profile draws
fresh ones. The bounded fuzz run (``tests/test_fuzz.py``) seeds its own rounds."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
