"""A statutory question is of a kind that is never scored (text, or a number without a target),
so it could never count against the verdict."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA219"
NAME = "statutory-unscored"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        if item.question.severity == "statutory" and not item.question.scored:
            yield ctx.problem(
                item.loc("kind"),
                CODE,
                f"statutory question `{item.question.id}` is a {item.question.kind} "
                "question that is never scored; make it yes-partial-no, a date or a "
                "number with a target",
                LEVEL,
            )
