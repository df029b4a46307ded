"""What a person types at the questionnaire's prompts, turned into values (or a plain refusal)."""

from __future__ import annotations

import datetime as dt
import re

from safeaudit.answers import DONT_KNOW, NEVER, Value, interpret
from safeaudit.model import Question

#: Keys that work at every prompt.
KEY_HELP, KEY_BACK, KEY_SKIP, KEY_QUIT, KEY_CLEAR = "?", "b", "s", "q", "-"
#: Typed at any prompt for a question (except the notes prompt itself): write a note now.
KEY_NOTE = "note"

_YPN_KEYS = {"y": "yes", "yes": "yes", "p": "partial", "partial": "partial", "n": "no", "no": "no"}
_NA_WORDS = ("n/a", "na", "n.a.", "not applicable")
_DONT_KNOW_WORDS = ("dk", "don't know", "dont know", "do not know", "dont-know", DONT_KNOW)
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class InputProblem(ValueError):
    """Something typed that cannot be used; the message says, in plain words, what to type."""


def example_day(today: dt.date, *, future: bool) -> dt.date:
    """A date to show in a hint, believable for what is asked.

    The 14th (so the day cannot be taken for the month) of the month two months after
    `today` for a due date (`future`), or two months before it for when something last
    happened: 14 January 2027 and 14 September 2026 when today is 30 November 2026.
    """
    index = today.year * 12 + today.month - 1 + (2 if future else -2)
    return dt.date(index // 12, index % 12 + 1, 14)


def example_date(today: dt.date, *, future: bool) -> str:
    """`example_day` as a person types it at the questionnaire: DD/MM/YYYY."""
    return example_day(today, future=future).strftime("%d/%m/%Y")


def parse_user_date(
    raw: str, today: dt.date, *, future: bool = False, never: bool = False
) -> dt.date:
    """A date typed by a person: YYYY-MM-DD, DD/MM/YYYY or "today".

    `future` says a date to come is asked for (a due date), so the hint's example is one;
    `never` that "never" is an answer too, so the hint offers it.
    """
    text = raw.strip().lower()
    if text == "today":
        return today
    match = _UK_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
            year, month, day = (int(part) for part in text.split("-"))
            return dt.date(year, month, day)
    except ValueError:
        raise InputProblem(f"{raw.strip()} is not a real date; check the day and month.") from None
    raise InputProblem(
        f"Write the date as DD/MM/YYYY (for example {example_date(today, future=future)}), "
        f"as YYYY-MM-DD, or type today{' or never' if never else ''}."
    )


def says_not_applicable(question: Question, text: str) -> bool:
    """Whether `text` says the question does not apply (n/a); refused for a statutory or a
    critical one."""
    if text.lower() not in _NA_WORDS:
        return False
    if not question.na_allowed:
        why = "statutory" if question.severity == "statutory" else "critical"
        raise InputProblem(
            f"This is a {why} requirement, so it cannot be marked as "
            "not applying: answer it, or type s to skip for now."
        )
    return True


def says_dont_know(question: Question, text: str) -> bool:
    """Whether `text` says "don't know" (dk); refused where the checklist does not offer it."""
    if text.strip().lower().replace("\u2019", "'") not in _DONT_KNOW_WORDS:
        return False
    if question.dont_know is None:
        raise InputProblem(
            "This question needs an answer from you, not from your IT provider: answer it as "
            "best you can, or type s to skip for now."
        )
    return True


def parse_answer(question: Question, text: str, today: dt.date) -> Value:
    """An answer typed by a person (y/p/n, a level, an option's number, a date...) as a value.

    Raises InputProblem saying what to type; used by `run` and by `serve`'s forms alike.
    """
    if says_dont_know(question, text):
        return DONT_KNOW
    kind = question.kind
    value: Value
    if kind == "yes-partial-no":
        if text.lower() not in _YPN_KEYS:
            raise InputProblem("Type y (yes), p (partly) or n (no); ? shows help.")
        value = _YPN_KEYS[text.lower()]
    elif kind == "level":
        if text not in ("1", "2", "3", "4", "5"):
            raise InputProblem("Type a level from 1 to 5.")
        value = int(text)
    elif kind == "choice":
        options = question.options or []
        if text.isdigit() and 1 <= int(text) <= len(options):
            value = options[int(text) - 1].value
        elif text in [option.value for option in options]:
            value = text
        else:
            raise InputProblem(f"Type a number from 1 to {len(options)}.")
    elif kind == "date" and text.lower() == NEVER:
        value = NEVER  # never done: a gap, not a blank
    elif kind == "date":
        value = parse_user_date(text, today, never=True)
        if value > today:
            raise InputProblem("That date is in the future: give the date it last happened.")
    elif kind == "number":
        value = _parse_number(text)
    else:
        value = text
    try:
        return interpret(question, value)
    except ValueError as exc:  # pragma: no cover - the checks above should catch it first
        raise InputProblem(f"The answer {exc}.") from None


def _parse_number(text: str) -> int | float:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise InputProblem("Type a number, for example 12.") from None
    if number < 0 or number != number or number in (float("inf"), float("-inf")):
        raise InputProblem("Type a number of 0 or more.")
    return int(number) if number.is_integer() else number


def parse_due(text: str, today: dt.date) -> dt.date:
    """A due date typed by a person: today or later."""
    day = parse_user_date(text, today, future=True)
    if day < today:
        raise InputProblem("A due date should be today or later.")
    return day
