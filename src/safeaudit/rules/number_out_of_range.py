"""A number is outside the range that makes sense: a `weight` above 100, a `max_age` above 1,200 months (100 years), or a `target` above a thousand million. Such numbers are typing slips, and would distort or break the score."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext

CODE = "SA241"
NAME = "number-out-of-range"
LEVEL: Level = "error"

MAX_WEIGHT = 100
MAX_AGE_MONTHS = 1200
MAX_TARGET = 1_000_000_000


def check(ctx: LintContext) -> Iterator[Problem]:
    for item in ctx.questions():
        question = item.question
        if question.weight > MAX_WEIGHT:
            yield ctx.problem(
                item.loc("weight"),
                CODE,
                f"`{question.id}` has weight {question.weight:g}; the most allowed is {MAX_WEIGHT}",
                LEVEL,
            )
        if isinstance(question.max_age, int) and question.max_age > MAX_AGE_MONTHS:
            yield ctx.problem(
                item.loc("max_age"),
                CODE,
                f"`{question.id}` has max_age {question.max_age}; give a number of months "
                f"from 1 to {MAX_AGE_MONTHS:,} (100 years), or `academic-year`",
                LEVEL,
            )
        if question.target is not None and abs(question.target) > MAX_TARGET:
            yield ctx.problem(
                item.loc("target"),
                CODE,
                f"`{question.id}` has target {question.target:g}; the most allowed is "
                "1,000,000,000",
                LEVEL,
            )
