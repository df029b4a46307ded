"""`when` conditions form a loop (a depends on b, b depends on a), so neither can be asked."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA206"
NAME = "when-cycle"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    depends = {item.question.id: item for item in ctx.questions() if item.question.when}
    reported: set[str] = set()
    for start in depends:
        path: list[str] = []
        current: str | None = start
        while current in depends and current not in path:
            path.append(current)
            when = depends[current].question.when
            current = when.question if when else None
        if current in path and current == start and not reported.intersection(path):
            reported.update(path)
            loop = " → ".join([*path, start])
            yield ctx.problem(
                depends[start].loc("when", "question"),
                CODE,
                f"`when` conditions form a loop: {loop}",
                LEVEL,
            )
