"""Questions in the checklists linted together that name the same `requirement` disagree on severity or on `critical`; the same requirement must carry the same weight everywhere."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext, Located

CODE = "SA222"
NAME = "requirement-mismatch"
LEVEL: Level = "error"


def _label(question_severity: str, critical: bool) -> str:
    return f"{question_severity}{', critical' if critical else ''}"


def check_many(contexts: Sequence[LintContext]) -> Iterator[Problem]:
    groups: dict[str, list[tuple[LintContext, Located]]] = {}
    for ctx in contexts:
        for item in ctx.questions():
            if item.question.requirement:
                groups.setdefault(item.question.requirement, []).append((ctx, item))
    for requirement, members in sorted(groups.items()):
        kinds = {(item.question.severity, item.question.critical) for _, item in members}
        if len(kinds) < 2:
            continue
        for ctx, item in members:
            mine = (item.question.severity, item.question.critical)
            others = sorted(
                {
                    f"`{other.question.id}` in {octx.doc.name} "
                    f"({_label(other.question.severity, other.question.critical)})"
                    for octx, other in members
                    if (other.question.severity, other.question.critical) != mine
                }
            )
            yield ctx.problem(
                item.loc("requirement"),
                CODE,
                f"`{item.question.id}` checks requirement `{requirement}` as "
                f"{_label(*mine)}, but {'; '.join(others)} "
                f"{'disagrees' if len(others) == 1 else 'disagree'}; give every question "
                "for the same requirement the same severity and `critical`",
                LEVEL,
            )
