"""Overlays: a local checklist that `extends` another and adds, amends or leaves out questions.

An overlay names its base (`extends:`), has its own id, title and version, and holds only what
is local: new areas and questions, questions appended to inherited areas, local sources, extra
references, guidance and weights for inherited questions (`amend:`), and inherited questions
not used locally with a reason (`not_used:`). Resolving base + overlay gives an ordinary
Checklist, so every command works on it. The base file is never changed, so a new version of it
is picked up as it is. Format and rules: docs/overlays.md.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from safeaudit.errors import ValidationFailed
from safeaudit.loading import YamlDocument
from safeaudit.model import (
    Checklist,
    Question,
    Reference,
    Source,
)
from safeaudit.origin import Amended, LeftOut, LocalQuestion, OverlayOrigin
from safeaudit.suggest import did_you_mean
from safeaudit.validation import validate_document

#: The key that makes a checklist file an overlay.
EXTENDS = "extends"

# Problems found before there is anything to lint (documented in docs/overlays.md).
CODE_LOOP = "SA233"
CODE_BASE_MISSING = "SA234"


# --------------------------------------------------------------------------- the format


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class OverlayArea(_Strict):
    """A new area (with a title), or more questions for an inherited area (same id)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str | None = None
    description: str | None = None
    questions: list[Question] = Field(default_factory=list)


class Amendment(_Strict):
    """Local additions to an inherited question."""

    question: str
    #: Local guidance, shown after the question's own help.
    guidance: str = ""
    #: Extra references, usually to local sources; added after the inherited ones.
    references: list[Reference] = Field(default_factory=list)
    #: A local weight in place of the inherited one.
    weight: float | None = None


class NotUsed(_Strict):
    """An inherited question that is not used locally, and why (shown to governors)."""

    question: str
    reason: str

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if not value:
            raise ValueError(
                "needs words: say why the question is not used locally, as governors read it "
                "in the report"
            )
        return value


class Overlay(_Strict):
    """A checklist overlay file."""

    schema_: Annotated[str | None, Field(alias="$schema")] = None
    extends: str = Field(min_length=1)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    version: str
    #: Who maintains the overlay, as governors know them ("Westshire County Council"); reports
    #: say who left a question out or added guidance. Default: the overlay's title.
    publisher: str = ""
    effective: dt.date | None = None
    description: str = ""
    sources: dict[str, Source] = Field(default_factory=dict)
    areas: list[OverlayArea] = Field(default_factory=list)
    amend: list[Amendment] = Field(default_factory=list)
    not_used: list[NotUsed] = Field(default_factory=list)

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, populate_by_name=True
    )


def is_overlay(doc: YamlDocument) -> bool:
    """Whether a parsed checklist file is an overlay (it has a top-level `extends`)."""
    return isinstance(doc.data, dict) and EXTENDS in doc.data


# --------------------------------------------------------------------------- positions


@dataclass
class OverlayDocument(YamlDocument):
    """The resolved checklist's data, with positions that point into the overlay file.

    Lint rules and schema checks run on the resolved checklist; this maps each place in it back
    to where the overlay says it (or to the overlay's `extends:` line for inherited content).
    """

    # YamlDocument's own fields (it is a plain class, not a dataclass), first as before.
    name: str
    data: Any
    root: yaml.Node
    source: YamlDocument = field(default=None)  # type: ignore[assignment]
    overlay: Overlay = field(default=None)  # type: ignore[assignment]
    base: Checklist = field(default=None)  # type: ignore[assignment]
    #: Resolved area index -> index of the overlay's entry for that area.
    area_map: dict[int, int] = field(default_factory=dict)
    #: (resolved area, question) -> overlay location of the question or its amendment.
    question_map: dict[tuple[int, int], tuple[str | int, ...]] = field(default_factory=dict)
    #: Resolved question id -> number of references it inherited.
    inherited_refs: dict[str, int] = field(default_factory=dict)

    def overlay_loc(self, loc: Sequence[str | int]) -> tuple[str | int, ...]:
        """Where in the overlay file a place in the resolved checklist comes from."""
        inherited: tuple[str | int, ...] = (EXTENDS,)
        if not loc:
            return ()
        head = loc[0]
        if head == "areas" and len(loc) >= 2 and isinstance(loc[1], int):
            ai = loc[1]
            if len(loc) >= 4 and loc[2] == "questions" and isinstance(loc[3], int):
                target = self.question_map.get((ai, loc[3]))
                if target is None:
                    return inherited
                if target[0] == "areas":
                    return (*target, *loc[4:])
                return self._amendment_loc(target, loc[4:])
            if ai in self.area_map and (len(loc) == 2 or loc[2] in ("id", "title", "questions")):
                return ("areas", self.area_map[ai], *loc[2:])
            return inherited
        if head == "sources":
            return tuple(loc) if len(loc) > 1 and loc[1] in self.overlay.sources else inherited
        if isinstance(self.source.data, dict) and head in self.source.data:
            return tuple(loc)
        return inherited

    def _amendment_loc(
        self, target: tuple[str | int, ...], rest: Sequence[str | int]
    ) -> tuple[str | int, ...]:
        index = target[1]
        assert isinstance(index, int)
        amendment = self.overlay.amend[index]
        if rest and rest[0] == "weight" and amendment.weight is not None:
            return (*target, "weight")
        if rest and rest[0] == "help" and amendment.guidance:
            return (*target, "guidance")
        if rest and rest[0] == "references" and amendment.references:
            inherited = self.inherited_refs.get(amendment.question, 0)
            if len(rest) > 1 and isinstance(rest[1], int) and rest[1] >= inherited:
                return (*target, "references", rest[1] - inherited, *rest[2:])
        return target

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        mapped = self.overlay_loc(loc)
        return self.source.position(mapped, key=key and mapped == tuple(loc))


