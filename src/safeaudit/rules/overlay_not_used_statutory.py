"""An overlay marks a statutory or critical question as not used locally; neither can be dropped, just as neither can be answered `n/a`."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.overlay import OverlayDocument
from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA230"
NAME = "overlay-not-used-statutory"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    if not isinstance(ctx.doc, OverlayDocument):
        return
    index = ctx.doc.base.question_index()
    for i, entry in enumerate(ctx.doc.overlay.not_used):
        question = index.get(entry.question)
        if question is not None and not question.na_allowed:
            why = "statutory" if question.severity == "statutory" else "critical"
            yield ctx.doc.source.problem(
                ("not_used", i, "question"),
                CODE,
                f"`{entry.question}` is a {why} requirement in {ctx.doc.base.id}, so it "
                "cannot be marked as not used locally; remove it from `not_used`",
                level=LEVEL,
            )
