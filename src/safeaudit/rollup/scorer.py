"""Scoring answer files for a roll-up with the one evaluator, in worker processes for many files."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from safeaudit.checklists import load_checklist_id
from safeaudit.errors import SafeauditError
from safeaudit.loading import parse_yaml, read_text
from safeaudit.model import Answers, Checklist, Question
from safeaudit.rollup.rows import Row, Skipped
from safeaudit.scoring import (
    GAP_STATUSES,
    BadAnswer,
    Plan,
    evaluate,
    judging_date,
    percentage,
    points,
    verdict_for,
)
from safeaudit.settings import setting_label

#: Below this many files one process is quicker than starting workers.
PARALLEL_THRESHOLD = 400
#: Files per task sent to a worker: big enough to amortise the hand-over, small enough for
#: a smooth progress bar.
CHUNK = 200


def max_jobs() -> int:
    """The most worker processes a roll-up may use: one per CPU."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class _Plan:
    """A checklist prepared once for scoring many answer files with the one evaluator."""

    checklist: Checklist
    evaluator: Plan
    index: dict[str, Question]

    @cached_property
    def ids(self) -> tuple[str, ...]:
        """The question ids in checklist order."""
        return tuple(question.id for question in self.evaluator.questions)

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each question's position in the checklist (the index stores gaps by position)."""
        return {question.id: n for n, question in enumerate(self.evaluator.questions)}

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything in the checklist, so a roll-up's index notices any change."""
        return hashlib.sha256(self.checklist.model_dump_json().encode("utf-8")).hexdigest()


