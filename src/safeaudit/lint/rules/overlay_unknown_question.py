"""An overlay's `amend` or `not_used` entry names a question that is not in its base checklist,
usually because a new version of the base renamed or removed it; the entry has no effect."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from safeaudit.lint.context import LintContext
from safeaudit.problems import Level, Problem

CODE = "SA231"
NAME = "overlay-unknown-question"
LEVEL: Level = "warning"


def check(ctx: LintContext) -> Iterator[Problem]:
    from safeaudit.overlay import OverlayDocument

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
        if qid in renamed:
            hint = f"; it is now `{renamed[qid]}`"
        else:
            close = difflib.get_close_matches(qid, list(index), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
        yield ctx.doc.source.problem(
            (key, i, "question"),
            CODE,
            f"`{qid}` is not a question in {base.id} {base.version}, so this `{key}` entry "
            f"does nothing{hint}",
            level=LEVEL,
        )
