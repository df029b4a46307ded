"""What changed between two versions of a checklist: areas and questions, matched by id and `replaces`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from safeaudit.display import md_escape
from safeaudit.model import Area, Checklist, Question

#: What happened to a question (or a group of questions linked by `replaces`).
QuestionStatus = Literal["added", "removed", "changed", "renamed", "split", "merged", "regrouped"]

#: The kinds of change to one question, in the order they are reported.
CATEGORIES: dict[str, str] = {
    "reworded": "Reworded",
    "re-classified": "Severity changed",
    "re-weighted": "Weight changed",
    "re-scoped": "Who or when it applies changed",
    "answer-format": "Kind of answer changed",
    "re-referenced": "References changed",
    "moved": "Moved to another area",
    "guidance": "Help, evidence or action changed",
}

#: Which question fields belong to which category.
_FIELDS: dict[str, tuple[str, ...]] = {
    "reworded": ("text",),
    "re-classified": ("severity",),
    "re-weighted": ("weight",),
    "re-scoped": ("applies_to", "when"),
    "answer-format": ("kind", "levels", "options", "max_age", "target"),
    "re-referenced": ("references",),
    "guidance": ("help", "evidence", "action"),
}


@dataclass(frozen=True)
class FieldChange:
    """One field of a question (or area) with its old and new value, as plain data."""

    field: str
    category: str
    old: Any
    new: Any


@dataclass(frozen=True)
class QuestionChange:
    """A question added, removed or changed, or old and new questions linked by `replaces`."""

    status: QuestionStatus
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    #: The area it is in now (the old area for a removed question).
    area: str
    #: The question's text now (the old text for a removed question).
    text: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def categories(self) -> list[str]:
        seen = {c.category for c in self.changes}
        return [name for name in CATEGORIES if name in seen]

    def has(self, category: str) -> bool:
        return any(c.category == category for c in self.changes)


@dataclass(frozen=True)
class AreaChange:
    """An area added, removed, or retitled."""

    status: Literal["added", "removed", "retitled"]
    id: str
    title: str
    old_title: str = ""


@dataclass(frozen=True)
class ChecklistDiff:
    """Everything that changed from `old` to `new`."""

    old: Checklist
    new: Checklist
    areas: list[AreaChange] = field(default_factory=list)
    questions: list[QuestionChange] = field(default_factory=list)
    #: Checklist-level changes: title, settings, sources.
    header: list[FieldChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.areas or self.questions or self.header)

    def by_status(self, status: QuestionStatus) -> list[QuestionChange]:
        return [q for q in self.questions if q.status == status]

    def counts(self) -> dict[str, int]:
        statuses: tuple[QuestionStatus, ...] = (
            "added",
            "removed",
            "changed",
            "renamed",
            "split",
            "merged",
            "regrouped",
        )
        counts: dict[str, int] = {s: len(self.by_status(s)) for s in statuses}
        for category in CATEGORIES:
            counts[category] = sum(1 for q in self.questions if q.has(category))
        return counts


# --------------------------------------------------------------------------- comparing


def _plain(value: Any) -> Any:
    """Pydantic models and containers as plain JSON-able data, for comparing and printing."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _effective_scope(question: Question, checklist: Checklist) -> list[str]:
    return list(question.applies_to if question.applies_to is not None else checklist.settings)


def question_changes(
    old: Question,
    new: Question,
    old_list: Checklist,
    new_list: Checklist,
    old_area: str,
    new_area: str,
) -> list[FieldChange]:
    """The fields that differ between two versions of a question, each with its category."""
    found: list[FieldChange] = []
    for category, names in _FIELDS.items():
        for name in names:
            if name == "applies_to":
                before: Any = _effective_scope(old, old_list)
                after: Any = _effective_scope(new, new_list)
            else:
                before, after = _plain(getattr(old, name)), _plain(getattr(new, name))
            if before != after:
                found.append(FieldChange(name, category, before, after))
    if old_area != new_area:
        found.append(FieldChange("area", "moved", old_area, new_area))
    return found