class _Problem(Exception):
    """A file that cannot be rolled up; the message is the one-line reason."""

    def __init__(self, message: str, loc: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        #: Where in the file, found again (slowly) only when reporting.
        self.loc = loc


class Plans:
    """The checklists one roll-up (or one of its worker processes) meets, each loaded and
    prepared once; a checklist that cannot be loaded is remembered for that roll-up only."""

    def __init__(self) -> None:
        self._found: dict[str, _Plan | SafeauditError] = {}

    def add(self, checklist: Checklist) -> None:
        """Use `checklist` for answer files that name its id (instead of looking it up)."""
        self._found[checklist.id] = _Plan(checklist, Plan(checklist), checklist.question_index())

    def _lookup(self, checklist_id: str) -> _Plan | SafeauditError:
        found = self._found.get(checklist_id)
        if found is None:
            try:
                self.add(load_checklist_id(checklist_id))
            except SafeauditError as exc:
                self._found[checklist_id] = exc
            found = self._found[checklist_id]
        return found

    def get(self, checklist_id: str) -> _Plan:
        """The prepared checklist, or a _Problem saying why the file cannot be scored."""
        found = self._lookup(checklist_id)
        if isinstance(found, SafeauditError):
            raise _Problem(f"its checklist cannot be used: {found.message}")
        return found

    def fingerprint(self, checklist_id: str) -> str | None:
        """The checklist's fingerprint, or None when it cannot be loaded."""
        found = self._lookup(checklist_id)
        return None if isinstance(found, SafeauditError) else found.fingerprint


@dataclass(frozen=True, slots=True)
class Scored:
    """A file scored: its row, gap ids, and what the index needs to reuse it next time."""

    row: Row
    gap_ids: tuple[str, ...]
    #: The file was answered against another version of its checklist (scored anyway).
    other_version: bool
    #: The checklist id named in the file.
    checklist_id: str
    #: A hash of the file's text.
    digest: str
    #: The file has no date at all, so it was judged as at today (the row may change tomorrow).
    judged_today: bool


def text_digest(text: str) -> str:
    """The hash a roll-up's index keeps of a file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fail_with_position(path: Path) -> str:
    """The full checker's first problem for a file, with line and column."""
    from safeaudit.answers import load_answers

    try:
        load_answers(path)
    except SafeauditError as exc:
        if not exc.problems:
            return exc.message
        problem = exc.problems[0]
        return (f"line {problem.line}: " if problem.line else "") + problem.message
    return "is not a valid answer file"


def _answers(path: Path, data: Any) -> Answers:
    if not isinstance(data, dict):
        raise _Problem("is not an answer file: it should hold a mapping of keys and values")
    try:
        return Answers.model_validate(data)
    except ValueError:
        raise _Problem(_fail_with_position(path)) from None


def score_row(path: Path, data: Any, plans: Plans, digest: str = "") -> Scored:
    """Score one parsed answer file with the evaluator `scoring.score` uses, keeping totals only.

    The tests check the totals agree with `scoring.score` on every example.
    """
    answers = _answers(path, data)
    plan = plans.get(answers.checklist.id)
    checklist = plan.checklist
    setting = answers.setting.type
    if setting not in checklist.settings:
        raise _Problem(f"the checklist `{checklist.id}` does not cover {setting_label(setting)}s")
    given = answers.answers
    unknown = [qid for qid in given if qid not in plan.index]
    if unknown:
        raise _Problem(
            f"`{unknown[0]}` is not a question in {checklist.id} {checklist.version}",
            ("answers", unknown[0]),
        )
    as_of = judging_date(answers)
    try:
        outcomes = evaluate(plan.evaluator, answers, setting, as_of)
    except BadAnswer as exc:
        qid = exc.question_id
        raise _Problem(f"the answer to `{qid}` {exc}", ("answers", qid, "value")) from None
    earned = [0.0] * len(checklist.areas)
    possible = [0.0] * len(checklist.areas)
    gap_ids: list[str] = []
    statutory_gaps = unanswered = out_of_date = overdue = 0
    questions = plan.evaluator.questions
    for area, question, outcome in zip(plan.evaluator.areas, questions, outcomes, strict=True):
        status = outcome.status
        gained, could = points(question, status, outcome.fraction)
        earned[area] += gained
        possible[area] += could
        if outcome.next_due is not None and outcome.next_due < as_of:
            out_of_date += 1  # as scoring's review_out_of_date: due the day after next_due
        if status in GAP_STATUSES:
            gap_ids.append(question.id)
            statutory_gaps += question.severity == "statutory"
            due = given[question.id].due
            overdue += due is not None and due < as_of
        elif status == "unanswered":
            unanswered += 1
    row = Row(
        path=str(path),
        name=answers.setting.name,
        urn=answers.setting.urn,
        setting_type=setting,
        checklist=(checklist.id, checklist.version),
        audit_date=answers.audit_date.isoformat() if answers.audit_date else None,
        percent=percentage(sum(earned), sum(possible)),
        areas=tuple(percentage(e, p) for e, p in zip(earned, possible, strict=True)),
        verdict=verdict_for(zip(questions, (o.status for o in outcomes), strict=True)),
        statutory_gaps=statutory_gaps,
        gaps=len(gap_ids),
        unanswered=unanswered,
        reviews_out_of_date=out_of_date,
        actions_overdue=overdue,
    )
    dated = answers.audit_date is not None or any(a.answered_at is not None for a in given.values())
    return Scored(
        row,
        tuple(gap_ids),
        answers.checklist.version != checklist.version,
        answers.checklist.id,
        digest,
        not dated,
    )


#: What scoring one file gives: a row, a skip, or None for a file of another setting type.
Outcome = Scored | Skipped | None


def _other_setting(data: Any, setting: str | None) -> bool:
    if setting is None or not isinstance(data, dict):
        return False
    kind = data.get("setting", {})
    return isinstance(kind, dict) and kind.get("type") != setting


def score_files(paths: Sequence[str], setting: str | None, plans: Plans) -> list[Outcome]:
    """Score a batch of files (in a worker or in this process); None for filtered-out files."""
    out: list[Outcome] = []
    for name in paths:
        path = Path(name)
        try:
            text = read_text(path)
            data = parse_yaml(text, name).data
            if _other_setting(data, setting):
                out.append(None)
                continue
            out.append(score_row(path, data, plans, text_digest(text)))
        except _Problem as exc:
            out.append(Skipped(name, _where(path, exc.loc) + str(exc)))
        except SafeauditError as exc:
            problem = exc.problems[0] if exc.problems else None
            where = f"line {problem.line}: " if problem and problem.line else ""
            out.append(Skipped(name, where + (problem.message if problem else exc.message)))
        except Exception as exc:  # one odd file must not stop a roll-up of thousands
            out.append(Skipped(name, f"could not be scored ({type(exc).__name__}: {exc})"))
    return out


def _where(path: Path, loc: tuple[str, ...]) -> str:
    """ "line N: " for a location in a file, by parsing it again with positions."""
    if not loc:
        return ""
    try:
        line, _column = parse_yaml(read_text(path), str(path)).position(loc, key=len(loc) == 2)
    except SafeauditError:
        return ""
    return f"line {line}: "


#: The checklists one worker process has prepared. Set by `_start_worker` in each worker, so it
#: lives exactly as long as the worker, which ends with the roll-up that started it.
_worker_plans: Plans | None = None


def _start_worker() -> None:
    global _worker_plans
    _worker_plans = Plans()


def _score_in_worker(paths: Sequence[str], setting: str | None) -> list[Outcome]:
    assert _worker_plans is not None, "started without _start_worker"
    return score_files(paths, setting, _worker_plans)


def _batches(paths: Sequence[str | os.PathLike[str]], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield [os.fspath(p) for p in paths[start : start + size]]


def outcomes(
    paths: Sequence[str | os.PathLike[str]], setting: str | None, workers: int | None, plans: Plans
) -> Iterator[list[Outcome]]:
    """Batches of outcomes in file order; worker processes (each with its own plans) for big
    inputs, `plans` in this process otherwise."""
    jobs = min(workers if workers is not None else max_jobs(), max_jobs())
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for batch in _batches(paths, CHUNK):
            yield score_files(batch, setting, plans)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker) as pool:
        # Only a few batches in flight at once, so memory stays bounded however many files.
        pending: list[Future[list[Outcome]]] = []
        for batch in _batches(paths, CHUNK):
            pending.append(pool.submit(_score_in_worker, batch, setting))
            if len(pending) >= jobs * 3:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
