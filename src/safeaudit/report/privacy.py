"""Finding and masking details in answer text that could identify a person (pure, no I/O)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from safeaudit.scoring import AuditResult

#: What each kind of finding is called in warnings, and what replaces it with --redact.
KINDS: dict[str, tuple[str, str]] = {
    "email": ("email address", "[email removed]"),
    "phone": ("phone number", "[phone number removed]"),
    "dob": ("date of birth", "[date of birth removed]"),
    "pupil-number": ("pupil number (UPN or ULN)", "[pupil number removed]"),
    "ni-number": ("National Insurance number", "[NI number removed]"),
}

_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4})"
)

# Order matters: earlier patterns win where matches overlap (a DOB before a bare number).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")),
    (
        "dob",
        re.compile(
            rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:\-]?\s*{_DATE}",
            re.IGNORECASE,
        ),
    ),
    (
        "pupil-number",
        re.compile(
            r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b"  # UPN: letter, 11 digits, check char
            r"|\b(?:UPN|ULN)\s*(?:no\.?|number)?\s*[:#]?\s*[A-Z0-9]{10,13}\b",
            re.IGNORECASE,
        ),
    ),
    ("ni-number", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")),
    # UK numbers: +44 or a leading 0, then 9 or 10 more digits, spaces or hyphens allowed
    # between them. The look-behind keeps dates such as 2025-07-14 from matching.
    (
        "phone",
        re.compile(
            r"(?<![\w+\-/.])(?:\+44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s\-)]{0,2}){8,9}\d(?![\d\-/])"
        ),
    ),
]


@dataclass(frozen=True)
class Finding:
    """One match: its kind, and where it is in the text."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]


@dataclass(frozen=True)
class PrivacyWarning:
    """Kinds of identifying detail found in the answer to one question (or the file header)."""

    question_id: str
    fields: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        return [KINDS[kind][0] for kind in self.kinds]


def find(text: str) -> list[Finding]:
    """Every identifying detail in `text`, in order, without overlaps."""
    found: list[Finding] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < f.end and f.start < end for f in found):
                continue
            found.append(Finding(kind, start, end, match.group()))
    return sorted(found, key=lambda f: f.start)


def redact(text: str) -> str:
    """`text` with every identifying detail replaced by a note such as "[email removed]"."""
    if not text:
        return text
    pieces: list[str] = []
    last = 0
    for finding in find(text):
        pieces.append(text[last : finding.start])
        pieces.append(KINDS[finding.kind][1])
        last = finding.end
    pieces.append(text[last:])
    return "".join(pieces)


#: Fields of an answer that people type freely, so may hold identifying details.
ANSWER_FIELDS = ("evidence", "note", "owner", "reason", "answered_by")


def _kinds(texts: Iterable[str]) -> list[str]:
    kinds: list[str] = []
    for text in texts:
        for finding in find(text):
            if finding.kind not in kinds:
                kinds.append(finding.kind)
    return kinds


def scan(result: AuditResult) -> list[PrivacyWarning]:
    """Questions (in checklist order) whose free-text answers hold identifying details."""
    warnings: list[PrivacyWarning] = []
    if _kinds([result.answers.completed_by]):
        warnings.append(
            PrivacyWarning(
                "completed_by", ("completed_by",), tuple(_kinds([result.answers.completed_by]))
            )
        )
    for question in result.questions:
        answer = question.answer
        if answer is None:
            continue
        fields: list[str] = []
        kinds: list[str] = []
        for name in ANSWER_FIELDS:
            found = _kinds([str(getattr(answer, name) or "")])
            if found:
                fields.append(name)
                kinds.extend(k for k in found if k not in kinds)
        value = answer.value
        if question.question.kind == "text" and isinstance(value, str):
            found = _kinds([value])
            if found:
                fields.append("value")
                kinds.extend(k for k in found if k not in kinds)
        if fields:
            warnings.append(PrivacyWarning(question.question.id, tuple(fields), tuple(kinds)))
    return warnings
