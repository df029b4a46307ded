"""Checks over the shipped checklist content: clean lint, sources, coverage and the 2026 update."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest

import content_figures
from conftest import CHECKLISTS, ROOT
from safeaudit.checklists import load_checklist_file
from safeaudit.lint import lint_paths
from safeaudit.model import Checklist

PATHS = sorted(CHECKLISTS.glob("*.yaml"))
KCSIE_2025 = CHECKLISTS / "kcsie-2025-online-safety.yaml"
KCSIE_2026 = CHECKLISTS / "kcsie-2026-online-safety.yaml"

#: KCSIE 2025 question ids that the 2026 checklist drops on purpose, each with the reason.
#: Every other 2025 id must either still be in the 2026 checklist or be named in a `replaces`.
REMOVED: dict[str, str] = {}

#: Areas of the KCSIE 2025 checklist that must each hold at least four questions.
CORE_AREAS = ("filtering", "monitoring", "curriculum", "acceptable-use", "child-on-child")

#: The project's source material: the folder `shared` beside the repository (as in CI).
SHARED = Path(os.environ.get("SAFEAUDIT_SHARED", Path(__file__).resolve().parents[2] / "shared"))

#: A question may not share this many consecutive words with the source material.
COPY_RUN = 12


@cache
def _load(path: Path) -> Checklist:
    return load_checklist_file(path)


def _ids(checklist: Checklist) -> set[str]:
    return set(checklist.question_index())


# --------------------------------------------------------------------------- every checklist


def test_there_are_shipped_checklists() -> None:
    assert KCSIE_2025 in PATHS and KCSIE_2026 in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_lints_clean_without_warnings(path: Path) -> None:
    report = lint_paths([path])
    assert not report.unusable
    assert [str(p) for p in report.problems] == []


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_question_has_a_reference(path: Path) -> None:
    checklist = _load(path)
    missing = [q.id for _, q in checklist.questions() if not q.references]
    assert missing == []


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_statutory_questions_cite_a_statutory_source(path: Path) -> None:
    checklist = _load(path)
    statutory = {sid for sid, src in checklist.sources.items() if src.legal_status == "statutory"}
    weak = [
        q.id
        for _, q in checklist.questions()
        if q.severity == "statutory" and not any(r.source in statutory for r in q.references)
    ]
    assert weak == []


# --------------------------------------------------------------------------- KCSIE 2025


def test_kcsie_2025_size() -> None:
    checklist = _load(KCSIE_2025)
    assert len(checklist.areas) >= 15
    assert len(checklist.questions()) >= 80


@pytest.mark.parametrize("area_id", CORE_AREAS)
def test_kcsie_2025_core_areas_are_substantial(area_id: str) -> None:
    areas = {area.id: area for area in _load(KCSIE_2025).areas}
    assert area_id in areas
    assert len(areas[area_id].questions) >= 4


# --------------------------------------------------------------------------- KCSIE 2026


def test_kcsie_2026_is_the_next_version() -> None:
    old, new = _load(KCSIE_2025), _load(KCSIE_2026)
    assert new.id == "kcsie-2026-online-safety"
    assert new.version == "2026.3"
    assert new.effective.isoformat() == "2026-09-01"
    assert new.effective > old.effective
    assert new.sources["kcsie-2026"].status == "in-force"
    assert new.sources["kcsie-2026"].legal_status == "statutory"


def test_kcsie_2026_replaces_only_2025_ids() -> None:
    old_ids = _ids(_load(KCSIE_2025))
    unknown = [
        (q.id, old)
        for _, q in _load(KCSIE_2026).questions()
        for old in q.replaces
        if old not in old_ids
    ]
    assert unknown == []


def test_every_2025_question_is_kept_replaced_or_removed() -> None:
    old_ids = _ids(_load(KCSIE_2025))
    new = _load(KCSIE_2026)
    kept = old_ids & _ids(new)
    replaced = {old for _, q in new.questions() for old in q.replaces}
    assert not kept & replaced, "a kept id cannot also be replaced"
    assert not set(REMOVED) & (kept | replaced), "a removed id is still kept or replaced"
    assert set(REMOVED) <= old_ids, "REMOVED names an id that KCSIE 2025 never had"
    unaccounted = sorted(old_ids - kept - replaced - set(REMOVED))
    assert unaccounted == [], "say whether these were kept, replaced or removed"


def test_kcsie_2026_reviews_filtering_every_academic_year() -> None:
    question = _load(KCSIE_2026).question_index()["fm-review.last-review"]
    assert question.kind == "date"
    assert question.max_age == "academic-year"


# --------------------------------------------------------------------------- own words


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text)


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}


@cache
def _source_runs() -> frozenset[tuple[str, ...]]:
    files = [*sorted((SHARED / "seeds").glob("*")), SHARED / "reference" / "domain.md"]
    runs: set[tuple[str, ...]] = set()
    for file in files:
        if file.is_file():
            runs |= _runs(_words(file.read_text(encoding="utf-8", errors="replace")))
    return frozenset(runs)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_no_copied_sentences(path: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not here: the source material is only on maintainers' machines")
    sources = _source_runs()
    if not sources:
        pytest.skip(f"no seed or reference files under {SHARED}")
    copied = []
    for _, q in _load(path).questions():
        for field in ("text", "help", "evidence", "action"):
            shared = _runs(_words(getattr(q, field))) & sources
            if shared:
                copied.append(f"{q.id} {field}: {' '.join(min(shared))}")
    assert copied == [], f"{COPY_RUN}+ words copied from the source material"


# --------------------------------------------------------------------------- figures in the docs

DOCS = [ROOT / "docs" / "content.md", ROOT / "docs" / "statutory-sources.md"]
UPDATE_DOCS = bool(os.environ.get("SAFEAUDIT_UPDATE_DOCS"))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_figures_in_docs_are_current(doc: Path) -> None:
    """Every figure block is what the checklists give today; the maintainer regenerates them."""
    render = content_figures.renderers(content_figures.load_all(CHECKLISTS))
    text = doc.read_text(encoding="utf-8")
    unknown = [name for name in content_figures.blocks(text) if name not in render]
    assert unknown == [], f"{doc.name} has figure blocks for no shipped checklist: {unknown}"
    fresh, changed = content_figures.refresh(text, render)
    if UPDATE_DOCS and changed:
        doc.write_text(fresh, encoding="utf-8")
        return
    assert changed == [], (
        f"{doc.name} is out of date for: {', '.join(changed)}. Run "
        "`SAFEAUDIT_UPDATE_DOCS=1 pytest tests/test_content.py -k figures` and review the diff."
    )


def test_every_checklist_has_its_figures_and_statutory_list() -> None:
    names = {
        name for doc in DOCS for name in content_figures.blocks(doc.read_text(encoding="utf-8"))
    }
    for path in PATHS:
        checklist = _load(path)
        assert checklist.id in names, f"docs/content.md has no figures for {checklist.id}"
        assert f"statutory-{checklist.id}" in names, (
            f"docs/statutory-sources.md does not list {checklist.id}"
        )
    assert {"overview", "requirements"} <= names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_statutory_question_has_a_binding_source_per_setting(path: Path) -> None:
    """The list in docs/statutory-sources.md never has an empty cell."""
    rendered = content_figures.statutory_sources(_load(path))
    assert "**none**" not in rendered
