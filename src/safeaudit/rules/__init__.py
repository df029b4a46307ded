"""The checklist rules, one module each, listed explicitly: no plugin discovery.

They check a checklist that already passed the schema; the catalogue (`checklists`) applies
their errors when it loads a file, and `lint` reports all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from types import ModuleType

from safeaudit.loading import YamlDocument
from safeaudit.model import Checklist
from safeaudit.problems import Problem
from safeaudit.rules import (
    date_without_max_age,
    duplicate_area_id,
    duplicate_question_id,
    empty_text,
    field_too_long,
    id_file_name,
    kind_fields,
    missing_reference,
    no_critical_question,
    non_positive_weight,
    number_out_of_range,
    overlay_not_used_statutory,
    overlay_unknown_area,
    overlay_unknown_question,
    question_id_prefix,
    reference_without_place,
    replaces_clash,
    requirement_mismatch,
    statutory_per_setting,
    statutory_source,
    statutory_unscored,
    undeclared_source,
    unknown_setting,
    unused_source,
    when_cycle,
    when_later_question,
    when_missing_question,
    when_value,
)
from safeaudit.rules.context import LintContext

RULES: tuple[ModuleType, ...] = (
    duplicate_area_id,
    duplicate_question_id,
    undeclared_source,
    when_missing_question,
    when_later_question,
    when_cycle,
    when_value,
    unknown_setting,
    date_without_max_age,
    empty_text,
    missing_reference,
    non_positive_weight,
    replaces_clash,
    kind_fields,
    statutory_source,
    unused_source,
    reference_without_place,
    question_id_prefix,
    statutory_unscored,
    statutory_per_setting,
    no_critical_question,
    id_file_name,
    overlay_unknown_area,
    overlay_unknown_question,
    overlay_not_used_statutory,
    field_too_long,
    number_out_of_range,
)

#: Rules only `safeaudit lint` applies: citations, labels and advice to maintainers, which
#: scoring, reports and comparisons do not rely on (issue 17: loading does not lint).
LINT_ONLY: tuple[ModuleType, ...] = (
    missing_reference,
    statutory_source,
    unused_source,
    reference_without_place,
    question_id_prefix,
    statutory_unscored,
    statutory_per_setting,
    no_critical_question,
    id_file_name,
    overlay_unknown_question,
)

#: The rules loading a checklist applies (checklists.py): what scoring, reports and comparisons
#: rely on, and the size limits.
LOAD_RULES: tuple[ModuleType, ...] = tuple(rule for rule in RULES if rule not in LINT_ONLY)

#: Rules over every checklist linted together (`check_many`), run after the ones above.
CROSS_RULES: tuple[ModuleType, ...] = (requirement_mismatch,)

Check = Callable[[LintContext], Iterator[Problem]]


def rule_docs() -> list[tuple[str, str, str, str]]:
    """(code, name, level, description) for every rule, for documentation and `--list-rules`."""
    return [
        (rule.CODE, rule.NAME, rule.LEVEL, " ".join((rule.__doc__ or "").split()))
        for rule in (*RULES, *CROSS_RULES)
    ]


def semantic_problems(checklist: Checklist, doc: YamlDocument) -> list[Problem]:
    """Every rule's findings for a checklist that already passed the schema."""
    ctx = LintContext(checklist, doc)
    return sorted(problem for rule in RULES for problem in rule.check(ctx))


def cross_problems(contexts: Sequence[LintContext]) -> list[Problem]:
    """Findings that compare several checklists, such as one requirement's severity."""
    return sorted(problem for rule in CROSS_RULES for problem in rule.check_many(contexts))
