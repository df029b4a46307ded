"""Finding checklists (shipped, local or by path) and loading them as validated models."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from safeaudit._version import __version__
from safeaudit.errors import LoadError, NotFound, SafeauditError, ValidationFailed, warn
from safeaudit.frozen import Frozen
from safeaudit.loading import YamlDocument, _Loader, decode_text, parse_yaml, read_bytes, read_text
from safeaudit.model import CachedChecklist, Checklist, ChecklistSource, is_current
from safeaudit.problems import Problem
from safeaudit.settings import SETTING_TYPES
from safeaudit.suggest import did_you_mean
from safeaudit.validation import validate_document

if TYPE_CHECKING:
    from safeaudit.origin import OverlayOrigin

#: Folders of extra checklists, separated like PATH (`:` on Linux and macOS, `;` on Windows).
PATH_VARIABLE = "SAFEAUDIT_CHECKLIST_PATH"


def _packaged(name: str) -> Path:
    """A data folder shipped in the wheel, or the top-level one in a source checkout.

    The package's folder is found from this file, as `importlib.resources.files` would for an
    installed package, without importing its readers (a millisecond or two; issue 17)."""
    package = Path(__file__).resolve().parent
    installed = package / name
    if installed.is_dir():
        return installed
    return package.parents[1] / name


def shipped_dir() -> Path:
    return _packaged("checklists")


def templates_dir() -> Path:
    return _packaged("report_templates")


def search_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    return [*extra, shipped_dir()]


class ChecklistFile(Frozen):
    """A checklist file on the search path (a plain record: cheaper to define than a dataclass
    or a named tuple, and every command that reads an answer file defines it; issue 17)."""

    __slots__ = _fields = ("id", "path", "shipped")

    id: str
    path: Path
    shipped: bool

    def __init__(self, id: str, path: Path, shipped: bool) -> None:
        self._assign(id, path, shipped)


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


class Listing(Frozen):
    """What `safeaudit checklists` shows of a checklist, read without reading its questions."""

    __slots__ = _fields = (
        "id",
        "version",
        "title",
        "effective",
        "settings",
        "superseded_by",
        "superseded_from",
    )

    id: str
    version: str
    title: str
    effective: dt.date
    settings: tuple[str, ...]
    superseded_by: str | None
    superseded_from: dt.date | None

    def __init__(
        self,
        id: str,
        version: str,
        title: str,
        effective: dt.date,
        settings: tuple[str, ...],
        superseded_by: str | None = None,
        superseded_from: dt.date | None = None,
    ) -> None:
        self._assign(id, version, title, effective, settings, superseded_by, superseded_from)

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
    if is_path(ref):
        return Path(ref)
    ids = {c.id: c.path for c in available()}
    if ref in ids:
        _announce_shadowing(ref, ids[ref])
        return ids[ref]
    raise _no_such_id(ref, ids)


def is_path(ref: str) -> bool:
    """Whether a checklist reference is a file's path rather than an id."""
    path = Path(ref)
    return path.suffix in (".yaml", ".yml") or os.sep in ref or "/" in ref or path.is_file()


def _no_such_id(ref: str, ids: dict[str, Path]) -> NotFound:
    """No file is named after the id: a file that has the id inside it under another name is
    named (read only now, on the way to an error), else the nearest id is suggested."""
    for path in ids.values():
        try:
            inside = _top_level(read_text(path), path)[0].get("id")
        except SafeauditError:
            continue
        if inside == ref:
            hint = f"{path} has that id under another name; rename it {ref}{path.suffix}"
            return NotFound(f"{ref}: no checklist file is named after that id ({hint})", hint=hint)
    # A local checklist is found only through SAFEAUDIT_CHECKLIST_PATH (docs/overlays.md), which
    # people who were sent an answer file made with one may not know of.
    hint = did_you_mean(
        ref,
        ids,
        "; run `safeaudit checklists` to see them, or add the folder that holds it to "
        "SAFEAUDIT_CHECKLIST_PATH",
    )
    return NotFound(f"{ref}: no checklist with that id{hint}", hint=hint.removeprefix("; "))


def id_line(path: Path) -> int:
    """The line of a checklist file's top-level `id:` (0 when it cannot be found)."""
    try:
        lines = read_text(path).splitlines()
    except SafeauditError:
        return 0
    return next((n for n, line in enumerate(lines, 1) if line.startswith("id:")), 0)


