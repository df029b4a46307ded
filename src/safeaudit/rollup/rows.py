"""What a roll-up holds: one small row per setting, files skipped, and rows grouped by checklist."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from safeaudit.model import SEVERITY_ORDER, Checklist, Question
from safeaudit.scoring import VERDICT_ORDER


@dataclass(frozen=True, slots=True)
class Row:
    """One setting's result: numbers and ids only, never the answers themselves."""

    path: str
    name: str
    urn: str | None
    setting_type: str
    checklist: tuple[str, str]
    audit_date: str | None
    percent: float | None
    areas: tuple[float | None, ...]
    verdict: str
    statutory_gaps: int
    gaps: int
    unanswered: int
    #: Dated reviews older than the checklist allows (the report's "reviews out of date").
    reviews_out_of_date: int = 0
    #: Gaps whose owner's due date has passed (the report's actions "past their due date").
    actions_overdue: int = 0

    @property
    def urgency(self) -> tuple[int, int, float]:
        """Not met, then incomplete, then met; then most statutory gaps; then lowest score."""
        score = self.percent if self.percent is not None else -1.0
        return VERDICT_ORDER[self.verdict], -self.statutory_gaps, score


@dataclass(frozen=True)
class Skipped:
    """A file that could not be used, and why (one line)."""

    path: str
    reason: str


class Rows(Sequence[Row]):
    """A group's rows in order, read from the roll-up's store each time they are gone through,
    so only the row being drawn is in memory however many settings there are."""

    def __init__(self, read: Callable[[], Iterator[Row]] | None = None, count: int = 0) -> None:
        self._read = read
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Row]:
        if self._read is None:
            return iter(())
        return self._read()

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("row index out of range")
        return next(itertools.islice(iter(self), index, None))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({self._count} rows)"


@dataclass
class Group:
    """Every row scored against one checklist version."""

    checklist: Checklist
    #: Most urgent first (see `Row.urgency`), then by name and file.
    rows: Rows = field(default_factory=Rows)
    #: How many settings have each question as a gap (partly or not met).
    gap_counts: Counter[str] = field(default_factory=Counter)

    @property
    def key(self) -> tuple[str, str]:
        return self.checklist.id, self.checklist.version

    def common_gaps(self, limit: int = 10) -> list[tuple[Question, int]]:
        """The gaps found in most settings: statutory first when counts tie."""
        index = self.checklist.question_index()
        ranked = sorted(
            self.gap_counts.items(),
            key=lambda item: (-item[1], SEVERITY_ORDER[index[item[0]].severity], item[0]),
        )
        return [(index[qid], count) for qid, count in ranked[:limit]]


@dataclass
class Rollup:
    """The result of a roll-up: groups of rows, files skipped, and notes for the user."""

    groups: list[Group] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    filtered_out: int = 0
    #: Files whose recorded checklist version differs from the one installed (scored anyway).
    other_version: int = 0
    #: Files read and scored in this run, and rows taken unchanged from the last run's index.
    rescored: int = 0
    reused: int = 0
    #: Why the last run's index could not be used or saved, if so (one sentence), else "".
    index_note: str = ""
    #: Closes the store the rows are read from (and removes it unless it is the saved index).
    closer: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def close(self) -> None:
        """Let go of the rows' store (their rows cannot be gone through afterwards)."""
        if self.closer is not None:
            self.closer()
            self.closer = None

    def __enter__(self) -> Rollup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def rows(self) -> int:
        return sum(len(group.rows) for group in self.groups)
