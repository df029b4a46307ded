"""An overlay's `amend` or `not_used` entry names a question that is not in its base checklist,
usually because a new version of the base renamed or removed it, or a question an earlier entry
already covers (listed twice, or amended and also left out); the entry has no effect."""

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
    seen: dict[tuple[str, str], int] = {}
    left_out = {e.question for e in ctx.doc.overlay.not_used}
    for key, i, qid in entries:
        if qid in index:
            yield from _covered(ctx.doc, key, i, qid, seen, left_out)
            continue
        hint = f"; it is now `{renamed[qid]}`" if qid in renamed else did_you_mean(qid, index)
        yield ctx.doc.source.problem(
            (key, i, "question"),
            CODE,
            f"`{qid}` is not a question in {base.id} {base.version}, so this `{key}` entry "
            f"does nothing{hint}",
            level=LEVEL,
        )


def _covered(
    doc: OverlayDocument,
    key: str,
    i: int,
    qid: str,
    seen: dict[tuple[str, str], int],
    left_out: set[str],
) -> Iterator[Problem]:
    """An entry for a question already covered: listed before, or amended but left out."""
    first = seen.setdefault((key, qid), i)
    if first != i:
        line = doc.source.position((key, first, "question"))[0]
        message = (
            f"`{qid}` is already in `{key}` (line {line}), and only the first entry counts, "
            "so this one does nothing; merge the two"
        )
    elif key == "amend" and qid in left_out:
        message = (
            f"`{qid}` is also in `not_used`, so it is left out and this `amend` entry does "
            "nothing; remove one of the two"
        )
    else:
        return
    yield doc.source.problem((key, i, "question"), CODE, message, level=LEVEL)
