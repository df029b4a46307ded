"""A source is declared but no question cites it."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA216"
NAME = "unused-source"
LEVEL: Level = "warning"


def check(ctx: LintContext) -> Iterator[Problem]:
    cited = {ref.source for _, q in ctx.checklist.questions() for ref in q.references}
    for source_id in ctx.checklist.sources:
        if source_id not in cited:
            yield ctx.problem(
                ("sources", source_id),
                CODE,
                f"source `{source_id}` is declared but never cited",
                LEVEL,
                key=True,
            )
