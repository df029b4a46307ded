"""The JSON Schema of the checklist format, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from safeaudit.model import Checklist

SCHEMA_ID = "https://safeaudit.invalid/schemas/checklist.schema.json"


def checklist_schema() -> dict[str, Any]:
    schema = Checklist.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "safeaudit checklist",
        "description": "A versioned checklist of online safety and safeguarding questions "
        "(see docs/checklist-format.md).",
    }