def name_mismatch(path: Path, checklist_id: str) -> LoadError:
    """The error for a file found by its name that holds another id (lint rule SA223, whose
    words it uses): found by one, recorded by the other, so it is refused when looked up by id."""
    from safeaudit.rules import id_file_name

    message = id_file_name.message(checklist_id, path.name)
    return LoadError(Problem(str(path), id_line(path), 0, id_file_name.CODE, message))


def _by_id(ref: str, path: Path) -> Checklist:
    """The checklist in the file found for the id `ref`, which must hold that id."""
    checklist = load_checklist_file(path)
    if checklist.id != ref:
        raise name_mismatch(path, checklist.id)
    return checklist


def load_entry(entry: ChecklistFile) -> Checklist:
    """A checklist found on the search path, which must hold the id its file is named for."""
    return _by_id(entry.id, entry.path)


def load_checklist_file(path: Path, name: str | None = None) -> Checklist:
    """Load one checklist file: from the cache when this exact file was loaded before, else
    parsed, validated and checked for what using it needs, then cached. Errors raise."""
    return _load(path, name, ())[0]


#: A checklist read from the cache, and where it came from when it was made from an overlay.
_Cached = tuple[Checklist, "OverlayOrigin | None"]

#: The cache's folder for checklists (cache.py) and the format of its entries; raise it when
#: the stored form changes (the version and `_code_stamp` cover changes to the loading code).
CACHE_KIND = "checklists"
CACHE_FORMAT = 2


def cache_key(digest: str, base_key: str = "") -> str:
    """The cache key of a checklist: its file's SHA-256, safeaudit's version, the cache format
    and the code that loads it (`_code_stamp`), and for an overlay the key of its base."""
    parts = f"{CACHE_FORMAT}\0{__version__}\0{_code_stamp()}\0{digest}\0{base_key}"
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()


#: The modules that decide what a file loads as; `rules/` is added whole.
_LOADING_CODE = (
    "model.py",
    "strict.py",
    "origin.py",
    "checklists.py",
    "loading.py",
    "validation.py",
    "overlay.py",
)


@functools.cache
def _code_stamp() -> str:
    """The size and time of the modules that decide what a checklist file loads as, so that in
    a source checkout, where the version stays the same while the code changes, no entry made
    by other code is used (an installed release changes its version anyway)."""
    here = os.path.dirname(os.path.abspath(__file__))
    rules = os.path.join(here, "rules")
    paths = [os.path.join(here, name) for name in _LOADING_CODE]
    with contextlib.suppress(OSError):  # rules/ is part of the package
        paths += sorted(
            os.path.join(rules, name) for name in os.listdir(rules) if name.endswith(".py")
        )
    stamps = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:  # pragma: no cover - a zipped or frozen install: the version decides
            continue
        stamps.append(f"{os.path.basename(path)}:{info.st_size}:{info.st_mtime_ns}")
    return ";".join(stamps)


def _from_cache(key: str) -> _Cached | None:
    """A cached checklist (and its overlay origin) that validates and was stored under this key
    by this version."""
    from safeaudit import cache

    data = cache.read(CACHE_KIND, f"{key}.json")
    if data is None:
        return None
    try:
        entry = CachedChecklist.model_validate_json(data)
        origin = _origin_of(entry)
    except ValueError:  # pydantic's ValidationError, or JSON that is not text
        entry = None
    if (
        entry is None
        or entry.format != CACHE_FORMAT
        or entry.safeaudit != __version__
        or entry.key != key
    ):
        cache.remove(CACHE_KIND, f"{key}.json")  # rewritten once the file is parsed
        return None
    return entry.checklist, origin


def _origin_of(entry: CachedChecklist) -> OverlayOrigin | None:
    """The stored origin of a checklist resolved from an overlay, validated (ValidationError)."""
    if entry.origin is None:
        return None
    from safeaudit.origin import OverlayOrigin

    return OverlayOrigin.model_validate(entry.origin)


def _to_cache(key: str, checklist: Checklist) -> None:
    from safeaudit import cache

    entry = CachedChecklist(
        format=CACHE_FORMAT,
        safeaudit=__version__,
        key=key,
        checklist=checklist,
        origin=None
        if checklist.origin is None
        else checklist.origin.model_dump(exclude_unset=True),
    )
    # Only what the file set is stored, so defaults come back exactly as the model has them.
    cache.write(
        CACHE_KIND, f"{key}.json", entry.model_dump_json(by_alias=True, exclude_unset=True).encode()
    )


class _CachedOverlay(Exception):
    """Raised by _KeyedBases when the resolved overlay is already cached: skips combining."""

    def __init__(self, entry: _Cached, key: str) -> None:
        super().__init__(key)
        self.entry = entry
        self.key = key


