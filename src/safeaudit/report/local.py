"""What an overlay changed in the checklist an audit used, as every report shows it.

An overlay (docs/overlays.md) can leave inherited questions out and add local guidance or a
local weight to others. Governors need to see both: what their local authority or trust left
out, and why, and where the questions they read carry local words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from safeaudit.model import Checklist
from safeaudit.origin import Amended, LeftOut

#: The labels of the kinds of local note.
GUIDANCE = "Local guidance"
WEIGHT = "Local weight"
ADDED = "Local question"


def _weight(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class LocalNote:
    """One local change to a question, as a label and words: ("Local guidance", "...")."""

    label: str
    text: str
    #: "added by Westshire County Council"
    by: str


@dataclass(frozen=True)
class LocalChanges:
    """An overlay's changes to the checklist it builds on, ready for the templates."""

    base_id: str
    base_title: str
    base_version: str
    #: Who made the changes (an overlay's publisher, else its title), in order, once each.
    by: list[str]
    left_out: list[LeftOut]
    #: Question id -> its local changes (a local question is marked as one).
    notes: dict[str, list[LocalNote]] = field(default_factory=dict)
    #: The questions the overlays added, and the inherited ones they gave guidance or a weight.
    added: list[str] = field(default_factory=list)
    amended: list[str] = field(default_factory=list)

    @property
    def by_text(self) -> str:
        return " and ".join(self.by)

    @property
    def summary(self) -> str:
        """One plain sentence for the top of a report or the terminal."""
        left, added = len(self.left_out), len(self.added)
        guided = sum(any(n.label == GUIDANCE for n in notes) for notes in self.notes.values())
        weighted = sum(any(n.label == WEIGHT for n in notes) for notes in self.notes.values())
        parts = []
        if left:
            parts.append(f"left out {left} of its questions")
        if added:
            parts.append(f"added {added} local question{'s' * (added != 1)}")
        if guided:
            parts.append(f"gave local guidance to {guided}")
        if weighted:
            parts.append(f"changed the weight of {weighted}")
        base = f"{self.base_title}, version {self.base_version}"
        if not parts:
            return f"Builds on {base}; none of its questions is left out."
        listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        return f"Builds on {base}; {self.by_text} {listed}."


def amended_notes(item: Amended) -> list[LocalNote]:
    """The local guidance and local weight one overlay gave an inherited question."""
    notes = []
    if item.guidance:
        notes.append(LocalNote(GUIDANCE, item.guidance, f"added by {item.by}"))
    if item.weight is not None and item.base_weight is not None:
        notes.append(
            LocalNote(
                WEIGHT,
                f"{_weight(item.weight)} (the checklist it builds on gives "
                f"{_weight(item.base_weight)})",
                f"set by {item.by}",
            )
        )
    return notes


def local_changes(checklist: Checklist) -> LocalChanges | None:
    """The overlay's changes, or None when the checklist is not an overlay."""
    origin = checklist.origin
    if origin is None:
        return None
    everyone = [
        *(item.by for item in origin.left_out),
        *(item.by for item in origin.added),
        *(item.by for item in origin.amended),
    ]
    by = list(dict.fromkeys(everyone))
    notes: dict[str, list[LocalNote]] = {}
    for local in origin.added:
        text = f"Not in {origin.base_title or origin.base_id}"
        notes[local.question] = [LocalNote(ADDED, text, f"added by {local.by}")]
    amended = []
    for item in origin.amended:
        found = amended_notes(item)
        if found:
            notes.setdefault(item.question, []).extend(found)
            amended.append(item.question)
    return LocalChanges(
        base_id=origin.base_id,
        base_title=origin.base_title or origin.base_id,
        base_version=origin.base_version,
        by=by,
        left_out=list(origin.left_out),
        notes=notes,
        added=[local.question for local in origin.added],
        amended=list(dict.fromkeys(amended)),
    )


def question_marks(local: LocalChanges | None) -> dict[str, str]:
    """Question id -> its local changes in a few words, for the CSV and workbook columns
    ("Local question (added by Westshire County Council)"); empty for a plain checklist."""
    if local is None:
        return {}
    return {
        question: "; ".join(f"{note.label} ({note.by})" for note in notes)
        for question, notes in local.notes.items()
    }


def as_json(checklist: Checklist) -> dict[str, Any] | None:
    """The overlay's changes for the JSON output (docs/json-output.md), or None."""
    origin = checklist.origin
    if origin is None:
        return None
    return {
        "base": {
            "id": origin.base_id,
            "title": origin.base_title or origin.base_id,
            "version": origin.base_version,
        },
        "left_out": [item.model_dump() for item in origin.left_out],
        "amended": [item.model_dump() for item in origin.amended],
        "added": [item.model_dump() for item in origin.added],
    }
