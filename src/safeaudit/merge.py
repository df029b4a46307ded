"""Merging partial answer files for one setting, so several staff can each answer their part.

Answers that agree merge silently; answers that disagree are conflicts, which are never settled
without being told whose answers win (`prefer`). Every merged answer keeps who gave it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from safeaudit.answers import interpret
from safeaudit.errors import MergeRefused
from safeaudit.model import Answer, Answers, Checklist

#: The parts of an answer that must agree; the rest (when, who, review) is bookkeeping.
CONTENT_FIELDS = ("value", "reason", "evidence", "note", "owner", "due")


@dataclass(frozen=True)
class Part:
    """One answer file to merge: a name to show (usually its path) and its answers."""

    name: str
    answers: Answers


@dataclass(frozen=True)
class Contribution:
    """One file's answer to a question, with who gave it."""

    file: str
    answer: Answer

    @property
    def by(self) -> str:
        return self.answer.answered_by

    @property
    def when(self) -> dt.datetime | None:
        return self.answer.answered_at


@dataclass(frozen=True)
class Conflict:
    """Different answers to the same question."""

    question: str
    #: The fields that differ, in CONTENT_FIELDS order.
    fields: tuple[str, ...]
    entries: tuple[Contribution, ...]
    #: The file whose answer was used because of `prefer`; empty while unresolved.
    settled_by: str = ""


@dataclass
class MergeResult:
    answers: Answers
    conflicts: list[Conflict] = field(default_factory=list)
    settled: list[Conflict] = field(default_factory=list)
    #: Questions answered in more than one file, identically.
    agreed: int = 0
    #: Files that had sign-offs, which the merged file does not carry over.
    dropped_signoffs: list[str] = field(default_factory=list)


def _same_setting(first: Part, other: Part) -> None:
    a, b = first.answers, other.answers
    if (a.checklist.id, a.checklist.version) != (b.checklist.id, b.checklist.version):
        raise MergeRefused(
            f"{other.name} is for the checklist {b.checklist.id} version {b.checklist.version}, "
            f"but {first.name} is for {a.checklist.id} version {a.checklist.version}; only "
            "answers to the same checklist version can be merged (use `safeaudit migrate` first)"
        )
    if " ".join(a.setting.name.casefold().split()) != " ".join(b.setting.name.casefold().split()):
        raise MergeRefused(
            f"{other.name} is for {b.setting.name}, but {first.name} is for {a.setting.name}; "
            "only answers for the same setting can be merged"
        )
    if a.setting.urn and b.setting.urn and a.setting.urn != b.setting.urn:
        raise MergeRefused(
            f"{other.name} gives URN {b.setting.urn}, but {first.name} gives URN "
            f"{a.setting.urn}; only answers for the same setting can be merged"
        )
    if a.setting.type != b.setting.type:
        raise MergeRefused(
            f"{other.name} describes the setting as {b.setting.type}, but {first.name} as "
            f"{a.setting.type}; correct one of them before merging"
        )


def _comparable(checklist: Checklist | None, qid: str, name: str, value: Any) -> Any:
    if name != "value" or value is None:
        return value
    question = checklist.question_index().get(qid) if checklist else None
    if question is not None:
        try:
            return interpret(question, value)
        except ValueError:
            pass
    return value.strip().lower() if isinstance(value, str) else value


def _differences(
    checklist: Checklist | None, qid: str, entries: Sequence[Contribution]
) -> tuple[str, ...]:
    """Fields given in more than one entry with different content (an empty field agrees)."""
    differing = []
    for name in CONTENT_FIELDS:
        given = {
            repr(_comparable(checklist, qid, name, getattr(e.answer, name)))
            for e in entries
            if getattr(e.answer, name) not in (None, "")
        }
        if len(given) > 1:
            differing.append(name)
    return tuple(differing)


