"""What a roll-up holds: one small row per setting, files skipped, and rows grouped by checklist."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

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


@dataclass
class Group:
    """Every row scored against one checklist version."""

    checklist: Checklist
    rows: list[Row] = field(default_factory=list)
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

    @property
    def rows(self) -> int:
        return sum(len(group.rows) for group in self.groups)
