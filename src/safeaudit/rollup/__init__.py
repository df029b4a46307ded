"""Many audits in one table: find answer files, score each (reusing unchanged rows), group them.

The parts, lowest first: `rows` (what a roll-up holds), `discovery` (finding the files),
`scorer` (scoring files with the one evaluator, in worker processes for many), `index` (the
rows on disk: the last run's, in the user's cache folder, and this run's) and `build` (putting
them together). The tables, CSV and web page are drawn in the rendering layer,
`safeaudit.report.rollup`.
"""

from __future__ import annotations

from safeaudit.rollup.build import rollup
from safeaudit.rollup.discovery import discover, expand_paths
from safeaudit.rollup.index import index_file
from safeaudit.rollup.rows import Group, Rollup, Row, Rows, Skipped
from safeaudit.rollup.scorer import max_jobs

__all__ = [
    "Group",
    "Rollup",
    "Row",
    "Rows",
    "Skipped",
    "discover",
    "expand_paths",
    "index_file",
    "max_jobs",
    "rollup",
]
