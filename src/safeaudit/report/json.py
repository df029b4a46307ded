"""The machine-readable result of an audit (documented in docs/json-output.md)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from safeaudit.report.local import as_json as overlay_json
from safeaudit.scoring import AreaResult, AuditResult, QuestionResult, superseded_warning
from safeaudit.settings import setting_label

if TYPE_CHECKING:
    from safeaudit.report.compare import Comparison
    from safeaudit.report.options import ReportOptions

#: Bumped only when a key is removed or changes meaning; new keys may appear at any time.
SCHEMA_VERSION = 2


def _value(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def question_dict(result: QuestionResult) -> dict[str, Any]:
    answer = result.answer
    return {
        "id": result.question.id,
        "area": result.area.id,
        "text": result.question.text,
        "severity": result.question.severity,
        "critical": result.question.critical,
        "weight": result.question.weight,
        "status": result.status,
        "value": _value(result.value),
        "fraction": result.fraction,
        "earned": result.earned,
        "possible": result.possible,
        "reason": result.reason,
        "review_due": _value(result.review_due),
        "next_due": _value(result.next_due),
        "days_out_of_date": result.days_out_of_date,
        "days_overdue": result.days_overdue,
        "evidence": answer.evidence if answer else "",
        "note": answer.note if answer else "",
        "owner": answer.owner if answer else "",
        "due": _value(answer.due) if answer else None,
        "not_known": result.not_known,
        "action": result.action_text,
        "references": [ref.model_dump(exclude_defaults=True) for ref in result.question.references],
    }


def area_dict(area: AreaResult) -> dict[str, Any]:
    return {
        "id": area.area.id,
        "title": area.area.title,
        "percent": area.percent,
        "answered": area.answered,
        "applicable": area.applicable,
        "earned": area.earned,
        "possible": area.possible,
        "counts": area.counts(),
    }


def result_dict(result: AuditResult, *, questions: bool = True) -> dict[str, Any]:
    answers = result.answers
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "checklist": {
            "id": result.checklist.id,
            "title": result.checklist.title,
            "version": result.checklist.version,
            "effective": result.checklist.effective.isoformat(),
            "superseded_by": result.checklist.superseded_by,
            "superseded_from": _value(result.checklist.superseded_from),
            "overlay": overlay_json(result.checklist),
        },
        "setting": {
            "name": answers.setting.name,
            "type": result.setting_type,
            "type_label": setting_label(result.setting_type),
            "urn": answers.setting.urn,
            "provision": list(answers.setting.provision),
        },
        "audit_date": _value(answers.audit_date),
        "as_of": result.as_of.isoformat(),
        "verdict": result.verdict,
        "verdict_label": result.verdict_label,
        "verdict_explanation": result.verdict_explanation,
        "superseded": superseded_warning(result.checklist, result.as_of),
        "percent": result.percent,
        "answered": result.answered,
        "applicable": result.applicable,
        "earned": result.earned,
        "possible": result.possible,
        "counts": result.counts(),
        "areas": [area_dict(area) for area in result.areas],
        "gaps": [r.question.id for r in result.gaps],
        "statutory_gaps": [r.question.id for r in result.statutory_gaps],
        "critical_gaps": [r.question.id for r in result.critical_gaps],
        "unanswered": [r.question.id for r in result.unanswered],
        "overdue_reviews": [r.question.id for r in result.overdue_reviews],
        "overdue_actions": [r.question.id for r in result.overdue_actions],
    }
    if questions:
        data["questions"] = [question_dict(r) for r in result.questions]
    return data


#: Free-text fields of a question that --redact masks (and the privacy scan reads).
_FREE_TEXT = ("evidence", "note", "owner")


def _redact_question(data: dict[str, Any], result: QuestionResult) -> None:
    from safeaudit.report.privacy import redact

    for key in _FREE_TEXT:
        data[key] = redact(data[key])
    if result.status == "not-applicable" and result.answer is not None:
        data["reason"] = redact(data["reason"])
    if result.question.kind == "text" and isinstance(data["value"], str):
        data["value"] = redact(data["value"])


def _omit_free_text(data: dict[str, Any], result: QuestionResult) -> None:
    """`report --omit-notes`: evidence, notes, reasons and written answers left out."""
    data["evidence"] = data["note"] = ""
    if result.status == "not-applicable" and result.answer is not None:
        data["reason"] = ""
    if result.question.kind == "text" and isinstance(data["value"], str):
        data["value"] = ""


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    def gaps(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "id": g.id,
                "area": g.area_id,
                "severity": g.severity,
                "before": g.before,
                "now": g.now,
            }
            for g in items
        ]

    return {
        "previous_as_of": comparison.previous_date,
        "previous_audit_date": comparison.previous_audit_date,
        "previous_setting": {"name": comparison.previous_setting, "urn": comparison.previous_urn},
        "other_setting": comparison.other_setting or None,
        "previous_checklist": {
            "id": comparison.previous_checklist,
            "title": comparison.previous_checklist_title,
            "version": comparison.previous_version,
        },
        "same_checklist": comparison.same_checklist,
        "previous_verdict": comparison.previous_verdict,
        "previous_percent": comparison.before,
        "change": comparison.change,
        "incomplete": comparison.incomplete,
        "areas": [
            {
                "id": a.id,
                "title": a.title,
                "before": a.before,
                "now": a.now,
                "change": a.change,
                "incomplete": a.incomplete,
            }
            for a in comparison.areas
        ],
        "new_gaps": gaps(comparison.new_gaps),
        "closed_gaps": gaps(comparison.closed_gaps),
        "still_open": gaps(comparison.still_open),
        "no_longer_asked": gaps(comparison.no_longer_asked),
        "no_longer_applies": gaps(comparison.no_longer_applies),
        "not_answered_now": gaps(comparison.not_answered_now),
    }


def report_dict(result: AuditResult, options: ReportOptions) -> dict[str, Any]:
    """`result_dict` plus what the report adds: action plan, privacy findings, comparison."""
    from safeaudit.report.privacy import privacy_statement, scan

    data = result_dict(result)
    clean = options.clean
    data["completed_by"] = clean(result.answers.completed_by)
    if options.redact:
        for item, question in zip(data["questions"], result.questions, strict=True):
            _redact_question(item, question)
    if options.omit_notes:
        for item, question in zip(data["questions"], result.questions, strict=True):
            _omit_free_text(item, question)
    data["action_plan"] = [
        {
            "priority": priority,
            "id": r.question.id,
            "area": r.area.id,
            "severity": r.question.severity,
            "critical": r.question.critical,
            "status": r.status,
            "owner": clean(r.answer.owner) if r.answer else "",
            "due": _value(r.answer.due) if r.answer else None,
            "overdue": r.action_overdue,
            "days_overdue": r.days_overdue,
            "review_out_of_date": r.review_out_of_date,
            "days_out_of_date": r.days_out_of_date,
            "not_known": r.not_known,
            "action": r.action_text,
        }
        for priority, r in enumerate(result.gaps, start=1)
    ]
    source = result.checklist.source
    data["checklist_source"] = (
        {
            "file": source.file,
            "sha256": source.sha256,
            "shipped": source.shipped,
            "shadows_shipped": source.shadows_shipped,
        }
        if source is not None
        else None
    )
    data["privacy"] = {
        "redacted": options.redact,
        "omitted_free_text": options.omit_notes,
        "statement": privacy_statement(result, options),
        "findings": [
            {"question": w.question_id, "fields": list(w.fields), "kinds": list(w.kinds)}
            for w in scan(result)
        ],
    }
    data["comparison"] = (
        comparison_dict(options.comparison) if options.comparison is not None else None
    )
    data["signoff"] = _signoff_dict(result, options)
    return data


def _signoff_dict(result: AuditResult, options: ReportOptions) -> dict[str, Any] | None:
    """The latest sign-off and what changed since, as the HTML report shows it."""
    from safeaudit.report.view import signoff_view

    view = signoff_view(result, options)
    if view is None:
        return None
    return {
        "name": view["name"],
        "role": view["role"],
        "date": view["date_iso"],
        "earlier_signoffs": view["earlier"],
        "changed_since": view["modified"],
        "changed_questions": view["changed"],
    }


def render(result: AuditResult, options: ReportOptions | None = None) -> str:
    """The result as JSON text; with report options, the report's extra keys too."""
    from safeaudit.report.options import ReportOptions

    data = report_dict(result, options or ReportOptions())
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
