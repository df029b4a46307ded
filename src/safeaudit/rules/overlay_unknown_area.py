"""An overlay adds questions to an area (an entry without a title) that is not in its base
checklist, usually because a new version of the base renamed or removed it. Its questions would
be lost, so this is an error: move them to an area that exists, or give the area a title."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.overlay import OverlayDocument
from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext
from safeaudit.suggest import did_you_mean

CODE = "SA232"
NAME = "overlay-unknown-area"
LEVEL: Level = "error"


def check(ctx: LintContext) -> Iterator[Problem]:
    if not isinstance(ctx.doc, OverlayDocument):
        return
    base = ctx.doc.base
    ids = [area.id for area in base.areas]
    for i, area in enumerate(ctx.doc.overlay.areas):
        if area.title is not None or area.id in ids:
            continue
        hint = did_you_mean(area.id, ids)
        yield ctx.doc.source.problem(
            ("areas", i, "id"),
            CODE,
            f"area `{area.id}` is not in {base.id} {base.version}, so its questions cannot be "
            f"added to it; give it a `title` to make it a new area{hint}",
            level=LEVEL,
        )
