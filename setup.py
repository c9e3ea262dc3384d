"""The optional C core of the features stage (``boilerstrip._cfeatures``).

The project's metadata lives in pyproject.toml; this file only declares the extension. It is
optional: without a C compiler the build goes on and ``boilerstrip.features`` runs its
pure-Python path, with the same results.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("boilerstrip._cfeatures", ["boilerstrip/_features.c"], optional=True)])
