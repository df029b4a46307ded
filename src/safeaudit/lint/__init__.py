"""Lint checklists: loading problems, schema problems and the rules in `safeaudit.rules`.

It sits above the catalogue (an overlay is linted against the base the catalogue finds); the
catalogue itself never lints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from safeaudit.checklists import CATALOGUE
from safeaudit.errors import LoadError, SafeauditError, ValidationFailed
from safeaudit.loading import CODE_DUPLICATE_KEY, YamlDocument, load_yaml
from safeaudit.model import Checklist
from safeaudit.overlay import CODE_BASE_MISSING, EXTENDS, resolve
from safeaudit.problems import Level, Problem
from safeaudit.rules import cross_problems, semantic_problems
from safeaudit.rules.context import LintContext
from safeaudit.validation import validate_document

__all__ = ["LintReport", "cross_problems", "lint_document", "lint_paths", "semantic_problems"]

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


def lint_document(doc: YamlDocument, path: Path | None = None) -> list[Problem]:
    """Schema then semantic problems for one parsed checklist (or overlay, resolved)."""
    return _lint_one(doc, path)[0]


def _lint_one(doc: YamlDocument, path: Path | None) -> tuple[list[Problem], LintContext | None]:
    """Problems for one document, and its context when it is a valid plain checklist."""
    if isinstance(doc.data, dict) and "extends" in doc.data:
        return lint_overlay(doc, path if path is not None else Path(doc.name)), None
    try:
        checklist = validate_document(doc, Checklist, "a checklist")
    except ValidationFailed as exc:
        return exc.problems, None
    return semantic_problems(checklist, doc), LintContext(checklist, doc)


def lint_overlay(doc: YamlDocument, path: Path) -> list[Problem]:
    """Every problem with an overlay: its own shape, its base, and the resolved checklist."""
    try:
        resolution = resolve(doc, path, CATALOGUE)
    except ValidationFailed as exc:
        return [_into(doc, p) for p in exc.problems]
    except SafeauditError as exc:
        return [doc.problem((EXTENDS,), CODE_BASE_MISSING, f"its base cannot be used: {exc}")]
    return semantic_problems(resolution.checklist, resolution.doc)


def _into(doc: YamlDocument, problem: Problem) -> Problem:
    """A problem in the base file, restated at the overlay's `extends:` line."""
    if problem.file == doc.name:
        return problem
    line, column = doc.position((EXTENDS,))
    level: Level = problem.level
    return Problem(doc.name, line, column, problem.code, f"in its base checklist: {problem}", level)


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
