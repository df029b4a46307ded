"""A setting type is not one safeaudit knows, or `applies_to` names one the checklist leaves out."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext
from safeaudit.settings import SETTING_TYPES
from safeaudit.suggest import did_you_mean

CODE = "SA208"
NAME = "unknown-setting-type"
LEVEL: Level = "error"


def _hint(value: str) -> str:
    return did_you_mean(value, SETTING_TYPES, f"; use one of: {', '.join(SETTING_TYPES)}")


def check(ctx: LintContext) -> Iterator[Problem]:
    for index, setting in enumerate(ctx.checklist.settings):
        if setting not in SETTING_TYPES:
            yield ctx.problem(
                ("settings", index),
                CODE,
                f"unknown setting type `{setting}`{_hint(setting)}",
                LEVEL,
            )
    for item in ctx.questions():
        for index, setting in enumerate(item.question.applies_to or []):
            if setting not in SETTING_TYPES:
                yield ctx.problem(
                    item.loc("applies_to", index),
                    CODE,
                    f"unknown setting type `{setting}`{_hint(setting)}",
                    LEVEL,
                )
            elif setting not in ctx.checklist.settings:
                yield ctx.problem(
                    item.loc("applies_to", index),
                    CODE,
                    f"`{item.question.id}` applies to `{setting}`, which this "
                    "checklist's `settings` leave out",
                    LEVEL,
                )
