"""A question id does not start with its area id (`filtering.` for the filtering area).

Keeping the prefix makes answer files readable and ids unique across areas."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA218"
NAME = "question-id-prefix"
LEVEL: Level = "warning"


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        if not item.question.id.startswith(item.area.id + "."):
            yield ctx.problem(
                item.loc("id"),
                CODE,
                f"question id `{item.question.id}` does not start with its area id "
                f"`{item.area.id}.`",
                LEVEL,
            )
