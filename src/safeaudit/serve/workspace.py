"""The answer file that `serve` has open: loading, locking and saving it, like `run` does."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safeaudit.answers import check_answers, load_answers
from safeaudit.checklists import available, load_checklist, load_entry
from safeaudit.errors import NotFound, SafeauditError, ValidationFailed
from safeaudit.lock import AnswerLock
from safeaudit.model import Answers, Checklist, is_current, superseded_before
from safeaudit.questionnaire.starting import check_same_checklist, offer_order
from safeaudit.store import save_answers

#: A file name typed into the browser: letters, digits, spaces, dots, dashes; .yaml or .yml.
_FILE_NAME = re.compile(r"^[\w][\w .-]{0,120}\.(yaml|yml)$")

#: At most this many answer files are listed on the start page.
MAX_LISTED = 60


class FileProblem(SafeauditError):
    """A file name or file chosen in the browser that cannot be used."""


@dataclass(frozen=True)
class ChecklistChoice:
    """A checklist offered for a new audit: current ones first, replaced ones marked."""

    checklist: Checklist
    current: bool
    superseded: bool


@dataclass(frozen=True)
class FileEntry:
    """An answer file in the folder, as listed on the start page."""

    name: str
    setting: str
    checklist: str
    problem: str = ""


@dataclass
class OpenAudit:
    """An answer file being worked on, its checklist, and the lock that keeps `run` out."""

    path: Path
    checklist: Checklist
    answers: Answers
    lock: AnswerLock
    stamp: tuple[int, int] = (0, 0)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


@dataclass
class Workspace:
    """The folder `serve` works in and the one answer file open in it (if any).

    Every change goes through `save`, which writes the whole file atomically (0600) while this
    process holds the same lock file as `safeaudit run`, so the two never write at once.
    """

    folder: Path
    checklist_ref: str | None = None
    today: Callable[[], dt.date] = dt.date.today
    audit: OpenAudit | None = None
    notices: list[str] = field(default_factory=list)
    _choices: list[ChecklistChoice] | None = None

    # ----------------------------------------------------------------- files

    def resolve(self, name: str) -> Path:
        """A file name from the browser as a path in the folder (never anywhere else)."""
        clean = name.strip()
        if not _FILE_NAME.match(clean) or clean.startswith("."):
            raise FileProblem(
                f"`{clean}` cannot be used as a file name: use letters, numbers, spaces and "
                "dashes, ending in .yaml (for example school-audit.yaml)"
            )
        return self.folder / clean

    def files(self) -> list[FileEntry]:
        """Answer files in the folder, newest first (files that are not answer files left out)."""
        found = [*self.folder.glob("*.yaml"), *self.folder.glob("*.yml")]
        found = [p for p in found if p.is_file() and not p.name.startswith(".")]
        found.sort(key=lambda p: (-_stamp(p)[0], p.name))
        entries: list[FileEntry] = []
        for path in found[: MAX_LISTED * 2]:
            if not _looks_like_answers(path):
                continue
            try:
                answers, _doc = load_answers(path)
            except SafeauditError as exc:
                entries.append(FileEntry(path.name, "", "", exc.message))
            else:
                ref = answers.checklist
                entries.append(
                    FileEntry(path.name, answers.setting.name, f"{ref.id} {ref.version}")
                )
            if len(entries) >= MAX_LISTED:
                break
        return entries

    def checklist_choices(self) -> list[ChecklistChoice]:
        """Checklists for a new audit: in force first (newest first), then replaced ones."""
        if self._choices is None:
            today = self.today()
            choices = []
            for entry in available():
                try:
                    checklist = load_entry(entry)
                except SafeauditError:
                    continue  # `safeaudit checklists` names checklists that cannot be used; do not offer them
                choices.append(
                    ChecklistChoice(
                        checklist,
                        is_current(checklist, None, today),
                        superseded_before(checklist, today),
                    )
                )
            choices.sort(key=lambda c: (not c.current, offer_order(c.checklist)))
            self._choices = choices
        return self._choices

    # ----------------------------------------------------------------- open and save

    def open(self, path: Path) -> OpenAudit:
        """Lock and load an answer file (closing the one open before)."""
        if self.audit is not None and self.audit.path.resolve() == path.resolve():
            return self.audit
        if not path.is_file():
            raise NotFound(f"{path}: no such answer file")
        lock = AnswerLock(path, command="serve")
        lock.acquire()
        try:
            checklist, answers = self._load(path)
        except BaseException:
            lock.release()
            raise
        self.close()
        self.notices = [f"{notice}." for notice in lock.notices]
        self.audit = OpenAudit(path, checklist, answers, lock, _stamp(path))
        return self.audit

    def create(self, path: Path, checklist: Checklist, answers: Answers) -> OpenAudit:
        """Write a new answer file (never over an existing one), locked, and open it."""
        if path.exists():
            raise FileProblem(
                f"{path.name} already exists in {self.folder}; open it from the list, or "
                "choose another file name"
            )
        lock = AnswerLock(path, command="serve")
        lock.acquire()
        try:
            save_answers(path, answers)
        except BaseException:
            lock.release()
            raise
        self.close()
        self.notices = []
        self.audit = OpenAudit(path, checklist, answers, lock, _stamp(path))
        return self.audit

    def current(self) -> OpenAudit | None:
        """The open audit, re-read if the file was changed by something else meanwhile."""
        audit = self.audit
        if audit is None:
            return None
        stamp = _stamp(audit.path)
        if stamp != audit.stamp:
            checklist, answers = self._load(audit.path)
            audit.checklist, audit.answers, audit.stamp = checklist, answers, stamp
        return audit

    def save(self, answers: Answers) -> None:
        """Write the whole answer file at once (atomic, 0600), under this process's lock."""
        audit = self.audit
        if audit is None:
            raise FileProblem("no answer file is open; choose one on the start page")
        save_answers(audit.path, answers)
        audit.answers = answers
        audit.stamp = _stamp(audit.path)

    def close(self) -> None:
        """Let go of the open file (its lock is removed, so `run` can use it again)."""
        if self.audit is not None:
            self.audit.lock.release()
            self.audit = None

    def _load(self, path: Path) -> tuple[Checklist, Answers]:
        answers, doc = load_answers(path)
        checklist = load_checklist(self.checklist_ref or answers.checklist.id)
        check_same_checklist(checklist, answers, path)
        problems = check_answers(checklist, answers, doc)
        if problems:
            raise ValidationFailed("an answer file", problems)
        return checklist, answers


def _looks_like_answers(path: Path) -> bool:
    """Cheap test before loading: an answer file names its checklist and setting at the top."""
    with contextlib.suppress(OSError):
        with path.open("rb") as stream:
            head = stream.read(8192)
        return b"\nsetting:" in b"\n" + head and b"\nchecklist:" in b"\n" + head
    return False
