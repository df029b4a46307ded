"""Explicit tags whose values PyYAML cannot build are one clear, placed error, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeaudit.errors import SafeauditError
from safeaudit.loading import load_yaml


@pytest.mark.parametrize(
    "text",
    [
        'date: !!timestamp "2026-01-01\n  10:00"\n',  # PyYAML's pattern misses: AttributeError
        "date: !!timestamp 2026-02-30\n",
        "date: !!timestamp not-a-date\n",
    ],
)
def test_a_timestamp_tag_on_a_value_it_cannot_hold_is_a_placed_error(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SafeauditError) as caught:
        load_yaml(path)
    message = caught.value.message
    assert f"{path}:1:7:" in message
    assert "cannot be read as !!timestamp; remove the tag or correct the value" in message
