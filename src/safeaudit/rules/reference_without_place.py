"""A reference gives neither `para` nor `section`, so a reader cannot find the passage."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA217"
NAME = "reference-without-place"
LEVEL: Level = "warning"


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        for index, ref in enumerate(item.question.references):
            if not ref.para and not ref.section:
                yield ctx.problem(
                    item.loc("references", index),
                    CODE,
                    f"`{item.question.id}` cites `{ref.source}` without a `para` or `section`",
                    LEVEL,
                )
