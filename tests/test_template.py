"""`safeaudit template`: a commented skeleton that `score` accepts with every question unanswered."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from safeaudit.audit import load_audit
from safeaudit.checklists import load_checklist
from safeaudit.template import render_template

SMALL = Path(__file__).parent / "fixtures" / "run" / "small.yaml"


@pytest.mark.parametrize("setting", ["early-years", "primary", "secondary", "college"])
@pytest.mark.parametrize("checklist", ["ofsted-2016-online-safety", str(SMALL)])
def test_untouched_template_scores_with_every_question_unanswered(
    checklist: str,
    setting: str,
    tmp_path: Path,
) -> None:
    loaded = load_checklist(checklist)
    path = tmp_path / "answers.yaml"
    path.write_text(render_template(loaded, setting, "Oak Lane"), encoding="utf-8")
    result = load_audit(path, checklist).score()
    applicable = [
        q for _a, q in loaded.questions() if q.applies_to_setting(setting, loaded.settings)
    ]
    assert len(result.unanswered) == len(applicable)
    assert result.verdict == "incomplete"
    assert result.answers.setting.type == setting
    # Every applicable question appears once as an empty key, and no other.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(data["answers"]) == [q.id for q in applicable]
    assert all(value is None for value in data["answers"].values())


def test_comments_describe_each_question() -> None:
    text = render_template(load_checklist(str(SMALL)), "primary")
    assert "  # How well do staff understand the filter?" in text
    assert "#     3: The DSL knows" in text
    assert "#     unclear: Nobody is sure" in text
    assert "# Out of date when more than 12 months old" in text
    assert "# Only answer this if filtering.access is filtered." in text
    assert "# Source: A statutory source para 1" in text
    assert "# Answer: yes, partial or no\n" in text  # statutory: no n/a
    assert "# Answer: yes, partial or no (or n/a, with a reason)" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_the_example_due_date_is_to_come() -> None:
    text = render_template(load_checklist(str(SMALL)), "primary", today=dt.date(2026, 11, 30))
    assert "#   due: 2027-01-14\n" in text


def test_a_school_year_review_is_described_as_scoring_judges_it() -> None:
    """In date until 31 August of the following school year (scoring.next_due), not only
    from 1 September of this one."""
    text = " ".join(
        line.strip(" #")
        for line in render_template(load_checklist("kcsie-2026-online-safety"), "primary")
        .split("When did you last review how well your filtering and monitoring work?")[1]
        .splitlines()[1:5]
    )
    assert (
        "Done at least once every school year: in date until 31 August of the school year "
        "after the one it falls in"
    ) in text


def test_setting_limits_the_questions() -> None:
    text = render_template(load_checklist(str(SMALL)), "early-years")
    assert "policy.school-only:" not in text
    assert "policy.written:" in text


def test_cli_writes_stdout_and_file(cli: Any, tmp_path: Path) -> None:
    shown = cli("template", str(SMALL), "--setting", "secondary", "--name", "Hill School")
    assert shown.code == 0, shown.err
    assert 'name: "Hill School"' in shown.out
    out = tmp_path / "answers.yaml"
    written = cli("template", str(SMALL), "--setting", "secondary", "-o", str(out))
    assert written.code == 0, written.err
    assert out.stat().st_mode & 0o777 == 0o600 or sys.platform == "win32"
    scored = cli("score", str(out), "--checklist", str(SMALL))
    # Accepted: scored (exit 1 says there are gaps), not rejected as unusable (exit 2).
    assert scored.code in (0, 1), scored.err
    assert scored.err == ""
    assert "Incomplete" in scored.out
    again = cli("template", str(SMALL), "--setting", "secondary", "-o", str(out))
    assert again.code == 2 and "--force" in again.err


def test_cli_rejects_unknown_setting(cli: Any) -> None:
    result = cli("template", str(SMALL), "--setting", "nursery")
    assert result.code == 2
    assert "early-years, nursery-school, primary" in result.err
    assert "Traceback" not in result.err


def test_provision_brings_in_its_questions_and_is_written_to_the_file(
    cli: Any, tmp_path: Path
) -> None:
    """A primary school with a Reception class gets the early-years questions, as in `run`."""
    checklist = load_checklist("kcsie-2026-online-safety")
    plain = render_template(checklist, "primary")
    with_ey = render_template(checklist, "primary", provision=["early-years"])
    ey_only = [
        q.id
        for _area, q in checklist.questions()
        if q.provision
        and "early-years" in q.provision
        and set(q.applies_to or ()) <= {"early-years", "nursery-school"}
    ]
    assert ey_only, "the KCSIE 2026 checklist has questions for early-years provision"
    for qid in ey_only:
        assert f"\n  {qid}:" in with_ey and f"\n  {qid}:" not in plain
    path = tmp_path / "answers.yaml"
    path.write_text(with_ey, encoding="utf-8")
    audit = load_audit(path, None)
    assert audit.answers.setting.provision == ["early-years"]
    # Every question the template lists is one the score counts as still to answer.
    listed = len(re.findall(r"^  [a-z0-9.-]+:$", with_ey, flags=re.M))
    assert audit.score().counts()["unanswered"] == listed
    refused = cli(
        "template", "kcsie-2026-online-safety", "--setting", "primary", "--provision", "nursery"
    )
    assert refused.code == 2 and "is not a kind of provision" in refused.err
