"""Loading answer files and checking each answer against the question it answers."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from safeaudit.errors import ValidationFailed
from safeaudit.loading import YamlDocument, load_yaml
from safeaudit.model import NOT_APPLICABLE, Answers, Checklist, Question
from safeaudit.problems import Problem
from safeaudit.settings import setting_label
from safeaudit.suggest import did_you_mean
from safeaudit.validation import CODE_BAD_VALUE, validate_document

CODE_UNKNOWN_QUESTION = "SA120"
CODE_BAD_ANSWER = "SA121"
CODE_WRONG_CHECKLIST = "SA122"

#: A normalised answer value: "yes"/"partial"/"no", a level 1-5, a choice value, a date,
#: a number or text.
Value = str | int | float | dt.date

YES_PARTIAL_NO = ("yes", "partial", "no")

#: The answer to a date question for something that has never been done: a gap, not a blank.
NEVER = "never"

#: The answer "don't know", offered by questions with `dont_know` (who can find out): not met,
#: and an action to ask them, never a blank or a way round the question.
DONT_KNOW = "dont-know"


def load_answers(path: Path, name: str | None = None) -> tuple[Answers, YamlDocument]:
    """Read and validate the shape of an answer file (not yet against its checklist)."""
    doc = load_yaml(path, name)
    return validate_document(doc, Answers, "an answer file"), doc


def interpret(question: Question, raw: object) -> Value:
    """The normalised value of an answer to `question`, or ValueError saying what is allowed."""
    if raw == NOT_APPLICABLE:
        if not question.na_allowed:
            why = "statutory" if question.severity == "statutory" else "critical"
            raise ValueError(
                f"cannot be `n/a`: it is a {why} requirement. If it really does not apply to "
                "your setting, ask the checklist's maintainers to say so in `applies_to`"
            )
        return NOT_APPLICABLE
    if raw == DONT_KNOW:
        if question.dont_know is None:
            raise ValueError(
                "cannot be `dont-know`: the checklist offers that answer only on questions that "
                "someone else, such as the filtering provider, can answer; answer it, or leave it "
                "blank for now"
            )
        return DONT_KNOW
    kind = question.kind
    if kind == "yes-partial-no":
        word = raw.lower() if isinstance(raw, str) else None
        if word in YES_PARTIAL_NO:
            return word
        raise ValueError("should be yes, partial or no (or n/a with a reason)")
    if kind == "level":
        level = _as_number(raw)
        if level is None or level != int(level) or not 1 <= level <= 5:
            raise ValueError("should be a level from 1 to 5")
        return int(level)
    if kind == "choice":
        allowed = [option.value for option in question.options or []]
        if str(raw) in allowed:
            return str(raw)
        hint = did_you_mean(str(raw), allowed)
        raise ValueError(f"should be one of: {', '.join(allowed)}{hint}")
    if kind == "date":
        if isinstance(raw, str) and raw.strip().lower() == NEVER:
            return NEVER
        return parse_date(raw)
    if kind == "number":
        number = _as_number(raw)
        if number is None:
            raise ValueError("should be a number")
        return number
    return str(raw)


def parse_date(raw: object) -> dt.date:
    """A date from YAML (`2025-09-14`) or ValueError with a plain message."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"should be a real date written as YYYY-MM-DD (or `never`), not `{text}`")


def _as_number(raw: object) -> float | None:
    """A finite number, or None: `nan`, `inf` and `1e999` are not numbers anyone typed."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    try:
        number = raw if isinstance(raw, float) else float(str(raw))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def check_answers(checklist: Checklist, answers: Answers, doc: YamlDocument) -> list[Problem]:
    """Problems with answers that the shape check cannot see: unknown ids and wrong values."""
    problems: list[Problem] = []
    if answers.checklist.id != checklist.id:
        problems.append(
            doc.problem(
                ("checklist", "id"),
                CODE_WRONG_CHECKLIST,
                f"this answer file is for the checklist `{answers.checklist.id}`, not `{checklist.id}`",
            )
        )
        return problems
    if answers.setting.type not in checklist.settings:
        problems.append(
            doc.problem(
                ("setting", "type"),
                CODE_BAD_VALUE,
                f"the checklist `{checklist.id}` does not cover {setting_label(answers.setting.type)}s",
            )
        )
    index = checklist.question_index()
    for qid, answer in answers.answers.items():
        question = index.get(qid)
        if question is None:
            hint = did_you_mean(qid, index, "; check the spelling")
            problems.append(
                doc.problem(
                    ("answers", qid),
                    CODE_UNKNOWN_QUESTION,
                    f"`{qid}` is not a question in {checklist.id} {checklist.version}{hint}",
                    key=True,
                )
            )
            continue
        if answer.value is None:
            continue
        try:
            interpret(question, answer.value)
        except ValueError as exc:
            problems.append(
                doc.problem(
                    ("answers", qid, "value"), CODE_BAD_ANSWER, f"the answer to `{qid}` {exc}"
                )
            )
    return sorted(problems)


def validate_answers(checklist: Checklist, answers: Answers, doc: YamlDocument) -> None:
    """Raise ValidationFailed if any answer does not fit its checklist."""
    problems = check_answers(checklist, answers, doc)
    if problems:
        raise ValidationFailed("an answer file", problems)
