"""C4-style line rules (Raffel et al. 2020, "Exploring the limits of transfer learning", §2.2).

A text-only baseline: it keeps or drops each line of the scraped text by the rules C4 used to
clean Common Crawl text, applied line by line. Kept lines are returned unchanged, in order.

Line rules implemented (a line is stripped of surrounding white space before testing):

- keep only lines that end in terminal punctuation: ``.`` ``!`` ``?`` ``"`` (plus the typographic
  closing quotes ``”`` ``’`` and ``'``, as later re-implementations do), and not in an ellipsis
  (``...`` or ``…``);
- keep only lines with at least ``min_words`` white-space separated words (C4 paper: 3; the
  TensorFlow Datasets code used 5);
- drop lines containing ``javascript``, ``lorem ipsum`` or a curly bracket ``{`` (C4 drops the whole
  *page* for the last two; here the line goes, see ``page_rules``);
- drop lines containing a policy phrase: terms of use, privacy policy, cookie policy, uses cookies,
  use of cookies, use cookies;
- drop lines with a "word" longer than 1,000 characters.

Page rules (off by default, ``page_rules=True``): a page with "lorem ipsum" or ``{`` in a line
that passes the shape rules, or with fewer than ``min_sentences`` sentences in its kept lines, returns
empty. Not implemented: the bad-words list, language identification, citation-marker removal
(lines stay unchanged) and cross-document de-duplication.

C4 was built for English: a text without spaces between words (Chinese, Japanese) keeps almost
nothing under the word-count rule, as it would in C4.

>>> c4_clean("Home | News\\nThe council approved the budget on Monday.\\nShare this\\n")
'The council approved the budget on Monday.'
>>> c4_line_ok("Please enable JavaScript to view the comments.")
False
"""

from __future__ import annotations

import re

END_MARKS: tuple[str, ...] = (".", "!", "?", '"', "\u201d", "\u2019", "'")
ELLIPSES: tuple[str, ...] = ("...", "\u2026")
POLICY_SUBSTRINGS: tuple[str, ...] = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)
MAX_WORD_LENGTH = 1000
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def _shape_ok(s: str, min_words: int) -> bool:
    """Terminal punctuation, no ellipsis, enough words, no over-long word (``s`` stripped)."""
    if not s or not s.endswith(END_MARKS) or s.endswith(ELLIPSES):
        return False
    words = s.split()
    return len(words) >= min_words and all(len(w) <= MAX_WORD_LENGTH for w in words)


def _page_killer(s: str) -> bool:
    """Phrases for which C4 drops the whole page."""
    return "lorem ipsum" in s.lower() or "{" in s


def c4_line_ok(line: str, *, min_words: int = 3) -> bool:
    """Whether C4's line rules keep ``line``."""
    s = line.strip()
    if not _shape_ok(s, min_words) or _page_killer(s):
        return False
    low = s.lower()
    return "javascript" not in low and not any(p in low for p in POLICY_SUBSTRINGS)


def count_sentences(text: str) -> int:
    """A rough sentence count: runs of ``.!?`` followed by white space or the end."""
    return len(_SENTENCE_END.findall(text))


def c4_clean(text: str, *, min_words: int = 3, page_rules: bool = False, min_sentences: int = 5) -> str:
    """The lines of ``text`` that C4's rules keep, joined with newlines."""
    kept: list[str] = []
    for line in text.splitlines():
        if page_rules and _shape_ok(line.strip(), min_words) and _page_killer(line):
            return ""
        if c4_line_ok(line, min_words=min_words):
            kept.append(line)
    out = "\n".join(kept)
    if page_rules and count_sentences(out) < min_sentences:
        return ""
    return out
