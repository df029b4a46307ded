"""What changed between two versions of a checklist: areas and questions, matched by id and `replaces`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

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
