"""Models rebuilt from data that was validated before it was cached, without validating it again.

Only for cache entries, which are written after full validation and used only when their key and
checksum match; skipping validation is what makes a warm province-wide report fast.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


_ALL_SET: dict[type, set[str]] = {}


def built(cls: type[M], values: dict[str, Any]) -> M:
    """A ``cls`` holding ``values`` as they are (every field given, already of the right type)."""
    # What model_construct does, without its per-call overhead (it dominated cached reads);
    # tests/test_cache.py proves the result equals a validated model on the installed pydantic.
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    # Models with every field set share one set of names: a set of 15 names takes 728 bytes, which
    # is 119 MB over a province's 163,706 items. Sharing is safe: setting a field only adds a name
    # the set already holds.
    every = _ALL_SET.get(cls)
    if every is None:
        every = _ALL_SET[cls] = set(cls.model_fields)
    object.__setattr__(model, "__pydantic_fields_set__", every if len(values) == len(every) else set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model
