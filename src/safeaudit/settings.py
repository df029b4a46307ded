"""The kinds of setting a checklist can apply to, with their plain-English names."""

from __future__ import annotations

#: Setting type ids, in the order they are offered to users.
SETTING_TYPES: dict[str, str] = {
    "early-years": "Early years setting that is not a school (nursery, pre-school or childminder)",
    "nursery-school": "Maintained nursery school",
    "primary": "Primary school",
    "secondary": "Secondary school",
    "special": "Special school, alternative provision or pupil referral unit",
    "independent": "Independent school",
    "college": "Further education or sixth-form college",
}


def setting_label(setting_type: str) -> str:
    """The plain-English name of a setting type (the id itself if unknown)."""
    return SETTING_TYPES.get(setting_type, setting_type)