def _areas_of(checklist: Checklist) -> dict[str, Area]:
    return {q.id: area for area in checklist.areas for q in area.questions}


def diff_checklists(old: Checklist, new: Checklist) -> ChecklistDiff:
    """Compare two checklists. Questions are matched by id, then through `replaces`.

    Old and new questions linked by identical ids or `replaces` form groups: one old and one
    new with different ids is a rename, one old and several new a split, several old and one
    new a merge, anything else a regrouping.
    """
    old_q, new_q = old.question_index(), new.question_index()
    old_area, new_area = _areas_of(old), _areas_of(new)

    # Union-find over ("old", id) and ("new", id) nodes.
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(node: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: tuple[str, str], b: tuple[str, str]) -> None:
        parent[find(a)] = find(b)

    for qid in old_q:
        find(("old", qid))
    for qid, question in new_q.items():
        find(("new", qid))
        if qid in old_q:
            union(("old", qid), ("new", qid))
        for replaced in question.replaces:
            # Ids from versions before `old` are not ours to report.
            if replaced in old_q and replaced not in new_q:
                union(("old", replaced), ("new", qid))

    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for node in list(parent):
        olds, news = groups.setdefault(find(node), ([], []))
        (olds if node[0] == "old" else news).append(node[1])

    old_order = {qid: n for n, qid in enumerate(old_q)}
    new_order = {qid: n for n, qid in enumerate(new_q)}
    changes: list[QuestionChange] = []
    for olds, news in groups.values():
        olds.sort(key=old_order.__getitem__)
        news.sort(key=new_order.__getitem__)
        changes.extend(_group_change(olds, news, old, new, old_q, new_q, old_area, new_area))

    def position(change: QuestionChange) -> tuple[int, int]:
        # New checklist order; removed questions after the question that followed them.
        if change.new_ids:
            return new_order[change.new_ids[0]], 1
        return len(new_q) + old_order[change.old_ids[0]], 0

    changes.sort(key=position)
    return ChecklistDiff(old, new, _area_changes(old, new), changes, _header_changes(old, new))


def _group_change(
    olds: list[str],
    news: list[str],
    old: Checklist,
    new: Checklist,
    old_q: dict[str, Question],
    new_q: dict[str, Question],
    old_area: dict[str, Area],
    new_area: dict[str, Area],
) -> Iterable[QuestionChange]:
    if not olds:
        q = new_q[news[0]]
        yield QuestionChange("added", (), (q.id,), new_area[q.id].id, q.text)
        return
    if not news:
        q = old_q[olds[0]]
        yield QuestionChange("removed", (q.id,), (), old_area[q.id].id, q.text)
        return
    if len(olds) == 1 and len(news) == 1:
        before, after = old_q[olds[0]], new_q[news[0]]
        fields = question_changes(
            before, after, old, new, old_area[before.id].id, new_area[after.id].id
        )
        status: QuestionStatus = "changed" if before.id == after.id else "renamed"
        if fields or status == "renamed":
            yield QuestionChange(
                status,
                (before.id,),
                (after.id,),
                new_area[after.id].id,
                after.text,
                tuple(fields),
            )
        return
    if len(olds) == 1:
        status = "split"
    elif len(news) == 1:
        status = "merged"
    else:
        status = "regrouped"
    first = new_q[news[0]]
    # Compare against the old question with the same id when there is one, else the first.
    base = old_q[next((qid for qid in olds if qid == first.id), olds[0])]
    fields = question_changes(base, first, old, new, old_area[base.id].id, new_area[first.id].id)
    yield QuestionChange(
        status, tuple(olds), tuple(news), new_area[first.id].id, first.text, tuple(fields)
    )


def _area_changes(old: Checklist, new: Checklist) -> list[AreaChange]:
    before = {area.id: area for area in old.areas}
    after = {area.id: area for area in new.areas}
    found: list[AreaChange] = []
    for area in new.areas:
        if area.id not in before:
            found.append(AreaChange("added", area.id, area.title))
        elif before[area.id].title != area.title:
            found.append(AreaChange("retitled", area.id, area.title, before[area.id].title))
    found += [AreaChange("removed", a.id, a.title) for a in old.areas if a.id not in after]
    return found


