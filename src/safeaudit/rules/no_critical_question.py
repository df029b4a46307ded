"""A checklist with a filtering, monitoring or designated safeguarding lead area marks no question `critical`, so no single failure there (illegal content not blocked, alerts not reaching the DSL) could stop a "met" verdict."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA221"
NAME = "no-critical-question"
LEVEL: Level = "warning"

#: Area ids whose failures can leave children unsafe on their own.
SAFEGUARDING_AREAS = ("filtering", "monitoring", "dsl")


def check(ctx: LintContext) -> Iterator[Problem]:
    areas = [(i, a) for i, a in enumerate(ctx.checklist.areas) if a.id in SAFEGUARDING_AREAS]
    if not areas or any(q.critical for _, q in ctx.checklist.questions()):
        return
    index, area = areas[0]
    yield ctx.problem(
        ("areas", index, "id"),
        CODE,
        f"`{ctx.checklist.id}` has a `{area.id}` area but no critical question; mark "
        '`critical: true` on the few questions whose failure alone should stop a "met" '
        "verdict, such as blocking illegal content",
        LEVEL,
    )
