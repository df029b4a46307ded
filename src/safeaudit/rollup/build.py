"""A roll-up: reuse the last run's rows for unchanged files, score the rest, group the rows."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeaudit.errors import SafeauditError
from safeaudit.loading import read_text
from safeaudit.rollup import index as store
from safeaudit.rollup.rows import Group, Rollup, Row, Skipped
from safeaudit.rollup.scorer import Plans, Scored, outcomes, text_digest

#: Called as work is done: (files scored, rows reused) since the last call.
Progress = Callable[[int, int], None]


@dataclass
class _Collector:
    """Rows gathered into groups, and the next index, as they come."""

    plans: Plans
    setting: str | None
    result: Rollup = field(default_factory=Rollup)
    groups: dict[tuple[str, str], Group] = field(default_factory=dict)
    entries: dict[str, list[Any]] = field(default_factory=dict)
    checklists: dict[str, str] = field(default_factory=dict)

    def add(self, row: Row, gap_ids: Sequence[str], other_version: bool) -> None:
        if self.setting is not None and row.setting_type != self.setting:
            self.result.filtered_out += 1
            return
        group = self.groups.get(row.checklist)
        if group is None:
            checklist = self.plans.get(row.checklist[0]).checklist
            group = self.groups[row.checklist] = Group(checklist)
        group.rows.append(row)
        group.gap_counts.update(gap_ids)
        self.result.other_version += other_version

    def finish(self) -> Rollup:
        for group in self.groups.values():
            group.rows.sort(key=lambda r: (*r.urgency, r.name.casefold(), r.path))
        self.result.groups = sorted(self.groups.values(), key=lambda g: g.key)
        return self.result


def _usable(stored: list[Any], plans: Plans, previous: store.Index, today: str) -> bool:
    """Whether an entry's row still holds: same checklist, and not judged as at another day."""
    if stored[3] not in (None, today):
        return False
    checklist_id = stored[4]
    known = previous.checklists.get(checklist_id)
    return known is not None and known == plans.fingerprint(checklist_id)


@dataclass
class _Triage:
    """Which files can reuse a row from the last run, and which must be scored."""

    reuse: list[tuple[Path, list[Any]]] = field(default_factory=list)
    score: list[Path] = field(default_factory=list)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)


def _triage(paths: Sequence[Path], previous: store.Index, plans: Plans) -> _Triage:
    """Unchanged files (same size and time, or failing that the same text, even under a new
    name) reuse their row; everything else is scored."""
    today = dt.date.today().isoformat()
    found = _Triage()
    by_digest: dict[str, list[Any]] | None = None
    sizes = {stored[0] for stored in previous.files.values()}
    trusted_before = previous.scanned_ns - store.RACY_NS
    for path in paths:
        name = str(path)
        try:
            info = os.stat(path)
        except OSError:
            found.score.append(path)  # scoring reports why it cannot be read
            continue
        found.stats[name] = (info.st_size, info.st_mtime_ns)
        stored = previous.files.get(name)
        if (
            stored
            and stored[0] == info.st_size
            and stored[1] == info.st_mtime_ns
            and info.st_mtime_ns < trusted_before
            and _usable(stored, plans, previous, today)
        ):
            found.reuse.append((path, stored))
            continue
        if info.st_size in sizes:  # perhaps touched, copied or renamed: compare the text
            if by_digest is None:
                by_digest = {stored[2]: stored for stored in previous.files.values()}
            try:
                same = by_digest.get(text_digest(read_text(path)))
            except SafeauditError:
                same = None
            if same is not None and _usable(same, plans, previous, today):
                found.reuse.append((path, same))
                continue
        found.score.append(path)
    return found


def rollup(
    paths: Sequence[Path],
    *,
    setting: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    index_path: Path | None = None,
    reuse: bool = True,
) -> Rollup:
    """Score every file, streaming: only a small row per setting is kept.

    With `index_path`, rows of files unchanged since the last run with the same index are
    reused (the result is the same as scoring every file) and the index is brought up to date;
    `reuse=False` scores every file but still writes the index for next time.
    """
    plans = Plans()
    collect = _Collector(plans, setting)
    previous = store.Index()
    if index_path is not None and reuse:
        previous = store.load_index(index_path)
    scanned_ns = time.time_ns()
    triage = _triage(paths, previous, plans)
    for path, stored in triage.reuse:
        name = str(path)
        found = store.row_from(name, stored, plans.get(stored[4]).ids)
        if found is None:
            triage.score.append(path)
            continue
        row, gap_ids = found
        collect.add(row, gap_ids, bool(stored[5]))
        size, mtime_ns = triage.stats[name]
        collect.entries[name] = [size, mtime_ns, *stored[2:]]
        collect.checklists[stored[4]] = previous.checklists[stored[4]]
        collect.result.reused += 1
    if progress is not None and collect.result.reused:
        progress(0, collect.result.reused)
    # Files whose entry turned out damaged were appended: score in the order found.
    order = {path: n for n, path in enumerate(paths)}
    to_score = sorted(triage.score, key=order.__getitem__)
    _score(to_score, collect, workers, progress, triage.stats)
    result = collect.finish()
    if index_path is not None:
        result.index_note = previous.note
        if collect.entries != previous.files or collect.checklists != previous.checklists:
            saved = store.Index(collect.entries, collect.checklists, scanned_ns)
            result.index_note = store.save_index(index_path, saved) or result.index_note
    return result


def _score(
    paths: Sequence[Path],
    collect: _Collector,
    workers: int | None,
    progress: Progress | None,
    stats: dict[str, tuple[int, int]],
) -> None:
    """Score `paths`, adding rows, skips and index entries to `collect`."""
    today = dt.date.today().isoformat()
    result = collect.result
    for batch in outcomes(paths, collect.setting, workers, collect.plans):
        for outcome in batch:
            if outcome is None:
                result.filtered_out += 1
            elif isinstance(outcome, Skipped):
                result.skipped.append(outcome)
            else:
                _add_scored(outcome, collect, stats, today)
        result.rescored += len(batch)
        if progress is not None:
            progress(len(batch), 0)


def _add_scored(
    scored: Scored, collect: _Collector, stats: dict[str, tuple[int, int]], today: str
) -> None:
    row = scored.row
    collect.add(row, scored.gap_ids, scored.other_version)
    stat = stats.get(row.path)
    fingerprint = collect.plans.fingerprint(scored.checklist_id)
    if stat is None or fingerprint is None:
        return
    positions = collect.plans.get(scored.checklist_id).positions
    collect.checklists[scored.checklist_id] = fingerprint
    collect.entries[row.path] = store.entry(
        *stat,
        scored.digest,
        today if scored.judged_today else None,
        scored.checklist_id,
        scored.other_version,
        [positions[qid] for qid in scored.gap_ids],
        row,
    )
