"""The one type every check reports: a problem at a place in a file."""

from __future__ import annotations

import functools
from typing import Literal

from safeaudit.frozen import Frozen

Level = Literal["error", "warning"]


@functools.total_ordering
class Problem(Frozen):
    """Something wrong at a place in a file; line and column are 1-based (0 when unknown).

    Immutable; equal, hashed and ordered by file, line, column, code and message (not level).
    """

    __slots__ = _fields = ("file", "line", "column", "code", "message", "level")

    file: str
    line: int
    column: int
    code: str
    message: str
    level: Level

    def __init__(
        self, file: str, line: int, column: int, code: str, message: str, level: Level = "error"
    ) -> None:
        self._assign(file, line, column, code, message, level)

    def _key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def __lt__(self, other: Problem) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() < other._key()

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
