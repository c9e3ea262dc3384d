"""Guess a document's language from its function words (and script, for Chinese).

>>> detect_language("Die Regierung hat am Montag die neue Regel für alle Bürger beschlossen, und das ist gut.")
'de'
>>> detect_language("北京时间昨天下午，国务院召开了常务会议。")
'zh'
>>> detect_language("12345")
'en'
"""

from __future__ import annotations

import re
from collections import Counter

from boilerstrip.lexicon import stopwords

STOPWORD_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")
DEFAULT_LANGUAGE = "en"
SAMPLE_CHARS = 20000

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language whose function words are most frequent in ``text``."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    if not words:
        return DEFAULT_LANGUAGE
    han = len(_HAN.findall(sample))
    if han >= 0.3 * len(words):
        # Chinese runs of Han characters count as one \w-run each, so compare with the run count.
        return "zh"
    counts = Counter(words)
    best, best_hits = DEFAULT_LANGUAGE, 0
    for lang in STOPWORD_LANGUAGES:
        stop = stopwords(lang)
        hits = sum(n for w, n in counts.items() if w in stop)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best
