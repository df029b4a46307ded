"""Starting or resuming an audit: the choices offered, what was picked, and the answer file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from safeaudit.checklists import available, load_entry
from safeaudit.errors import NotFound, SafeauditError, WrongChecklist
from safeaudit.model import Answers, Checklist, ChecklistRef, Setting, is_current
from safeaudit.questionnaire.parsing import InputProblem
from safeaudit.settings import SETTING_TYPES, setting_label

#: Kinds of provision beside the main type, as offered to users, in order.
PROVISION_CHOICES: tuple[tuple[str, str], ...] = (
    ("early-years", "Early years provision (a nursery or Reception class)"),
    ("sixth-form", "A sixth form"),
    ("boarding", "Boarding"),
)


def offer_order(checklist: Checklist) -> tuple[int, int, str]:
    """How checklists are offered: newest first, then the broadest (most areas), then by id."""
    return (-checklist.effective.toordinal(), -len(checklist.areas), checklist.id)


def current_checklists(setting_type: str, today: dt.date) -> list[Checklist]:
    """Checklists in force and not superseded on `today` for a setting type: newest first, then
    the broadest (most areas), so Enter takes the whole-school self-review, not a narrower one.

    Checklists that cannot be loaded are left out (`safeaudit checklists` reports them).
    """
    found: list[Checklist] = []
    for entry in available():
        try:
            checklist = load_entry(entry)
        except SafeauditError:
            continue
        if is_current(checklist, setting_type, today):
            found.append(checklist)
    return sorted(found, key=offer_order)


def parse_checklist_choice(raw: str, choices: Sequence[Checklist]) -> Checklist:
    """The checklist picked by number (Enter: the first) or by id from `current_checklists`."""
    text = raw.strip()
    if not text:
        return choices[0]
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1]
    for checklist in choices:
        if text == checklist.id:
            return checklist
    raise InputProblem(f"Press Enter for the first, or type a number from 1 to {len(choices)}.")


def setting_choices(checklist: Checklist | None = None) -> list[tuple[str, str]]:
    """(type, plain-English name) for each setting type the checklist covers (every type when
    no checklist is chosen yet), in order."""
    kinds = checklist.settings if checklist is not None else list(SETTING_TYPES)
    return [(kind, setting_label(kind)) for kind in kinds]


def parse_setting_choice(raw: str, choices: Sequence[tuple[str, str]]) -> str:
    """The setting type picked by number (or typed by id) from `setting_choices`."""
    text = raw.strip().lower()
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1][0]
    for kind, _label in choices:
        if text == kind:
            return kind
    raise InputProblem(f"Type a number from 1 to {len(choices)}.")


def asks_provision(checklist: Checklist) -> bool:
    """Whether any question depends on the setting's provision (so `run` should ask about it)."""
    return any(q.provision for _a, q in checklist.questions())


def parse_provision_choice(raw: str) -> list[str]:
    """Provision picked by numbers separated by spaces or commas (Enter for none)."""
    picked: list[str] = []
    for part in raw.replace(",", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= len(PROVISION_CHOICES):
            raise InputProblem(
                f"Type numbers from 1 to {len(PROVISION_CHOICES)} separated by spaces, or press "
                "Enter for none."
            )
        kind = PROVISION_CHOICES[int(part) - 1][0]
        if kind not in picked:
            picked.append(kind)
    return picked


def new_answers(
    checklist: Checklist,
    name: str,
    setting_type: str,
    urn: str | None,
    today: dt.date,
    provision: Sequence[str] = (),
) -> Answers:
    """A fresh answer file for one setting, with no answers yet."""
    if not name.strip():
        raise InputProblem("Type the name of your school, college or setting.")
    clean_urn = (urn or "").strip() or None
    if clean_urn is not None and not re.fullmatch(r"\d{6,8}", clean_urn):
        raise InputProblem(
            "A URN is the 6-digit number the DfE gives your setting (press Enter "
            "if you do not know it)."
        )
    return Answers(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        setting=Setting.model_validate(
            {
                "name": name.strip(),
                "type": setting_type,
                "urn": clean_urn,
                "provision": list(provision),
            }
        ),
        audit_date=today,
    )


def check_same_checklist(checklist: Checklist, answers: Answers, path: object) -> None:
    """Raise WrongChecklist if `answers` were made for another checklist or version."""
    ref = answers.checklist
    if ref.id != checklist.id:
        raise WrongChecklist(
            f"{path} holds answers to the checklist {ref.id} (version {ref.version}), not "
            f"{checklist.id} (version {checklist.version})"
        )
    if ref.version != checklist.version:
        raise WrongChecklist(
            f"{path} holds answers to {ref.id} version {ref.version}, but this checklist is "
            f"version {checklist.version}"
        )


def check_area(checklist: Checklist, area: str | None) -> None:
    """Raise NotFound, listing the area ids, if `area` is not one of the checklist's areas."""
    area_ids = [item.id for item in checklist.areas]
    if area is not None and area not in area_ids:
        raise NotFound(f"no area `{area}` in {checklist.id}; the areas are: {', '.join(area_ids)}")
