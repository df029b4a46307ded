"""Words for people: dates as every output writes them."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from safeaudit.display import long_date
from safeaudit.errors import LockHeld
from safeaudit.lock import AnswerLock, LockInfo, lock_path, this_host


def test_long_date_names_each_month_in_english_without_a_leading_zero() -> None:
    months = [long_date(dt.date(2026, month, 2)) for month in range(1, 13)]
    assert months[0] == "2 January 2026"
    assert months[8] == "2 September 2026"
    assert months[11] == "2 December 2026"
    assert [m.split()[1] for m in months] == [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]  # fmt: skip
    assert long_date(dt.date(2027, 8, 31)) == "31 August 2027"


def test_a_held_lock_gives_its_start_date_as_every_other_date(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    since = dt.datetime.now().replace(second=0, microsecond=0)
    lock_path(answers).write_text(LockInfo(os.getpid(), this_host(), since).text(), "utf-8")
    with pytest.raises(LockHeld) as held:
        AnswerLock(answers).acquire()
    assert f"since {long_date(since)} {since:%H:%M})" in str(held.value)
