"""The machine-readable result of an audit (documented in docs/json-output.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from safeaudit.scoring import AreaResult, AuditResult, QuestionResult
from safeaudit.settings import setting_label

#: Bumped only when a key is removed or changes meaning; new keys may appear at any time.
SCHEMA_VERSION = 1


def _value(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def question_dict(result: QuestionResult) -> dict[str, Any]:
    answer = result.answer
    return {
        "id": result.question.id,
        "area": result.area.id,
        "text": result.question.text,
        "severity": result.question.severity,
        "weight": result.question.weight,
        "status": result.status,
        "value": _value(result.value),
        "fraction": result.fraction,
        "earned": result.earned,
        "possible": result.possible,
        "reason": result.reason,
        "review_due": _value(result.review_due),
        "days_overdue": result.days_overdue,
        "evidence": answer.evidence if answer else "",
        "note": answer.note if answer else "",
        "owner": answer.owner if answer else "",
        "due": _value(answer.due) if answer else None,
        "action": result.question.action,
        "references": [ref.model_dump(exclude_defaults=True) for ref in result.question.references],
    }


def area_dict(area: AreaResult) -> dict[str, Any]:
    return {
        "id": area.area.id,
        "title": area.area.title,
        "percent": area.percent,
        "earned": area.earned,
        "possible": area.possible,
        "counts": {s: area.count(s) for s in
                   ("met", "partial", "not-met", "unanswered", "not-applicable", "recorded")},
    }


def result_dict(result: AuditResult, *, questions: bool = True) -> dict[str, Any]:
    answers = result.answers
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "checklist": {"id": result.checklist.id, "title": result.checklist.title,
                      "version": result.checklist.version},
        "setting": {"name": answers.setting.name, "type": result.setting_type,
                    "type_label": setting_label(result.setting_type), "urn": answers.setting.urn},
        "audit_date": _value(answers.audit_date),
        "as_of": result.as_of.isoformat(),
        "verdict": result.verdict,
        "verdict_label": result.verdict_label,
        "percent": result.percent,
        "earned": result.earned,
        "possible": result.possible,
        "counts": {s: result.count(s) for s in
                   ("met", "partial", "not-met", "unanswered", "not-applicable", "recorded")},
        "areas": [area_dict(area) for area in result.areas],
        "gaps": [r.question.id for r in result.gaps],
        "statutory_gaps": [r.question.id for r in result.statutory_gaps],
        "unanswered": [r.question.id for r in result.unanswered],
        "overdue_reviews": [r.question.id for r in result.overdue_reviews],
    }
    if questions:
        data["questions"] = [question_dict(r) for r in result.questions]
    return data


def render(result: AuditResult) -> str:
    return json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n"
