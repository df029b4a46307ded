"""A statutory question cites no source whose `legal_status` is statutory."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA215"
NAME = "statutory-without-statutory-source"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    sources = ctx.checklist.sources
    for item in ctx.questions():
        q = item.question
        if q.severity != "statutory" or not q.references:
            continue
        if not any(
            ref.source in sources and sources[ref.source].legal_status == "statutory"
            for ref in q.references
        ):
            yield ctx.problem(
                item.loc("severity"),
                CODE,
                f"`{q.id}` is marked statutory but cites no statutory source; cite "
                "the law or statutory guidance, or lower its severity",
                LEVEL,
            )
