"""What the questionnaire says about a question: how to answer it, its help, an answer in words."""

from __future__ import annotations

import datetime as dt

from safeaudit.answers import DONT_KNOW, Value
from safeaudit.display import long_date
from safeaudit.model import NOT_APPLICABLE, Checklist, Question
from safeaudit.outline import reference_text
from safeaudit.scoring import academic_year_start

SEVERITY_LABELS = {
    "statutory": "Statutory requirement",
    "expected": "Expected by inspectors",
    "recommended": "Recommended good practice",
}


def max_age_text(question: Question, today: dt.date) -> str:
    """How old a date may be before it counts as out of date, in plain words."""
    if question.max_age == "academic-year":
        earliest = dt.date(academic_year_start(today).year - 1, 9, 1)
        return (
            "It must be done at least once every school year: a date stays in date until 31 "
            f"August of the school year after the one it falls in, so today any date on or "
            f"after {long_date(earliest)} is in date."
        )
    if isinstance(question.max_age, int):
        months = question.max_age
        span = (
            f"{months // 12} years"
            if months >= 24 and months % 12 == 0
            else f"{months} month{'s' * (months != 1)}"
        )
        return f"A date more than {span} ago counts as out of date."
    return ""


def value_text(question: Question, value: Value | None) -> str:
    """An answer as a person would say it (the option's label for a choice)."""
    if value is None:
        return ""
    if value == NOT_APPLICABLE:
        return "n/a (does not apply)"
    if value == DONT_KNOW:
        return "don't know"
    if question.kind == "choice":
        for option in question.options or []:
            if option.value == str(value):
                return option.label
    if question.kind == "level":
        return f"level {value}"
    if value == "partial":
        return "partly"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_lines(question: Question, today: dt.date) -> list[str]:
    """What can be typed for a question, one line each (levels and options numbered)."""
    lines: list[str] = []
    if question.kind == "yes-partial-no":
        lines.append("Type y for yes, p for partly, n for no.")
    elif question.kind == "level":
        lines.append("Type the level, 1 to 5, that fits best:")
        lines += [f"  {level}  {text}" for level, text in sorted((question.levels or {}).items())]
    elif question.kind == "choice":
        lines.append("Type the number of the answer that fits best:")
        lines += [f"  {n}  {option.label}" for n, option in enumerate(question.options or [], 1)]
    elif question.kind == "date":
        lines.append("Type the date it last happened: DD/MM/YYYY, YYYY-MM-DD, today or never.")
        age = max_age_text(question, today)
        if age:
            lines.append(age)
    elif question.kind == "number":
        target = f" ({question.target:g} or more earns full marks)" if question.target else ""
        lines.append(f"Type a number{target}.")
    else:
        lines.append("Type your answer on one line.")
    if question.dont_know:
        lines.append(
            f"Type dk if you don't know: it counts as not met until you ask {question.dont_know}."
        )
    if question.na_allowed:
        lines.append("Type n/a if this does not apply to your setting (you will be asked why).")
    return lines


def help_lines(question: Question, checklist: Checklist) -> list[str]:
    """The help for a question: explanation, expected evidence, action and where it comes from."""
    lines: list[str] = []
    if question.help:
        lines += [question.help, ""]
    lines += [f"What an inspector would expect to see: {question.evidence}", ""]
    lines += [f"What to do if it is not fully in place: {question.action}", ""]
    lines.append("Where this comes from:")
    lines += [f"  - {reference_text(ref, checklist)}" for ref in question.references]
    lines += [
        "",
        "Keys: ? help · b back one question · s skip · note add a note · q save and stop"
        + (" · dk don't know" if question.dont_know else "")
        + (" · n/a does not apply" if question.na_allowed else ""),
    ]
    return lines
