"""A commented answers skeleton for people who would rather fill in a text file than run `run`."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Sequence

from safeaudit.model import Checklist, Question
from safeaudit.outline import reference_text
from safeaudit.questionnaire.parsing import example_day
from safeaudit.questionnaire.prompts import SEVERITY_LABELS
from safeaudit.scoring import applies_reason
from safeaudit.settings import setting_label

_WIDTH = 96


def _quote(text: str) -> str:
    # A JSON string is also a valid double-quoted YAML string.
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str = "  ", first: str = "", rest: str = "") -> list[str]:
    lines = textwrap.wrap(
        text, _WIDTH - len(indent) - 2, initial_indent=first, subsequent_indent=rest
    ) or [""]
    return [f"{indent}# {line}".rstrip() for line in lines]


def allowed_text(question: Question) -> list[str]:
    """What may be written as the answer, as comment lines (without the `# `)."""
    lines = _allowed(question)
    if question.dont_know:
        lines.append(
            f"Or dont-know if you cannot tell: it counts as not met until you ask "
            f"{question.dont_know}"
        )
    return lines


def _allowed(question: Question) -> list[str]:
    na = " (or n/a, with a reason)" if question.na_allowed else ""
    kind = question.kind
    if kind == "yes-partial-no":
        return [f"Answer: yes, partial or no{na}"]
    if kind == "level":
        lines = [f"Answer: a level from 1 to 5{na}"]
        lines += [f"  {level}: {text}" for level, text in sorted((question.levels or {}).items())]
        return lines
    if kind == "choice":
        lines = [f"Answer: one of these values{na}"]
        lines += [f"  {option.value}: {option.label}" for option in question.options or []]
        return lines
    if kind == "date":
        lines = [f"Answer: the date it last happened, as YYYY-MM-DD{na}"]
        if question.max_age == "academic-year":
            lines.append(
                "Done at least once every school year: in date until 31 August of the school "
                "year after the one it falls in"
            )
        elif isinstance(question.max_age, int):
            lines.append(f"Out of date when more than {question.max_age} months old")
        return lines
    if kind == "number":
        target = f"; {question.target:g} or more earns full marks" if question.target else ""
        return [f"Answer: a number{target}{na}"]
    return [f"Answer: text (recorded, not scored){na}"]


def render_template(
    checklist: Checklist,
    setting_type: str,
    name: str = "",
    provision: Sequence[str] = (),
    today: dt.date | None = None,
) -> str:
    """The skeleton: header, then each question that applies to the setting, unanswered.

    `provision` (early years, sixth form, boarding) brings in the questions asked of settings
    that have it, as `run` and `score` do. `today` dates the example due date (one to come).

    Every answer is left empty, so `safeaudit score` accepts the file as it is (all unanswered).
    """
    out = [
        "# safeaudit answer file: private safeguarding information; do not share or publish.",
        f"# {checklist.title}, version {checklist.version}, for: {setting_label(setting_type)}.",
        "#",
        "# Write each answer after its colon, for example `policy.written: yes`. To record more,",
        "# use the longer form (indented under the question id):",
        "#   value: partial",
        "#   evidence: what shows it (documents, logs, minutes)",
        "#   owner: who will act",
        f"#   due: {example_day(today or dt.date.today(), future=True).isoformat()}",
        "# An answer of n/a needs `reason:` too. Leave a question empty if it is not answered yet.",
        "# Check the file at any time with `safeaudit score FILE`.",
        "",
        "checklist:",
        f"  id: {checklist.id}",
        f"  version: {_quote(checklist.version)}",
        "setting:",
        f"  name: {_quote(name)}" + ("" if name else "  # the name of your setting"),
        f"  type: {setting_type}",
        f"  provision: [{', '.join(provision)}]"
        + ("" if provision else "  # any of: early-years, sixth-form, boarding"),
        "  urn:  # optional: the 6-digit number the DfE gives your setting",
        "audit_date:  # YYYY-MM-DD; review dates are judged as at this date",
        'completed_by: ""  # your name and role',
        "answers:",
    ]
    for area in checklist.areas:
        questions = [
            q
            for q in area.questions
            if applies_reason(q, checklist, setting_type, provision) is None
        ]
        if not questions:
            continue
        out += ["", f"  # {'=' * 20} {area.title} {'=' * max(4, 60 - len(area.title))}"]
        for question in questions:
            out.append("")
            out += _comment(question.text)
            tags = [SEVERITY_LABELS[question.severity]]
            if question.weight != 1:
                tags.append(f"weight {question.weight:g}")
            out += _comment(" · ".join(tags))
            if question.when is not None:
                wanted = " or ".join(question.when.values)
                out += _comment(f"Only answer this if {question.when.question} is {wanted}.")
            for line in allowed_text(question):
                out += _comment(
                    line.strip(),
                    first="    " if line.startswith(" ") else "",
                    rest="      " if line.startswith(" ") else "  ",
                )
            out += _comment(f"Evidence: {question.evidence}", rest="  ")
            refs = "; ".join(reference_text(ref, checklist) for ref in question.references)
            out += _comment(f"Source: {refs}", rest="  ")
            out.append(f"  {question.id}:")
    return "\n".join(out) + "\n"