# --------------------------------------------------------------------------- resolving


@dataclass
class Resolution:
    """An overlay resolved against its base, before the ordinary rules are applied."""

    checklist: Checklist
    doc: OverlayDocument


def _loop_error(doc: YamlDocument, message: str) -> ValidationFailed:
    return ValidationFailed("a checklist overlay", [doc.problem((EXTENDS,), CODE_LOOP, message)])


class Bases(Protocol):
    """Where an overlay's base is found and loaded: the catalogue (`checklists.CATALOGUE`).

    Passed in, so that resolving an overlay does not import the catalogue that uses it.
    """

    def ids(self) -> Mapping[str, Path]:
        """The file of every checklist id the catalogue knows."""
        ...  # pragma: no cover

    def load(self, path: Path, chain: tuple[Path, ...]) -> Checklist:
        """A checklist file (itself perhaps an overlay) loaded and checked in full."""
        ...  # pragma: no cover


def _is_path(ref: str) -> bool:
    """Whether `extends` names a file (relative to the overlay) rather than a checklist id."""
    return ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref


def base_path(overlay: Overlay, path: Path, doc: YamlDocument, bases: Bases) -> Path:
    """The file an overlay extends: a path relative to the overlay, or a checklist id."""
    ref = overlay.extends
    if _is_path(ref):
        candidate = (path.parent / ref) if not Path(ref).is_absolute() else Path(ref)
        if candidate.is_file():
            return candidate
        raise ValidationFailed(
            "a checklist overlay",
            [
                doc.problem(
                    (EXTENDS,),
                    CODE_BASE_MISSING,
                    f"extends `{ref}`, but there is no such file next to the overlay "
                    f"({candidate}); check the path",
                )
            ],
        )
    if ref == overlay.id:
        raise _loop_error(
            doc, f"extends `{ref}`, which is this overlay's own id; an overlay cannot extend itself"
        )
    ids = bases.ids()
    if ref not in ids:
        hint = did_you_mean(ref, ids, "; run `safeaudit checklists`")
        raise ValidationFailed(
            "a checklist overlay",
            [
                doc.problem(
                    (EXTENDS,),
                    CODE_BASE_MISSING,
                    f"extends `{ref}`, but no checklist has that id{hint}",
                )
            ],
        )
    return ids[ref]


def resolve(
    doc: YamlDocument, path: Path, bases: Bases, chain: tuple[Path, ...] = ()
) -> Resolution:
    """Validate an overlay, load its base and combine them; raise for unusable overlays.

    Entries that no longer match the base are skipped here and reported by the lint rules.
    """
    overlay = validate_document(doc, Overlay, "a checklist overlay")
    here = path.resolve()
    chain = (*chain, here)
    found = base_path(overlay, path, doc, bases)
    if found.resolve() in chain:
        names = " → ".join(p.name for p in (*chain, found.resolve()))
        raise _loop_error(
            doc, f"extends `{overlay.extends}`, which leads back to this file ({names})"
        )
    base = bases.load(found, chain)
    if not _is_path(overlay.extends) and base.id != overlay.extends:
        message = (
            f"extends `{overlay.extends}`, but the file {found} holds the checklist "
            f"`{base.id}`; a checklist is found by its file name, so rename that file "
            f"{base.id}{found.suffix} and extend `{base.id}`"
        )
        raise ValidationFailed(
            "a checklist overlay", [doc.problem((EXTENDS,), CODE_BASE_MISSING, message)]
        )
    return combine(doc, overlay, base)