def _header_changes(old: Checklist, new: Checklist) -> list[FieldChange]:
    found: list[FieldChange] = []
    if old.title != new.title:
        found.append(FieldChange("title", "checklist", old.title, new.title))
    if list(old.settings) != list(new.settings):
        found.append(FieldChange("settings", "checklist", list(old.settings), list(new.settings)))
    added = sorted(set(new.sources) - set(old.sources))
    removed = sorted(set(old.sources) - set(new.sources))
    if added or removed:
        found.append(FieldChange("sources", "checklist", removed, added))
    return found


# --------------------------------------------------------------------------- output


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


def describe(change: FieldChange) -> str:
    """One plain-English line for a field change."""
    name = change.field.replace("_", " ")
    if change.field in ("text", "help", "evidence", "action"):
        return f"{name}: was “{change.old}”" if change.field == "text" else f"{name} rewritten"
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
    import textwrap

    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
    ) or [indent]


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


def render_text(result: ChecklistDiff) -> str:
    """The diff for people, grouped by what happened, readable at 80 columns."""
    old, new = result.old, result.new
    lines = [
        f"{old.id} {old.version} → {new.id} {new.version}",
        f"Questions: {len(old.question_index())} → {len(new.question_index())} "
        f"({summary_line(result)})",
    ]
    if not result.changed:
        return "\n".join([*lines, "", "No changes."]) + "\n"
    for head in result.header:
        if head.field == "sources":
            if head.new:
                lines += _wrap(f"Sources added: {', '.join(head.new)}", "")
            if head.old:
                lines += _wrap(f"Sources removed: {', '.join(head.old)}", "")
        else:
            lines += _wrap(f"Checklist {describe(head)}", "")
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
                if item.field in ("help", "evidence", "action"):
                    continue
                lines += _wrap(describe(item), "      ")
    return "\n".join(lines) + "\n"


def to_data(result: ChecklistDiff) -> dict[str, Any]:
    """The diff as plain data (the `--format json` output)."""

    def ref(checklist: Checklist) -> dict[str, str]:
        return {"id": checklist.id, "version": checklist.version, "title": checklist.title}

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


def render_json(result: ChecklistDiff) -> str:
    return json.dumps(to_data(result), indent=2, ensure_ascii=False) + "\n"


def render_markdown(result: ChecklistDiff) -> str:
    """A "what changed this September" page."""
    old, new = result.old, result.new
    lines = [
        f"# What changed: {md_escape(new.title)}",
        "",
        f"From **{md_escape(old.id)} {md_escape(old.version)}** to **{md_escape(new.id)} {md_escape(new.version)}** "
        f"(in effect from {new.effective.isoformat()}).",
        "",
        f"Questions: {len(old.question_index())} → {len(new.question_index())} "
        f"({summary_line(result)}).",
    ]
    if not result.changed:
        return "\n".join([*lines, "", "No changes."]) + "\n"
    if result.areas:
        lines += ["", "## Areas", ""]
        for area in result.areas:
            extra = f" (was “{md_escape(area.old_title)}”)" if area.old_title else ""
            lines.append(f"- {area.status}: `{area.id}` {md_escape(area.title)}{extra}")
    for status, heading in _HEADINGS:
        group = result.by_status(status)
        if not group:
            continue
        lines += ["", f"## {heading}", "", "| question | area | what changed |", "|---|---|---|"]
        for change in group:
            what = "; ".join(
                md_escape(describe(c))
                for c in change.changes
                if c.field not in ("help", "evidence", "action")
            )
            if change.has("guidance"):
                what = (
                    f"{what}; help, evidence or action rewritten"
                    if what
                    else ("help, evidence or action rewritten")
                )
            lines.append(
                f"| `{_link(change)}` {md_escape(change.text)} | {md_escape(change.area)} | {what or '—'} |"
            )
    return "\n".join(lines) + "\n"


#: Output formats for `safeaudit diff --format`.
RENDERERS = {"text": render_text, "json": render_json, "md": render_markdown}
