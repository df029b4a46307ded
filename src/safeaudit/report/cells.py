"""The HTML of the small cells the report repeats for each question, made once per question."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from safeaudit.report.view import Row

# The one definition of each cell's markup. A question's status, severity, review date, action
# due date and owner appear in up to four sections of the report (statutory gaps, action plan,
# reviews, each area in detail); drawing them once here instead of with a template macro at
# each place saves about 1,100 macro calls per report (issue 17). Every value from a row is
# escaped with markupsafe, exactly as the template's autoescape would.

_MUTED_DASH = Markup('<span class="muted">–</span>')
_NO_DUE = Markup('<span class="muted">none set</span>')
_NO_OWNER = Markup('<span class="muted">none named</span>')
_CRITICAL = ' <span class="sev sev-critical">Critical</span>'


class Cells:
    """One question's cells as HTML (`Markup`, so the template prints them as they are).

    A plain class: a NamedTuple's string annotations are each compiled when it is defined,
    which every report would pay at import (issue 17).
    """

    __slots__ = ("due", "owner", "review", "severity", "status", "status_and_severity")

    def __init__(self, r: Row, status: Markup, severity: Markup, both: Markup) -> None:
        self.status = status
        self.severity = severity
        #: "✗ Not met · Statutory", as each question in detail is headed: one cell, not two.
        self.status_and_severity = both
        self.review = review_cell(r)
        self.due = due_cell(r)
        self.owner = owner_cell(r)


def status_cell(status: str, sign: str, label: str) -> Markup:
    """The status with its sign, e.g. "✗ Not met", coloured by its class."""
    return Markup(f'<span class="status s-{escape(status)}">{escape(sign)} {escape(label)}</span>')


def severity_cell(severity: str, label: str, critical: bool) -> Markup:
    """Statutory, expected or recommended, and "Critical" beside it for a critical question."""
    return Markup(
        f'<span class="sev sev-{escape(severity)}">{escape(label)}</span>'
        f"{_CRITICAL if critical else ''}"
    )


def review_cell(r: Row) -> Markup:
    """A dated question's review in words, flagged ⚠ when out of date; a dash for others."""
    if not r.review_text:
        return _MUTED_DASH
    if r.review_out_of_date:
        return Markup(f'<span class="overdue">⚠ {escape(r.review_text)}</span>')
    return escape(r.review_text)


def due_cell(r: Row) -> Markup:
    """The action's due date (or "none set"), and ⚠ how long overdue when it has passed."""
    shown = (
        Markup(f'<time datetime="{escape(r.due_iso)}">{escape(r.due)}</time>') if r.due else _NO_DUE
    )
    if r.overdue:
        return Markup(f'{shown}<br><span class="overdue">⚠ {escape(r.overdue_text)}</span>')
    return shown


def owner_cell(r: Row) -> Markup:
    """Who is responsible, or "none named"."""
    return escape(r.owner) if r.owner else _NO_OWNER


def cells_by_id(rows: Iterable[Row]) -> dict[str, Cells]:
    """Each question's cells, by question id, made once however often its rows appear.

    A status or severity cell depends only on a few labels, so each one that occurs is drawn
    once and shared by every question with the same labels.
    """
    made: dict[str, Cells] = {}
    statuses: dict[tuple[str, str, str], Markup] = {}
    severities: dict[tuple[str, str, bool], Markup] = {}
    both: dict[tuple[Markup, Markup], Markup] = {}
    for r in rows:
        if r.id in made:
            continue
        status_key = (r.status, r.status_sign, r.status_label)
        status = statuses.get(status_key)
        if status is None:
            status = statuses[status_key] = status_cell(*status_key)
        severity_key = (r.severity, r.severity_label, r.critical)
        severity = severities.get(severity_key)
        if severity is None:
            severity = severities[severity_key] = severity_cell(*severity_key)
        pair = both.get((status, severity))
        if pair is None:
            pair = both[status, severity] = Markup(f"{status} · {severity}")
        made[r.id] = Cells(r, status, severity, pair)
    return made
