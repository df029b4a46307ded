"""Two questions share an id; answers are keyed by question id, so ids must be unique."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA202"
NAME = "duplicate-question-id"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    seen: set[str] = set()
    for item in ctx.questions():
        if item.question.id in seen:
            yield ctx.problem(
                item.loc("id"), CODE, f"question id `{item.question.id}` is used twice", LEVEL
            )
        seen.add(item.question.id)
