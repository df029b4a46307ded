"""The one type every check reports: a problem at a place in a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong at a place in a file; line and column are 1-based (0 when unknown)."""

    file: str
    line: int
    column: int
    code: str = field(compare=True)
    message: str = field(compare=True)
    level: Level = field(default="error", compare=False)

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
