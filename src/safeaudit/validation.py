"""Turn pydantic validation errors into plain-English problems with file, line and column."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from safeaudit.errors import ValidationFailed
from safeaudit.loading import YamlDocument
from safeaudit.problems import Problem
from safeaudit.suggest import did_you_mean

CODE_UNKNOWN_KEY = "SA102"
CODE_MISSING_KEY = "SA103"
CODE_BAD_VALUE = "SA104"

M = TypeVar("M", bound=BaseModel)

# pydantic adds these to a location when a value failed every member of a union.
_TYPE_TAGS = {"str", "int", "float", "bool", "date", "datetime", "none", "dict", "list"}


def validate_document(doc: YamlDocument, model: type[M], what: str) -> M:
    """Validate a parsed document against a model, or raise ValidationFailed with every problem."""
    if not isinstance(doc.data, dict):
        found = _kind_of(doc.data)
        raise ValidationFailed(
            what,
            [
                doc.problem(
                    (),
                    CODE_BAD_VALUE,
                    f"should hold a mapping of keys and values (like `id: ...`) but holds {found}; "
                    f"is this really {what}?",
                )
            ],
        )
    other = _OTHER_KIND.get(what)
    if (
        other
        and any(key in doc.data for key in other[0])
        and not any(key in doc.data for key in other[1])
    ):
        raise ValidationFailed(
            what, [doc.problem((), CODE_BAD_VALUE, f"looks like {other[2]}, not {what}")]
        )
    known = {field.alias or name for name, field in model.model_fields.items()}
    if doc.data and not any(isinstance(key, str) and key in known for key in doc.data):
        shown = ", ".join(f"`{str(key)[:40]}`" for key in list(doc.data)[:5])
        more = ", ..." if len(doc.data) > 5 else ""
        raise ValidationFailed(
            what,
            [
                doc.problem(
                    (),
                    CODE_BAD_VALUE,
                    f"is not {what}: none of its top-level keys ({shown}{more}) is one "
                    f"{what} has{_such_as(what)}",
                )
            ],
        )
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise ValidationFailed(what, problems_from_error(doc, model, exc)) from None


#: Keys named when a mapping has none of the right ones.
_EXAMPLE_KEYS = {
    "an answer file": ("checklist", "setting", "answers"),
    "a checklist": ("id", "title", "areas"),
    "a checklist overlay": ("extends", "id", "title"),
}


def _such_as(what: str) -> str:
    keys = _EXAMPLE_KEYS.get(what, ())
    return f", such as {', '.join(f'`{key}`' for key in keys)}" if keys else ""


#: Keys that show a file is the other kind (keys it would have, keys it would not, its name),
#: so swapping an answer file and a checklist gets a plain message rather than a key list.
_OTHER_KIND = {
    "an answer file": (("areas", "sources"), ("answers", "setting"), "a checklist"),
    "a checklist": (("answers", "setting"), ("areas", "sources"), "an answer file"),
}


def problems_from_error(
    doc: YamlDocument, model: type[BaseModel], exc: ValidationError
) -> list[Problem]:
    """One problem per field that failed, worded for people and placed at the offending line."""
    grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for error in exc.errors(include_url=False):
        loc = _real_loc(doc.data, error["loc"])
        grouped.setdefault(loc, []).append(dict(error))
    problems = []
    for loc, errors in grouped.items():
        problems.append(_problem(doc, model, loc, errors))
    return sorted(set(problems))


def _problem(
    doc: YamlDocument,
    model: type[BaseModel],
    loc: tuple[str | int, ...],
    errors: list[dict[str, Any]],
) -> Problem:
    first = errors[0]
    kind = first["type"]
    field = _describe(doc.data, loc)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed)
        where = f" in {_describe(doc.data, loc[:-1])}" if loc[:-1] else ""
        message = f"unknown key `{loc[-1]}`{where}{hint}"
        return doc.problem(loc, CODE_UNKNOWN_KEY, message, key=True)
    if kind == "missing":
        where = f" in {_describe(doc.data, loc[:-1])}" if loc[:-1] else ""
        return doc.problem(
            loc[:-1], CODE_MISSING_KEY, f"missing required key `{loc[-1]}`{where}", key=True
        )
    messages = []
    for error in errors:
        text = _reword(error)
        if text not in messages:
            messages.append(text)
    value = first.get("input")
    shown = f", not `{value}`" if isinstance(value, (str, int, float)) and str(value) else ""
    hint = ""
    if kind == "literal_error" and isinstance(value, str):
        expected = first.get("ctx", {}).get("expected", "")
        hint = did_you_mean(
            value, [part.strip(" '") for part in expected.replace(" or ", ",").split(",")]
        )
    if messages[0].startswith(("needs ", "is ", "has ")):
        body = " and ".join(messages)
        return doc.problem(loc, CODE_BAD_VALUE, f"{field} {body}{hint}")
    if messages[0].startswith("should be "):
        return doc.problem(loc, CODE_BAD_VALUE, f"{field} {' or '.join(messages)}{shown}{hint}")
    if kind in ("value_error", "assertion_error"):
        # A validator's own sentence ("setting type must be one of: ..."): quote it whole.
        return doc.problem(loc, CODE_BAD_VALUE, f"{field}: {'; '.join(messages)}{shown}{hint}")
    return doc.problem(
        loc, CODE_BAD_VALUE, f"{field} should be {' or '.join(messages)}{shown}{hint}"
    )


def _reword(error: dict[str, Any]) -> str:
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    if error["type"] == "string_pattern_mismatch":
        return "lower-case letters, digits and hyphens (dots between parts for question ids)"
    if error["type"] in (
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "date_parsing",
        "date_type",
    ):
        return "a real date written as YYYY-MM-DD"
    if error["type"] in ("datetime_from_date_parsing", "datetime_parsing", "datetime_type"):
        return "a date and time written as YYYY-MM-DDTHH:MM"
    if error["type"] == "string_type":
        return 'text (put quotes around it if it looks like a number, e.g. "2025.1")'
    if error["type"] in ("int_type", "int_parsing", "int_from_float"):
        return "a whole number"
    if error["type"] in ("float_type", "float_parsing"):
        return "a number"
    if error["type"] == "finite_number":
        return "an ordinary number (not infinity or NaN)"
    if error["type"] in ("bool_type", "bool_parsing"):
        return "true or false"
    if error["type"] in ("list_type",):
        return "a list (items on lines starting with `- `, or `[a, b]`)"
    if error["type"] in ("model_type", "dict_type", "model_attributes_type"):
        return "a mapping of keys and values"
    if message.startswith("Input should be "):
        message = message[len("Input should be ") :]
    return message


def describe_location(data: object, loc: Sequence[str | int]) -> str:
    """A readable name for a location in parsed data (see `_describe`)."""
    return _describe(data, loc)


def _describe(data: object, loc: Sequence[str | int]) -> str:
    """A readable name for a location: `severity` of question `filtering.logs`, say.

    A list item with an `id` is named by it, so people see ids rather than indexes.
    """
    if not loc:
        return "the file"
    named, rest = "", ""
    current = data
    for step in loc:
        item = None
        if isinstance(current, dict):
            item = current.get(step)
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            item = current[step]
        if isinstance(step, int) and isinstance(item, dict) and isinstance(item.get("id"), str):
            parent = rest.rsplit(".", 1)[-1].rstrip("s") or "item"
            named, rest = f"{parent} `{item['id']}`", ""
        elif isinstance(step, int):
            rest += f"[{step}]"
        else:
            rest += f".{step}" if rest else str(step)
        current = item
    if named and rest:
        return f"`{rest}` of {named}"
    return named or f"`{rest}`"


def _real_loc(data: object, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """The error's location without the member names pydantic adds for unions.

    A step that is a real key of the data (a top-level key called `literal`, say) is kept.
    """
    kept: list[str | int] = []
    current: object = data
    for step in loc:
        in_dict = isinstance(current, dict) and step in current
        in_list = isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current)
        if in_dict or in_list:
            kept.append(step)
            current = current[step]  # type: ignore[index]
        elif not _is_type_tag(step):
            kept.append(step)
            current = None
    return tuple(kept)


def _is_type_tag(step: str | int) -> bool:
    return isinstance(step, str) and (
        step in _TYPE_TAGS
        or "[" in step
        or step.startswith(("function-", "literal", "constrained-"))
    )


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a single piece of text"
    if value is None:
        return "nothing"
    return f"a single value ({type(value).__name__})"


def _allowed_keys(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys a model accepts at a location, for "did you mean" suggestions."""
    current: Any = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (f for name, f in current.model_fields.items() if (f.alias or name) == step), None
            )
            if field is None:
                return []
            current = field.annotation
        else:
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            if origin in (list, tuple) and args:
                current = args[0]
            elif origin is dict and len(args) == 2:
                current = args[1]
            else:
                return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated/unions down to the model or container they hold."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            containers = [a for a in members if typing.get_origin(a) in (list, dict)]
            annotation = (models or containers or members)[0]
        else:
            return annotation
