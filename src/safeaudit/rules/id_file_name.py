"""A checklist's `id` is not its file name (`kcsie-2026-online-safety.yaml` for the id
`kcsie-2026-online-safety`). safeaudit finds a checklist by its file name, but answer files and
reports record its id, so such a checklist can be used only by its path: `show`, `run` and
`score` refuse it by id, and `safeaudit checklists` leaves it out. Rename the file, or change
the id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA223"
NAME = "id-not-file-name"
LEVEL: Level = "warning"

#: The file names a checklist can have; other names (a document not read from a file) are
#: not checked.
_SUFFIXES = (".yaml", ".yml")


def message(checklist_id: str, file_name: str) -> str:
    """What is wrong and the fix, for `lint` and for a checklist refused when looked up by id."""
    name = PurePath(file_name)
    # Offer the other way round only when the file's name would make a valid id.
    other = f" or set `id: {name.stem}`" if re.fullmatch(r"[a-z0-9][a-z0-9-]*", name.stem) else ""
    return (
        f"the id `{checklist_id}` is not the file's name, {name.name}, so safeaudit cannot "
        f"find this checklist by its id; rename the file {checklist_id}{name.suffix}{other}"
    )


def check(ctx: LintContext) -> Iterator[Problem]:
    name = PurePath(ctx.doc.name)
    if name.suffix not in _SUFFIXES or name.stem == ctx.checklist.id:
        return
    yield ctx.problem(("id",), CODE, message(ctx.checklist.id, name.name), LEVEL)
