"""An overlay marks a statutory question as not used locally; statutory requirements cannot be dropped."""

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
        if question is not None and question.severity == "statutory":
            yield ctx.doc.source.problem(
                ("not_used", i, "question"),
                CODE,
                f"`{entry.question}` is a statutory requirement in {ctx.doc.base.id}, so it "
                "cannot be marked as not used locally; remove it from `not_used`",
                level=LEVEL,
            )
