"""Loading one audit: an answer file together with the checklist it answers, checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from safeaudit.answers import CODE_WRONG_CHECKLIST, load_answers, validate_answers
from safeaudit.checklists import load_checklist, load_checklist_id
from safeaudit.errors import NotFound
from safeaudit.loading import YamlDocument
from safeaudit.model import Answers, Checklist
from safeaudit.scoring import AuditResult, score, superseded_warning


class Audit:
    """An answer file, its checklist, and warnings worth telling the user.

    A plain class, not a dataclass: defining one costs every report about a millisecond at
    import (issue 17).
    """

    __slots__ = ("answers", "checklist", "doc", "path", "warnings")

    def __init__(
        self,
        path: Path,
        checklist: Checklist,
        answers: Answers,
        doc: YamlDocument,
        warnings: list[str] | None = None,
    ) -> None:
        self.path = path
        self.checklist = checklist
        self.answers = answers
        self.doc = doc
        self.warnings: list[str] = [] if warnings is None else warnings

    def __repr__(self) -> str:
        return (
            f"Audit(path={self.path!r}, checklist={self.checklist!r}, answers={self.answers!r}, "
            f"doc={self.doc!r}, warnings={self.warnings!r})"
        )

    def score(self, setting_type: str | None = None, as_of: dt.date | None = None) -> AuditResult:
        return score(self.checklist, self.answers, setting_type, as_of)

    def result_warnings(self, result: AuditResult) -> list[str]:
        """Warnings about a scored audit: a checklist superseded before the judging date."""
        warning = superseded_warning(result.checklist, result.as_of)
        return [f"{self.path}: {warning}"] if warning else []


def load_audit(path: Path, checklist_ref: str | None = None) -> Audit:
    """Load an answer file and its checklist (by the file's own id unless one is given)."""
    answers, doc = load_answers(path)
    checklist = checklist_for(answers, doc, checklist_ref)
    warnings = []
    if answers.checklist.id == checklist.id and answers.checklist.version != checklist.version:
        warnings.append(
            f"{path}: answers were recorded against {checklist.id} version "
            f"{answers.checklist.version}, but version {checklist.version} is being used"
        )
    validate_answers(checklist, answers, doc)
    return Audit(path, checklist, answers, doc, warnings)


def checklist_for(
    answers: Answers, doc: YamlDocument, checklist_ref: str | None = None
) -> Checklist:
    """The checklist given, else the one the answer file names (NotFound naming the file)."""
    if checklist_ref is not None:
        return load_checklist(checklist_ref)
    try:
        return load_checklist_id(answers.checklist.id)  # an id, never a path
    except NotFound as exc:
        # Name the answer file, not only the id, so people know where it came from.
        problem = doc.problem(
            ("checklist", "id"),
            CODE_WRONG_CHECKLIST,
            f"this answer file is for the checklist `{answers.checklist.id}`, which is not "
            f"installed ({exc.hint}); give the path of its checklist file instead",
        )
        raise NotFound(str(problem), [problem]) from None


def load_previous(path: Path, checklist_ref: str | None, current: Audit) -> Audit:
    """An earlier audit, to compare `current` with, scored against its own checklist: the
    checklist given for `current` when it has the same id, else the one its file names."""
    previous_id = load_answers(path)[0].checklist.id
    same = checklist_ref is not None and previous_id == current.checklist.id
    return load_audit(path, checklist_ref if same else None)
