"""Pydantic models for checklists and answer files: the shapes safeaudit reads and writes."""

# No `from __future__ import annotations` here: pydantic turns every text annotation back into
# a type when it creates a model class, some 90 on every run that reads a file (issue 17).

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from safeaudit.frozen import Frozen
from safeaudit.settings import SETTING_TYPES
from safeaudit.strict import Strict as _Strict
from safeaudit.strict import no_entries as _no_entries
from safeaudit.strict import no_items as _no_items

if TYPE_CHECKING:  # defined apart, for the few checklists made from an overlay
    from safeaudit.origin import OverlayOrigin


def _not_a_number(value: object) -> object:
    # pydantic would read 0 as 1970-01-01 (seconds since 1970); people never mean that.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("should be a real date written as YYYY-MM-DD")
    return value


#: A date (or date and time) that must be written as one, never as a number.
Day = Annotated[dt.date, BeforeValidator(_not_a_number)]
Moment = Annotated[dt.datetime, BeforeValidator(_not_a_number)]

Severity = Literal["statutory", "expected", "recommended"]
Kind = Literal["yes-partial-no", "level", "choice", "date", "number", "text"]
YesPartialNo = Literal["yes", "partial", "no"]
#: Kinds of provision a setting may have beside its main type, which bring extra duties.
Provision = Literal["early-years", "sixth-form", "boarding"]

#: The value an answer takes when a question does not apply; it must carry a reason.
NOT_APPLICABLE = "n/a"

SEVERITY_ORDER: dict[str, int] = {"statutory": 0, "expected": 1, "recommended": 2}


# --------------------------------------------------------------------------- checklists


class Source(_Strict):
    """A document the checklist cites, declared once and referred to by id."""

    title: str
    publisher: str = ""
    year: int | None = None
    url: str = ""
    status: Literal["in-force", "draft", "legacy", "superseded"] = "in-force"
    #: statutory = law or statutory guidance; standard = DfE standards and Ofsted
    #: expectations; guidance = good practice. Lint checks statutory questions cite a
    #: statutory source.
    legal_status: Literal["statutory", "standard", "guidance"] = "guidance"
    #: For a statutory source: the setting types (and kinds of provision: `early-years`,
    #: `sixth-form`, `boarding`) it binds. Left out, it binds every setting the checklist
    #: covers; `[]` means statutory, but for none of them (a code for online services, say).
    statutory_for: list[str] | None = None


