"""Immutable plain classes: what a frozen dataclass gives, without its cost at import."""

from __future__ import annotations

from typing import Any


class Frozen:
    """Base of an immutable record with `__slots__`, listed in order in `_fields`.

    A subclass's `__init__` takes the fields in that order and hands them to `_assign`; after
    that no field can be assigned or deleted. Records are equal and hashed by `_key()` (every
    field, unless a subclass says otherwise), shown with their fields, and pickled by their
    fields. A frozen dataclass does the same but compiles five or six generated methods when it
    is defined, which every command paid at import (issue 17).
    """

    __slots__ = ()
    #: The record's fields, in order.
    _fields: tuple[str, ...] = ()

    def _assign(self, *values: object) -> None:
        """Set every field once, in `_fields` order (only from `__init__`)."""
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._key() == other._key())

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[type[Frozen], tuple[Any, ...]]:
        return (type(self), tuple(getattr(self, name) for name in self._fields))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"
