"""A roll-up drawn for people: the terminal table, the CSV, the web page and the summary lines.

Each is drawn as a stream of pieces (`text_chunks`, `csv_chunks`, `html_chunks`) read row by
row from the roll-up's store, so a table of 24,000 settings is never held in memory whole;
`render_*` join the pieces, for small roll-ups and tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from safeaudit.checklists import templates_dir
from safeaudit.display import formula_safe, percent_text
from safeaudit.report._jinja import html_environment
from safeaudit.rollup import Rollup
from safeaudit.scoring import VERDICT_LABELS
from safeaudit.settings import SETTING_TYPES, setting_label

if TYPE_CHECKING:
    from safeaudit.report.options import ReportOptions

#: Short verdict words for the terminal table.
_VERDICT_WORDS = {
    "not-met": "NOT MET",
    "incomplete": "incomplete",
    "met-with-actions": "met, actions",
    "met": "met",
}


def _pct(value: float | None) -> str:
    return percent_text(value, "—")


def shown_path(path: str) -> str:
    """A file name as text: bytes the file system keeps that are not UTF-8 are shown as �."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


#: Pieces of output are gathered up to about this many characters before being handed on.
_PIECE = 64 * 1024


def _gathered(pieces: Iterable[str]) -> Iterator[str]:
    """The same text in fewer, larger pieces (fewer writes)."""
    waiting: list[str] = []
    size = 0
    for piece in pieces:
        waiting.append(piece)
        size += len(piece)
        if size >= _PIECE:
            yield "".join(waiting)
            waiting.clear()
            size = 0
    if waiting:
        yield "".join(waiting)


#: The Type column fits the longest setting type, so every row's columns line up.
_TYPE_WIDTH = max(len(kind) for kind in SETTING_TYPES)


def _text_lines(result: Rollup) -> Iterator[str]:
    for group in result.groups:
        checklist = group.checklist
        areas = checklist.areas
        yield (
            f"{checklist.title} ({checklist.id} {checklist.version}): "
            f"{_plural(len(group.rows), 'setting')}"
        )
        yield ""
        head = f"{'Setting':28} {'Type':{_TYPE_WIDTH}} {'Verdict':13} {'Score':>6} {'Stat':>4} {'Rev':>4} "
        head += f"{'Due':>4} " + " ".join(f"{'A' + str(n):>6}" for n in range(1, len(areas) + 1))
        yield head.rstrip()
        for row in group.rows:
            name = row.name if len(row.name) <= 28 else row.name[:27] + "…"
            verdict = _VERDICT_WORDS[row.verdict]
            line = (
                f"{name:28} {row.setting_type:{_TYPE_WIDTH}} {verdict:13} {_pct(row.percent):>6} "
                f"{row.statutory_gaps:>4} {row.reviews_out_of_date:>4} {row.actions_overdue:>4} "
            )
            line += " ".join(f"{_pct(p):>6}" for p in row.areas)
            yield line.rstrip()
        yield ""
        yield (
            "Stat = statutory gaps; Rev = reviews out of date; Due = actions past their due "
            "date. Areas:"
        )
        yield from (f"  A{n} {area.title}" for n, area in enumerate(areas, 1))
        common = group.common_gaps()
        if common:
            yield ""
            yield "Most common gaps:"
            for question, count in common:
                share = count * 100 / len(group.rows)
                yield f"  {count:>6} ({share:3.0f}%)  {question.id} [{question.severity}]"
        yield ""


def text_chunks(result: Rollup, options: ReportOptions | None = None) -> Iterator[str]:
    """A table per checklist for the terminal, in pieces; area columns are numbered with a key
    below."""
    lines = _text_lines(result)

    def joined() -> Iterator[str]:
        first = next(lines, None)
        if first is None:
            return
        yield first
        for line in lines:
            yield "\n" + line

    return _gathered(joined())


def render_text(result: Rollup) -> str:
    """A table per checklist for the terminal; area columns are numbered with a key below."""
    return "".join(text_chunks(result))


#: A cell as text, made inert if a spreadsheet would run it (the one guard, in display.py).
csv_cell = formula_safe

_CSV_HEADER = [
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
    "reviews_out_of_date",
    "actions_overdue",
    "file",
]


def csv_chunks(result: Rollup, options: ReportOptions | None = None) -> Iterator[str]:
    """One row per setting for every checklist, in pieces; UTF-8 with a byte-order mark for
    Excel."""
    return _gathered(_csv_pieces(result))


def _csv_pieces(result: Rollup) -> Iterator[str]:
    area_ids: list[str] = []
    for group in result.groups:
        for area in group.checklist.areas:
            if area.id not in area_ids:
                area_ids.append(area.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*_CSV_HEADER, *[f"area:{a}" for a in area_ids]])
    yield "\ufeff"
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
                row.reviews_out_of_date,
                row.actions_overdue,
                shown_path(row.path),
                *[by_area.get(a) for a in area_ids],
            ]
            writer.writerow([csv_cell(c) for c in cells])
            if buffer.tell() >= _PIECE:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


def render_csv(result: Rollup, options: ReportOptions | None = None) -> str:
    """One row per setting for every checklist; UTF-8 with a byte-order mark for Excel."""
    return "".join(csv_chunks(result, options))


def html_chunks(
    result: Rollup,
    options: ReportOptions | None = None,
    *,
    title: str = "Online safety audits: roll-up",
) -> Iterator[str]:
    """One self-contained page, in pieces: inline CSS, no scripts, no requests to other hosts."""
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    return _gathered(
        html_environment()
        .get_template("rollup.html.j2")
        .generate(
            title=title,
            css=css,
            result=result,
            generated=dt.date.today().isoformat(),
            verdict_labels=VERDICT_LABELS,
            setting_label=setting_label,
            pct=_pct,
            shown_path=shown_path,
        )
    )


def render_html(
    result: Rollup,
    options: ReportOptions | None = None,
    *,
    title: str = "Online safety audits: roll-up",
) -> str:
    """One self-contained page: inline CSS, no scripts, no requests to other hosts."""
    return "".join(html_chunks(result, options, title=title))


def summary(result: Rollup) -> Iterable[str]:
    """Lines for standard error: what was read, what was reused, and what was left out."""
    groups = len(result.groups)
    line = (
        f"Rolled up {_plural(result.rows, 'setting')} in {_plural(groups, 'checklist version')}"
        f"; skipped {_plural(len(result.skipped), 'file')}"
    )
    if result.filtered_out:
        line += f"; {result.filtered_out} of other setting types left out"
    if result.reused:
        line += f"; {_plural(result.rescored, 'file')} scored, {result.reused} unchanged since "
        line += "the last run"
    yield line + "."
    if result.other_version:
        yield (
            f"{result.other_version} file(s) were recorded against another version of their "
            "checklist and were scored against the installed one; `safeaudit migrate` them"
        )
    if result.index_note:
        yield f"Note: {result.index_note}."
