"""The base of every model safeaudit reads (`Strict`) and the empty defaults its fields use."""

# Apart from safeaudit.model so that safeaudit.origin, whose models model.py names, can build on
# it without the two modules importing each other.

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


# Empty defaults come from these functions rather than `list` and `dict`: pydantic inspects the
# signature of a default factory, and for a built-in type that means parsing its text signature
# with `tokenize`, whose first use compiles a large regular expression (some 8 ms on every run
# that builds these models; issue 17).
def no_items() -> list[Any]:
    return []


def no_entries() -> dict[Any, Any]:
    return {}


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, strings are stripped."""

    # Infinity and NaN (`1e999`, `.nan`) are never a weight, score or answer (issue 18).
    # defer_build: a model's validator is built the first time it is used, not at import, so a
    # command that never reads a checklist or answer file does not pay for it (issue 17).
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        allow_inf_nan=False,
        defer_build=True,
    )
