"""Overlays: resolution, positions in lint messages, loops, every command, and base upgrades."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import CHECKLISTS, EXAMPLES, FIXTURES
from safeaudit.audit import load_audit
from safeaudit.checklists import PATH_VARIABLE, load_checklist, load_checklist_file
from safeaudit.errors import ValidationFailed
from safeaudit.lint import lint_paths

OVERLAYS = EXAMPLES / "overlays" / "checklists"
WESTSHIRE = OVERLAYS / "westshire-kcsie-2025.yaml"
ANSWERS = EXAMPLES / "overlays" / "hollybrook-primary.yaml"
CASES = FIXTURES / "overlay"
BASE_ID = "kcsie-2025-online-safety"


@pytest.fixture
def on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PATH_VARIABLE, str(OVERLAYS))


def test_resolves_to_an_ordinary_checklist() -> None:
    base = load_checklist(BASE_ID)
    checklist = load_checklist_file(WESTSHIRE)
    assert (checklist.id, checklist.version) == ("westshire-kcsie-2025", "2025.1-westshire.1")
    assert checklist.origin is not None
    assert (checklist.origin.base_id, checklist.origin.base_version) == (BASE_ID, base.version)
    assert "parents.expectations" in checklist.origin.not_used
    index, base_index = checklist.question_index(), base.question_index()
    assert "parents.expectations" not in index
    assert set(base_index) - set(index) == {"parents.expectations"}
    assert {"westshire.referral-route", "westshire.lado-procedure"} <= set(index)
    procedure, before = index["reporting.procedure"], base_index["reporting.procedure"]
    assert procedure.weight == 3 and before.weight == 2
    assert "Local guidance: In Westshire" in procedure.help
    assert len(procedure.references) == len(before.references) + 1
    reporting = next(area for area in checklist.areas if area.id == "reporting")
    assert reporting.questions[-1].id == "reporting.westshire-incident-form"
    assert checklist.areas[-1].id == "westshire"
    assert "westshire-procedures" in checklist.sources
    # The shipped checklist is untouched.
    assert load_checklist(BASE_ID) == base


def test_example_overlay_lints_clean_strictly() -> None:
    report = lint_paths([OVERLAYS])
    assert report.files and report.problems == []


def test_problems_point_into_the_overlay() -> None:
    case = CASES / "problems.yaml"
    found = {(p.code, p.line) for p in lint_paths([case]).problems}
    assert found == {
        ("SA223", 3),  # the overlay's id is not its file name
        ("SA232", 7),  # an inherited area that does not exist
        ("SA204", 23),  # a local `when` naming a missing question
        ("SA202", 25),  # a local question reusing an inherited id
        ("SA218", 25),
        ("SA231", 32),  # an amendment for a question the base does not have
        ("SA230", 35),  # a statutory question marked not used
    }
    for problem in lint_paths([case]).problems:
        assert problem.file == str(case)
    with pytest.raises(ValidationFailed) as caught:
        load_checklist_file(case)
    assert caught.value.problems[0].file == str(case)


@pytest.mark.parametrize("name", ["self.yaml", "loop-a.yaml", "loop-b.yaml"])
def test_loops_are_refused(name: str) -> None:
    problems = lint_paths([CASES / name]).problems
    assert [p.code for p in problems] == ["SA233"]
    with pytest.raises(ValidationFailed, match="SA233"):
        load_checklist_file(CASES / name)


def test_missing_base(tmp_path: Path) -> None:
    path = tmp_path / "orphan.yaml"
    path.write_text('extends: kcsie-2025-online-safty\nid: orphan\ntitle: O\nversion: "1"\n')
    (problem,) = lint_paths([path]).problems
    assert problem.code == "SA234" and problem.line == 1
    assert "did you mean `kcsie-2025-online-safety`?" in problem.message


@pytest.mark.usefixtures("on_path")
def test_show(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("show", "westshire-kcsie-2025")
    assert result.code == 0, result.err
    assert "Westshire local arrangements" in result.out
    assert "westshire.lado-procedure" in result.out
    # The question left out is not in the outline, but listed after it, with who and why.
    outline, left = result.out.split("Left out locally (1)")
    assert "parents.expectations" not in outline
    text = " ".join(left.split())
    assert "This question from Online safety and safeguarding self-review (KCSIE 2025)" in text
    assert "parents.expectations [Parents and community]" in text
    assert "Are parents asked to support your expectations" in text
    assert "Left out by Westshire County Council. Reason: Westshire covers this" in text


def test_show_of_a_plain_checklist_has_nothing_left_out(cli: Any) -> None:
    assert "Left out locally" not in cli("show", BASE_ID).out


@pytest.mark.usefixtures("on_path")
def test_template(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "answers.yaml"
    result = cli("template", "westshire-kcsie-2025", "--setting", "primary", "-o", target)
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    assert "id: westshire-kcsie-2025" in text and "westshire.referral-route:" in text
    assert "parents.expectations:" not in text


@pytest.mark.usefixtures("on_path")
def test_score(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("score", ANSWERS, "--json")
    assert result.code in (0, 1), result.err
    assert '"westshire"' in result.out
    audit = load_audit(ANSWERS)
    scored = audit.score()
    assert scored.unanswered == []
    assert any(r.question.id == "westshire.lado-procedure" for r in scored.gaps)


@pytest.mark.usefixtures("on_path")
def test_report(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    result = cli("report", ANSWERS, "--html", html, "--md", md)
    assert result.code == 0, result.err
    assert "Westshire local arrangements" in html.read_text(encoding="utf-8")
    assert "westshire.lado-procedure" in md.read_text(encoding="utf-8")


@pytest.mark.usefixtures("on_path")
def test_every_report_shows_what_the_overlay_changed(cli: Any, tmp_path: Path) -> None:
    """Governors see which inherited questions were left out, by whom and why, and where a
    question carries local guidance or a local weight."""
    out = {fmt: tmp_path / f"r.{fmt}" for fmt in ("html", "md", "json")}
    result = cli("report", ANSWERS, *[a for fmt, p in out.items() for a in (f"--{fmt}", p)])
    assert result.code == 0, result.err
    html = out["html"].read_text(encoding="utf-8")
    md = out["md"].read_text(encoding="utf-8")
    reason = "Westshire covers this in its own home–school agreement review"
    for text in (html, md):
        assert "Local changes to the checklist" in text
        assert "Westshire County Council left out 1 of its questions" in text
        assert "added 4 local questions, gave local guidance to 2 and changed the weight" in text
        assert "Not in Online safety and safeguarding self-review (KCSIE 2025)" in text
        assert "parents.expectations" in text and reason in text
        assert "Are parents asked to support your expectations" in text
        assert "The council runs a termly network for link governors" in text
        assert "3 (the checklist it builds on gives 2)" in text
    # Local guidance sits with its own question, in the area detail.
    detail = html[html.index('id="detail"') :]
    question = detail[detail.index("<code>reporting.procedure</code>") :]
    question = question[: question.index("</article>")]
    assert "<dt>Local guidance</dt><dd>In Westshire, use the partnership" in question
    assert "(added by Westshire County Council)" in question
    assert "<dt>Local weight</dt>" in question
    # A local question in the action plan is marked as one; inherited ones are not.
    plan = html[html.index('id="plan"') : html.index('id="reviews"')]
    assert plan.count("· Local question") == 1
    assert "<code>westshire.lado-procedure</code> · Local question <span" in plan
    assert "(added by Westshire County Council)" in plan
    md_plan = md[md.index("## Action plan") : md.index("## Reviews out of date")]
    assert md_plan.count("· Local question") == 1
    assert "(westshire.lado-procedure) · Local question (added by Westshire" in md_plan
    left = html[html.index('id="local"') : html.index('id="detail"')]
    assert '<td data-label="Left out by">Westshire County Council</td>' in left
    data = json.loads(out["json"].read_text(encoding="utf-8"))["checklist"]["overlay"]
    assert data["base"] == {
        "id": BASE_ID,
        "title": "Online safety and safeguarding self-review (KCSIE 2025)",
        "version": "2025.1",
    }
    assert [i["question"] for i in data["left_out"]] == ["parents.expectations"]
    assert data["left_out"][0]["by"] == "Westshire County Council"
    assert data["left_out"][0]["reason"].startswith(reason)
    amended = {i["question"]: i for i in data["amended"]}
    assert amended["reporting.procedure"]["weight"] == 3
    assert amended["reporting.procedure"]["base_weight"] == 2
    assert amended["reporting.procedure"]["references"] == 1
    assert amended["leadership.governor-lead"]["weight"] is None


@pytest.mark.usefixtures("on_path")
def test_score_lists_what_the_overlay_left_out(cli: Any) -> None:
    result = cli("score", ANSWERS, "--top", "0")
    assert result.code in (0, 1), result.err
    text = " ".join(result.out.split())
    assert "Local checklist: Builds on Online safety and safeguarding self-review" in text
    assert "Left out: Are parents asked to support" in text
    assert "[parents.expectations] Reason: Westshire covers this" in text


def test_a_plain_checklist_has_no_local_changes(cli: Any, tmp_path: Path) -> None:
    md = tmp_path / "r.md"
    result = cli("report", EXAMPLES / "primary-kcsie-2025.yaml", "--json", "-", "--md", md)
    assert result.code == 0, result.err
    assert json.loads(result.out)["checklist"]["overlay"] is None
    assert "Local changes" not in md.read_text(encoding="utf-8")


def test_overlay_survives_a_new_base_version(
    cli: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "checklists"
    folder.mkdir()
    text = (CHECKLISTS / f"{BASE_ID}.yaml").read_text(encoding="utf-8")
    old_escalation = "      - id: reporting.escalation\n"
    assert 'version: "2025.1"' in text and old_escalation in text
    text = text.replace('version: "2025.1"', 'version: "2025.2"', 1)
    new_question = (
        "      - id: reporting.new-in-2025-2\n"
        "        text: Is this a question added in the new version?\n"
        "        severity: expected\n"
        "        evidence: Something an inspector would see.\n"
        "        action: Something to do.\n"
        '        references: [{source: kcsie-2025, para: "134", approximate: true}]\n\n'
    )
    text = text.replace(old_escalation, new_question + old_escalation, 1)
    reworded = '        text: "Reworded in the new version: do staff know how to escalate?"\n'
    start = text.index(old_escalation) + len(old_escalation)
    end = text.index("\n", text.index("text:", start))
    while text[end + 1 :].startswith("          "):  # a folded text continues on indented lines
        end = text.index("\n", end + 1)
    text = text[:start] + reworded + text[end + 1 :]
    (folder / f"{BASE_ID}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(PATH_VARIABLE, f"{folder}{__import__('os').pathsep}{OVERLAYS}")

    checklist = load_checklist("westshire-kcsie-2025")
    assert checklist.origin is not None and checklist.origin.base_version == "2025.2"
    index = checklist.question_index()
    assert "reporting.new-in-2025-2" in index
    assert index["reporting.escalation"].text.startswith("Reworded in the new version")
    assert "westshire.lado-procedure" in index
    assert lint_paths([OVERLAYS]).problems == []
    result = cli("score", ANSWERS)
    assert result.code in (0, 1), result.err
    assert "Westshire local arrangements" in result.out
    assert load_audit(ANSWERS).score().unanswered[0].question.id == "reporting.new-in-2025-2"


def test_base_by_relative_path(tmp_path: Path) -> None:
    shutil.copy(CHECKLISTS / f"{BASE_ID}.yaml", tmp_path / "base.yaml")
    overlay = tmp_path / "local" / "mine.yaml"
    overlay.parent.mkdir()
    overlay.write_text('extends: ../base.yaml\nid: mine\ntitle: Mine\nversion: "1"\n')
    checklist = load_checklist_file(overlay)
    assert checklist.id == "mine" and checklist.origin is not None
    assert len(checklist.question_index()) == len(load_checklist(BASE_ID).question_index())


# --------------------------------------------------------------------------- file name and id


@pytest.fixture
def misnamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Westshire overlay saved as overlay.yaml, in a folder on the checklist path."""
    folder = tmp_path / "local"
    folder.mkdir()
    path = folder / "overlay.yaml"
    shutil.copy(WESTSHIRE, path)
    monkeypatch.setenv(PATH_VARIABLE, str(folder))
    return path


