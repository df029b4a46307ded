"""A question's `text`, `evidence` or `action` is empty, so users would not know what to do."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA210"
NAME = "empty-text"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    for index, area in enumerate(ctx.checklist.areas):
        if not area.title:
            yield ctx.problem(
                ("areas", index, "title"), CODE, f"area `{area.id}` has no title", LEVEL
            )
        if not area.questions:
            yield ctx.problem(
                ("areas", index, "questions"), CODE, f"area `{area.id}` has no questions", LEVEL
            )
    for item in ctx.questions():
        for name in ("text", "evidence", "action"):
            if not getattr(item.question, name).strip():
                yield ctx.problem(
                    item.loc(name), CODE, f"`{item.question.id}` has an empty `{name}`", LEVEL
                )