def combine(doc: YamlDocument, overlay: Overlay, base: Checklist) -> Resolution:
    """Base + overlay as plain data, plus the map from resolved places to overlay places."""
    data = base.model_dump(mode="python", by_alias=True, exclude_defaults=True)
    data.pop("$schema", None)
    data["id"], data["title"], data["version"] = overlay.id, overlay.title, overlay.version
    if overlay.effective is not None:
        data["effective"] = overlay.effective
    if overlay.description:
        data["description"] = overlay.description
    raw: dict[str, Any] = doc.data
    data["sources"] = {**data.get("sources", {}), **(raw.get("sources") or {})}

    not_used = first_entries(overlay)[1]
    amendments = {entry.question: i for i, entry in reversed(list(enumerate(overlay.amend)))}
    inherited_refs = {q.id: len(q.references) for q in base.question_index().values()}
    raw_areas: list[dict[str, Any]] = list(raw.get("areas") or [])
    base_area_ids = [area.id for area in base.areas]

    areas: list[dict[str, Any]] = []
    area_map: dict[int, int] = {}
    question_map: dict[tuple[int, int], tuple[str | int, ...]] = {}
    for area in data["areas"]:
        kept: list[dict[str, Any]] = []
        for question in area["questions"]:
            qid = question["id"]
            if qid in not_used:
                continue
            if qid in amendments:
                _amend(question, overlay.amend[amendments[qid]])
                question_map[(len(areas), len(kept))] = ("amend", amendments[qid])
            kept.append(question)
        area["questions"] = kept
        areas.append(area)
    for oi, entry in enumerate(overlay.areas):
        raw_entry = raw_areas[oi]
        if entry.id in base_area_ids:
            ai = base_area_ids.index(entry.id)
            target = areas[ai]
            if entry.title is not None:
                target["title"] = raw_entry["title"]
            if entry.description is not None:
                target["description"] = raw_entry["description"]
        elif entry.title is None:
            continue  # an inherited area that is no longer in the base: lint reports it
        else:
            ai = len(areas)
            target = {"id": entry.id, "title": raw_entry["title"], "questions": []}
            if entry.description is not None:
                target["description"] = raw_entry["description"]
            areas.append(target)
        area_map[ai] = oi
        for oqi, question in enumerate(raw_entry.get("questions") or []):
            question_map[(ai, len(target["questions"]))] = ("areas", oi, "questions", oqi)
            target["questions"].append(question)
    data["areas"] = areas

    resolved_doc = OverlayDocument(
        name=doc.name,
        data=data,
        root=doc.root,
        source=doc,
        overlay=overlay,
        base=base,
        area_map=area_map,
        question_map=question_map,
        inherited_refs=inherited_refs,
    )
    checklist = validate_document(resolved_doc, Checklist, "a checklist")
    checklist._origin = origin(overlay, base, checklist)
    return Resolution(checklist, resolved_doc)


def first_entries(overlay: Overlay) -> tuple[dict[str, Amendment], dict[str, str]]:
    """The `amend` entries and `not_used` reasons by question; where a question is listed
    twice the first entry counts (lint SA231 reports the others)."""
    changes: dict[str, Amendment] = {}
    for entry in overlay.amend:
        changes.setdefault(entry.question, entry)
    reasons: dict[str, str] = {}
    for item in overlay.not_used:
        reasons.setdefault(item.question, item.reason)
    return changes, reasons


def origin(overlay: Overlay, base: Checklist, resolved: Checklist) -> OverlayOrigin:
    """What the overlay (and any overlay its base is) added, left out and changed, for reports.

    Entries naming a question the base does not have change nothing, so they are not listed
    (lint reports them: SA231).
    """
    by, by_id = overlay.publisher or overlay.title, overlay.id
    changes, reasons = first_entries(overlay)
    earlier = base.origin
    left_out = list(earlier.left_out) if earlier else []
    amended = [a for a in earlier.amended if a.question not in reasons] if earlier else []
    for area, question in base.questions():
        if question.id in reasons:
            left_out.append(
                LeftOut(
                    question=question.id,
                    text=question.text,
                    area=area.title,
                    reason=reasons[question.id],
                    by=by,
                    by_id=by_id,
                )
            )
        elif question.id in changes:
            change = changes[question.id]
            weight = change.weight if change.weight not in (None, question.weight) else None
            if not (change.guidance or change.references or weight is not None):
                continue  # the same weight again: nothing changed
            amended.append(
                Amended(
                    question=question.id,
                    guidance=change.guidance,
                    weight=weight,
                    base_weight=question.weight if weight is not None else None,
                    references=len(change.references),
                    by=by,
                    by_id=by_id,
                )
            )
    inherited = base.question_index()
    earlier_added = {item.question: item for item in earlier.added} if earlier else {}
    added = [
        earlier_added.get(question.id) or LocalQuestion(question=question.id, by=by, by_id=by_id)
        for _, question in resolved.questions()
        if question.id not in inherited or question.id in earlier_added
    ]
    return OverlayOrigin(
        base_id=base.id,
        base_version=base.version,
        base_title=base.title,
        left_out=left_out,
        amended=amended,
        added=added,
    )


def _amend(question: dict[str, Any], amendment: Amendment) -> None:
    if amendment.guidance:
        local = f"Local guidance: {amendment.guidance}"
        question["help"] = f"{question['help']}\n\n{local}" if question.get("help") else local
    if amendment.references:
        extra = [ref.model_dump(exclude_defaults=True) for ref in amendment.references]
        question["references"] = [*question.get("references", []), *extra]
    if amendment.weight is not None:
        question["weight"] = amendment.weight
