"""A reference names a source that is not declared under `sources`."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from safeaudit.lint.context import LintContext
from safeaudit.problems import Level, Problem

CODE = "SA203"
NAME = "undeclared-source"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    declared = list(ctx.checklist.sources)
    for item in ctx.questions():
        for index, ref in enumerate(item.question.references):
            if ref.source not in ctx.checklist.sources:
                close = difflib.get_close_matches(ref.source, declared, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else "; declare it under `sources`"
                yield ctx.problem(
                    item.loc("references", index, "source"),
                    CODE,
                    f"`{item.question.id}` cites undeclared source `{ref.source}`{hint}",
                    LEVEL,
                )
