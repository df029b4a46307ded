"""A piece of text is longer than the format allows: ids, titles and labels up to 500 characters; a question's text, help, evidence and action, descriptions and notes up to 5,000. Longer text is almost always a paste gone wrong, and would make every report unreadable."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext
from safeaudit.validation import describe_location

CODE = "SA240"
NAME = "field-too-long"
LEVEL: Level = "error"

#: Most characters in a short field (ids, titles, labels, names, links, paragraph numbers).
MAX_SHORT = 500
#: Most characters in a field of prose.
MAX_LONG = 5000
#: Fields of prose; every other piece of text is short. A level's description is prose too.
LONG_FIELDS = frozenset({"text", "help", "evidence", "action", "description", "note", "reason"})


def check(ctx: LintContext) -> Iterator[Problem]:
    stack: list[tuple[object, tuple[str | int, ...], bool]] = [(ctx.doc.data, (), False)]
    while stack:
        value, loc, long = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if len(str(key)) > MAX_SHORT:
                    yield _problem(ctx, (*loc, str(key)), len(str(key)), MAX_SHORT, key=True)
                prose = key in LONG_FIELDS or (bool(loc) and loc[-1] == "levels")
                stack.append((item, (*loc, str(key)), prose))
        elif isinstance(value, list):
            stack.extend((item, (*loc, index), long) for index, item in enumerate(value))
        elif isinstance(value, str):
            limit = MAX_LONG if long else MAX_SHORT
            if len(value) > limit:
                yield _problem(ctx, loc, len(value), limit)


def _problem(
    ctx: LintContext, loc: tuple[str | int, ...], length: int, limit: int, *, key: bool = False
) -> Problem:
    field = describe_location(ctx.doc.data, loc[:-1] if key else loc)
    what = "a key in " if key else ""
    return ctx.problem(
        loc,
        CODE,
        f"{what}{field} is {length:,} characters long; the most allowed is {limit:,}: "
        "shorten it or move the detail to the guidance it cites",
        LEVEL,
        key=key,
    )
