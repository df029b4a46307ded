"""Two areas share an id; area ids must be unique within a checklist."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA201"
NAME = "duplicate-area-id"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, area in enumerate(ctx.checklist.areas):
        if area.id in seen:
            yield ctx.problem(
                ("areas", index, "id"),
                CODE,
                f"area id `{area.id}` is used twice (also area {seen[area.id] + 1})",
                LEVEL,
            )
        else:
            seen[area.id] = index
