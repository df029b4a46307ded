"""A `when` condition refers to a question that does not exist."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext
from safeaudit.suggest import did_you_mean

CODE = "SA204"
NAME = "when-missing-question"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    ids = list(ctx.checklist.question_index())
    for item in ctx.questions():
        when = item.question.when
        if when is not None and when.question not in ids:
            hint = did_you_mean(when.question, ids)
            yield ctx.problem(
                item.loc("when", "question"),
                CODE,
                f"`{item.question.id}` depends on `{when.question}`, "
                f"which is not a question in this checklist{hint}",
                LEVEL,
            )
