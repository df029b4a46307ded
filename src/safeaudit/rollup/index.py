"""A roll-up's store on disk: the last run's index, read back, and this run's rows, written as
they come and then kept as the next run's index.

Both are SQLite files (from Python's standard library), so memory stays the same however many
settings are rolled up: rows are looked up, and read back most urgent first, from the file.
They hold safeguarding information (setting names and scores), so they live in the user's own
cache folder (owner-only, 0700), are written owner-only (0600) and put in place atomically, are
never sent anywhere, and an index is simply ignored when it cannot be read, is damaged, or was
written by another version of safeaudit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from safeaudit import cache
from safeaudit._version import __version__
from safeaudit.output import signals_held
from safeaudit.rollup.rows import Row
from safeaudit.scoring import VERDICT_ORDER

#: Bumped whenever what an index holds changes shape.
FORMAT = 2
#: The cache folder's subfolder that holds indexes.
KIND = "rollup"
#: A file changed this close to the moment it was looked at may change again within the same
#: tick of the file system's clock, so its size and time alone are not trusted next run.
RACY_NS = 2_000_000_000
#: Largest index file read: far above 24,000 settings (about 40 MB), far below disk limits.
MAX_INDEX_BYTES = 1024 * 1024 * 1024

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value);
CREATE TABLE checklists (id BLOB PRIMARY KEY, fingerprint TEXT);
CREATE TABLE files (
    path_key INTEGER, path BLOB NOT NULL,
    size INTEGER, mtime_ns INTEGER, digest TEXT, today TEXT, checklist_id BLOB,
    other_version INTEGER, gap_positions TEXT,
    name BLOB, urn BLOB, kind BLOB, list_id BLOB, list_version BLOB, audit_date BLOB,
    percent REAL, areas TEXT, verdict TEXT, statutory_gaps INTEGER, gaps INTEGER,
    unanswered INTEGER, out_of_date INTEGER, overdue INTEGER,
    grp INTEGER, o_verdict INTEGER, o_stat INTEGER, o_score REAL, o_name BLOB
);
CREATE INDEX files_path ON files (path_key);
CREATE INDEX files_size ON files (size);
CREATE INDEX files_digest ON files (digest);
CREATE INDEX files_order ON files (grp, o_verdict, o_stat, o_score, o_name);
"""

#: An entry's columns, in the order `row_from` takes them.
_ENTRY = (
    "size, mtime_ns, digest, today, checklist_id, other_version, gap_positions, name, urn, "
    "kind, list_id, list_version, audit_date, percent, areas, verdict, statutory_gaps, gaps, "
    "unanswered, out_of_date, overdue"
)
_ROW = (
    "path, name, urn, kind, list_id, list_version, audit_date, percent, areas, verdict, "
    "statutory_gaps, gaps, unanswered, out_of_date, overdue"
)
_INSERT = "INSERT INTO files VALUES (" + ", ".join("?" * 28) + ")"


def index_file(args: Sequence[str]) -> Path:
    """The index for one set of roll-up arguments (the same folders give the same index)."""
    key = "\n".join(sorted(os.path.abspath(arg) for arg in args))
    name = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache.cache_dir() / KIND / f"{name}.sqlite"


def _b(text: str) -> bytes:
    """Text as stored: UTF-8, keeping the odd file name that is not (byte order = text order)."""
    return text.encode("utf-8", "surrogatepass")


def _key(path: bytes) -> int:
    """A small number for a file name, to find its entry by (names themselves are long)."""
    return int.from_bytes(hashlib.blake2b(path, digest_size=8).digest(), "big", signed=True)


def _t(value: Any) -> Any:
    """Stored text back (anything that is not bytes is returned as it is, for checking)."""
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value