class Reference(_Strict):
    """Where in a source a question comes from: a paragraph or a section."""

    source: str
    para: str | None = None
    section: str | None = None
    approximate: bool = False
    note: str = ""
    #: For this citation only, the settings the cited passage binds, in place of the source's
    #: `statutory_for` (a passage on maintained nursery schools in guidance for schools, say);
    #: `note` says why.
    statutory_for: list[str] | None = None

    @field_validator("para", "section", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        # "para: 141" is natural YAML; keep paragraph numbers as text.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value


class Condition(_Strict):
    """Ask a question only when an earlier question was answered a certain way."""

    question: str
    is_: Annotated[str | list[str], Field(alias="is")]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def values(self) -> tuple[str, ...]:
        return (self.is_,) if isinstance(self.is_, str) else tuple(self.is_)


class Choice(_Strict):
    """One option of a `choice` question and the fraction of the weight it earns."""

    value: str
    label: str
    score: Annotated[float, Field(ge=0, le=1)]


class Question(_Strict):
    """One thing an inspector would expect to see, phrased as a question."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
    text: str
    help: str = ""
    kind: Kind = "yes-partial-no"
    severity: Severity
    #: A critical question can stop a "met" verdict whatever its severity: anything short of
    #: fully met (docs/scoring.md). Used for the few items whose failure alone leaves children
    #: unsafe, such as blocking illegal content.
    critical: bool = False
    weight: float = 1
    applies_to: list[str] | None = None
    #: Also applies to a setting that has one of these kinds of provision, whatever its type
    #: (a primary school with a Reception class has `early-years` provision).
    provision: list[Provision] | None = None
    when: Condition | None = None
    evidence: str
    action: str
    references: list[Reference]
    replaces: list[str] = Field(default_factory=_no_items)
    #: The requirement this question checks, shared by questions in different checklists that
    #: check the same thing; they must agree on severity and `critical` (lint SA222).
    requirement: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    #: Who can find out when the setting cannot know the answer itself (a technical question,
    #: such as what the filtering blocks): "your IT or filtering provider". It offers the answer
    #: `dont-know`, which is not met and becomes an action to ask them.
    dont_know: str | None = None
    #: `level` questions: a description for each level 1 to 5.
    levels: dict[int, str] | None = None
    #: `choice` questions: the options.
    options: list[Choice] | None = None
    #: `date` questions: how old the date may be, in months, or "academic-year" for
    #: "on or after 1 September of the current academic year".
    max_age: int | Literal["academic-year"] | None = None
    #: `number` questions: the value that earns full marks; without it the number is
    #: recorded but not scored.
    target: float | None = None

    @property
    def scored(self) -> bool:
        """Whether the answer earns part of the score (text and target-less numbers do not)."""
        if self.kind == "text":
            return False
        return not (self.kind == "number" and self.target is None)

    @property
    def na_allowed(self) -> bool:
        """Whether the setting may answer `n/a`: never for a statutory or a critical question,
        whose absence the checklist's `applies_to` and `when` must say instead."""
        return self.severity != "statutory" and not self.critical

    def applies_to_setting(self, setting: str, default: list[str]) -> bool:
        return setting in (self.applies_to if self.applies_to is not None else default)


class Area(_Strict):
    """A group of questions, such as filtering or staff training."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str = ""
    questions: list[Question]


class ChecklistSource(Frozen):
    """Where a loaded checklist came from, so a report can name the exact file it used.

    Made by the loader from values it computed, never read from a file, so a plain record
    rather than a model or a named tuple: cheaper to define on every run (issue 17)."""

    __slots__ = _fields = ("file", "sha256", "shipped", "shadows_shipped")

    #: The file's name (without its folder, so reports do not reveal local paths).
    file: str
    #: SHA-256 of the file's bytes, in hex.
    sha256: str
    #: Whether it is one of the checklists shipped with safeaudit.
    shipped: bool
    #: Whether it stands in for a shipped checklist with the same id (SAFEAUDIT_CHECKLIST_PATH).
    shadows_shipped: bool

    def __init__(
        self, file: str, sha256: str, shipped: bool, shadows_shipped: bool = False
    ) -> None:
        self._assign(file, sha256, shipped, shadows_shipped)


class Checklist(_Strict):
    """A versioned set of areas and questions drawn from cited sources."""

    schema_: Annotated[str | None, Field(alias="$schema")] = None
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    version: str
    effective: Day
    description: str = ""
    #: The id of the checklist that replaces this one, and the date it does so from; a
    #: checklist with `superseded_by` is kept for comparison with past audits.
    superseded_by: str | None = None
    superseded_from: Day | None = None
    sources: dict[str, Source]
    settings: list[str] = Field(default_factory=lambda: list(SETTING_TYPES))
    areas: list[Area]

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, populate_by_name=True
    )

    #: Set when the checklist was resolved from an overlay (`extends:`); not part of the format.
    _origin: "OverlayOrigin | None" = PrivateAttr(default=None)
    #: The file the checklist was read from, set by the loader; not part of the format.
    _source: ChecklistSource | None = PrivateAttr(default=None)

    @property
    def source(self) -> ChecklistSource | None:
        """The file this checklist came from and its SHA-256, or None if not read from one."""
        return self._source

    @property
    def origin(self) -> "OverlayOrigin | None":
        """The base checklist of an overlay, or None for a plain checklist."""
        return self._origin

    def questions(self) -> list[tuple[Area, Question]]:
        """Every question with its area, in checklist order."""
        return [(area, q) for area in self.areas for q in area.questions]

    def question_index(self) -> dict[str, Question]:
        return {q.id: q for area in self.areas for q in area.questions}


class CachedChecklist(_Strict):
    """A validated checklist as kept in the cache folder (checklists.py), checked on every read."""

    #: The cache format and safeaudit version that wrote it, and the key it was stored under.
    format: int
    safeaudit: str
    key: str
    checklist: Checklist
    #: For a checklist resolved from an overlay, where it came from, as origin.OverlayOrigin
    #: stores it: validated as that (checklists.py) only when there is one, so reading a plain
    #: checklist never defines or builds the overlay models (issue 17).
    origin: dict[str, Any] | None = None


# --------------------------------------------------------------------------- answers


class Setting(_Strict):
    """The school, college or early-years setting being audited."""

    name: str
    type: str
    urn: str | None = None
    #: Provision beside the main type: a Reception or nursery class, a sixth form, boarding.
    provision: list[Provision] = Field(default_factory=_no_items)

    @field_validator("urn", mode="before")
    @classmethod
    def _urn_as_text(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in SETTING_TYPES:
            raise ValueError(f"setting type must be one of: {', '.join(SETTING_TYPES)}")
        return value


AnswerValue = str | int | float | dt.date


class Answer(_Strict):
    """One answer: the value plus what backs it up and who acts on it."""

    value: AnswerValue | None = None
    reason: str = ""
    evidence: str = ""
    note: str = ""
    owner: str = ""
    due: Day | None = None
    answered_at: Moment | None = None
    answered_by: str = ""
    review: bool = False

    @model_validator(mode="after")
    def _na_needs_reason(self) -> "Answer":
        if self.value == NOT_APPLICABLE and not self.reason:
            raise ValueError('an answer of "n/a" needs a reason: add `reason: ...`')
        return self


class SignOff(_Strict):
    """A review of the whole audit by a named person, with a fingerprint of what they saw."""

    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    date: Day
    #: SHA-256 of the answers' content when signed off (see safeaudit.signoff).
    fingerprint: str
    #: A short checksum of each answer signed off, so later changes can be listed by id.
    questions: dict[str, str] = Field(default_factory=_no_entries)


class ChecklistRef(_Strict):
    """Which checklist (and version) an answer file was made against."""

    id: str
    version: str


class Answers(_Strict):
    """One audit of one setting against one checklist version."""

    checklist: ChecklistRef
    setting: Setting
    audit_date: Day | None = None
    completed_by: str = ""
    answers: dict[str, Answer] = Field(default_factory=_no_entries)
    #: Sign-offs by governors or leaders, oldest first (`safeaudit signoff`).
    signoffs: list[SignOff] = Field(default_factory=_no_items)

    @field_validator("answers", mode="before")
    @classmethod
    def _short_answers(cls, value: object) -> object:
        # A template leaves `answers:` or single answers empty (None): unanswered.
        # `question-id: yes` is shorthand for `question-id: {value: yes}`.
        if value is None:
            return {}
        if not isinstance(value, dict):
            return value
        expanded: dict[object, object] = {}
        for key, item in value.items():
            if item is None:
                continue
            expanded[key] = item if isinstance(item, dict) else {"value": item}
        return expanded


# --------------------------------------------------------------------------- life cycle


class LifeCycle(Protocol):
    """What the life-cycle rules read: a Checklist, or a listing of one made without its questions."""

    @property
    def effective(self) -> dt.date: ...
    @property
    def settings(self) -> Sequence[str]: ...
    @property
    def superseded_by(self) -> str | None: ...
    @property
    def superseded_from(self) -> dt.date | None: ...


def superseded_before(checklist: LifeCycle, day: dt.date) -> bool:
    """Whether `checklist` had been superseded by `day` (no date given: it has been)."""
    if checklist.superseded_by is None:
        return False
    return checklist.superseded_from is None or checklist.superseded_from <= day


def is_current(checklist: LifeCycle, setting_type: str | None, day: dt.date) -> bool:
    """Whether `checklist` is in force on `day` and not superseded (for a setting type, if given)."""
    if setting_type is not None and setting_type not in checklist.settings:
        return False
    return checklist.effective <= day and not superseded_before(checklist, day)