class _KeyedBases:
    """The catalogue for one overlay: loads its base, then looks for the resolved overlay in
    the cache under a key made from the overlay's file and its base's key."""

    def __init__(self, digest: str) -> None:
        self.digest = digest
        self.key = ""

    def ids(self) -> dict[str, Path]:
        return CATALOGUE.ids()

    def load(self, path: Path, chain: tuple[Path, ...]) -> Checklist:
        base, base_key = _load(path, None, chain)
        self.key = cache_key(self.digest, base_key)
        entry = _from_cache(self.key)
        if entry is not None:
            raise _CachedOverlay(entry, self.key)
        return base


def _load(path: Path, name: str | None, chain: tuple[Path, ...]) -> tuple[Checklist, str]:
    """One checklist file and its cache key, or an overlay resolved against its base
    (`chain`: the overlays that led here, to find loops)."""
    data = read_bytes(path, name)
    digest = hashlib.sha256(data).hexdigest()
    key = cache_key(digest)
    entry = _from_cache(key)
    if entry is None:
        try:
            checklist, key = _parse(path, name, chain, data, digest)
        except _CachedOverlay as hit:
            entry, key = hit.entry, hit.key
    if entry is not None:
        checklist, origin = entry
        checklist._origin = origin
    checklist._source = _source_of(path, checklist.id, digest)
    return checklist, key


def _parse(
    path: Path, name: str | None, chain: tuple[Path, ...], data: bytes, digest: str
) -> tuple[Checklist, str]:
    """Parse, validate and check a checklist file that is not cached yet, and cache it."""
    from safeaudit.overlay import is_overlay, resolve

    shown = name if name is not None else str(path)
    doc = parse_yaml(decode_text(data, shown), shown)
    checked: YamlDocument = doc
    key = cache_key(digest)
    try:
        if is_overlay(doc):
            bases = _KeyedBases(digest)
            resolution = resolve(doc, path, bases, chain)  # base + local changes: docs/overlays.md
            checklist, checked, key = resolution.checklist, resolution.doc, bases.key
        else:
            checklist = validate_document(doc, Checklist, "a checklist")
        errors = [p for p in _load_problems(checklist, checked) if p.level == "error"]
        if errors:
            raise ValidationFailed("a checklist", errors)
    except ValidationFailed as exc:
        if "safeaudit lint" not in exc.message:
            exc.message += f"; `safeaudit lint {shown}` lists every problem"
        raise
    _to_cache(key, checklist)
    return checklist, key


def _load_problems(checklist: Checklist, doc: YamlDocument) -> list[Problem]:
    """The rules a checklist must pass to be used: those that keep scoring, reports and
    comparisons sound and its size bounded. The rest (wording, citations, statutory coverage)
    are for `safeaudit lint`, which maintainers and CI run; loading does not repeat them."""
    from safeaudit.rules import LOAD_RULES
    from safeaudit.rules.context import LintContext

    ctx = LintContext(checklist, doc)
    return sorted(problem for rule in LOAD_RULES for problem in rule.check(ctx))


class _Catalogue:
    """The catalogue as an overlay sees it (overlay.Bases): ids to files, and loading."""

    def ids(self) -> dict[str, Path]:
        return {c.id: c.path for c in available()}

    def load(self, path: Path, chain: tuple[Path, ...]) -> Checklist:
        return _load(path, None, chain)[0]


#: What `overlay.resolve` is given to find and load a base checklist.
CATALOGUE = _Catalogue()


def _source_of(path: Path, checklist_id: str, digest: str) -> ChecklistSource:
    """The file name and SHA-256 of a checklist file."""
    try:
        shipped = path.parent.resolve() == shipped_dir().resolve()
    except OSError:  # pragma: no cover
        shipped = False
    shadows = not shipped and shadowed_shipped(checklist_id, path) is not None
    return ChecklistSource(path.name, digest, shipped, shadows)


def load_checklist(ref: str) -> Checklist:
    """Load a checklist by id (shipped or on SAFEAUDIT_CHECKLIST_PATH) or by path."""
    path = find_checklist(ref)
    return load_checklist_file(path) if is_path(ref) else _by_id(ref, path)


def load_checklist_id(checklist_id: str) -> Checklist:
    """Load a checklist by id only, as named inside an answer file: never opened as a path."""
    ids = {c.id: c.path for c in available()}
    if checklist_id not in ids:
        raise _no_such_id(checklist_id, ids)
    _announce_shadowing(checklist_id, ids[checklist_id])
    return _by_id(checklist_id, ids[checklist_id])
