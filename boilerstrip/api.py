"""The public entry points: :func:`clean` and :func:`explain`.

>>> from boilerstrip import clean, explain
>>> text = "Home > World\\nTalks resumed in Geneva on Tuesday, officials said, after a week of delay.\\nLeave a reply\\n"
>>> clean(text)
'Talks resumed in Geneva on Tuesday, officials said, after a week of delay.\\n'
>>> print(explain(text).why(2))
line 2 dropped as comments (0.95): comment counter or prompt (comments lexicon: "leave a reply")
"""

from __future__ import annotations

from boilerstrip import guards
from boilerstrip.config import Config
from boilerstrip.decide import clean_text, decide
from boilerstrip.report import Report

_DEFAULT = Config()


def explain(text: str, *, config: Config | None = None) -> Report:
    """Decide every line of ``text`` and say why; ``report.text`` is what :func:`clean` returns.

    HTML is converted to text lines first and the report flagged ``html_input``; its lines are
    then those of the converted text (see ``docs/robustness.md``).
    """
    config = config or _DEFAULT
    source, flags = guards.prepare(guards.require_text(text), config.html)
    return guards.with_flags(decide(source, config), flags)


def clean(text: str, *, config: Config | None = None) -> str:
    """The article body of ``text``: kept lines in their order, each unchanged.

    Always equal to ``explain(text, config=config).text``; it skips building the report.
    """
    config = config or _DEFAULT
    source, _ = guards.prepare(guards.require_text(text), config.html)
    return clean_text(source, config)
