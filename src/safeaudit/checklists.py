"""Finding checklists (shipped, local or by path) and loading them as validated models."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from safeaudit.errors import NotFound, SafeauditError, ValidationFailed
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
    """Every checklist file on the search path; an earlier folder wins for the same id.

    Only ordinary files count: a named pipe, device or link to nothing is never opened.
    """
    found: dict[str, ChecklistFile] = {}
    shipped = shipped_dir()
    for folder in search_dirs():
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            if path.is_file():
                found.setdefault(path.stem, ChecklistFile(path.stem, path, folder == shipped))
    return sorted(found.values(), key=lambda c: c.id)


def not_files() -> list[Path]:
    """Names on the search path that look like checklists but are not ordinary files."""
    return [
        path
        for folder in search_dirs()
        if folder.is_dir()
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
        if not path.is_file() and not path.is_dir()
    ]


@dataclass(frozen=True)
class Heading:
    """What `safeaudit checklists` shows of a checklist, read from the top of its file."""

    id: str
    version: str
    title: str


#: The keys a listing needs; checklists put them at the top, so reading stops there.
_HEADING_KEYS = ("id", "version", "title")


#: How much of a checklist file the listing reads first; the heading is nearly always in it.
_HEAD_BYTES = 16 * 1024


def _head(path: Path) -> str:
    """The first lines of a file (up to _HEAD_BYTES), checked as the loader checks it."""
    from safeaudit.loading import decode_text, read_ordinary_file, read_text

    try:
        data = read_ordinary_file(path, str(path), _HEAD_BYTES)
    except OSError:
        return read_text(path)  # the loader's own message for it
    if len(data) < _HEAD_BYTES:
        return decode_text(data, str(path))
    cut = data.rfind(b"\n") + 1
    try:
        return decode_text(data[:cut] if cut else data, str(path))
    except SafeauditError:
        return read_text(path)


def _full_heading(path: Path) -> Heading:
    """The heading of a checklist whose id, version or title come after the first part."""
    from safeaudit.loading import load_yaml

    data = load_yaml(path).data
    heading = {k: data.get(k) if isinstance(data, dict) else None for k in _HEADING_KEYS}
    missing = [name for name in _HEADING_KEYS if not isinstance(heading[name], str | int | float)]
    if missing:
        from safeaudit.errors import LoadError
        from safeaudit.problems import Problem

        raise LoadError(
            Problem(
                str(path),
                0,
                0,
                "SA103",
                f"has no `{missing[0]}`; check it with `safeaudit lint {path}`",
            )
        )
    return Heading(str(heading["id"]), str(heading["version"]), str(heading["title"]))


def read_heading(path: Path) -> Heading:
    """The id, version and title of a checklist file, without reading its questions.

    Listing thousands of checklists stays quick; the whole file is checked when it is used
    (or by `safeaudit lint`). Raises a SafeauditError when the heading cannot be found.
    """
    import yaml

    from safeaudit.errors import LoadError
    from safeaudit.loading import _Loader
    from safeaudit.problems import Problem

    text = _head(path)
    found: dict[str, str] = {}
    depth = 0
    key: str | None = None
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth == 1 and isinstance(event, yaml.SequenceStartEvent):
                    break  # a list, not a checklist: reported as having no heading
                if depth == 2:
                    key = None  # a nested value: skip it
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                if depth == 0:
                    break
            elif isinstance(event, yaml.ScalarEvent) and depth == 1:
                if key is None:
                    key = event.value
                else:
                    if key in _HEADING_KEYS:
                        found.setdefault(key, event.value)
                    key = None
                    if len(found) == len(_HEADING_KEYS):
                        break
            elif isinstance(event, yaml.AliasEvent) and depth == 1:
                key = None if key is not None else ""
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise LoadError(Problem(str(path), line, 0, "SA005", "is not valid YAML")) from None
    if len(found) < len(_HEADING_KEYS) and len(text) >= _HEAD_BYTES // 2:
        return _full_heading(path)
    missing = [name for name in _HEADING_KEYS if not found.get(name)]
    if missing:
        raise LoadError(
            Problem(
                str(path),
                0,
                0,
                "SA103",
                f"has no `{missing[0]}` at the top; check it with `safeaudit lint {path}`",
            )
        )
    return Heading(found["id"], found["version"], found["title"])


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


def load_checklist_id(checklist_id: str) -> Checklist:
    """Load a checklist by id only, as named inside an answer file: never opened as a path."""
    ids = {c.id: c.path for c in available()}
    if checklist_id not in ids:
        hint = did_you_mean(checklist_id, ids, "; run `safeaudit checklists` to see them")
        raise NotFound(f"{checklist_id}: no checklist with that id{hint}")
    return load_checklist_file(ids[checklist_id])
