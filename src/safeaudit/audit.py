"""Loading one audit: an answer file together with the checklist it answers, checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from safeaudit.answers import load_answers, validate_answers
from safeaudit.checklists import load_checklist
from safeaudit.loading import YamlDocument
from safeaudit.model import Answers, Checklist
from safeaudit.scoring import AuditResult, score


@dataclass
class Audit:
    """An answer file, its checklist, and warnings worth telling the user."""

    path: Path
    checklist: Checklist
    answers: Answers
    doc: YamlDocument
    warnings: list[str] = field(default_factory=list)

    def score(self, setting_type: str | None = None, as_of: dt.date | None = None) -> AuditResult:
        return score(self.checklist, self.answers, setting_type, as_of)


def load_audit(path: Path, checklist_ref: str | None = None) -> Audit:
    """Load an answer file and its checklist (by the file's own id unless one is given)."""
    answers, doc = load_answers(path)
    checklist = load_checklist(checklist_ref or answers.checklist.id)
    warnings = []
    if answers.checklist.id == checklist.id and answers.checklist.version != checklist.version:
        warnings.append(
            f"{path}: answers were recorded against {checklist.id} version "
            f"{answers.checklist.version}, but version {checklist.version} is being used"
        )
    validate_answers(checklist, answers, doc)
    return Audit(path, checklist, answers, doc, warnings)
