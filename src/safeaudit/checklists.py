"""Finding checklists (shipped, local or by path) and loading them as validated models."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from safeaudit.errors import NotFound, ValidationFailed
from safeaudit.loading import load_yaml
from safeaudit.model import Checklist
from safeaudit.suggest import did_you_mean
from safeaudit.validation import validate_document

#: Folders of extra checklists, separated like PATH (`:` on Linux and macOS, `;` on Windows).
PATH_VARIABLE = "SAFEAUDIT_CHECKLIST_PATH"


def _packaged(name: str) -> Path:
    """A data folder shipped in the wheel, or the top-level one in a source checkout."""
    installed = Path(str(resources.files("safeaudit"))) / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / name


def shipped_dir() -> Path:
    return _packaged("checklists")


def templates_dir() -> Path:
    return _packaged("report_templates")


def search_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    return [*extra, shipped_dir()]


@dataclass(frozen=True)
class ChecklistFile:
    id: str
    path: Path
    shipped: bool


def available() -> list[ChecklistFile]:
    """Every checklist file on the search path; an earlier folder wins for the same id."""
    found: dict[str, ChecklistFile] = {}
    shipped = shipped_dir()
    for folder in search_dirs():
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            found.setdefault(path.stem, ChecklistFile(path.stem, path, folder == shipped))
    return sorted(found.values(), key=lambda c: c.id)


def find_checklist(ref: str) -> Path:
    """The file for a checklist id or path, or NotFound with a suggestion."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or os.sep in ref or "/" in ref or path.is_file():
        return path
    ids = {c.id: c.path for c in available()}
    if ref in ids:
        return ids[ref]
    hint = did_you_mean(ref, ids, "; run `safeaudit checklists` to see them")
    raise NotFound(f"{ref}: no checklist with that id{hint}")


def load_checklist_file(path: Path, name: str | None = None) -> Checklist:
    """Load, validate and rule-check one checklist file; errors (not warnings) raise."""
    from safeaudit.lint import semantic_problems

    doc = load_yaml(path, name)
    if isinstance(doc.data, dict) and "extends" in doc.data:
        from safeaudit.overlay import load_overlay

        return load_overlay(doc, path)  # base + local changes: docs/overlays.md
    checklist = validate_document(doc, Checklist, "a checklist")
    errors = [p for p in semantic_problems(checklist, doc) if p.level == "error"]
    if errors:
        raise ValidationFailed("a checklist", errors)
    return checklist


def load_checklist(ref: str) -> Checklist:
    """Load a checklist by id (shipped or on SAFEAUDIT_CHECKLIST_PATH) or by path."""
    return load_checklist_file(find_checklist(ref))
