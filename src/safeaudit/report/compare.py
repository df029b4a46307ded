"""Change between two audits: area scores in percentage points and gaps opened or closed (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from safeaudit.errors import OtherSetting
from safeaudit.scoring import GAP_STATUSES, AuditResult, QuestionResult


@dataclass(frozen=True)
class AreaChange:
    """One area's score before and now; `change` in percentage points when both can be compared.

    An area with unanswered questions in either audit is incomplete: its scores are shown but
    no rise or fall is worked out, since an unfinished area always looks worse.
    """

    id: str
    title: str
    before: float | None
    now: float | None
    incomplete: bool = False

    @property
    def change(self) -> float | None:
        if self.incomplete or self.before is None or self.now is None:
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
    """Everything that changed since the previous audit, and which audit that was."""

    previous_date: str | None
    previous_checklist: str
    previous_version: str
    same_checklist: bool
    before: float | None
    now: float | None
    previous_verdict: str
    verdict: str
    areas: list[AreaChange] = field(default_factory=list)
    #: Gaps now (partly met or not met) that were not gaps before.
    new_gaps: list[GapChange] = field(default_factory=list)
    #: Gaps before that are now met (or recorded).
    closed_gaps: list[GapChange] = field(default_factory=list)
    #: Gaps both times.
    still_open: list[GapChange] = field(default_factory=list)
    #: Gaps in the previous audit whose question is not in the current checklist.
    no_longer_asked: list[GapChange] = field(default_factory=list)
    #: Gaps before whose question does not apply now (not counted as closed).
    no_longer_applies: list[GapChange] = field(default_factory=list)
    #: Gaps before whose question is unanswered now (not counted as closed or still open).
    not_answered_now: list[GapChange] = field(default_factory=list)
    #: The previous audit's setting, audit date and checklist title, to name it in reports.
    previous_setting: str = ""
    previous_urn: str | None = None
    previous_audit_date: str | None = None
    previous_checklist_title: str = ""
    #: Either audit has unanswered questions: the overall change is not worked out.
    incomplete: bool = False
    #: How the previous audit's setting differs (allowed explicitly), or "" for the same one.
    other_setting: str = ""

    @property
    def change(self) -> float | None:
        if self.incomplete or self.before is None or self.now is None:
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


def other_setting(current: AuditResult, previous: AuditResult) -> str | None:
    """How the two audits' settings differ (name or URN), or None when they are the same."""
    now, then = current.answers.setting, previous.answers.setting
    if now.urn and then.urn and now.urn != then.urn:
        return f"{then.name} (URN {then.urn}), not {now.name} (URN {now.urn})"
    if " ".join(now.name.split()).casefold() != " ".join(then.name.split()).casefold():
        return f"{then.name}, not {now.name}"
    return None


def compare(
    current: AuditResult, previous: AuditResult, *, allow_other_setting: bool = False
) -> Comparison:
    """Compare `current` with `previous`, matching areas and questions by id.

    Each audit is scored against its own checklist. Current areas come first, in order, then any
    area only the previous checklist had. A gap is a question partly met or not met: unanswered
    now is not a new gap, and "does not apply" now is not a gap closed. Raises OtherSetting when
    the audits are of different settings, unless `allow_other_setting`.
    """
    difference = other_setting(current, previous)
    if difference is not None and not allow_other_setting:
        raise OtherSetting(
            f"the previous audit is for {difference}; comparing audits of different settings "
            "has to be asked for explicitly"
        )
    before_areas = {a.area.id: a for a in previous.areas}
    now_ids = {a.area.id for a in current.areas}
    areas = []
    for a in current.areas:
        old_area = before_areas.get(a.area.id)
        incomplete = not a.complete or (old_area is not None and not old_area.complete)
        before = old_area.percent if old_area is not None else None
        areas.append(AreaChange(a.area.id, a.area.title, before, a.percent, incomplete))
    areas += [
        AreaChange(a.area.id, a.area.title, a.percent, None, not a.complete)
        for a in previous.areas
        if a.area.id not in now_ids
    ]

    before_q = {r.question.id: r for r in previous.questions}
    now_q = {r.question.id: r for r in current.questions}
    new: list[GapChange] = []
    closed: list[GapChange] = []
    still: list[GapChange] = []
    gone: list[GapChange] = []
    not_applying: list[GapChange] = []
    unanswered: list[GapChange] = []
    for result in current.questions:
        old = before_q.get(result.question.id)
        was_gap = old is not None and old.status in GAP_STATUSES
        old_status = old.status if old is not None else None
        item = _change(result, old_status, result.status)
        if result.status in GAP_STATUSES:
            (still if was_gap else new).append(item)
        elif not was_gap:
            continue
        elif result.status == "not-applicable":
            not_applying.append(item)
        elif result.status == "unanswered":
            unanswered.append(item)
        else:
            closed.append(item)
    for old in previous.questions:
        if old.question.id not in now_q and old.status in GAP_STATUSES:
            gone.append(_change(old, old.status, None))
    then = previous.answers
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
        no_longer_applies=not_applying,
        not_answered_now=unanswered,
        previous_setting=then.setting.name,
        previous_urn=then.setting.urn,
        previous_audit_date=then.audit_date.isoformat() if then.audit_date else None,
        previous_checklist_title=previous.checklist.title,
        incomplete=bool(current.unanswered or previous.unanswered),
        other_setting=difference or "",
    )
