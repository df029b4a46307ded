"""A question's weight is zero or negative; weights must be positive numbers."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA212"
NAME = "non-positive-weight"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        if item.question.weight <= 0:
            yield ctx.problem(
                item.loc("weight"),
                CODE,
                f"`{item.question.id}` has weight {item.question.weight:g}; "
                "weights must be more than 0",
                LEVEL,
            )
