"""Carrying answers forward to a new checklist version, through identical ids and `replaces`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from safeaudit.answers import interpret
from safeaudit.diff import diff_checklists
from safeaudit.model import Answer, Answers, Checklist, ChecklistRef

#: Field-change categories that change what an answer means, so it must be looked at again.
REVIEW_CATEGORIES = ("reworded", "re-classified", "answer-format")


@dataclass(frozen=True)
class Carried:
    """An answer carried to a question of the new version."""

    old_id: str
    new_id: str
    review: bool
    #: Why it is marked for review, in plain words ("" when it is not).
    why: str = ""


@dataclass(frozen=True)
class Dropped:
    """An answer that could not be carried, and why."""

    old_id: str
    reason: str
    kind: Literal["removed", "no-longer-fits", "unknown"]


@dataclass
class Migration:
    """The migrated answers and what happened to each old answer."""

    answers: Answers
    old: Checklist
    new: Checklist
    carried: list[Carried] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def marked(self) -> list[Carried]:
        return [c for c in self.carried if c.review]


_WHY = {
    "reworded": "the question was reworded",
    "re-classified": "its severity changed",
    "answer-format": "the kind of answer changed",
}


def _routes(old: Checklist, new: Checklist) -> dict[str, tuple[tuple[str, ...], str]]:
    """Where each changed question's answer goes: old id -> (new ids, why to review or "")."""
    routes: dict[str, tuple[tuple[str, ...], str]] = {}
    for change in diff_checklists(old, new).questions:
        reasons = [_WHY[c] for c in change.categories if c in REVIEW_CATEGORIES]
        # A split or merge always needs review; its rewording is part of it.
        if change.status == "split":
            reasons = ["the question was split into several"]
        elif change.status in ("merged", "regrouped"):
            reasons = ["several questions were merged into this one"]
        why = "; ".join(reasons)
        for old_id in change.old_ids:
            routes[old_id] = (change.new_ids, why)
    return routes


def migrate_answers(answers: Answers, old: Checklist, new: Checklist) -> Migration:
    """Carry `answers` (made against `old`) to `new`; the input is not changed.

    Unchanged questions keep their answers as they were. Answers to reworded, re-classified,
    split, merged or re-kinded questions are kept but marked `review: true`; answers that no
    longer fit the new question (a level for what is now a yes/no question, say) are dropped
    and listed, as are answers to removed questions.
    """
    routes = _routes(old, new)
    new_index = new.question_index()
    old_index = old.question_index()
    migration = Migration(answers, old, new)
    carried: dict[str, Answer] = {}
    for old_id, answer in answers.answers.items():
        if old_id in routes:
            targets, why = routes[old_id]
        elif old_id in new_index:
            targets, why = (old_id,), ""  # unchanged
        elif old_id in old_index:
            targets, why = (), ""
        else:
            migration.dropped.append(
                Dropped(
                    old_id, f"`{old_id}` is not a question in {old.id} {old.version}", "unknown"
                )
            )
            continue
        if not targets:
            migration.dropped.append(
                Dropped(old_id, f"the question was removed in {new.id} {new.version}", "removed")
            )
            continue
        for new_id in targets:
            if new_id in carried:
                # A merge: the first answer (in the old order) wins; the rest are reported.
                migration.dropped.append(
                    Dropped(
                        old_id,
                        f"merged into `{new_id}`, which already has the answer "
                        "to another of the merged questions",
                        "no-longer-fits",
                    )
                )
                continue
            question = new_index[new_id]
            if answer.value is not None:
                try:
                    interpret(question, answer.value)
                except ValueError as exc:
                    migration.dropped.append(
                        Dropped(
                            old_id,
                            f"no longer fits `{new_id}`, whose answer {exc}",
                            "no-longer-fits",
                        )
                    )
                    continue
            review = bool(why) or answer.review
            carried[new_id] = answer.model_copy(update={"review": review}) if review else answer
            migration.carried.append(Carried(old_id, new_id, bool(why), why))

    order = {qid: n for n, qid in enumerate(new_index)}
    migration.answers = answers.model_copy(
        update={
            "checklist": ChecklistRef(id=new.id, version=new.version),
            "answers": dict(sorted(carried.items(), key=lambda item: order[item[0]])),
        }
    )
    if answers.setting.type not in new.settings:
        migration.warnings.append(f"{new.id} does not cover setting type `{answers.setting.type}`")
    if answers.checklist.id == old.id and answers.checklist.version != old.version:
        migration.warnings.append(
            f"the answers were recorded against {old.id} version {answers.checklist.version}, "
            f"but version {old.version} was used as the old checklist"
        )
    return migration
