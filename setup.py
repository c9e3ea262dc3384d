"""The optional C parts: the features stage (``boilerstrip._cfeatures``) and the learned model's
tree walk (``boilerstrip._ctrees``).

The project's metadata lives in pyproject.toml; this file only declares the extensions. They are
optional: without a C compiler the build goes on and ``boilerstrip.features`` and
``boilerstrip.model`` run their pure-Python and NumPy paths, with the same results.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("boilerstrip._cfeatures", ["boilerstrip/_features.c"], optional=True),
        Extension("boilerstrip._ctrees", ["boilerstrip/_trees.c"], optional=True),
    ]
)
