"""What changed between two checklist versions, for people (text, Markdown) and programs (JSON).

The comparison itself is `safeaudit.diff`; these are its formats in the registry
(`report.formats.DIFF`), each with the renderers' one shape: `render(result, options)`.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from safeaudit.diff import CATEGORIES, ChecklistDiff, FieldChange, QuestionChange, QuestionStatus
from safeaudit.display import long_date, md_escape
from safeaudit.model import Checklist
from safeaudit.report.options import ReportOptions


def _show(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "none"
    if isinstance(value, list):
        return ", ".join(_show(item) for item in value)
    if isinstance(value, dict):
        if set(value) == {"question", "is"}:
            wanted = value["is"] if isinstance(value["is"], str) else " or ".join(value["is"])
            return f"when {value['question']} is {wanted}"
        if "source" in value:
            place = value.get("para") or value.get("section") or ""
            prefix = "para " if value.get("para") else ("section " if place else "")
            return f"{value['source']} {prefix}{place}".strip()
        if "value" in value and "score" in value:
            return f"{value['value']} ({value['score']:g})"
        return "; ".join(f"{k}: {_show(v)}" for k, v in value.items())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _max_age(value: Any) -> str:
    """A date question's maximum age in words, as `run` and `template` put it."""
    if value == "academic-year":
        return "once every school year"
    if isinstance(value, int):
        return f"{value} month{'s' * (value != 1)}"
    return "none"


#: The words for the fields of a guidance change, which every format shows as one phrase.
GUIDANCE_FIELDS = ("help", "evidence", "action")


def describe(change: FieldChange) -> str:
    """One plain-English line for a field change."""
    name = change.field.replace("_", " ")
    if change.field == "text":
        return f"text: was “{change.old}”"
    if change.field in GUIDANCE_FIELDS:
        return f"{name} changed"
    if change.field == "max_age":
        return f"maximum age: {_max_age(change.old)} → {_max_age(change.new)}"
    if change.field == "applies_to":
        dropped = [s for s in change.old if s not in change.new]
        gained = [s for s in change.new if s not in change.old]
        parts = []
        if gained:
            parts.append(f"now also applies to {', '.join(gained)}")
        if dropped:
            parts.append(f"no longer applies to {', '.join(dropped)}")
        return "; ".join(parts)
    if change.field == "references":
        return f"references: {_show(change.old)} → {_show(change.new)}"
    if change.field in ("levels", "options"):
        return f"{name} changed: {_show(change.old)} → {_show(change.new)}"
    return f"{name}: {_show(change.old)} → {_show(change.new)}"


_HEADINGS: list[tuple[QuestionStatus, str]] = [
    ("added", "New questions"),
    ("removed", "Removed questions (their answers are not carried forward)"),
    ("renamed", "Renamed questions (answers carried forward)"),
    ("split", "Split questions (answers carried forward and marked for review)"),
    ("merged", "Merged questions (answers marked for review)"),
    ("regrouped", "Regrouped questions (answers marked for review)"),
    ("changed", "Changed questions"),
]


def _wrap(text: str, indent: str, width: int = 80) -> list[str]:
    # Lines after the first sit under the text, two spaces further in; under a "- " bullet,
    # level with the text after it.
    following = " " * len(indent) if indent.strip() else indent + "  "
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=following,
        break_on_hyphens=False,
    ) or [indent]


def _in_effect(checklist: Checklist) -> str:
    """For example "in effect from 1 September 2026", the date as every report writes it."""
    return f"in effect from {long_date(checklist.effective)}"


def header_lines(result: ChecklistDiff) -> list[str]:
    """The changes to the checklist itself (title, settings, sources), one sentence each."""
    lines: list[str] = []
    for head in result.header:
        if head.field == "sources":
            if head.new:
                lines.append(f"Sources added: {', '.join(head.new)}")
            if head.old:
                lines.append(f"Sources removed: {', '.join(head.old)}")
        else:
            lines.append(f"Checklist {describe(head)}")
    return lines


def what_changed(change: QuestionChange) -> list[str]:
    """The details of a changed question, one phrase each; help, evidence and action as one."""
    details = [describe(item) for item in change.changes if item.field not in GUIDANCE_FIELDS]
    if change.has("guidance"):
        details.append(CATEGORIES["guidance"].lower())
    return details


def _link(change: QuestionChange) -> str:
    if change.status in ("added", "changed"):
        return change.new_ids[0]
    if change.status == "removed":
        return change.old_ids[0]
    return f"{', '.join(change.old_ids)} → {', '.join(change.new_ids)}"