def test_lint_flags_an_id_that_is_not_the_file_name(cli: Any, misnamed: Path) -> None:
    (problem,) = lint_paths([misnamed]).problems
    assert (problem.code, problem.level, problem.line) == ("SA223", "warning", 10)
    assert "`westshire-kcsie-2025`" in problem.message and "overlay.yaml" in problem.message
    assert "rename the file westshire-kcsie-2025.yaml" in problem.message
    assert cli("lint", misnamed).code == 0  # a warning: the file still works by its path
    strict = cli("lint", misnamed, "--strict")
    assert strict.code == 1 and f"{misnamed}:10:5: SA223 " in strict.out


def test_a_misnamed_checklist_is_not_listed_or_found_by_id(cli: Any, misnamed: Path) -> None:
    listed = cli("checklists")
    assert listed.code == 0
    assert "overlay " not in listed.out and "westshire-kcsie-2025" not in listed.out
    assert f"skipped a checklist that cannot be used: {misnamed}:10: SA223" in listed.err
    assert "rename the file westshire-kcsie-2025.yaml" in listed.err
    by_name = cli("show", "overlay")
    assert by_name.code == 2 and f"{misnamed}:10: SA223" in by_name.err
    by_id = cli("score", ANSWERS)
    assert by_id.code == 2 and "SA122" in by_id.err
    assert f"{misnamed} has that id under another name" in by_id.err
    by_path = cli("score", ANSWERS, "-c", misnamed)  # by its path it can still be used
    assert by_path.code in (0, 1), by_path.err


