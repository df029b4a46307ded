"""A question cites no source. Statutory questions must (error); others should (warning)."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA211"
NAME = "missing-reference"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        if not item.question.references:
            statutory = item.question.severity == "statutory"
            yield ctx.problem(
                item.loc("references"),
                CODE,
                f"{'statutory ' if statutory else ''}question `{item.question.id}` "
                "cites no source; add a reference with a paragraph or section",
                "error" if statutory else "warning",
            )
