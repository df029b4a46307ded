"""`replaces` names an id still used in this checklist, the question itself, or one claimed twice."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA213"
NAME = "replaces-clash"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    ids = ctx.checklist.question_index()
    claimed: dict[str, str] = {}
    for item in ctx.questions():
        for index, old in enumerate(item.question.replaces):
            loc = item.loc("replaces", index)
            if old == item.question.id:
                yield ctx.problem(loc, CODE, f"`{old}` cannot replace itself", LEVEL)
            elif old in ids:
                yield ctx.problem(
                    loc,
                    CODE,
                    f"`{item.question.id}` replaces `{old}`, which is still a "
                    "question in this checklist",
                    LEVEL,
                )
            elif old in claimed and claimed[old] != item.question.id:
                # Several new questions may split one old one, but then each must say so and
                # the answers need review; one question replacing the same id twice is a slip.
                continue
            elif old in claimed:
                yield ctx.problem(loc, CODE, f"`{old}` is listed twice in `replaces`", LEVEL)
            claimed.setdefault(old, item.question.id)
