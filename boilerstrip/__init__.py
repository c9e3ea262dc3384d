"""boilerstrip: strip web-scrape boilerplate from plain text, keep the article body.

>>> import boilerstrip
>>> boilerstrip.clean("Share news\\nThe council approved the new budget on Monday after a long debate.\\n")
'The council approved the new budget on Monday after a long debate.\\n'
"""

from boilerstrip.api import clean, explain
from boilerstrip.batch import clean_many
from boilerstrip.config import CONTENT_KINDS, NOISE_KINDS, Config
from boilerstrip.report import LineDecision, Report

__version__ = "0.1.0"

__all__ = [
    "CONTENT_KINDS",
    "NOISE_KINDS",
    "Config",
    "LineDecision",
    "Report",
    "__version__",
    "clean",
    "clean_many",
    "explain",
]
