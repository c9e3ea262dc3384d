"""Building a :class:`~boilerstrip.Config` from a TOML file, phrase files and overrides.

A TOML file uses the names of ``Config``'s fields::

    profile = "precision"
    keep_title = false
    drop = ["nav", "related", "social"]
    language = "en"
    allow = ["Reporting by"]
    use_model = true

    [extra_phrases]
    social = ["Follow us on Mastodon"]

>>> make_config({"profile": "recall"}, {"drop": ["nav"]}).drop == frozenset({"nav"})
True
>>> make_config({"profile": 3}, {})
Traceback (most recent call last):
...
boilerstrip.tomlconfig.ConfigError: profile must be a string, not int
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from boilerstrip.config import NOISE_KINDS, Config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["FIELDS", "ConfigError", "load_toml", "make_config", "read_allow", "read_phrases"]

FIELDS: Mapping[str, str] = {
    "profile": "str",
    "keep_title": "bool",
    "drop": "list",
    "language": "str",
    "extra_phrases": "table",
    "allow": "list",
    "use_model": "bool",
    "html": "str",
}
"""The keys a config file may hold, with the TOML type each takes."""


class ConfigError(ValueError):
    """Options that cannot make a Config; the message names the file and the problem."""


def load_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The options in the TOML file at ``path``, checked against :data:`FIELDS`."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(FIELDS)})")
    return data


def _lines(path: str | os.PathLike[str]) -> list[tuple[int, str]]:
    """Numbered lines of a UTF-8 list file, without blank lines and ``#`` comments."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8") from None
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            out.append((number, line.rstrip("\r\n")))
    return out


def read_phrases(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """``{kind: [phrase, ...]}`` from a file of ``KIND<TAB>PHRASE`` lines.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
    ...     _ = f.write("# mine\\nsocial\\tFollow us on Mastodon\\n\\nlegal\\tAll rights reserved\\n")
    >>> read_phrases(f.name)
    {'social': ['Follow us on Mastodon'], 'legal': ['All rights reserved']}
    """
    phrases: dict[str, list[str]] = {}
    for number, line in _lines(path):
        kind, tab, phrase = line.partition("\t")
        if not tab or not kind.strip() or not phrase.strip():
            raise ConfigError(f"{path}:{number}: expected KIND<TAB>PHRASE, got {line!r}")
        if kind.strip() not in NOISE_KINDS or kind.strip() == "duplicate":
            raise ConfigError(f"{path}:{number}: unknown noise kind for a phrase: {kind.strip()!r}")
        phrases.setdefault(kind.strip(), []).append(phrase.strip())
    return phrases


def read_allow(path: str | os.PathLike[str]) -> list[str]:
    """The phrases of a file with one phrase a line."""
    return [line.strip() for _, line in _lines(path)]


def _check(key: str, value: Any) -> Any:
    expected = FIELDS[key]
    if expected == "str" and not isinstance(value, str):
        raise ConfigError(f"{key} must be a string, not {type(value).__name__}")
    if expected == "bool" and not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false, not {value!r}")
    if expected == "list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key} must be a list of strings, not {value!r}")
    if expected == "table":
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key} must be a table of kind = [phrases], not {value!r}")
        for kind, phrases in value.items():
            _check("allow", phrases)  # same shape: a string or a list of strings
        value = {k: [v] if isinstance(v, str) else v for k, v in value.items()}
    return value


def make_config(file_options: Mapping[str, Any], overrides: Mapping[str, Any], *, source: str = "") -> Config:
    """A Config from a config file's options, with ``overrides`` (from flags) taking precedence.

    ``source`` (a file name) prefixes messages about ``file_options``.
    """
    options: dict[str, Any] = {}
    for origin, given in ((source, file_options), ("", overrides)):
        for key, value in given.items():
            try:
                options[key] = _check(key, value)
            except ConfigError as err:
                raise ConfigError(f"{origin}: {err}" if origin else str(err)) from None
    try:
        return Config(**options)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{source}: {err}" if source else str(err)) from None