def test_extends_an_id_whose_file_holds_another(tmp_path: Path) -> None:
    folder = tmp_path / "checklists"
    folder.mkdir()
    shutil.copy(CHECKLISTS / f"{BASE_ID}.yaml", folder / "kcsie.yaml")
    overlay = folder / "mine.yaml"
    overlay.write_text('extends: kcsie\nid: mine\ntitle: Mine\nversion: "1"\n', encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PATH_VARIABLE, str(folder))
        problems = lint_paths([overlay]).problems
        with pytest.raises(ValidationFailed, match="SA234"):
            load_checklist_file(overlay)
    (problem,) = problems
    assert problem.code == "SA234" and problem.line == 1
    assert f"holds the checklist `{BASE_ID}`" in problem.message


# --------------------------------------------------------------------------- local changes, bad input

REPORT_BASE = FIXTURES / "report" / "checklists" / "report-fixture.yaml"


@pytest.fixture
def local_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on the checklist path with the report fixture checklist (a small base)."""
    folder = tmp_path / "checklists"
    folder.mkdir()
    shutil.copy(REPORT_BASE, folder / REPORT_BASE.name)
    monkeypatch.setenv(PATH_VARIABLE, str(folder))
    return folder


def _overlay(folder: Path, name: str, body: str, extends: str = "report-fixture") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        f'extends: {extends}\nid: {name}\ntitle: "{name} title"\nversion: "1"\n' + body,
        encoding="utf-8",
    )
    return path


def _answers(tmp_path: Path, checklist: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(
        f'checklist: {{id: {checklist}, version: "1"}}\n'
        "setting: {name: Test Primary, type: primary}\naudit_date: 2025-11-03\n"
        'answers:\n  policies.parents: "yes"\n',
        encoding="utf-8",
    )
    return path


def test_overlay_text_is_escaped_in_every_report(
    cli: Any, tmp_path: Path, local_folder: Path
) -> None:
    _overlay(
        local_folder,
        "esc-local",
        'publisher: "<b>Council</b> | *trust*"\n'
        "not_used:\n"
        '  - {question: curriculum.taught, reason: "<script>alert(1)</script> | # *no* \\e[31m"}\n'
        "amend:\n"
        '  - {question: policies.parents, guidance: "<img src=x> [link](http://x) \\e]0;t\\a"}\n',
    )
    answers = _answers(tmp_path, "esc-local")
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    assert cli("report", answers, "--html", html, "--md", md).code == 0
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page and "<img" not in page and "<b>Council" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x&gt;" in page
    text = md.read_text(encoding="utf-8")
    assert "<script>" not in text and "\x1b" not in text
    assert "\\<script\\>alert(1)" in text and "\\| # \\*no\\*" in text
    assert "\\[link\\](http://x)" in text and "\\u001b" in text
    score = cli("score", answers)
    assert "\x1b" not in score.out and "\\u001b[31m" in score.out
    show = cli("show", "esc-local")
    assert "\x1b" not in show.out and "\x07" not in show.out
    left = " ".join(show.out.split("Left out locally (1)")[1].split())
    assert "Left out by <b>Council</b> | *trust*." in left
    assert "Reason: <script>alert(1)</script> | # *no* \\u001b[31m" in left


def test_nested_overlays_name_who_made_each_change(local_folder: Path) -> None:
    _overlay(
        local_folder,
        "council",
        "publisher: A council\n"
        "not_used: [{question: curriculum.taught, reason: The council covers it.}]\n"
        "amend: [{question: policies.parents, guidance: Council words.}]\n",
    )
    trust = _overlay(
        local_folder,
        "trust",
        "publisher: A trust\n"
        "not_used: [{question: policies.notes, reason: The trust covers it.}]\n"
        "amend: [{question: policies.devices, guidance: Trust words.}]\n"
        "areas:\n  - id: local\n    title: Trust\n    questions:\n"
        "      - {id: local.trust-question, text: Asked?, severity: expected,\n"
        "         evidence: E., action: A., references: [{source: guide, para: '1'}]}\n",
        extends="council",
    )
    origin = load_checklist_file(trust).origin
    assert origin is not None and origin.base_id == "council"
    assert [(i.question, i.by, i.by_id) for i in origin.left_out] == [
        ("curriculum.taught", "A council", "council"),
        ("policies.notes", "A trust", "trust"),
    ]
    assert [(i.question, i.by) for i in origin.amended] == [
        ("policies.parents", "A council"),
        ("policies.devices", "A trust"),
    ]
    assert [(i.question, i.by) for i in origin.added] == [("local.trust-question", "A trust")]


def test_entries_that_change_nothing_are_not_reported(local_folder: Path) -> None:
    """A missing question, a second entry for a question, an amendment of a question left
    out, or the same weight again: lint warns (SA231), and no report lists them."""
    path = _overlay(
        local_folder,
        "noop-local",
        "not_used:\n"
        "  - {question: curriculum.taugth, reason: Misspelt.}\n"
        "  - {question: curriculum.taught, reason: First reason.}\n"
        "  - {question: curriculum.taught, reason: Second reason.}\n"
        "amend:\n"
        "  - {question: curriculum.taught, guidance: Left out anyway.}\n"
        "  - {question: filtering.checks, weight: 2}\n",
    )
    origin = load_checklist_file(path).origin
    assert origin is not None
    assert [(i.question, i.reason) for i in origin.left_out] == [
        ("curriculum.taught", "First reason.")
    ]
    assert origin.amended == []  # no title: the publisher defaults to the overlay's title
    assert origin.left_out[0].by == "noop-local title"
    found = sorted((p.code, p.line, p.message.split(";")[0]) for p in lint_paths([path]).problems)
    assert [(code, line) for code, line, _ in found] == [
        ("SA231", 6),
        ("SA231", 8),
        ("SA231", 10),
    ]
    assert "did you mean `curriculum.taught`?" in lint_paths([path]).problems[0].message
    assert "is already in `not_used` (line 7)" in found[1][2]
    assert "is also in `not_used`, so it is left out" in found[2][2]


@pytest.mark.parametrize("reason", ['""', '"   "', ""])
def test_a_not_used_entry_needs_a_reason(local_folder: Path, reason: str) -> None:
    path = _overlay(
        local_folder,
        "empty-local",
        f"not_used:\n  - question: curriculum.taught\n    reason: {reason}\n",
    )
    (problem,) = lint_paths([path]).problems
    assert problem.line == 7 and problem.code == "SA104"
    with pytest.raises(ValidationFailed) as caught:
        load_checklist_file(path)
    assert f"{path}:7:" in caught.value.message
    if reason:
        assert "needs words: say why the question is not used locally" in problem.message
    else:  # `reason:` with nothing after it is null, not text
        assert "should be text" in problem.message


def test_not_used_cannot_drop_a_statutory_question(local_folder: Path) -> None:
    path = _overlay(
        local_folder,
        "drop-local",
        "not_used: [{question: filtering.illegal, reason: We trust our provider.}]\n",
    )
    with pytest.raises(ValidationFailed, match="SA230"):
        load_checklist_file(path)


def test_an_overlay_that_leaves_nothing_out_says_so(
    cli: Any, tmp_path: Path, local_folder: Path
) -> None:
    _overlay(local_folder, "same-local", "description: Only a new title.\n")
    html = tmp_path / "r.html"
    assert cli("report", _answers(tmp_path, "same-local"), "--html", html).code == 0
    page = html.read_text(encoding="utf-8")
    assert (
        "Builds on Report fixture checklist, version 1.0; none of its questions is left out."
        in (page)
    )
    assert "No question from that checklist was left out." in page
    assert "Questions left out locally" not in page and "<dt>Local guidance</dt>" not in page


# --------------------------------------------------------------------------- the workbook


def _rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    import openpyxl  # type: ignore[import-untyped]

    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


@pytest.mark.usefixtures("on_path")
def test_workbook_lists_what_the_overlay_changed(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "return.xlsx"
    assert cli("report", ANSWERS, "--xlsx", target).code == 0
    rows = _rows(target, "Local changes")
    assert rows[0] == (
        "Change",
        "Question id",
        "Question",
        "Area",
        "Made by",
        "Reason or local words",
    )
    assert rows[1][:2] == ("Builds on", BASE_ID) and "left out 1" in rows[1][5]
    left = [r for r in rows if r[0] == "Left out"]
    assert [r[1] for r in left] == ["parents.expectations"]
    assert left[0][3] == "Parents and community" and left[0][4] == "Westshire County Council"
    assert left[0][5].startswith("Westshire covers this in its own home–school agreement")
    added = {r[1] for r in rows if r[0] == "Local question"}
    assert "westshire.referral-route" in added and len(added) == 4
    guided = {r[1]: r[5] for r in rows if r[0] == "Local guidance"}
    assert "the Front Door number" in guided["reporting.procedure"]
    weight = [r for r in rows if r[0] == "Local weight"]
    assert weight == [
        (
            "Local weight",
            "reporting.procedure",
            weight[0][2],
            "Reporting, recording and response",
            "Westshire County Council",
            "3 (the checklist it builds on gives 2)",
        )
    ]


def test_workbook_local_changes_go_through_the_formula_guard(
    cli: Any, tmp_path: Path, local_folder: Path
) -> None:
    import openpyxl

    _overlay(
        local_folder,
        "formula-local",
        'publisher: "=HYPERLINK(\\"http://evil.example\\", \\"Council\\")"\n'
        "not_used:\n"
        '  - {question: curriculum.taught, reason: "@SUM(1+1) taught \\u0007elsewhere"}\n'
        "amend:\n"
        '  - {question: policies.parents, guidance: "+44 1234 is the helpline"}\n',
    )
    target = tmp_path / "return.xlsx"
    assert cli("report", _answers(tmp_path, "formula-local"), "--xlsx", target).code == 0
    sheet = openpyxl.load_workbook(target)["Local changes"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
    values = {c.value for c in cells}
    assert '=HYPERLINK("http://evil.example", "Council")' in values
    assert "@SUM(1+1) taught elsewhere" in values and "+44 1234 is the helpline" in values
    assert all(c.quotePrefix for c in cells if str(c.value)[0] in "=@+")
