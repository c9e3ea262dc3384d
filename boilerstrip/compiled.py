"""The optional compiled parts: C extensions ``setup.py`` builds when a C compiler is at hand
(docs/speed.md). Each module that has one loads it with :func:`extension` once at import, keeps
its pure-Python path beside it and says in its ``COMPILED`` flag which runs;
:func:`compiled_parts` gathers those flags.

>>> extension("_no_such_part", "f") is None
True
>>> set(compiled_parts()) == {"features", "trees", "lines", "language", "matrix", "lexicon", "repeats", "verdicts",
...                              "templates", "context", "refine", "footer", "blanks", "kept", "context head"}
True
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Sequence
from dataclasses import fields
from types import MemberDescriptorType, ModuleType
from typing import Any


def extension(name: str, *functions: str) -> ModuleType | None:
    """The extension ``boilerstrip.<name>`` when it is built and holds every name in
    ``functions`` (a build older than the Python code may lack some), else ``None``. One that
    is built but fails to load (its initialisation raises) is left out with a warning: the
    pure-Python path runs, as where it is not built."""
    try:
        module = importlib.import_module(f"boilerstrip.{name}")
    except ImportError:
        return None
    except Exception as e:  # noqa: BLE001 - any failure of a module's own init
        message = f"boilerstrip.{name} is built but failed to load ({e!r}); its pure-Python path runs"
        warnings.warn(message, RuntimeWarning, stacklevel=2)
        return None
    return module if all(hasattr(module, f) for f in functions) else None


def record_slots(cls: type, names: Sequence[str], *, all_fields: bool = True) -> tuple[Any, ...] | None:
    """The slot (member) descriptors of the dataclass ``cls`` named by an extension, in its
    order, for it to read or fill the records directly; ``None`` when one is not a slot, or, with
    ``all_fields``, when ``names`` are not all of the fields in order (the records changed since
    the extension was written).

    >>> from boilerstrip.segment import Line
    >>> len(record_slots(Line, ("index", "text", "ending")))
    3
    >>> record_slots(Line, ("text", "index", "ending")) is None
    True
    """
    if all_fields and tuple(names) != tuple(f.name for f in fields(cls)):  # type: ignore[arg-type]
        return None
    slots = tuple(cls.__dict__.get(name) for name in names)
    return slots if all(isinstance(d, MemberDescriptorType) for d in slots) else None


def extension_slots(
    name: str, function: str, *records: tuple[type, str]
) -> tuple[ModuleType | None, tuple[tuple[Any, ...], ...]]:
    """The extension ``boilerstrip.<name>`` holding ``function``, and for each ``(cls, attr)``
    the slot descriptors of ``cls`` that the extension's tuple of field names ``attr`` names, in
    its order (:func:`record_slots`, some of the fields); ``(None, ((), ...))`` when it is not
    built, lacks a name, or a class no longer has those slots.

    >>> extension_slots("_no_such_part", "f", (int, "FIELDS"))
    (None, ((),))
    """
    none: tuple[ModuleType | None, tuple[tuple[Any, ...], ...]] = (None, tuple(() for _ in records))
    module = extension(name, function, *(attr for _, attr in records))
    if module is None:
        return none
    found = tuple(record_slots(cls, getattr(module, attr), all_fields=False) for cls, attr in records)
    if any(slots is None for slots in found):
        return none
    return module, tuple(slots for slots in found if slots is not None)


def compiled_parts() -> dict[str, tuple[str, bool]]:
    """Each compiled part by its short name: the extension that holds it and whether it runs."""
    from boilerstrip import context, decide, duplicates, features, langdetect, lexicon, matrix, model, refine, render, segment

    return {
        "features": ("_cfeatures", features.COMPILED),
        "trees": ("_ctrees", model.COMPILED),
        "lines": ("_cstages", segment.COMPILED),
        "language": ("_cstages", langdetect.COMPILED),
        "matrix": ("_cstages", matrix.COMPILED),
        "lexicon": ("_cstages", lexicon.COMPILED),
        "repeats": ("_cstages", duplicates.COMPILED),
        "verdicts": ("_cstages", context.COMPILED),
        "templates": ("_cstages", decide.COMPILED),
        "context": ("_ccontext", context.SPAN_COMPILED),
        "refine": ("_cstages", refine.COMPILED),
        "footer": ("_cstages", context.FOOTER_COMPILED),
        "blanks": ("_cstages", render.COMPILED),
        "kept": ("_cstages", decide.KEPT_COMPILED),
        "context head": ("_ccontext", context.HEAD_COMPILED),
    }