class Previous:
    """The last run's index, opened read-only; empty when there is none or it cannot be trusted."""

    def __init__(self, note: str = "") -> None:
        self._db: sqlite3.Connection | None = None
        #: Each checklist id's fingerprint when the index was written.
        self.checklists: dict[str, str] = {}
        #: When the last run looked at the files (nanoseconds since the epoch).
        self.scanned_ns = 0
        #: Why an index that exists was not used, or "".
        self.note = note

    @classmethod
    def open(cls, path: Path) -> Previous:
        """The index at `path`, checked in full before anything in it is used."""
        try:
            fd = os.open(
                path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
            )
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            return cls(f"the last run's index {path} could not be read ({exc.strerror or exc})")
        damaged = cls(f"the last run's index {path} was damaged, so every file was scored")
        db = None
        try:
            info = os.fstat(fd)
            if not cache.is_private(info, MAX_INDEX_BYTES):
                return cls()  # not an ordinary file of ours that only we can change
            uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro&immutable=1"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != FORMAT or meta.get("safeaudit") != __version__:
                db.close()
                return cls()  # another version: silently start again
            scanned_ns = meta.get("scanned_ns")
            same = os.stat(path, follow_symlinks=False)
            if (
                not isinstance(scanned_ns, int)
                or (same.st_dev, same.st_ino) != (info.st_dev, info.st_ino)
                or db.execute("PRAGMA quick_check").fetchall() != [("ok",)]
            ):
                db.close()
                return damaged
            found = cls()
            for key, value in db.execute("SELECT id, fingerprint FROM checklists"):
                if isinstance(_t(key), str) and isinstance(value, str):
                    found.checklists[_t(key)] = value
            found.scanned_ns = scanned_ns
            found._db = db
            return found
        except (sqlite3.Error, OSError, ValueError):
            if db is not None:
                db.close()
            return damaged
        finally:
            os.close(fd)

    def _query(self, sql: str, args: tuple[Any, ...]) -> list[Any]:
        """Rows of a query; none (and the index no longer used) if the file fails to read."""
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error:
            self.close()
            self.note = "the last run's index was damaged, so some files were scored again"
            return []

    def entry(self, path: str) -> list[Any] | None:
        """The entry kept for `path`, or None."""
        name = _b(path)
        sql = f"SELECT {_ENTRY} FROM files WHERE path_key = ? AND path = ?"
        found = self._query(sql, (_key(name), name))
        return _entry(found[0]) if found else None

    def has_size(self, size: int) -> bool:
        """Whether any file kept had this size (then a file may be one of them, moved)."""
        return bool(self._query("SELECT 1 FROM files WHERE size = ? LIMIT 1", (size,)))

    def same_text(self, digest: str) -> Iterator[list[Any]]:
        """The entries of files that had exactly this text."""
        for found in self._query(f"SELECT {_ENTRY} FROM files WHERE digest = ?", (digest,)):
            stored = _entry(found)
            if stored is not None:
                yield stored

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _entry(found: Sequence[Any]) -> list[Any] | None:
    """An entry as `row_from` takes it, or None if it is not as written."""
    try:
        (size, mtime_ns, digest, today, checklist_id, other, where, name, urn, kind, list_id,
         list_version, audit_date, percent, areas, verdict, *counts) = found  # fmt: skip
        stored = [
            size,
            mtime_ns,
            digest,
            today,
            _t(checklist_id),
            other == 1 if type(other) is int and other in (0, 1) else None,
            json.loads(where),
            _t(name),
            _t(urn),
            _t(kind),
            [_t(list_id), _t(list_version)],
            _t(audit_date),
            percent,
            json.loads(areas),
            verdict,
            *counts,
        ]
    except (TypeError, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return stored if _well_formed(stored) else None


def _well_formed(stored: list[Any]) -> bool:
    """Whether an entry has the shape `Store.add` writes, as far as finding it again needs (the
    row itself is checked by `row_from` when it is used)."""
    return (
        len(stored) == ENTRY_LENGTH
        and _count(stored[0])
        and _count(stored[1])
        and _text(stored[2])
        and _text(stored[3], optional=True)
        and _text(stored[4])
        and isinstance(stored[5], bool)
    )


ENTRY_LENGTH = 20


def _text(value: Any, optional: bool = False) -> bool:
    return isinstance(value, str) or (optional and value is None)


def _number(value: Any) -> bool:
    return value is None or (isinstance(value, float) and 0.0 <= value <= 100.0)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def row_from(
    path: str, stored: list[Any], question_ids: Sequence[str]
) -> tuple[Row, tuple[str, ...]] | None:
    """The row and gap ids of an entry (`question_ids`: its checklist's, in order), or None if
    the entry is not exactly as written."""
    try:
        (_size, _mtime, _digest, _today, _cid, _other, where, name, urn, kind, checklist,
         audit_date, percent, areas, verdict, stat, gaps, unanswered, out_of_date, overdue) = stored  # fmt: skip
    except (TypeError, ValueError):
        return None
    if not (
        isinstance(where, list)
        and all(type(g) is int for g in where)  # never a bool
        and (not where or (min(where) >= 0 and max(where) < len(question_ids)))
        and _text(name)
        and _text(urn, optional=True)
        and _text(kind)
        and isinstance(checklist, list)
        and len(checklist) == 2
        and all(_text(c) for c in checklist)
        and _text(audit_date, optional=True)
        and _number(percent)
        and isinstance(areas, list)
        and all(_number(a) for a in areas)
        and verdict in VERDICT_ORDER
        and all(_count(n) for n in (stat, gaps, unanswered, out_of_date, overdue))
    ):
        return None
    row = Row(
        path, name, urn, kind, (checklist[0], checklist[1]), audit_date, percent, tuple(areas),
        verdict, stat, gaps, unanswered, out_of_date, overdue,
    )  # fmt: skip
    return row, tuple(question_ids[g] for g in where)


def _close_and_remove(state: dict[str, Any]) -> None:
    state["db"].close()
    for name in state["files"]:
        with contextlib.suppress(OSError):
            os.unlink(name)
    for folder in state["folders"]:
        shutil.rmtree(folder, ignore_errors=True)


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable where the platform allows it (not on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Store:
    """This run's rows, written to a file as they come and read back most urgent first.

    The file is made beside the index it will become (`index`), owner-only, or in a private
    temporary folder when there is no index or its folder cannot be written (`note` says why).
    `save` puts it in place as the index for the next run; otherwise it is removed on `close`.
    """

    def __init__(self, index: Path | None) -> None:
        self.note = ""
        name = None
        folders: list[str] = []
        if index is not None:
            try:
                cache.make_private_folder(index.parent)
                fd, name = tempfile.mkstemp(
                    dir=index.parent, prefix=f".{index.name}.", suffix=".tmp"
                )
                os.close(fd)
            except OSError as exc:
                reason = exc.strerror or exc
                self.note = f"the roll-up index could not be saved in {index.parent}: {reason}"
                name = None
        if name is None:
            folder = tempfile.mkdtemp(prefix="safeaudit-rollup-")  # owner-only (0700)
            folders.append(folder)
            name = os.path.join(folder, "rows.sqlite")
        self._name = name
        db = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
        #: What `close` (or the garbage collector) lets go of and removes.
        self._state: dict[str, Any] = {"db": db, "files": [name], "folders": folders}
        self._finalizer = weakref.finalize(self, _close_and_remove, self._state)
        # A new file, put in place whole (or removed) by us: SQLite's own journal is not needed.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.executescript(_SCHEMA)
        db.execute("BEGIN")

    @property
    def _db(self) -> sqlite3.Connection:
        if not self._finalizer.alive:
            raise RuntimeError("the roll-up was closed; its rows are gone")
        db: sqlite3.Connection = self._state["db"]
        return db

    def add(
        self,
        row: Row,
        group: int | None,
        stat: tuple[int, int] | None,
        digest: str | None,
        today: str | None,
        checklist_id: str,
        other_version: bool,
        gaps: Sequence[int],
    ) -> None:
        """Keep a row (`group`: its table, None when left out by `--setting`); with `stat` and
        `digest` it may be reused next run."""
        size, mtime_ns = stat if stat is not None and digest is not None else (None, None)
        path = _b(row.path)
        self._db.execute(
            _INSERT,
            (
                _key(path), path, size, mtime_ns, digest if size is not None else None, today,
                _b(checklist_id), int(other_version), json.dumps(list(gaps)), _b(row.name),
                None if row.urn is None else _b(row.urn), _b(row.setting_type),
                _b(row.checklist[0]), _b(row.checklist[1]),
                None if row.audit_date is None else _b(row.audit_date), row.percent,
                json.dumps(list(row.areas)), row.verdict, row.statutory_gaps, row.gaps,
                row.unanswered, row.reviews_out_of_date, row.actions_overdue, group,
                *row.urgency, _b(row.name.casefold()),
            ),
        )  # fmt: skip

    def rows(self, group: int) -> Iterator[Row]:
        """A group's rows, most urgent first, then by name (ignoring case) and file."""
        sql = (
            f"SELECT {_ROW} FROM files WHERE grp = ? "
            "ORDER BY o_verdict, o_stat, o_score, o_name, path"
        )
        for found in self._db.execute(sql, (group,)):
            (path, name, urn, kind, list_id, list_version, audit_date, percent, areas, verdict,
             stat, gaps, unanswered, out_of_date, overdue) = found  # fmt: skip
            yield Row(
                _t(path), _t(name), _t(urn), _t(kind), (_t(list_id), _t(list_version)),
                _t(audit_date), percent, tuple(json.loads(areas)), verdict, stat, gaps,
                unanswered, out_of_date, overdue,
            )  # fmt: skip

    def finish(self) -> None:
        """Every row is in: write them out (rows are read back from here on)."""
        self._db.execute("COMMIT")

    def save(self, index: Path, checklists: dict[str, str], scanned_ns: int) -> str:
        """Put the rows in place as the index at `index`; "" when saved, else why not."""
        if self.note:
            return self.note
        db = self._db
        try:
            db.execute("BEGIN")
            meta = {"format": FORMAT, "safeaudit": __version__, "scanned_ns": scanned_ns}
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.executemany(
                "INSERT INTO checklists VALUES (?, ?)",
                [(_b(key), value) for key, value in checklists.items()],
            )
            db.execute("COMMIT")
            # Let go of the lock held while writing, so others may read the index at once.
            db.execute("PRAGMA locking_mode = NORMAL")
            db.execute("SELECT count(*) FROM meta").fetchall()
            fd = os.open(self._name, os.O_RDWR | getattr(os, "O_BINARY", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            windows = os.name != "posix"
            if windows:  # Windows cannot rename a file that is open: let go of it first
                db.close()
            try:
                with signals_held():
                    os.replace(self._name, index)
                    self._state["files"].clear()  # from here on, it stays when closed
                    self._name = str(index)
            finally:
                if windows:
                    self._state["db"] = sqlite3.connect(
                        Path(os.path.abspath(self._name)).as_uri() + "?mode=ro",
                        uri=True,
                        check_same_thread=False,
                    )
            _sync_folder(index.parent)
            with contextlib.suppress(OSError):  # the same folders' index in the old JSON form
                os.unlink(index.with_suffix(".json"))
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            return f"the roll-up index could not be saved in {index.parent}: {reason}"
        return ""

    def close(self) -> None:
        """Let go of the file, removing it unless it was saved as the index."""
        self._finalizer()
