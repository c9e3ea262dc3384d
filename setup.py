"""The optional C parts: the features stage (``boilerstrip._cfeatures``), the learned model's
tree walk (``boilerstrip._ctrees``), and line splitting, language-detection counts, the
design matrix and the second stage's neighbour columns, the lexicon's regex, prefix and
contains loops, duplicate detection, the context-free verdict records, the learned model's
decision loop, the footer, the kept lines and blank runs (``boilerstrip._cstages``), and the
context pass's rules (``boilerstrip._ccontext``).

The project's metadata lives in pyproject.toml; this file only declares the extensions. They are
optional: without a C compiler the build goes on and ``boilerstrip.features``,
``boilerstrip.model``, ``boilerstrip.segment``, ``boilerstrip.langdetect``,
``boilerstrip.matrix``, ``boilerstrip.lexicon``, ``boilerstrip.duplicates``,
``boilerstrip.context``, ``boilerstrip.refine``, ``boilerstrip.decide`` and
``boilerstrip.render`` run their pure-Python and NumPy paths, with the same results.
"""

from setuptools import Extension, setup

SUM_H = "boilerstrip/_pairwise_sum.h"
"""NumPy's pairwise summation, included by both extensions that sum as NumPy does."""
RECORDS_H = "boilerstrip/_records.h"
"""Reading the records' slots from C, included by the two extensions that do."""

setup(
    ext_modules=[
        Extension("boilerstrip._cfeatures", ["boilerstrip/_features.c"], optional=True),
        Extension("boilerstrip._ctrees", ["boilerstrip/_trees.c"], depends=[SUM_H], optional=True),
        Extension("boilerstrip._cstages", ["boilerstrip/_cstages.c"], depends=[SUM_H, RECORDS_H], optional=True),
        Extension("boilerstrip._ccontext", ["boilerstrip/_context.c"], depends=[RECORDS_H], optional=True),
    ]
)
