"""A `when` condition refers to the question itself or to a later one; it must point back."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA205"
NAME = "when-later-question"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    position = {q.id: n for n, (_, q) in enumerate(ctx.checklist.questions())}
    for n, item in enumerate(ctx.questions()):
        when = item.question.when
        if when is None or when.question not in position:
            continue
        if position[when.question] >= n:
            which = (
                "itself"
                if when.question == item.question.id
                else f"`{when.question}`, which comes later"
            )
            yield ctx.problem(
                item.loc("when", "question"),
                CODE,
                f"`{item.question.id}` depends on {which}; a question can only "
                "depend on one asked before it",
                LEVEL,
            )
