"""A reference names a source that is not declared under `sources`."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext
from safeaudit.suggest import did_you_mean

CODE = "SA203"
NAME = "undeclared-source"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    declared = list(ctx.checklist.sources)
    for item in ctx.questions():
        for index, ref in enumerate(item.question.references):
            if ref.source not in ctx.checklist.sources:
                hint = did_you_mean(ref.source, declared, "; declare it under `sources`")
                yield ctx.problem(
                    item.loc("references", index, "source"),
                    CODE,
                    f"`{item.question.id}` cites undeclared source `{ref.source}`{hint}",
                    LEVEL,
                )