def _combined(entries: Sequence[Contribution]) -> Answer:
    """Agreeing answers as one: every field anyone filled in, the latest time, everyone's name."""
    values: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        values[name] = next(
            (getattr(e.answer, name) for e in entries if getattr(e.answer, name) not in (None, "")),
            None if name in ("value", "due") else "",
        )
    times = [e.when for e in entries if e.when is not None]
    names = list(dict.fromkeys(e.by for e in entries if e.by))
    return Answer(
        **values,
        answered_at=max(times) if times else None,
        answered_by="; ".join(names),
        review=any(e.answer.review for e in entries),
    )


def merge(
    parts: Sequence[Part], checklist: Checklist | None = None, prefer: str | None = None
) -> MergeResult:
    """Combine answer files for one setting; conflicts are listed, or settled by `prefer`.

    `checklist`, when given, lets answers written differently but meaning the same (`Yes` and
    `yes`, `3` and `3.0`) agree. `prefer` is the name of the part whose answers win conflicts.
    """
    if len(parts) < 2:
        raise MergeRefused("give at least two answer files to merge")
    first = parts[0]
    for other in parts[1:]:
        _same_setting(first, other)
    if prefer is not None and prefer not in [part.name for part in parts]:
        raise MergeRefused(f"{prefer}: the preferred file is not one of the files being merged")

    by_question: dict[str, list[Contribution]] = {}
    for part in parts:
        for qid, answer in part.answers.answers.items():
            if answer.value is None and not any(getattr(answer, n) for n in CONTENT_FIELDS[1:]):
                continue
            who = answer.answered_by or part.answers.completed_by
            by_question.setdefault(qid, []).append(
                Contribution(part.name, answer.model_copy(update={"answered_by": who}))
            )

    result = MergeResult(answers=first.answers)
    merged: dict[str, Answer] = {}
    for qid, entries in by_question.items():
        if len(entries) == 1:
            merged[qid] = entries[0].answer
            continue
        differing = _differences(checklist, qid, entries)
        if not differing:
            merged[qid] = _combined(entries)
            result.agreed += 1
            continue
        chosen = next((e for e in entries if e.file == prefer), None)
        conflict = Conflict(qid, differing, tuple(entries), chosen.file if chosen else "")
        if chosen is None:
            result.conflicts.append(conflict)
        else:
            merged[qid] = chosen.answer
            result.settled.append(conflict)

    dates = [p.answers.audit_date for p in parts if p.answers.audit_date is not None]
    people = list(dict.fromkeys(p.answers.completed_by for p in parts if p.answers.completed_by))
    urn = next((p.answers.setting.urn for p in parts if p.answers.setting.urn), None)
    result.dropped_signoffs = [p.name for p in parts if p.answers.signoffs]
    # Every part is already validated, so the combined file is put together without re-parsing.
    result.answers = first.answers.model_copy(
        update={
            "setting": first.answers.setting.model_copy(update={"urn": urn}),
            "audit_date": max(dates) if dates else None,
            "completed_by": "; ".join(people),
            "answers": merged,
            "signoffs": [],
        }
    )
    return result


def show_value(answer: Answer, name: str) -> str:
    """A field of an answer as text for a conflict listing."""
    value = getattr(answer, name)
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def describe(conflict: Conflict) -> list[str]:
    """Lines describing a conflict: each file's answer, who gave it and when."""
    what = ", ".join(conflict.fields)
    lines = [f"{conflict.question}: different {what}"]
    for entry in conflict.entries:
        shown = "; ".join(
            (show_value(entry.answer, n) if n == "value" else f"{n}: {show_value(entry.answer, n)}")
            for n in conflict.fields
        )
        who = entry.by or "no name recorded"
        when = entry.when.strftime("%Y-%m-%d %H:%M") if entry.when else "no time recorded"
        lines.append(f"  {entry.file}: {shown} (answered by {who}, {when})")
    if conflict.settled_by:
        lines.append(f"  used the answer from {conflict.settled_by}, the file you preferred")
    return lines
