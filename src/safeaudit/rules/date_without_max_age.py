"""A `date` question has no `max_age`, so a review can never show as out of date."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA209"
NAME = "date-without-max-age"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        if item.question.kind == "date" and item.question.max_age is None:
            yield ctx.problem(
                item.loc("kind"),
                CODE,
                f"date question `{item.question.id}` needs `max_age` (months, or "
                "academic-year) so an old date shows as overdue",
                LEVEL,
            )
