"""Fields that belong to another kind, or that a kind needs: `levels` 1-5 for level questions,
`options` for choice questions, `max_age` only on dates, `target` only on numbers, and
`dont_know` only on questions that are scored (a "don't know" must count as not met), with no
choice option of the value `dont-know`."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA214"
NAME = "kind-fields"
LEVEL: Level = "error"

_OWNER = {"levels": "level", "options": "choice", "max_age": "date", "target": "number"}


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        q = item.question
        for name, kind in _OWNER.items():
            if getattr(q, name) is not None and q.kind != kind:
                yield ctx.problem(
                    item.loc(name),
                    CODE,
                    f"`{q.id}` is a {q.kind} question; `{name}` only applies to {kind} questions",
                    LEVEL,
                    key=True,
                )
        if q.kind == "level" and sorted(q.levels or {}) != [1, 2, 3, 4, 5]:
            yield ctx.problem(
                item.loc("levels" if q.levels else "kind"),
                CODE,
                f"level question `{q.id}` needs `levels` describing 1, 2, 3, 4 and 5",
                LEVEL,
            )
        if q.kind == "choice":
            values = [option.value for option in q.options or []]
            if len(values) < 2:
                yield ctx.problem(
                    item.loc("options" if q.options else "kind"),
                    CODE,
                    f"choice question `{q.id}` needs at least two `options`",
                    LEVEL,
                )
            elif len(set(values)) != len(values):
                yield ctx.problem(
                    item.loc("options"),
                    CODE,
                    f"choice question `{q.id}` has two options with the same value",
                    LEVEL,
                )
        if q.dont_know is not None and not q.scored:
            yield ctx.problem(
                item.loc("dont_know"),
                CODE,
                f"`{q.id}` is never scored, so a `dont_know` answer could not count as not met; "
                "remove `dont_know` or give the question a scored kind",
                LEVEL,
                key=True,
            )
        if q.kind == "choice" and any(o.value == "dont-know" for o in q.options or []):
            yield ctx.problem(
                item.loc("options"),
                CODE,
                f"choice question `{q.id}` has an option `dont-know`, which is the answer "
                "`dont_know` offers; give `dont_know` instead",
                LEVEL,
            )
        if isinstance(q.max_age, int) and q.max_age <= 0:
            yield ctx.problem(
                item.loc("max_age"),
                CODE,
                f"`{q.id}` has max_age {q.max_age}; use a number of months above 0",
                LEVEL,
            )