def summary_line(result: ChecklistDiff) -> str:
    """For example "3 new, 1 removed, 2 renamed, 1 split, 12 changed"."""
    counts = result.counts()
    parts = [
        f"{counts[s]} {word}"
        for s, word in (
            ("added", "new"),
            ("removed", "removed"),
            ("renamed", "renamed"),
            ("split", "split"),
            ("merged", "merged"),
            ("regrouped", "regrouped"),
            ("changed", "changed"),
        )
        if counts[s]
    ]
    return ", ".join(parts) if parts else "no question changes"


def render_text(result: ChecklistDiff, options: ReportOptions | None = None) -> str:
    """The diff for people, grouped by what happened, readable at 80 columns."""
    old, new = result.old, result.new
    lines = [
        *_wrap(f"{old.id} {old.version} → {new.id} {new.version} ({_in_effect(new)})", ""),
        f"Questions: {len(old.question_index())} → {len(new.question_index())} "
        f"({summary_line(result)})",
    ]
    if not result.changed:
        return "\n".join([*lines, "", "No changes."]) + "\n"
    for sentence in header_lines(result):
        lines += _wrap(sentence, "")
    if result.areas:
        lines += ["", "Areas"]
        for area in result.areas:
            if area.status == "retitled":
                lines += _wrap(f"retitled  {area.id}: “{area.old_title}” → “{area.title}”", "  ")
            else:
                lines += _wrap(f"{area.status:9} {area.id}: {area.title}", "  ")
    for status, heading in _HEADINGS:
        group = result.by_status(status)
        if not group:
            continue
        lines += ["", f"{heading}: {len(group)}"]
        for change in group:
            lines += _wrap(f"{_link(change)}", "  ")
            lines += _wrap(change.text, "      ")
            if change.categories:
                lines += _wrap(
                    ", ".join(CATEGORIES[c].lower() for c in change.categories), "    - "
                )
            for item in change.changes:
                if item.field not in GUIDANCE_FIELDS:
                    lines += _wrap(describe(item), "      ")
    return "\n".join(lines) + "\n"


def to_data(result: ChecklistDiff) -> dict[str, Any]:
    """The diff as plain data (the `--format json` output)."""

    def ref(checklist: Checklist) -> dict[str, str]:
        return {
            "id": checklist.id,
            "version": checklist.version,
            "title": checklist.title,
            "effective": checklist.effective.isoformat(),
        }

    return {
        "schema_version": 1,
        "old": ref(result.old),
        "new": ref(result.new),
        "changed": result.changed,
        "counts": result.counts(),
        "checklist": [{"field": c.field, "old": c.old, "new": c.new} for c in result.header],
        "areas": [
            {"status": a.status, "id": a.id, "title": a.title, "old_title": a.old_title or None}
            for a in result.areas
        ],
        "questions": [
            {
                "status": q.status,
                "old_ids": list(q.old_ids),
                "new_ids": list(q.new_ids),
                "area": q.area,
                "text": q.text,
                "categories": q.categories,
                "changes": [
                    {"field": c.field, "category": c.category, "old": c.old, "new": c.new}
                    for c in q.changes
                ],
            }
            for q in result.questions
        ],
    }


def render_json(result: ChecklistDiff, options: ReportOptions | None = None) -> str:
    """The diff for other programs: `to_data` as JSON."""
    return json.dumps(to_data(result), indent=2, ensure_ascii=False) + "\n"


def render_markdown(result: ChecklistDiff, options: ReportOptions | None = None) -> str:
    """A "what changed this September" page."""
    old, new = result.old, result.new
    lines = [
        f"# What changed: {md_escape(new.title)}",
        "",
        f"From **{md_escape(old.id)} {md_escape(old.version)}** to **{md_escape(new.id)} {md_escape(new.version)}** "
        f"({_in_effect(new)}).",
        "",
        f"Questions: {len(old.question_index())} → {len(new.question_index())} "
        f"({summary_line(result)}).",
    ]
    if not result.changed:
        return "\n".join([*lines, "", "No changes."]) + "\n"
    if result.header:
        lines += ["", "## The checklist", ""]
        lines += [f"- {md_escape(sentence)}" for sentence in header_lines(result)]
    if result.areas:
        lines += ["", "## Areas", ""]
        for area in result.areas:
            if area.status == "retitled":
                title = f"“{md_escape(area.old_title)}” → “{md_escape(area.title)}”"
            else:
                title = md_escape(area.title)
            lines.append(f"- {area.status}: `{area.id}` {title}")
    for status, heading in _HEADINGS:
        group = result.by_status(status)
        if not group:
            continue
        lines += ["", f"## {heading}", "", "| question | area | what changed |", "|---|---|---|"]
        for change in group:
            what = "; ".join(md_escape(detail) for detail in what_changed(change))
            lines.append(
                f"| `{_link(change)}` {md_escape(change.text)} | {md_escape(change.area)} | {what or '—'} |"
            )
    return "\n".join(lines) + "\n"
