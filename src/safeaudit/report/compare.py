"""Change between two audits: area scores in percentage points and gaps opened or closed (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from safeaudit.scoring import AuditResult, QuestionResult

#: Statuses that leave something to do: a gap, or a question nobody has answered yet.
OPEN = ("partial", "not-met", "unanswered")


@dataclass(frozen=True)
class AreaChange:
    """One area's score before and now; `change` in percentage points when both exist."""

    id: str
    title: str
    before: float | None
    now: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        return round(self.now - self.before, 1)


@dataclass(frozen=True)
class GapChange:
    """A question whose gap is new, closed or still open, with its status at each audit."""

    id: str
    text: str
    area: str
    severity: str
    before: str | None
    now: str | None
    area_id: str = ""


@dataclass(frozen=True)
class Comparison:
    """Everything that changed since the previous audit."""

    previous_date: str | None
    previous_checklist: str
    previous_version: str
    same_checklist: bool
    before: float | None
    now: float | None
    previous_verdict: str
    verdict: str
    areas: list[AreaChange] = field(default_factory=list)
    new_gaps: list[GapChange] = field(default_factory=list)
    closed_gaps: list[GapChange] = field(default_factory=list)
    still_open: list[GapChange] = field(default_factory=list)
    #: Gaps in the previous audit whose question is not in the current checklist.
    no_longer_asked: list[GapChange] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        return round(self.now - self.before, 1)


def _change(result: QuestionResult, before: str | None, now: str | None) -> GapChange:
    return GapChange(
        result.question.id,
        result.question.text,
        result.area.title,
        result.question.severity,
        before,
        now,
        result.area.id,
    )


def compare(current: AuditResult, previous: AuditResult) -> Comparison:
    """Compare `current` with `previous`, matching areas and questions by id.

    Each audit is scored against its own checklist. Current areas come first, in order, then any
    area only the previous checklist had. A question counts as open when it is partly met, not
    met or unanswered; "closed" means it was open before and is now met, recorded or does not
    apply.
    """
    before_areas = {a.area.id: a for a in previous.areas}
    now_ids = {a.area.id for a in current.areas}
    areas = [
        AreaChange(
            a.area.id,
            a.area.title,
            before_areas[a.area.id].percent if a.area.id in before_areas else None,
            a.percent,
        )
        for a in current.areas
    ]
    areas += [
        AreaChange(a.area.id, a.area.title, a.percent, None)
        for a in previous.areas
        if a.area.id not in now_ids
    ]

    before_q = {r.question.id: r for r in previous.questions}
    now_q = {r.question.id: r for r in current.questions}
    new: list[GapChange] = []
    closed: list[GapChange] = []
    still: list[GapChange] = []
    gone: list[GapChange] = []
    for result in current.questions:
        old = before_q.get(result.question.id)
        was_open = old is not None and old.status in OPEN
        old_status = old.status if old is not None else None
        if result.status in OPEN:
            (still if was_open else new).append(_change(result, old_status, result.status))
        elif was_open:
            closed.append(_change(result, old_status, result.status))
    for old in previous.questions:
        if old.question.id not in now_q and old.status in OPEN:
            gone.append(_change(old, old.status, None))
    return Comparison(
        previous_date=previous.as_of.isoformat(),
        previous_checklist=previous.checklist.id,
        previous_version=previous.checklist.version,
        same_checklist=(
            previous.checklist.id == current.checklist.id
            and previous.checklist.version == current.checklist.version
        ),
        before=previous.percent,
        now=current.percent,
        previous_verdict=previous.verdict,
        verdict=current.verdict,
        areas=areas,
        new_gaps=new,
        closed_gaps=closed,
        still_open=still,
        no_longer_asked=gone,
    )
