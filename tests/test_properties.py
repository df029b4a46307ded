"""Property-based tests: the loader only ever raises LoadError, and scores behave as documented."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeaudit.answers import interpret
from safeaudit.checklists import load_checklist_file
from safeaudit.errors import LoadError
from safeaudit.loading import decode_text, parse_yaml
from safeaudit.model import Answer, Answers, ChecklistRef, Setting
from safeaudit.scoring import score
from safeaudit.store import dump_answers, save_answers

settings.register_profile(
    "safeaudit",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("safeaudit")

CHECKLIST = load_checklist_file(
    Path(__file__).resolve().parent / "bad_inputs" / "good" / "run-small.yaml"
)
TODAY = dt.date(2026, 3, 1)
QUESTIONS = {q.id: q for _a, q in CHECKLIST.questions()}

YAML_BITS = st.sampled_from(
    [
        "a",
        ":",
        ": ",
        "- ",
        "\n",
        "  ",
        "\t",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&x ",
        "*x",
        "!!python/object ",
        "!tag ",
        "'",
        '"',
        "#",
        "---",
        "...",
        "? ",
        "|",
        ">",
        "%YAML 1.1",
        "\\",
        "\r\n",
        "\ufeff",
        "2026-02-30",
        "yes",
        "n/a",
        "~",
        "<<: *x",
        "\x00",
        "\x07",
        "\u2028",
        "é",
    ]
)


@given(st.one_of(st.text(max_size=300), st.lists(YAML_BITS, max_size=60).map("".join)))
def test_parse_yaml_raises_only_load_error(text: str) -> None:
    try:
        parse_yaml(text, "t.yaml")
    except LoadError as exc:
        assert exc.problem.file == "t.yaml"
        assert "\n" not in exc.message


@given(st.binary(max_size=300))
def test_decode_text_raises_only_load_error(data: bytes) -> None:
    try:
        text = decode_text(data, "b.yaml")
    except LoadError:
        return
    with contextlib.suppress(LoadError):
        parse_yaml(text, "b.yaml")


def _value(question_id: str) -> st.SearchStrategy[object]:
    kind = QUESTIONS[question_id].kind
    if kind == "yes-partial-no":
        return st.sampled_from(["yes", "partial", "no"])
    if kind == "level":
        return st.integers(1, 5)
    if kind == "choice":
        return st.sampled_from([o.value for o in QUESTIONS[question_id].options or []])
    if kind == "date":
        return st.one_of(st.dates(dt.date(2015, 1, 1), TODAY), st.just("never"))
    if kind == "number":
        return st.integers(0, 40) | st.floats(0, 40, allow_nan=False)
    return st.text(max_size=20)


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@st.composite
def answers(draw: st.DrawFn) -> Answers:
    chosen = draw(st.lists(st.sampled_from(sorted(QUESTIONS)), unique=True))
    given_answers = {}
    for qid in chosen:
        na = QUESTIONS[qid].severity != "statutory" and draw(st.booleans()) and draw(st.booleans())
        given_answers[qid] = {
            "value": "n/a" if na else draw(_value(qid)),
            "reason": "does not apply here" if na else draw(TEXT),
            "evidence": draw(TEXT),
            "owner": draw(TEXT),
            "note": draw(TEXT),
            "due": draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1))),
        }
    return Answers.model_validate(
        {
            "checklist": ChecklistRef(id=CHECKLIST.id, version=CHECKLIST.version),
            "setting": Setting(
                name=draw(TEXT.filter(str.strip)), type=draw(st.sampled_from(CHECKLIST.settings))
            ),
            "audit_date": TODAY,
            "completed_by": draw(TEXT),
            "answers": given_answers,
        }
    )


def _percents(result: object) -> list[float | None]:
    return [result.percent] + [area.percent for area in result.areas]  # type: ignore[attr-defined]


@given(answers())
def test_scores_lie_between_0_and_100(audit: Answers) -> None:
    for percent in _percents(score(CHECKLIST, audit, today=TODAY)):
        assert percent is None or 0 <= percent <= 100


@given(answers(), st.sampled_from(sorted(QUESTIONS)))
def test_not_applicable_never_changes_the_score(audit: Answers, qid: str) -> None:
    if QUESTIONS[qid].severity == "statutory":
        return
    without = {k: v for k, v in audit.answers.items() if k != qid}
    base = audit.model_copy(update={"answers": without})
    na = audit.model_copy(update={"answers": {**without, qid: Answer(value="n/a", reason="x")}})
    before, after = score(CHECKLIST, base, today=TODAY), score(CHECKLIST, na, today=TODAY)
    # Not applicable is excluded, like a question that was never asked: only its own weight
    # (counted as unanswered before) leaves the total, and the earned marks are unchanged.
    assert after.earned == before.earned
    controlled = any(q.when and q.when.question == qid for q in QUESTIONS.values())
    if not controlled:
        dropped = before.possible - after.possible
        assert dropped in (0, QUESTIONS[qid].weight * QUESTIONS[qid].scored)


@given(answers(), st.data())
def test_no_to_yes_never_lowers_a_score(audit: Answers, data: st.DataObject) -> None:
    ypn = [q for q in QUESTIONS if QUESTIONS[q].kind == "yes-partial-no"]
    qid = data.draw(st.sampled_from(ypn))
    old = audit.answers.get(qid) or Answer()
    with_no = audit.model_copy(
        update={
            "answers": {**audit.answers, qid: old.model_copy(update={"value": "no", "reason": ""})}
        }
    )
    with_yes = audit.model_copy(
        update={
            "answers": {**audit.answers, qid: old.model_copy(update={"value": "yes", "reason": ""})}
        }
    )
    low, high = score(CHECKLIST, with_no, today=TODAY), score(CHECKLIST, with_yes, today=TODAY)
    for before, after in zip(_percents(low), _percents(high), strict=True):
        if before is not None and after is not None:
            assert after >= before


@given(audit=answers())
def test_answer_files_round_trip(audit: Answers, tmp_path_factory: object) -> None:
    from safeaudit.answers import load_answers

    folder = tmp_path_factory.mktemp("rt")  # type: ignore[attr-defined]
    path = folder / "answers.yaml"
    save_answers(path, audit)
    loaded, _doc = load_answers(path)
    # Dates come back as the text they were written as; what they mean is the same.
    assert loaded.model_dump(exclude={"answers"}) == audit.model_dump(exclude={"answers"})
    assert list(loaded.answers) == list(audit.answers)
    for qid, answer in audit.answers.items():
        again = loaded.answers[qid]
        assert again.model_dump(exclude={"value"}) == answer.model_dump(exclude={"value"})
        assert interpret(QUESTIONS[qid], again.value) == interpret(QUESTIONS[qid], answer.value)
    assert dump_answers(loaded) == dump_answers(audit)
