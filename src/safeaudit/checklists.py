"""Finding checklists (shipped, local or by path) and loading them as validated models."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from safeaudit.errors import LoadError, NotFound, SafeauditError, ValidationFailed, warn
from safeaudit.loading import YamlDocument, _Loader, load_yaml, read_text
from safeaudit.model import Checklist, ChecklistSource, is_current
from safeaudit.overlay import is_overlay, resolve
from safeaudit.problems import Problem
from safeaudit.rules import semantic_problems
from safeaudit.settings import SETTING_TYPES
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
class Listing:
    """What `safeaudit checklists` shows of a checklist, read without reading its questions."""

    id: str
    version: str
    title: str
    effective: dt.date
    settings: tuple[str, ...]
    superseded_by: str | None = None
    superseded_from: dt.date | None = None

    def is_current(self, setting_type: str, day: dt.date) -> bool:
        """In force on `day` for the setting type, and not replaced (one rule: model.is_current)."""
        return is_current(self, setting_type, day)


#: Top-level keys a listing needs; `settings` is a list of setting types.
_LISTING_KEYS = ("id", "version", "title", "effective", "superseded_by", "superseded_from")


def _listing_problem(path: Path, code: str, message: str, line: int = 0) -> SafeauditError:
    return LoadError(Problem(str(path), line, 0, code, message))


def _key_line(text: str, key: str, start: int) -> bool:
    """Whether a line after `start` begins with `key:` (a top-level key), found quickly."""
    at = text.find("\n" + key, start)
    while at >= 0:
        rest = text[at + 1 + len(key) : at + 1 + len(key) + 200].lstrip(" \t")
        if rest.startswith(":"):
            return True
        at = text.find("\n" + key, at + 1)
    return False


def _top_level(text: str, path: Path) -> tuple[dict[str, str], list[str] | None, bool]:
    """Top-level scalars, the `settings` list and whether it `extends` another checklist.

    Reads YAML events and stops at `areas` (the questions, nearly all of the file) unless a
    key still wanted is written after it; nested values are skipped, never built.
    """
    found: dict[str, str] = {}
    settings: list[str] | None = None
    extends = False
    depth = 0
    key: str | None = None
    in_settings = False
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth == 1 and isinstance(event, yaml.SequenceStartEvent):
                    break  # a list, not a checklist: reported as having no id
                if depth == 2:
                    in_settings = key == "settings" and isinstance(event, yaml.SequenceStartEvent)
                    if in_settings:
                        settings = []
                    key = None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                in_settings = in_settings and depth >= 2
                if depth == 0:
                    break
            elif isinstance(event, yaml.ScalarEvent) and depth == 2 and in_settings:
                assert settings is not None
                settings.append(event.value)
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)) and depth == 1:
                if key is None:
                    key = event.value if isinstance(event, yaml.ScalarEvent) else ""
                    extends = extends or key == "extends"
                    if key == "areas":
                        seen = {*found, *(["settings"] if settings is not None else [])}
                        later = [
                            k for k in (*_LISTING_KEYS, "settings", "extends") if k not in seen
                        ]
                        start = event.start_mark.index if event.start_mark else 0
                        if not any(_key_line(text, k, start) for k in later):
                            break  # nothing wanted comes after the questions
                else:
                    if key in _LISTING_KEYS and isinstance(event, yaml.ScalarEvent):
                        found.setdefault(key, event.value)
                    key = None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        hint = f"; check it with `safeaudit lint {path}`"
        raise _listing_problem(path, "SA005", "is not valid YAML" + hint, line) from None
    return found, settings, extends


def read_listing(path: Path) -> Listing:
    """The id, version, title, dates and setting types of a checklist, without its questions.

    Listing thousands of checklists stays quick; the whole file is checked when it is used
    (or by `safeaudit lint`). An overlay (`extends`) is loaded in full, as it takes most of
    this from the checklist it extends. Raises a SafeauditError when something is missing.
    """
    found, settings, extends = _top_level(read_text(path), path)
    if extends:
        checklist = load_checklist_file(path)
        return Listing(
            checklist.id,
            checklist.version,
            checklist.title,
            checklist.effective,
            tuple(checklist.settings),
            checklist.superseded_by,
            checklist.superseded_from,
        )
    hint = f"; check it with `safeaudit lint {path}`"
    for name in ("id", "version", "title", "effective"):
        if not found.get(name):
            raise _listing_problem(path, "SA103", f"has no `{name}`{hint}")
    dates: dict[str, dt.date | None] = {}
    for name in ("effective", "superseded_from"):
        try:
            dates[name] = dt.date.fromisoformat(found[name]) if found.get(name) else None
        except ValueError:
            message = f"`{name}` should be a date written as YYYY-MM-DD{hint}"
            raise _listing_problem(path, "SA104", message) from None
    effective = dates["effective"]
    assert effective is not None
    return Listing(
        found["id"],
        found["version"],
        found["title"],
        effective,
        tuple(settings if settings is not None else SETTING_TYPES),
        found.get("superseded_by") or None,
        dates["superseded_from"],
    )


def shadowed_shipped(ref: str, path: Path) -> Path | None:
    """The shipped checklist file that `path`, found for the id `ref`, stands in for."""
    shipped = shipped_dir()
    if path.parent.resolve() == shipped.resolve():
        return None
    for suffix in (".yaml", ".yml"):
        candidate = shipped / f"{ref}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def _announce_shadowing(ref: str, path: Path) -> None:
    if shadowed_shipped(ref, path) is None:
        return
    warn(
        f"the checklist `{ref}` is read from {path} ({PATH_VARIABLE}), not the one "
        "shipped with safeaudit; its questions, severities and scoring may differ, so "
        f"check it is the one you mean (unset {PATH_VARIABLE} to use the shipped one)"
    )


def find_checklist(ref: str) -> Path:
    """The file for a checklist id or path, or NotFound with a suggestion.

    A file on SAFEAUDIT_CHECKLIST_PATH with the id of a shipped checklist wins, and is
    announced (errors.warn) every time it is used.
    """
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or os.sep in ref or "/" in ref or path.is_file():
        return path
    ids = {c.id: c.path for c in available()}
    if ref in ids:
        _announce_shadowing(ref, ids[ref])
        return ids[ref]
    hint = did_you_mean(ref, ids, "; run `safeaudit checklists` to see them")
    raise NotFound(f"{ref}: no checklist with that id{hint}", hint=hint.removeprefix("; "))


def load_checklist_file(path: Path, name: str | None = None) -> Checklist:
    """Load, validate and rule-check one checklist file; errors (not warnings) raise."""
    return _load(path, name, ())


def _load(path: Path, name: str | None, chain: tuple[Path, ...]) -> Checklist:
    """One checklist file, or an overlay resolved against its base (`chain`: the overlays that
    led here, to find loops)."""
    doc = load_yaml(path, name)
    checked: YamlDocument = doc
    if is_overlay(doc):
        resolution = resolve(doc, path, CATALOGUE, chain)  # base + local changes: docs/overlays.md
        checklist, checked = resolution.checklist, resolution.doc
    else:
        checklist = validate_document(doc, Checklist, "a checklist")
    errors = [p for p in semantic_problems(checklist, checked) if p.level == "error"]
    if errors:
        raise ValidationFailed("a checklist", errors)
    checklist._source = _source_of(path, checklist.id)
    return checklist


class _Catalogue:
    """The catalogue as an overlay sees it (overlay.Bases): ids to files, and loading."""

    def ids(self) -> dict[str, Path]:
        return {c.id: c.path for c in available()}

    def load(self, path: Path, chain: tuple[Path, ...]) -> Checklist:
        return _load(path, None, chain)


#: What `overlay.resolve` is given to find and load a base checklist.
CATALOGUE = _Catalogue()


def _source_of(path: Path, checklist_id: str) -> ChecklistSource | None:
    """The file name and SHA-256 of a checklist file, read again (it is small and cached)."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # pragma: no cover - it was read a moment ago
        return None
    try:
        shipped = path.parent.resolve() == shipped_dir().resolve()
    except OSError:  # pragma: no cover
        shipped = False
    shadows = not shipped and shadowed_shipped(checklist_id, path) is not None
    return ChecklistSource(file=path.name, sha256=digest, shipped=shipped, shadows_shipped=shadows)


def load_checklist(ref: str) -> Checklist:
    """Load a checklist by id (shipped or on SAFEAUDIT_CHECKLIST_PATH) or by path."""
    return load_checklist_file(find_checklist(ref))


def load_checklist_id(checklist_id: str) -> Checklist:
    """Load a checklist by id only, as named inside an answer file: never opened as a path."""
    ids = {c.id: c.path for c in available()}
    if checklist_id not in ids:
        hint = did_you_mean(checklist_id, ids, "; run `safeaudit checklists` to see them")
        raise NotFound(
            f"{checklist_id}: no checklist with that id{hint}", hint=hint.removeprefix("; ")
        )
    _announce_shadowing(checklist_id, ids[checklist_id])
    return load_checklist_file(ids[checklist_id])
