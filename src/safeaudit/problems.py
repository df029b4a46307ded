"""The one type every check reports: a problem at a place in a file."""

from __future__ import annotations

from typing import Any, Literal

Level = Literal["error", "warning"]


class Problem:
    """Something wrong at a place in a file; line and column are 1-based (0 when unknown).

    Immutable; equal, hashed and ordered by file, line, column, code and message (not level).
    A plain class rather than a frozen dataclass, which costs every command several
    milliseconds to define at import (issue 17); it behaves as that dataclass did.
    """

    __slots__ = ("code", "column", "file", "level", "line", "message")

    file: str
    line: int
    column: int
    code: str
    message: str
    level: Level

    def __init__(
        self, file: str, line: int, column: int, code: str, message: str, level: Level = "error"
    ) -> None:
        setter = object.__setattr__
        setter(self, "file", file)
        setter(self, "line", line)
        setter(self, "column", column)
        setter(self, "code", code)
        setter(self, "message", message)
        setter(self, "level", level)

    def _key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Problem) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: Problem) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: Problem) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: Problem) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() >= other._key()

    def __reduce__(self) -> tuple[type[Problem], tuple[str, int, int, str, str, Level]]:
        return (Problem, (*self._key(), self.level))

    def __repr__(self) -> str:
        return (
            f"Problem(file={self.file!r}, line={self.line!r}, column={self.column!r}, "
            f"code={self.code!r}, message={self.message!r}, level={self.level!r})"
        )

    def location(self) -> str:
        """`file:line:column`, leaving out what is unknown."""
        parts = [self.file]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.code} {self.message}"
