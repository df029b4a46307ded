"""A `when` condition expects an answer the question it refers to can never give."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.answers import interpret
from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA207"
NAME = "when-impossible-value"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    index = ctx.checklist.question_index()
    for item in ctx.questions():
        when = item.question.when
        if when is None or when.question not in index:
            continue
        target = index[when.question]
        for value in when.values:
            try:
                interpret(target, value)
            except ValueError as exc:
                yield ctx.problem(
                    item.loc("when", "is"),
                    CODE,
                    f"`{item.question.id}` waits for `{when.question}` to be "
                    f"`{value}`, but that answer {exc}",
                    LEVEL,
                )
