"""Lint checklists: loading problems, schema problems and the semantic rules in `rules/`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from safeaudit.errors import LoadError, ValidationFailed
from safeaudit.lint.context import LintContext
from safeaudit.lint.rules import CROSS_RULES, RULES
from safeaudit.loading import CODE_DUPLICATE_KEY, YamlDocument, load_yaml
from safeaudit.model import Checklist
from safeaudit.problems import Problem
from safeaudit.validation import validate_document

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LintReport:
    """The outcome of linting some files."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Files that could not be read as YAML at all (exit code 2).
    unusable: list[str] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(1 for problem in self.problems if problem.level == level)


def semantic_problems(checklist: Checklist, doc: YamlDocument) -> list[Problem]:
    """Every rule's findings for a checklist that already passed the schema."""
    ctx = LintContext(checklist, doc)
    return sorted(problem for rule in RULES for problem in rule.check(ctx))


def lint_document(doc: YamlDocument, path: Path | None = None) -> list[Problem]:
    """Schema then semantic problems for one parsed checklist (or overlay, resolved)."""
    return _lint_one(doc, path)[0]


def _lint_one(doc: YamlDocument, path: Path | None) -> tuple[list[Problem], LintContext | None]:
    """Problems for one document, and its context when it is a valid plain checklist."""
    if isinstance(doc.data, dict) and "extends" in doc.data:
        from safeaudit.overlay import lint_overlay

        return lint_overlay(doc, path if path is not None else Path(doc.name)), None
    try:
        checklist = validate_document(doc, Checklist, "a checklist")
    except ValidationFailed as exc:
        return exc.problems, None
    return semantic_problems(checklist, doc), LintContext(checklist, doc)


def cross_problems(contexts: Sequence[LintContext]) -> list[Problem]:
    """Findings that compare several checklists, such as one requirement's severity."""
    return sorted(problem for rule in CROSS_RULES for problem in rule.check_many(contexts))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the YAML files inside folders (recursively, sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            )
        else:
            found.append(path)
    return found


def lint_paths(paths: Sequence[Path]) -> LintReport:
    """Lint every checklist file in `paths` (files or folders)."""
    report = LintReport()
    contexts: list[LintContext] = []
    for path in expand_paths(paths):
        name = str(path)
        report.files.append(name)
        try:
            doc = load_yaml(path, name)
        except LoadError as exc:
            report.problems.append(exc.problem)
            # A duplicate key is a content mistake to fix, not an unreadable file.
            if exc.problem.code != CODE_DUPLICATE_KEY:
                report.unusable.append(name)
            continue
        problems, context = _lint_one(doc, path)
        report.problems.extend(problems)
        if context is not None:
            contexts.append(context)
    report.problems.extend(cross_problems(contexts))
    return report
