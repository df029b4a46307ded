"""Many audits in one table: score each answer file, keep a small row, group by checklist."""

from __future__ import annotations

import csv
import datetime as dt
import glob
import io
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeaudit.display import formula_safe, percent_text
from safeaudit.errors import SafeauditError
from safeaudit.loading import parse_yaml, read_text
from safeaudit.model import SEVERITY_ORDER, Answers, Checklist, Question
from safeaudit.scoring import (
    GAP_STATUSES,
    VERDICT_LABELS,
    VERDICT_ORDER,
    BadAnswer,
    Plan,
    counted,
    evaluate,
    judging_date,
    percentage,
    verdict_for,
)
from safeaudit.settings import setting_label

#: Short verdict words for the terminal table.
_VERDICT_WORDS = {
    "not-met": "NOT MET",
    "incomplete": "incomplete",
    "met-with-actions": "met, actions",
    "met": "met",
}

#: Below this many files one process is quicker than starting workers.
PARALLEL_THRESHOLD = 400
#: Files per task sent to a worker: big enough to amortise the hand-over, small enough for
#: a smooth progress bar.
CHUNK = 200


@dataclass(frozen=True, slots=True)
class Row:
    """One setting's result: numbers and ids only, never the answers themselves."""

    path: str
    name: str
    urn: str | None
    setting_type: str
    checklist: tuple[str, str]
    audit_date: str | None
    percent: float | None
    areas: tuple[float | None, ...]
    verdict: str
    statutory_gaps: int
    gaps: int
    unanswered: int

    @property
    def urgency(self) -> tuple[int, int, float]:
        """Not met, then incomplete, then met; then most statutory gaps; then lowest score."""
        score = self.percent if self.percent is not None else -1.0
        return VERDICT_ORDER[self.verdict], -self.statutory_gaps, score


@dataclass(frozen=True)
class Skipped:
    """A file that could not be used, and why (one line)."""

    path: str
    reason: str


@dataclass
class Group:
    """Every row scored against one checklist version."""

    checklist: Checklist
    rows: list[Row] = field(default_factory=list)
    #: How many settings have each question as a gap (partly or not met).
    gap_counts: Counter[str] = field(default_factory=Counter)

    @property
    def key(self) -> tuple[str, str]:
        return self.checklist.id, self.checklist.version

    def common_gaps(self, limit: int = 10) -> list[tuple[Question, int]]:
        """The gaps found in most settings: statutory first when counts tie."""
        index = self.checklist.question_index()
        ranked = sorted(
            self.gap_counts.items(),
            key=lambda item: (-item[1], SEVERITY_ORDER[index[item[0]].severity], item[0]),
        )
        return [(index[qid], count) for qid, count in ranked[:limit]]


@dataclass
class Rollup:
    """The result of a roll-up: groups of rows, files skipped, and notes for the user."""

    groups: list[Group] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    filtered_out: int = 0
    #: Files whose recorded checklist version differs from the one installed (scored anyway).
    other_version: int = 0

    @property
    def rows(self) -> int:
        return sum(len(group.rows) for group in self.groups)


# --------------------------------------------------------------------------- finding files


def _has_magic(text: str) -> bool:
    return any(char in text for char in "*?[")


