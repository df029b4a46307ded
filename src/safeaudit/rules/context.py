"""What a lint rule sees: the validated checklist and the document it came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from safeaudit.loading import YamlDocument
from safeaudit.model import Area, Checklist, Question
from safeaudit.problems import Level, Problem


@dataclass(frozen=True)
class Located:
    """A question with its place in the file: area index and question index."""

    area_index: int
    index: int
    area: Area
    question: Question

    def loc(self, *rest: str | int) -> tuple[str | int, ...]:
        return ("areas", self.area_index, "questions", self.index, *rest)


@dataclass
class LintContext:
    checklist: Checklist
    doc: YamlDocument

    def questions(self) -> Iterator[Located]:
        for ai, area in enumerate(self.checklist.areas):
            for qi, question in enumerate(area.questions):
                yield Located(ai, qi, area, question)

    def problem(
        self,
        loc: tuple[str | int, ...],
        code: str,
        message: str,
        level: Level = "error",
        *,
        key: bool = False,
    ) -> Problem:
        return self.doc.problem(loc, code, message, key=key, level=level)
