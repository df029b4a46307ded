"""The installed package carries the checklists and report templates it needs."""

from __future__ import annotations

from pathlib import Path

from conftest import CHECKLISTS, ROOT
from safeaudit.checklists import shipped_dir, templates_dir


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != ".keep"}


def test_shipped_checklists_match_the_repository() -> None:
    assert _files(shipped_dir()) == _files(CHECKLISTS)


def test_report_templates_match_the_repository() -> None:
    installed = _files(templates_dir())
    assert installed == _files(ROOT / "report_templates")
    assert any(name.endswith(".html.j2") for name in installed)
