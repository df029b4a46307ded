"""A roll-up: reuse the last run's rows for unchanged files, score the rest, group the rows.

Memory stays the same however many files there are: each row goes to the roll-up's store on
disk as soon as it is known (`index.Store`, which becomes the next run's index), the last run's
index is looked up file by file rather than read whole, and what is kept in memory per group is
a count of settings and of each gap. Only the list of file names grows with the number of files.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from safeaudit import cache
from safeaudit.errors import SafeauditError
from safeaudit.loading import read_text
from safeaudit.rollup import index as store
from safeaudit.rollup.rows import Group, Rollup, Row, Rows, Skipped
from safeaudit.rollup.scorer import Plans, Scored, outcomes, text_digest

#: Called as work is done: (files scored, rows reused) since the last call.
Progress = Callable[[int, int], None]
#: Rows reused between two calls of the progress callback.
_PROGRESS_EVERY = 500


@dataclass
class _Collector:
    """Rows gathered into groups (counts in memory, rows in the store) as they come."""

    plans: Plans
    setting: str | None
    rows: store.Store
    result: Rollup = field(default_factory=Rollup)
    groups: dict[tuple[str, str], tuple[int, Group]] = field(default_factory=dict)
    counts: list[int] = field(default_factory=list)
    #: Each checklist's fingerprint, for the next run's index.
    checklists: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        row: Row,
        gap_ids: Sequence[str],
        other_version: bool,
        keep: tuple[tuple[int, int] | None, str | None, str | None, str, Sequence[int]],
    ) -> None:
        """Add a row; `keep` is what the index needs to reuse it next time: the file's size and
        time, its text's hash, the day it was judged as at (if undated), the checklist id it
        names and the positions of its gaps."""
        number = None
        if self.setting is not None and row.setting_type != self.setting:
            self.result.filtered_out += 1
        else:
            found = self.groups.get(row.checklist)
            if found is None:
                checklist = self.plans.get(row.checklist[0]).checklist
                found = self.groups[row.checklist] = (len(self.counts), Group(checklist))
                self.counts.append(0)
            number, group = found
            self.counts[number] += 1
            group.gap_counts.update(gap_ids)
            self.result.other_version += other_version
        stat, digest, today, checklist_id, positions = keep
        self.rows.add(row, number, stat, digest, today, checklist_id, other_version, positions)

    def reuse(self, name: str, stored: list[Any], stat: tuple[int, int], known: str) -> bool:
        """Add the row an index entry holds; False if the entry is not exactly as written."""
        checklist_id = stored[4]
        found = store.row_from(name, stored, self.plans.get(checklist_id).ids)
        if found is None:
            return False
        row, gap_ids = found
        self.add(row, gap_ids, stored[5], (stat, stored[2], stored[3], checklist_id, stored[6]))
        self.checklists[checklist_id] = known
        self.result.reused += 1
        return True

    def finish(self) -> Rollup:
        self.rows.finish()
        for number, group in self.groups.values():
            group.rows = Rows(partial(self.rows.rows, number), self.counts[number])
        self.result.groups = sorted((g for _n, g in self.groups.values()), key=lambda g: g.key)
        return self.result


def _usable(stored: list[Any], plans: Plans, previous: store.Previous, today: str) -> str | None:
    """The checklist's fingerprint if an entry's row still holds (same checklist, and not judged
    as at another day), else None."""
    if stored[3] not in (None, today):
        return None
    known = previous.checklists.get(stored[4])
    return known if known is not None and known == plans.fingerprint(stored[4]) else None


@dataclass
class _ToScore:
    """The files to score, in the order found, with their size and time (-1: unknown)."""

    paths: list[str | os.PathLike[str]] = field(default_factory=list)
    sizes: array[int] = field(default_factory=lambda: array("q"))
    times: array[int] = field(default_factory=lambda: array("q"))

    def add(self, path: str | os.PathLike[str], size: int = -1, mtime_ns: int = -1) -> None:
        self.paths.append(path)
        self.sizes.append(size)
        self.times.append(mtime_ns)

    def stat(self, position: int) -> tuple[int, int] | None:
        size = self.sizes[position]
        return None if size < 0 else (size, self.times[position])


def _triage(
    paths: Sequence[str | os.PathLike[str]],
    previous: store.Previous,
    collect: _Collector,
    progress: Progress | None,
) -> _ToScore:
    """Unchanged files (same size and time, or failing that the same text, even under a new
    name) reuse their row at once; the rest are returned to be scored."""
    today = dt.date.today().isoformat()
    plans = collect.plans
    found = _ToScore()
    trusted_before = previous.scanned_ns - store.RACY_NS
    reported = 0
    for path in paths:
        if progress is not None and collect.result.reused - reported >= _PROGRESS_EVERY:
            progress(0, collect.result.reused - reported)
            reported = collect.result.reused
        name = os.fspath(path)
        try:
            info = os.stat(name)
        except OSError:
            found.add(path)  # scoring reports why it cannot be read
            continue
        stat = (info.st_size, info.st_mtime_ns)
        stored = previous.entry(name)
        if (
            stored is not None
            and stored[0] == info.st_size
            and stored[1] == info.st_mtime_ns
            and info.st_mtime_ns < trusted_before
            and (known := _usable(stored, plans, previous, today))
        ):
            if not collect.reuse(name, stored, stat, known):
                found.add(path, *stat)
            continue
        if previous.has_size(info.st_size):  # perhaps touched, copied or renamed: the text?
            try:
                digest = text_digest(read_text(Path(name)))
            except SafeauditError:
                digest = ""
            same = next(
                (
                    (entry, known)
                    for entry in previous.same_text(digest)
                    if (known := _usable(entry, plans, previous, today))
                ),
                None,
            )
            if same is not None and collect.reuse(name, same[0], stat, same[1]):
                continue
        found.add(path, *stat)
    if progress is not None and collect.result.reused > reported:
        progress(0, collect.result.reused - reported)
    return found


def rollup(
    paths: Sequence[str | os.PathLike[str]],
    *,
    setting: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    index_path: Path | None = None,
    reuse: bool = True,
) -> Rollup:
    """Score every file, streaming: rows go to a store on disk as they come.

    With `index_path`, rows of files unchanged since the last run with the same index are
    reused (the result is the same as scoring every file) and the index is brought up to date;
    `reuse=False` scores every file but still writes the index for next time. Close the result
    (`with rollup(...) as result:`) when done with its rows; it is closed when dropped too.
    """
    plans = Plans()
    previous = store.Previous()
    if index_path is not None and reuse:
        previous = store.Previous.open(index_path)
    rows = store.Store(index_path)
    try:
        collect = _Collector(plans, setting, rows)
        scanned_ns = time.time_ns()
        to_score = _triage(paths, previous, collect, progress)
        previous.close()
        _score(to_score, collect, workers, progress)
        result = collect.finish()
        if index_path is not None:
            note = rows.save(index_path, collect.checklists, scanned_ns)
            result.index_note = note or previous.note
            if not note:
                cache.prune(store.KIND, keep=index_path.name)
    except BaseException:
        rows.close()
        raise
    finally:
        previous.close()
    result.closer = rows.close
    return result


def _score(
    to_score: _ToScore, collect: _Collector, workers: int | None, progress: Progress | None
) -> None:
    """Score the files, adding rows and skips to `collect`."""
    today = dt.date.today().isoformat()
    result = collect.result
    position = 0
    for batch in outcomes(to_score.paths, collect.setting, workers, collect.plans):
        for outcome in batch:
            stat = to_score.stat(position)
            position += 1
            if outcome is None:
                result.filtered_out += 1
            elif isinstance(outcome, Skipped):
                result.skipped.append(outcome)
            else:
                _add_scored(outcome, collect, stat, today)
        result.rescored += len(batch)
        if progress is not None:
            progress(len(batch), 0)


def _add_scored(
    scored: Scored, collect: _Collector, stat: tuple[int, int] | None, today: str
) -> None:
    fingerprint = collect.plans.fingerprint(scored.checklist_id)
    positions: list[int] = []
    if fingerprint is not None:
        collect.checklists[scored.checklist_id] = fingerprint
        where = collect.plans.get(scored.checklist_id).positions
        positions = [where[qid] for qid in scored.gap_ids]
    keep = (
        stat,
        scored.digest if fingerprint is not None else None,
        today if scored.judged_today else None,
        scored.checklist_id,
        positions,
    )
    collect.add(scored.row, scored.gap_ids, scored.other_version, keep)
