"""Lint: data-driven cases (each file names the codes it must produce), formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CHECKLISTS, ROOT
from safeaudit.lint import lint_paths
from safeaudit.rules import rule_docs

CASES = sorted((Path(__file__).parent / "lint_cases").glob("*.yaml"))


def _expected(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name} must start with '# expect:'"
    return sorted(first.removeprefix("# expect:").split())


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_gives_expected_codes(case: Path) -> None:
    report = lint_paths([case])
    assert sorted(p.code for p in report.problems) == _expected(case)
    for problem in report.problems:
        assert problem.file == str(case)
        assert problem.message and "Traceback" not in problem.message


@pytest.mark.parametrize("case", [c for c in CASES if _expected(c)], ids=lambda c: c.stem)
def test_findings_have_a_line(case: Path) -> None:
    report = lint_paths([case])
    for problem in report.problems:
        if problem.code not in ("SA002", "SA003", "SA004"):  # whole-file problems
            assert problem.line >= 1, problem


def test_every_shipped_checklist_is_clean_even_strictly() -> None:
    report = lint_paths([CHECKLISTS])
    assert report.files, "no shipped checklists found"
    assert report.problems == []


def test_requirement_severity_is_compared_across_files() -> None:
    folder = Path(__file__).parent / "lint_cases" / "requirement-across-files"
    for path in sorted(folder.glob("*.yaml")):
        assert lint_paths([path]).problems == [], f"{path.name} is clean on its own"
    report = lint_paths([folder])
    found = sorted((Path(p.file).name, p.code, p.line) for p in report.problems)
    assert found == [("one.yaml", "SA222", 15), ("two.yaml", "SA222", 14)]
    assert all("filtering-illegal-content" in p.message for p in report.problems)


def test_statutory_per_setting_names_the_unbound_setting() -> None:
    report = lint_paths([Path(__file__).parent / "lint_cases" / "statutory-per-setting.yaml"])
    messages = sorted(p.message for p in report.problems)
    assert "`a.all-settings`" in messages[0] and "`early-years`" in messages[0]
    assert "`primary`" not in messages[0]
    assert "`nursery`" in messages[1]


def test_shipped_requirements_agree_across_checklists() -> None:
    """Every requirement id used in two or more shipped checklists has one severity."""
    from safeaudit.checklists import load_checklist_file

    seen: dict[str, set[tuple[str, bool]]] = {}
    owners: dict[str, set[str]] = {}
    for path in sorted(CHECKLISTS.glob("*.yaml")):
        checklist = load_checklist_file(path)
        for _, question in checklist.questions():
            if question.requirement:
                seen.setdefault(question.requirement, set()).add(
                    (question.severity, question.critical)
                )
                owners.setdefault(question.requirement, set()).add(checklist.id)
    assert any(len(ids) > 1 for ids in owners.values()), "no requirement is shared"
    assert {req: kinds for req, kinds in seen.items() if len(kinds) > 1} == {}


def test_every_rule_is_documented() -> None:
    docs = (ROOT / "docs" / "checklist-format.md").read_text(encoding="utf-8")
    for code, name, _level, _description in rule_docs():
        assert f"| {code} | `{name}` |" in docs, f"{code} missing from docs/checklist-format.md"


def test_codes_are_unique() -> None:
    codes = [code for code, *_ in rule_docs()]
    assert len(codes) == len(set(codes))


def test_cli_exit_codes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases = Path(__file__).parent / "lint_cases"
    clean = cli("lint", cases / "good-minimal.yaml")
    assert clean.code == 0 and clean.out == ""
    finding = cli("lint", cases / "unknown-key.yaml")
    assert finding.code == 1
    assert finding.out.startswith(f"{cases / 'unknown-key.yaml'}:18:9: SA102 unknown key `evidnce`")
    unusable = cli("lint", cases / "tab.yaml")
    assert unusable.code == 2
    warning_only = cli("lint", cases / "id-prefix.yaml")
    assert warning_only.code == 0
    assert cli("lint", "--strict", cases / "id-prefix.yaml").code == 1
    missing = cli("lint", tmp_path / "nope.yaml")
    assert missing.code == 2 and "file not found" in missing.out


def test_cli_formats(cli) -> None:  # type: ignore[no-untyped-def]
    case = Path(__file__).parent / "lint_cases" / "undeclared-source.yaml"
    data = json.loads(cli("lint", "--format", "json", case).out)
    assert [p["code"] for p in data["problems"]] == ["SA216", "SA203"]
    github = cli("lint", "--format", "github", case).out.splitlines()
    assert github[1].startswith("::error file=")
    assert ",line=17,col=31,title=SA203::" in github[1]
    assert github[0].startswith("::warning ")


def test_github_format_is_automatic_under_actions(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    out = cli("lint", Path(__file__).parent / "lint_cases" / "zero-weight.yaml").out
    assert out.startswith("::error file=")
