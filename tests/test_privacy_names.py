"""A name beside a year group is flagged, but school words beside a year group are not."""

from __future__ import annotations

import pytest

from safeaudit.report.privacy import find, redact


@pytest.mark.parametrize(
    "text",
    [
        "Taught in Year 6 through computing lessons.",
        "Covered in Y5 and Y6.",
        "Assembly in Reception each term.",
        "Lessons from Year 7 upwards.",
        "Pupils in Year 10 complete a survey.",
        "Computing, Year 8.",
        "Staff - Reception.",
        "Year 6 Online Safety Ambassadors meet weekly.",
        "Digital Leaders from Year 5 run the club.",
        "See the Y6 Curriculum Map.",
        # Apps named with a capital inside the word, which a name like McDonald also has.
        "WhatsApp Year 8 group chat was closed.",
        "YouTube in Year 7 lessons.",
        "PowerPoint from Year 9 assembly.",
    ],
)
def test_school_words_beside_a_year_group_are_not_a_name(text: str) -> None:
    assert [f for f in find(text) if f.kind == "name-year"] == []
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Jane Smith (Y5) was upset.", "[name and class removed] was upset."),
        ("Y5 pupil Jane Smith was upset.", "[name and class removed] was upset."),
        ("Concern about Tom Baker, Year 10.", "Concern about [name and class removed]."),
        ("Ali in 5B.", "[name and class removed]."),
        # A first name that is also a season or a school word is masked with the rest,
        # never left behind on its own.
        ("Summer Jones (Y5).", "[name and class removed]."),
        ("Pupils Jane Smith (Y5).", "[name and class removed]."),
        # First names that are also months are not taken for months.
        ("June in 5B.", "[name and class removed]."),
        # Irish and Scottish surnames: a lone capital before an apostrophe, Mc and Mac.
        ("Liam O'Neill (Y5) was upset.", "[name and class removed] was upset."),
        ("Aoife O\u2019Brien, Year 4.", "[name and class removed]."),
        ("Jack McDonald in 5B.", "[name and class removed]."),
        ("Y6 pupil Sian MacLeod.", "[name and class removed]."),
        ("Spoke to Mrs O'Connor.", "Spoke to [name removed]."),
    ],
)
def test_a_name_beside_a_year_group_is_masked_whole(text: str, masked: str) -> None:
    assert redact(text) == masked
