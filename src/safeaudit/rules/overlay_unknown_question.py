"""An overlay's `amend` or `not_used` entry names a question that is not in its base checklist,
usually because a new version of the base renamed or removed it; the entry has no effect."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.overlay import OverlayDocument
from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext
from safeaudit.suggest import did_you_mean

CODE = "SA231"
NAME = "overlay-unknown-question"
LEVEL: Level = "warning"


def check(ctx: LintContext) -> Iterator[Problem]:
    if not isinstance(ctx.doc, OverlayDocument):
        return
    base = ctx.doc.base
    index = base.question_index()
    renamed = {old: q.id for q in index.values() for old in q.replaces}
    entries = [("amend", i, e.question) for i, e in enumerate(ctx.doc.overlay.amend)]
    entries += [("not_used", i, e.question) for i, e in enumerate(ctx.doc.overlay.not_used)]
    for key, i, qid in entries:
        if qid in index:
            continue
        hint = f"; it is now `{renamed[qid]}`" if qid in renamed else did_you_mean(qid, index)
        yield ctx.doc.source.problem(
            (key, i, "question"),
            CODE,
            f"`{qid}` is not a question in {base.id} {base.version}, so this `{key}` entry "
            f"does nothing{hint}",
            level=LEVEL,
        )