def max_jobs() -> int:
    """The most worker processes a roll-up may use: one per CPU."""
    return os.cpu_count() or 1


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as an answer file, or None if it is an ordinary file."""
    import stat as stat_mode

    from safeaudit.output import kind_of

    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return f"is a link to {os.readlink(path)}, which does not exist"
        return "file not found; check the name and folder"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat_mode.S_ISREG(info.st_mode):
        return None
    return f"is {kind_of(info.st_mode)}, not an ordinary file"


def expand_paths(args: Sequence[str]) -> tuple[list[Path], list[Skipped]]:
    """Answer files named by files, folders (searched recursively) and globs (for Windows).

    Anything found that is not an ordinary file (a link to nothing, a device, a named pipe) is
    listed as skipped with the reason, never opened.
    """
    found: list[Path] = []
    missing: list[Skipped] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        if path in seen:
            return
        seen.add(path)
        reason = _not_a_file(path)
        if reason is None:
            found.append(path)
        else:
            missing.append(Skipped(str(path), reason))

    def add_folder(folder: Path) -> None:
        for item in sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")]):
            if not item.is_dir():
                add(item)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            add_folder(path)
        elif os.path.lexists(path):
            add(path)
        elif _has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                missing.append(Skipped(arg, "no files match this pattern"))
            for match in matches:
                item = Path(match)
                if item.is_dir():
                    add_folder(item)
                else:
                    add(item)
        else:
            missing.append(Skipped(arg, "file not found; check the name and folder"))
    return found, missing


# --------------------------------------------------------------------------- scoring one file


@dataclass(frozen=True)
class _Plan:
    """A checklist prepared once for scoring many answer files with the one evaluator."""

    checklist: Checklist
    evaluator: Plan
    index: dict[str, Question]


def _plan(checklist: Checklist) -> _Plan:
    return _Plan(checklist, Plan(checklist), checklist.question_index())


class _Problem(Exception):
    """A file that cannot be rolled up; the message is the one-line reason."""

    def __init__(self, message: str, loc: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        #: Where in the file, found again (slowly) only when reporting.
        self.loc = loc


def _load_data(path: Path) -> Any:
    """Parse an answer file with the ordinary safe loader (which skips its alias walk when the
    text has no anchors, so this is as fast as a plain libyaml load)."""
    return parse_yaml(read_text(path), str(path)).data


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


def score_row(path: Path, data: Any, plans: Callable[[str], _Plan]) -> tuple[Row, list[str], bool]:
    """Score one parsed answer file: the row, its gap ids, and whether its version differs.

    Uses the evaluator `scoring.score` uses but keeps only totals; the tests check the two
    agree on generated audits.
    """
    if not isinstance(data, dict):
        raise _Problem("is not an answer file: it should hold a mapping of keys and values")
    try:
        answers = Answers.model_validate(data)
    except ValueError:
        raise _Problem(_fail_with_position(path)) from None
    plan = plans(answers.checklist.id)
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
    try:
        outcomes = evaluate(plan.evaluator, answers, setting, judging_date(answers))
    except BadAnswer as exc:
        qid = exc.question_id
        raise _Problem(f"the answer to `{qid}` {exc}", ("answers", qid, "value")) from None
    earned = [0.0] * len(checklist.areas)
    possible = [0.0] * len(checklist.areas)
    gap_ids: list[str] = []
    statutory_gaps = unanswered = 0
    questions = plan.evaluator.questions
    for area, question, outcome in zip(plan.evaluator.areas, questions, outcomes, strict=True):
        status = outcome.status
        if counted(question, status):
            possible[area] += question.weight
            earned[area] += question.weight * (outcome.fraction or 0.0)
        if status in GAP_STATUSES:
            gap_ids.append(question.id)
            statutory_gaps += question.severity == "statutory"
        elif status == "unanswered":
            unanswered += 1
    verdict = verdict_for(zip(questions, (o.status for o in outcomes), strict=True))
    row = Row(
        path=str(path),
        name=answers.setting.name,
        urn=answers.setting.urn,
        setting_type=setting,
        checklist=(checklist.id, checklist.version),
        audit_date=answers.audit_date.isoformat() if answers.audit_date else None,
        percent=percentage(sum(earned), sum(possible)),
        areas=tuple(percentage(e, p) for e, p in zip(earned, possible, strict=True)),
        verdict=verdict,
        statutory_gaps=statutory_gaps,
        gaps=len(gap_ids),
        unanswered=unanswered,
    )
    return row, gap_ids, answers.checklist.version != checklist.version


# --------------------------------------------------------------------------- many files


_PLANS: dict[str, _Plan | SafeauditError] = {}


def _cached_plan(checklist_id: str) -> _Plan:
    """Each checklist is loaded and prepared once per process; a failure is remembered too."""
    from safeaudit.checklists import load_checklist_id

    if checklist_id not in _PLANS:
        try:
            _PLANS[checklist_id] = _plan(load_checklist_id(checklist_id))
        except SafeauditError as exc:
            _PLANS[checklist_id] = exc
    found = _PLANS[checklist_id]
    if isinstance(found, SafeauditError):
        raise _Problem(f"its checklist cannot be used: {found.message}")
    return found


#: What one batch of files gives back: rows with their gap ids, or a skip.
_Outcome = tuple[Row, list[str], bool] | Skipped


def _score_files(paths: Sequence[str], setting: str | None) -> list[_Outcome | None]:
    """Score a batch of files (in a worker or in this process); None for filtered-out files."""
    out: list[_Outcome | None] = []
    for name in paths:
        path = Path(name)
        try:
            data = _load_data(path)
            if setting is not None and isinstance(data, dict):
                kind = data.get("setting", {})
                if isinstance(kind, dict) and kind.get("type") != setting:
                    out.append(None)
                    continue
            out.append(score_row(path, data, _cached_plan))
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


def _batches(paths: Sequence[Path], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield [str(p) for p in paths[start : start + size]]


def _outcomes(
    paths: Sequence[Path], setting: str | None, workers: int | None
) -> Iterator[list[_Outcome | None]]:
    """Batches of outcomes in file order; worker processes for big inputs."""
    jobs = min(workers if workers is not None else max_jobs(), max_jobs())
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        for batch in _batches(paths, CHUNK):
            yield _score_files(batch, setting)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # Only a few batches in flight at once, so memory stays bounded however many files.
        pending: list[Future[list[_Outcome | None]]] = []
        for batch in _batches(paths, CHUNK):
            pending.append(pool.submit(_score_files, batch, setting))
            if len(pending) >= jobs * 3:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def rollup(
    paths: Sequence[Path],
    *,
    setting: str | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Rollup:
    """Score every file, streaming: only a small row per setting is kept."""
    result = Rollup()
    groups: dict[tuple[str, str], Group] = {}
    for batch in _outcomes(paths, setting, workers):
        for outcome in batch:
            if outcome is None:
                result.filtered_out += 1
            elif isinstance(outcome, Skipped):
                result.skipped.append(outcome)
            else:
                row, gap_ids, other_version = outcome
                group = groups.get(row.checklist)
                if group is None:
                    group = groups[row.checklist] = Group(_cached_plan(row.checklist[0]).checklist)
                group.rows.append(row)
                group.gap_counts.update(gap_ids)
                result.other_version += other_version
        if progress is not None:
            progress(len(batch))
    for group in groups.values():
        group.rows.sort(key=lambda r: (*r.urgency, r.name.casefold(), r.path))
    result.groups = sorted(groups.values(), key=lambda g: g.key)
    return result


# --------------------------------------------------------------------------- output


def _pct(value: float | None) -> str:
    return percent_text(value, "—")


def render_text(result: Rollup) -> str:
    """A table per checklist for the terminal; area columns are numbered with a key below."""
    lines: list[str] = []
    for group in result.groups:
        checklist = group.checklist
        areas = checklist.areas
        lines += [
            f"{checklist.title} ({checklist.id} {checklist.version}): "
            f"{len(group.rows)} setting{'s' * (len(group.rows) != 1)}",
            "",
        ]
        head = f"{'Setting':28} {'Type':11} {'Verdict':13} {'Score':>6} {'Stat':>4} "
        head += " ".join(f"{'A' + str(n):>6}" for n in range(1, len(areas) + 1))
        lines.append(head.rstrip())
        for row in group.rows:
            name = row.name if len(row.name) <= 28 else row.name[:27] + "…"
            verdict = _VERDICT_WORDS[row.verdict]
            line = (
                f"{name:28} {row.setting_type:11} {verdict:13} {_pct(row.percent):>6} "
                f"{row.statutory_gaps:>4} "
            )
            line += " ".join(f"{_pct(p):>6}" for p in row.areas)
            lines.append(line.rstrip())
        lines += ["", "Stat = statutory gaps. Areas:"]
        lines += [f"  A{n} {area.title}" for n, area in enumerate(areas, 1)]
        common = group.common_gaps()
        if common:
            lines += ["", "Most common gaps:"]
            for question, count in common:
                share = count * 100 / len(group.rows)
                lines.append(f"  {count:>6} ({share:3.0f}%)  {question.id} [{question.severity}]")
        lines.append("")
    return "\n".join(lines)


#: A cell as text, made inert if a spreadsheet would run it (the one guard, in display.py).
csv_cell = formula_safe


def render_csv(result: Rollup) -> str:
    """One row per setting for every checklist; UTF-8 with a byte-order mark for Excel."""
    area_ids: list[str] = []
    for group in result.groups:
        for area in group.checklist.areas:
            if area.id not in area_ids:
                area_ids.append(area.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "checklist",
            "version",
            "setting",
            "urn",
            "type",
            "audit_date",
            "verdict",
            "score_percent",
            "statutory_gaps",
            "gaps",
            "unanswered",
            "file",
            *[f"area:{a}" for a in area_ids],
        ]
    )
    for group in result.groups:
        positions = [area.id for area in group.checklist.areas]
        for row in group.rows:
            by_area = dict(zip(positions, row.areas, strict=True))
            cells: list[object] = [
                row.checklist[0],
                row.checklist[1],
                row.name,
                row.urn,
                row.setting_type,
                row.audit_date,
                row.verdict,
                row.percent,
                row.statutory_gaps,
                row.gaps,
                row.unanswered,
                row.path,
                *[by_area.get(a) for a in area_ids],
            ]
            writer.writerow([csv_cell(c) for c in cells])
    return "\ufeff" + buffer.getvalue()


def render_html(result: Rollup, *, title: str = "Online safety audits: roll-up") -> str:
    """One self-contained page: inline CSS, no scripts, no requests to other hosts."""
    import jinja2

    from safeaudit.checklists import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    return env.get_template("rollup.html.j2").render(
        title=title,
        css=css,
        result=result,
        generated=dt.date.today().isoformat(),
        verdict_labels=VERDICT_LABELS,
        setting_label=setting_label,
        pct=_pct,
    )


def summary(result: Rollup) -> Iterable[str]:
    """Lines for standard error: what was read and what was left out."""
    yield (
        f"Rolled up {result.rows} setting{'s' * (result.rows != 1)} "
        f"in {len(result.groups)} checklist version{'s' * (len(result.groups) != 1)}; "
        f"skipped {len(result.skipped)} file{'s' * (len(result.skipped) != 1)}"
        + (
            f"; {result.filtered_out} of other setting types left out"
            if result.filtered_out
            else ""
        )
        + "."
    )
    if result.other_version:
        yield (
            f"{result.other_version} file(s) were recorded against another version of their "
            "checklist and were scored against the installed one; `safeaudit migrate` them"
        )
