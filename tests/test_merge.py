"""`safeaudit merge`: partial answer files combine into their union; conflicts are listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES
from safeaudit.answers import load_answers
from safeaudit.errors import MergeRefused
from safeaudit.merge import Part, merge
from safeaudit.model import Answers

SOURCE = EXAMPLES / "secondary-kcsie-2025.yaml"


def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def halves(tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """The example split in two: the IT lead answers filtering and monitoring, the DSL the rest;
    both answer one question the same way."""
    data = _data()
    answers = data["answers"]
    it_ids = [q for q in answers if q.startswith(("filtering.", "monitoring."))]
    shared = "dsl.job-description"
    it = {
        **data,
        "completed_by": "J. Smith (IT lead)",
        "answers": {q: answers[q] for q in [*it_ids, shared]},
    }
    dsl = {
        **data,
        "completed_by": "R. Okafor (DSL)",
        "answers": {q: v for q, v in answers.items() if q not in it_ids},
    }
    return _write(tmp_path / "it.yaml", it), _write(tmp_path / "dsl.yaml", dsl), data


def test_two_halves_merge_into_their_union(cli, halves, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    it, dsl, _ = halves
    out = tmp_path / "combined.yaml"
    result = cli("merge", it, dsl, "-o", out)
    assert result.code == 0, result.err
    assert "1 answered alike" in result.err
    combined, _ = load_answers(out)
    original, _ = load_answers(SOURCE)
    assert set(combined.answers) == set(original.answers)
    assert combined.answers["filtering.coverage"].answered_by == "J. Smith (IT lead)"
    assert combined.answers["dsl.training"].answered_by == "R. Okafor (DSL)"
    assert combined.answers["dsl.job-description"].answered_by == (
        "J. Smith (IT lead); R. Okafor (DSL)"
    )
    for qid, answer in original.answers.items():
        assert combined.answers[qid].value == answer.value
    assert cli("score", out).code in (0, 1)
    # -o never replaces a file without --force.
    again = cli("merge", it, dsl, "-o", out)
    assert again.code == 2 and "already exists" in again.err
    assert cli("merge", it, dsl, "-o", out, "--force").code == 0


def test_a_planted_conflict_is_listed_and_nothing_written(cli, halves, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    it, dsl, _ = halves
    text = it.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["answers"]["dsl.job-description"] = {
        "value": "no",
        "answered_by": "K. Lee (network manager)",
        "answered_at": "2026-10-03T14:05:00",
    }
    _write(it, data)
    out = tmp_path / "combined.yaml"
    result = cli("merge", it, dsl, "-o", out)
    assert result.code == 1
    assert not out.exists()
    assert "dsl.job-description: different value" in result.out
    assert f"{it}: no (answered by K. Lee (network manager), 2026-10-03 14:05)" in result.out
    assert f"{dsl}: yes (answered by R. Okafor (DSL), no time recorded)" in result.out
    assert "nothing was written" in result.err and "--prefer" in result.err

    preferred = cli("merge", it, dsl, "-o", out, "--prefer", dsl)
    assert preferred.code == 0, preferred.err
    combined, _ = load_answers(out)
    assert combined.answers["dsl.job-description"].value == "yes"
    assert combined.answers["dsl.job-description"].answered_by == "R. Okafor (DSL)"


def test_same_answer_written_differently_agrees(halves) -> None:  # type: ignore[no-untyped-def]
    from safeaudit.checklists import load_checklist

    it, dsl, _ = halves
    a, _ = load_answers(it)
    b, _ = load_answers(dsl)
    b = b.model_copy(
        update={
            "answers": {
                **b.answers,
                "dsl.job-description": b.answers["dsl.job-description"].model_copy(
                    update={"value": "Yes"}
                ),
            }
        }
    )
    result = merge([Part("a", a), Part("b", b)], load_checklist("kcsie-2025-online-safety"))
    assert result.conflicts == [] and result.agreed == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"setting": {"name": "Another School", "type": "secondary"}}, "same setting"),
        ({"setting": {"name": "Northgate Fields Academy", "type": "secondary", "urn": "1"}}, "URN"),
        ({"checklist": {"id": "kcsie-2025-online-safety", "version": "2024.1"}}, "version"),
    ],
)
def test_different_setting_or_version_is_refused(
    change: dict[str, Any], words: str, tmp_path: Path
) -> None:
    first = _data()
    first["setting"]["urn"] = "2"
    other = {**_data(), **change}
    a = Answers.model_validate(first)
    b = Answers.model_validate(other)
    with pytest.raises(MergeRefused, match=words):
        merge([Part("a.yaml", a), Part("b.yaml", b)])


def test_cli_refuses_different_setting_with_exit_2(cli, halves, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    it, dsl, _ = halves
    data = yaml.safe_load(dsl.read_text(encoding="utf-8"))
    data["setting"]["name"] = "Southgate Academy"
    _write(dsl, data)
    result = cli("merge", it, dsl, "-o", tmp_path / "out.yaml")
    assert result.code == 2
    assert "only answers for the same setting can be merged" in result.err
    assert "Traceback" not in result.err
