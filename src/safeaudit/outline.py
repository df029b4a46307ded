"""A checklist as readable lines of text for `safeaudit show` (no terminal library here)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from safeaudit.display import long_date
from safeaudit.model import Checklist, Question, Reference
from safeaudit.settings import SETTING_TYPES, setting_label

SEVERITY_TAGS = {"statutory": "STATUTORY", "expected": "expected", "recommended": "recommended"}


def reference_text(ref: Reference, checklist: Checklist) -> str:
    source = checklist.sources.get(ref.source)
    title = source.title if source else ref.source
    where = ""
    if ref.para:
        where = f" para {'≈' if ref.approximate else ''}{ref.para}"
    elif ref.section:
        where = f" section {'≈' if ref.approximate else ''}{ref.section}"
    note = f" ({ref.note})" if ref.note else ""
    return f"{title}{where}{note}"


def _applies(question: Question, checklist: Checklist) -> str:
    settings = question.applies_to if question.applies_to is not None else checklist.settings
    if set(settings) >= set(checklist.settings):
        return ""
    if not settings:
        return ""  # asked only for its provision, which the next tag names
    return "only " + ", ".join(s for s in SETTING_TYPES if s in settings)


def _provision(question: Question) -> str:
    """Which kinds of provision also bring the question in (a school's Reception class)."""
    if not question.provision:
        return ""
    kinds = " or ".join(question.provision)
    return f"{'also ' if question.applies_to != [] else ''}for any setting with {kinds} provision"


def _shown(question: Question, checklist: Checklist, setting: str | None) -> bool:
    """Whether `show --setting` lists the question: it applies to the setting type, or would
    with the provision the tag names."""
    if setting is None or question.applies_to_setting(setting, checklist.settings):
        return True
    return bool(question.provision)


def outline_lines(
    checklist: Checklist, setting: str | None = None, width: int = 100
) -> Iterator[tuple[str, str]]:
    """(style, line) pairs: style is a hint such as "bold" or "" for plain."""
    yield "bold", f"{checklist.title}"
    yield (
        "",
        f"id {checklist.id} · version {checklist.version} · in effect from {long_date(checklist.effective)}",
    )
    if setting:
        yield "", f"Showing questions for: {setting_label(setting)}"
    if checklist.description:
        yield from (("", line) for line in textwrap.wrap(checklist.description, width - 1))
    if any(q.critical for _area, q in checklist.questions()):
        legend = (
            'CRITICAL marks a question whose answer alone can stop a "met" verdict: anything '
            "short of fully met keeps the verdict from met."
        )
        yield from (("", line) for line in textwrap.wrap(legend, width - 1))
    total = 0
    for area in checklist.areas:
        questions = [q for q in area.questions if _shown(q, checklist, setting)]
        if not questions:
            continue
        yield "", ""
        yield "bold underline", f"{area.title} ({len(questions)})"
        for q in questions:
            total += 1
            tags = [SEVERITY_TAGS[q.severity]]
            if q.critical:
                tags.append("CRITICAL")
            tags.append(q.kind)
            if q.weight != 1:
                tags.append(f"weight {q.weight:g}")
            tags += [tag for tag in (_applies(q, checklist), _provision(q)) if tag]
            if q.when:
                tags.append(f"if {q.when.question} is {' or '.join(q.when.values)}")
            yield "", ""
            yield "bold", f"  {q.id}  [{'; '.join(tags)}]"
            for line in textwrap.wrap(q.text, width - 4):
                yield "", f"    {line}"
            if q.evidence:
                for line in textwrap.wrap(f"Evidence: {q.evidence}", width - 4):
                    yield "dim", f"    {line}"
            refs = "; ".join(reference_text(r, checklist) for r in q.references)
            for line in textwrap.wrap(f"Source: {refs}", width - 4):
                yield "dim", f"    {line}"
    yield "", ""
    yield "", f"{total} question{'s' * (total != 1)}."
    yield from _left_out(checklist, width)


def _left_out(checklist: Checklist, width: int) -> Iterator[tuple[str, str]]:
    """The questions an overlay left out of the checklist it builds on, with who and why."""
    origin = checklist.origin
    if origin is None or not origin.left_out:
        return
    count = len(origin.left_out)
    base = f"{origin.base_title or origin.base_id}, version {origin.base_version}"
    yield "", ""
    yield "bold underline", f"Left out locally ({count})"
    intro = (
        f"{'These questions' if count != 1 else 'This question'} from {base} "
        f"{'are' if count != 1 else 'is'} not asked, and "
        f"{'count' if count != 1 else 'counts'} in neither the score nor the verdict."
    )
    yield from (("", line) for line in textwrap.wrap(intro, width - 1))
    for item in origin.left_out:
        yield "", ""
        yield "bold", f"  {item.question}  [{item.area}]"
        for line in textwrap.wrap(item.text, width - 4):
            yield "", f"    {line}"
        for line in textwrap.wrap(f"Left out by {item.by}. Reason: {item.reason}", width - 4):
            yield "dim", f"    {line}"
