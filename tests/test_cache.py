"""The cache folder: validated checklists and the main help, identical, never trusted blindly, never in the way."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import CHECKLISTS, EXAMPLES
from safeaudit import __version__, checklists
from safeaudit.checklists import CACHE_KIND, load_checklist_file
from safeaudit.errors import ValidationFailed
from safeaudit.lint import lint_paths
from safeaudit.model import CachedChecklist

SMALL = CHECKLISTS / "dfe-cyber-security.yaml"
OVERLAY = EXAMPLES / "overlays" / "checklists" / "westshire-kcsie-2025.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SAFEAUDIT_CACHE_DIR", str(folder))
    return folder


def _entries(cache: Path) -> list[Path]:
    folder = cache / CACHE_KIND
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the checklist was parsed again instead of read from the cache")

    monkeypatch.setattr(checklists, "parse_yaml", refuse)
    monkeypatch.setattr(checklists, "validate_document", refuse)


@pytest.mark.parametrize("path", sorted(CHECKLISTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_cached_checklist_is_identical(
    cache: Path, monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    fresh = load_checklist_file(path)
    (entry,) = _entries(cache)
    _no_parsing(monkeypatch)
    cached = load_checklist_file(path)
    assert cached == fresh
    assert repr(cached) == repr(fresh)  # 2 and 2.0 compare equal; their text does not
    assert cached.source == fresh.source and cached.source is not None
    assert cached.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert _entries(cache) == [entry]


def test_an_overlay_is_cached_with_its_base(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "base.yaml"
    shutil.copy(CHECKLISTS / "kcsie-2025-online-safety.yaml", base)
    overlay = tmp_path / "overlay.yaml"
    text = OVERLAY.read_text(encoding="utf-8")
    overlay.write_text(
        text.replace("extends: kcsie-2025-online-safety", "extends: base.yaml"), encoding="utf-8"
    )
    fresh = load_checklist_file(overlay)
    assert fresh.origin is not None and fresh.origin.base_id == "kcsie-2025-online-safety"
    assert len(_entries(cache)) == 2  # the base, and the overlay resolved against it
    with monkeypatch.context() as patched:
        _no_parsing(patched)
        cached_base = load_checklist_file(base)
    cached = load_checklist_file(overlay)
    assert cached == fresh and repr(cached) == repr(fresh)
    assert cached.origin == fresh.origin
    assert cached_base.id == "kcsie-2025-online-safety"

    # Editing the base changes the resolved overlay: the overlay's entry is not used.
    area = fresh.areas[0]
    old = f"title: {area.title}\n"
    assert old in base.read_text(encoding="utf-8")
    edited = base.read_text(encoding="utf-8").replace(old, "title: An edited area\n", 1)
    base.write_text(edited, encoding="utf-8")
    again = load_checklist_file(overlay)
    assert again.areas[0].title == "An edited area"
    assert len(_entries(cache)) == 4


def _damage_truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _damage_garbage(data: bytes) -> bytes:
    return b"\x00\xff not json at all"


def _damage_empty(data: bytes) -> bytes:
    return b""


def _edit(data: bytes, **changes: Any) -> bytes:
    entry = json.loads(data)
    entry.update(changes)
    return json.dumps(entry).encode()


def _damage_version(data: bytes) -> bytes:
    return _edit(data, safeaudit="0.0.0-older")


def _damage_format(data: bytes) -> bytes:
    return _edit(data, format=0)


def _damage_key(data: bytes) -> bytes:
    return _edit(data, key="0" * 64)


def _damage_checklist(data: bytes) -> bytes:
    entry = json.loads(data)
    entry["checklist"]["areas"][0]["questions"][0]["severity"] = "optional"
    return json.dumps(entry).encode()


def _damage_extra_key(data: bytes) -> bytes:
    entry = json.loads(data)
    entry["checklist"]["surprise"] = True
    return json.dumps(entry).encode()


@pytest.mark.parametrize(
    "damage",
    [
        _damage_truncate,
        _damage_garbage,
        _damage_empty,
        _damage_version,
        _damage_format,
        _damage_key,
        _damage_checklist,
        _damage_extra_key,
    ],
    ids=lambda f: f.__name__.removeprefix("_damage_"),
)
def test_a_damaged_or_stale_entry_is_ignored_and_replaced(cache: Path, damage: Any) -> None:
    fresh = load_checklist_file(SMALL)
    (entry,) = _entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    loaded = load_checklist_file(SMALL)
    assert loaded == fresh and repr(loaded) == repr(fresh)
    (rewritten,) = _entries(cache)
    stored = CachedChecklist.model_validate_json(rewritten.read_bytes())
    assert stored.safeaudit == __version__
    assert stored.checklist.model_dump() == fresh.model_dump()


def test_an_unwritable_cache_folder_never_stops_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("SAFEAUDIT_CACHE_DIR", str(blocker / "cache"))  # cannot be made
    fresh = load_checklist_file(SMALL)
    assert load_checklist_file(SMALL) == fresh
    result = cli("show", SMALL)
    assert result.code == 0 and result.err == "", result.err
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_a_read_only_cache_folder_is_read_but_never_written(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_checklist_file(SMALL)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("safeaudit.output.tempfile.mkstemp", refuse)
    other = tmp_path / "other.yaml"
    other.write_text(SMALL.read_text(encoding="utf-8").replace("title:", "title: X", 1))
    assert load_checklist_file(other).title.startswith("X")  # not cached, still loaded
    _no_parsing(monkeypatch)
    assert load_checklist_file(SMALL) == fresh  # still read


def test_editing_a_checklist_invalidates_its_entry(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    shutil.copy(SMALL, path)
    first = load_checklist_file(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(first.title, "A title edited locally", 1), encoding="utf-8")
    second = load_checklist_file(path)
    assert second.title == "A title edited locally"
    assert second.source is not None and first.source is not None
    assert second.source.sha256 != first.source.sha256
    assert len(_entries(cache)) == 2
    path.write_text(text, encoding="utf-8")  # back as it was: the first entry serves again
    assert load_checklist_file(path) == first


def test_folders_and_files_are_private(cache: Path) -> None:
    load_checklist_file(SMALL)
    (entry,) = _entries(cache)
    if os.name == "posix":
        assert stat.S_IMODE(cache.stat().st_mode) == 0o700
        assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no temporary files left


def test_an_entry_others_can_write_is_not_trusted(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_checklist_file(SMALL)
    (entry,) = _entries(cache)
    entry.chmod(0o666)
    if os.name == "posix":
        with monkeypatch.context() as patched:
            _no_parsing(patched)
            with pytest.raises(AssertionError, match="parsed again"):
                load_checklist_file(SMALL)
    assert load_checklist_file(SMALL) == fresh
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600 or os.name != "posix"


def test_deleting_the_cache_is_safe(cache: Path) -> None:
    fresh = load_checklist_file(SMALL)
    shutil.rmtree(cache)
    assert load_checklist_file(SMALL) == fresh
    assert len(_entries(cache)) == 1


def test_loading_checks_what_scoring_needs_and_leaves_the_rest_to_lint(
    cache: Path, tmp_path: Path
) -> None:
    text = SMALL.read_text(encoding="utf-8")
    first = load_checklist_file(SMALL).questions()[0][1]
    # A question citing no source is a lint error (SA211), not a reason to refuse the file.
    uncited = tmp_path / "uncited.yaml"
    loaded = load_checklist_file(SMALL)
    data = loaded.model_dump(mode="json", by_alias=True, exclude_unset=True)
    for area in data["areas"]:
        for question in area["questions"]:
            if question["id"] == first.id:
                question["references"] = []
                question["severity"] = "statutory"
    uncited.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    assert load_checklist_file(uncited).question_index()[first.id].references == []
    assert "SA211" in {p.code for p in lint_paths([uncited]).problems}
    # A question id used twice would make scores wrong: refused, pointing at lint.
    twice = tmp_path / "twice.yaml"
    second_id = loaded.questions()[1][1].id
    twice.write_text(text.replace(f"id: {second_id}\n", f"id: {first.id}\n", 1), encoding="utf-8")
    assert text != twice.read_text(encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_checklist_file(twice)
    assert "SA202" in caught.value.message
    assert f"`safeaudit lint {twice}` lists every problem" in caught.value.message
    assert not any("twice" in p.name for p in _entries(cache))


# ------------------------------------------------------------------------------ the main help

_HELP_RUN = (
    "import sys\n"
    "sys.argv = ['safeaudit', '--help']\n"
    "from safeaudit.cli import main\n"
    "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
    "print('TYPER', 'typer' in sys.modules, 'CODE', code, file=sys.stderr)\n"
)


def _help(cache: Path, columns: str = "90") -> tuple[str, str]:
    env = {**os.environ, "SAFEAUDIT_CACHE_DIR": str(cache), "COLUMNS": columns}
    result = subprocess.run(
        [sys.executable, "-c", _HELP_RUN], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout, result.stderr


def test_the_main_help_is_kept_and_printed_without_typer(cache: Path) -> None:
    first, how = _help(cache)
    assert "TYPER True CODE 0" in how and first.startswith("Usage: safeaudit ")
    (entry,) = (cache / "help").iterdir()
    again, how = _help(cache)
    assert "TYPER False CODE 0" in how
    assert again == first
    narrow, how = _help(cache, "60")  # another width: made by Typer again
    assert "TYPER True" in how and narrow != first
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert len(list((cache / "help").iterdir())) == 2
    kept = entry.read_bytes()
    assert kept.endswith(first.encode("utf-8"))
    for damaged in (
        b"Something else entirely\n",
        kept[: len(kept) // 2],  # cut short
        kept.replace(b"Exit codes", b"Exit cudes"),  # the checksum no longer matches
        first.encode("utf-8"),  # no checksum line
    ):
        entry.write_bytes(damaged)
        repaired, how = _help(cache)
        assert "TYPER True" in how and repaired == first
        assert entry.read_bytes() == kept


def test_help_in_process_is_the_same_from_the_cache(cache: Path, cli: Any) -> None:
    first = cli("--help")
    second = cli("-h")
    assert first.code == second.code == 0
    assert first.out == second.out and "Exit codes" in first.out


def test_changed_loading_code_does_not_use_old_entries(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_checklist_file(SMALL)
    monkeypatch.setattr(checklists, "_code_stamp", lambda: "other code")
    load_checklist_file(SMALL)
    assert len(_entries(cache)) == 2  # the same file, loaded by other code: another entry


# --------------------------------------------------------------------------- pruning old entries

DAY = 24 * 60 * 60


def _aged(path: Path, days: float, content: bytes = b"old\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(content)
    when = __import__("time").time() - days * DAY
    os.utime(path, (when, when))
    return path


def test_entries_unused_for_a_month_are_pruned_when_one_is_written(cache: Path) -> None:
    from safeaudit import cache as store

    kind = cache / CACHE_KIND
    stale = _aged(kind / "stale.json", store.MAX_AGE_DAYS + 1)
    recent = _aged(kind / "recent.json", store.MAX_AGE_DAYS - 1)
    left_temp = _aged(kind / ".x.json.abc.tmp", 2)  # a write cut short two days ago
    busy_temp = _aged(kind / ".y.json.abc.tmp", 0.01)  # perhaps being written now
    load_checklist_file(SMALL)  # writes an entry, and prunes
    assert not stale.exists() and not left_temp.exists()
    assert recent.exists() and busy_temp.exists()
    assert len(_entries(cache)) == 2


def test_using_an_entry_keeps_it(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from safeaudit import cache as store

    fresh = load_checklist_file(SMALL)
    (entry,) = _entries(cache)
    old = __import__("time").time() - (store.MAX_AGE_DAYS - 1) * DAY
    os.utime(entry, (old, old))
    assert load_checklist_file(SMALL) == fresh  # read from the cache: marked as used
    assert entry.stat().st_mtime > old + DAY
    assert store.prune(CACHE_KIND, now=old + (store.MAX_AGE_DAYS + 1) * DAY) == 0
    assert entry.exists()


def test_only_the_newest_entries_of_a_kind_are_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safeaudit import cache as store

    monkeypatch.setattr(store, "MAX_ENTRIES", 3)
    names = [f"{n}.txt" for n in range(5)]
    for age, name in enumerate(names):
        _aged(cache / "help" / name, age)
    assert store.write("help", "new.txt", b"newest\n")
    assert sorted(p.name for p in (cache / "help").iterdir()) == ["0.txt", "1.txt", "new.txt"]


def test_pruning_never_leaves_safeaudit_s_own_subfolders(cache: Path, tmp_path: Path) -> None:
    """Only ordinary files of the kind's own subfolder are removed: never the cache folder the
    user named, anything else in it, a folder, or a link or what it points to."""
    from safeaudit import cache as store

    ancient = store.MAX_AGE_DAYS * 10
    mine = _aged(cache / "notes.txt", ancient)  # the user's own file beside our folders
    other = _aged(cache / "other-tool" / "entry.json", ancient)
    outside = _aged(tmp_path / "elsewhere.json", ancient)
    inner = _aged(cache / CACHE_KIND / "a-folder" / "inside.json", ancient)
    link = cache / CACHE_KIND / "link.json"
    link.symlink_to(outside)
    os.utime(link, (0, 0), follow_symlinks=False)
    assert store.prune("other-tool") == 0  # not a kind of ours
    assert store.prune("..") == 0
    store.prune(CACHE_KIND)
    for kept in (cache, mine, other, outside, inner, link):
        assert kept.exists() or kept.is_symlink(), kept


def test_pruning_never_fails_a_command(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from safeaudit import cache as store

    stale = _aged(cache / CACHE_KIND / "stale.json", store.MAX_AGE_DAYS + 1)

    def refuse(path: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "unlink", refuse)
    assert store.prune(CACHE_KIND) == 0
    assert load_checklist_file(SMALL).id  # written, and the failed pruning is not an error
    assert stale.exists()
    monkeypatch.setenv("SAFEAUDIT_CACHE_DIR", str(cache / "missing"))
    assert store.prune(CACHE_KIND) == 0


def test_old_rollup_indexes_are_pruned(cache: Path, tmp_path: Path) -> None:
    from safeaudit import cache as store
    from safeaudit.rollup import index_file, rollup

    stale = _aged(cache / "rollup" / "0123.sqlite", store.MAX_AGE_DAYS + 1)
    legacy = _aged(cache / "rollup" / "4567.json", store.MAX_AGE_DAYS + 1)
    audits = tmp_path / "audits"
    audits.mkdir()
    shutil.copy(sorted(EXAMPLES.glob("*.yaml"))[0], audits / "a.yaml")
    index = index_file([str(audits)])
    before = _aged(index.with_suffix(".json"), 1)  # this folder's index, as versions before kept it
    with rollup([audits / "a.yaml"], index_path=index) as result:
        assert result.index_note == ""
    assert index.exists() and not stale.exists() and not legacy.exists() and not before.exists()
    assert [p.name for p in index.parent.iterdir()] == [index.name]
