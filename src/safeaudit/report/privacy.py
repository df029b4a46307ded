"""Finding and masking details in answer text that could identify a person (pure, no I/O)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from typing import NamedTuple, Protocol

from safeaudit.scoring import AuditResult


class ReportOptions(Protocol):
    """What a report leaves out or masks (`options.ReportOptions`, which imports this module)."""

    @property
    def redact(self) -> bool: ...

    @property
    def omit_notes(self) -> bool: ...


#: What each kind of finding is called in warnings, and what replaces it with --redact.
KINDS: dict[str, tuple[str, str]] = {
    "email": ("email address", "[email removed]"),
    "phone": ("phone number", "[phone number removed]"),
    "dob": ("date of birth", "[date of birth removed]"),
    "pupil-number": ("pupil number (UPN or ULN)", "[pupil number removed]"),
    "ni-number": ("National Insurance number", "[NI number removed]"),
    "name-year": ("name beside a year group or class", "[name and class removed]"),
    "title-name": ("name with a title", "[name removed]"),
    "postcode": ("postcode", "[postcode removed]"),
}

_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4})"
)

#: A capitalised word that could be a name (Smith, O'Neill, Lloyd-Jones, McDonald), not inside
#: a word. A lone capital counts only before an apostrophe and a capital (O'Neill, D'Arcy), and
#: one capital inside the word is allowed for Mc, Mac and the like.
#: The curly apostrophe (U+2019) is kept out of character classes, and out of any alternation
#: of single characters (`(?:'|\u2019)`), which Python's compiler turns into a class: a class
#: holding a character beyond U+00FF makes it build a 64K-entry table when compiling, which
#: took most of the time to compile every pattern here (issue 17). Hence its own branch.
_WORD = (
    r"(?<![\w'\-])(?<!\u2019)(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?|[A-Z](?='[A-Z])|[A-Z](?=\u2019[A-Z]))"
    r"(?:['\-][A-Z]?[a-z]+|\u2019[A-Z]?[a-z]+)*"
)
#: One to three such words.
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,2}}"
#: A year group or class: Y5, Yr 5, Year 10, Reception, Nursery, 5B, Class 3.
_YEAR = (
    r"(?:\b(?:Y|Yr|Year)[ \t]?(?:1[0-3]|[1-9])\b|\bReception\b|\bNursery\b"
    r"|\b(?:1[0-3]|[1-9])[A-Z]\b|\bClass[ \t]+(?:\d{1,2}|[A-Z][a-z]*)\b)"
)


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """What to look for. Order matters: earlier patterns win where matches overlap (a DOB
    before a bare number). Compiled when text is first scanned, not at import: that takes
    several milliseconds, which commands that never scan should not pay (issue 17)."""
    return [
        # The look-behind starts a match only at the start of a run of such characters, so a
        # long run without an @ is read once, not once per character (which took quadratic time).
        (
            "email",
            re.compile(
                r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
            ),
        ),
        (
            "dob",
            re.compile(
                rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*(?:[:\-]\s*)?{_DATE}",
                re.IGNORECASE,
            ),
        ),
        (
            "pupil-number",
            re.compile(
                r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b"  # UPN: letter, 11 digits, check char
                r"|\b(?:UPN|ULN)\s*(?:(?:no\.?|number)\s*)?(?:[:#]\s*)?[A-Z0-9]{10,13}\b",
                re.IGNORECASE,
            ),
        ),
        ("ni-number", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")),
        # A capitalised name beside a year group or class, either way round: "Jane Smith (Y5)",
        # "Jane Smith, Year 10", "Tom in 5B", "Y5 pupil Jane Smith". Names on their own are not
        # found: nothing tells them from the names of policies, places or products.
        # A match whose "name" is only words that are not names ("Taught in Year 6", "Y6
        # Curriculum Map") is dropped by _names_something. The en dash has its own branch, as
        # the apostrophe does in _WORD.
        (
            "name-year",
            re.compile(
                rf"(?P<lead>{_NAME})[ \t]*(?:[(,\-][ \t]*|\u2013[ \t]*|in[ \t]+|from[ \t]+)?{_YEAR}\)?"
                rf"|\b{_YEAR}[ \t]+(?:(?:pupil|child|student|learner|boy|girl)[ \t]+)?(?P<trail>{_NAME})"
            ),
        ),
        (
            "title-name",
            re.compile(rf"\b(?:Mrs|Mr|Ms|Miss|Mx|Dr|Master)\.?[ \t]+(?:[A-Z]\.?[ \t]+)?{_WORD}"),
        ),
        (
            "postcode",
            re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \t]?\d[ABD-HJLNP-UW-Z]{2}\b"),
        ),
        # UK numbers: +44 or a leading 0, then 9 or 10 more digits, spaces or hyphens allowed
        # between them. The look-behind keeps dates such as 2025-07-14 from matching.
        (
            "phone",
            re.compile(
                r"(?<![\w+\-/.])(?:\+44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s\-)]{0,2}){8,9}\d(?![\d\-/])"
            ),
        ),
    ]


#: Capitalised words that often stand beside a year group in evidence but are not names: the
#: first word of a sentence, subjects, groups of people, school words, apps, terms, months and
#: days (not April, May, June or August, which are also first names).
#: Without it "Taught in Year 6" or "Digital Leaders from Year 5" read as a pupil's name.
_NOT_NAME_WORDS = """
    a all also an and after across any as at before both but by during each every for from
    in including of on our since so some that the then these this those throughout to until
    we when where whole with within
    added agreed attended began begun checked completed covered delivered discussed done
    given held included introduced launched led piloted planned reviewed rolled run seen set
    shared started taught tested trialled updated used visited
    ambassadors assembly assemblies buddies carers champions children class classes club
    council councillors department form governors group groups learners leaders lead leads
    lesson lessons monitors parents prefects pupils reps representatives staff students
    teacher teachers team tutor tutors
    art citizenship computing curriculum design drama english french geography history
    maths mathematics music science spanish technology
    board day days digital display map online phase plan policy programme safety scheme
    school session sessions stage survey term topic trip unit week weeks workshop
    autumn spring summer
    facebook instagram onedrive powerpoint sharepoint snapchat teams tiktok whatsapp youtube
    january february march july september october november december
    monday tuesday wednesday thursday friday saturday sunday
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def _names_something(match: re.Match[str]) -> bool:
    """Whether the name part of a name-year match has a word that could be a name. The whole
    match is kept when it does ("Summer Jones (Y5)" is masked whole, not left as "Summer")."""
    name = match.group("lead") if match.group("lead") is not None else match.group("trail")
    return any(word.lower() not in _NOT_NAMES for word in re.findall(_WORD, name))


# Named tuples rather than dataclasses: defining a frozen dataclass at import costs about a
# millisecond, paid by every report (issue 17).
class Finding(NamedTuple):
    """One match: its kind, and where it is in the text."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]


class PrivacyWarning(NamedTuple):
    """Kinds of identifying detail found in the answer to one question (or the file header)."""

    question_id: str
    fields: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        return [KINDS[kind][0] for kind in self.kinds]


_DIGIT = re.compile(r"\d")


def _could_match(kind: str, text: str, digit: bool) -> bool:
    """Whether a pattern could match `text` at all, from what every match of it holds: a quick
    test that spares most answers most patterns (issue 17; `digit`: `text` has a digit, as
    `\\d` means). It must never say no to text the pattern would match."""
    if kind == "email":
        return "@" in text
    if kind in ("dob", "ni-number", "postcode", "phone"):
        return digit  # a date, or a run of digits
    if kind == "pupil-number":  # a UPN holds digits; "UPN"/"ULN" any case, then the number
        return digit or "upn" in text.lower() or "uln" in text.lower()
    if kind == "name-year":  # Y5, Year 10, 5B; Reception, Nursery, Class Oak
        return digit or "Reception" in text or "Nursery" in text or "Class" in text
    if kind == "title-name":  # Mr, Mrs, Ms, Miss, Mx, Master; Dr
        return "M" in text or "Dr" in text
    return True


def find(text: str) -> list[Finding]:
    """Every identifying detail in `text`, in order, without overlaps.

    Time is linear in the length of the text: each pattern reads it once, and a match is
    checked for overlap against its two neighbours only, kept in order with bisect.
    """
    if not text:
        return []  # most answers leave most fields empty
    starts: list[int] = []
    found: list[Finding] = []
    digit = _DIGIT.search(text) is not None
    for kind, pattern in _patterns():
        if not _could_match(kind, text, digit):
            continue
        for match in pattern.finditer(text):
            if kind == "name-year" and not _names_something(match):
                continue
            start, end = match.span()
            at = bisect.bisect_left(starts, start)
            if at < len(found) and found[at].start < end:
                continue  # overlaps the next finding
            if at > 0 and found[at - 1].end > start:
                continue  # overlaps the previous one
            starts.insert(at, start)
            found.insert(at, Finding(kind, start, end, match.group()))
    return found


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


def _shown_texts(result: AuditResult, options: ReportOptions) -> Iterable[str]:
    """Every piece of free text a report shows, as it reaches `clean` (before masking)."""
    yield result.answers.completed_by
    for signoff in result.answers.signoffs[-1:]:
        yield signoff.name
        yield signoff.role
    for question in result.questions:
        answer = question.answer
        if answer is None:
            continue
        yield answer.owner
        if options.omit_notes:
            continue
        yield answer.evidence
        yield answer.note
        if question.status == "not-applicable":
            yield answer.reason
        if question.question.kind == "text" and isinstance(answer.value, str):
            yield answer.value


def masked_counts(result: AuditResult, options: ReportOptions) -> dict[str, int]:
    """How many details of each kind --redact masks in this report, in KINDS order."""
    counts = dict.fromkeys(KINDS, 0)
    for text in _shown_texts(result, options):
        for finding in find(text or ""):
            counts[finding.kind] += 1
    return {kind: n for kind, n in counts.items() if n}


#: What no automatic check can promise; said wherever masking is mentioned.
NOT_EVERYTHING = (
    "Automatic checks cannot recognise every detail that identifies someone (a name on its "
    "own, for example): read the report before sharing it."
)


def privacy_statement(result: AuditResult, options: ReportOptions) -> str:
    """What the report left out or masked, in words; empty when it did neither.

    It says what was masked and never that the report is free of personal details.
    """
    parts: list[str] = []
    if options.omit_notes:
        parts.append(
            "Evidence, notes, reasons for questions that do not apply and written answers "
            "are left out of this report."
        )
    if options.redact:
        counts = masked_counts(result, options)
        if counts:
            listed = ", ".join(f"{KINDS[kind][0]} ({n})" for kind, n in counts.items())
            parts.append(f"Masked where safeaudit recognised them: {listed}.")
        else:
            looked = ", ".join(label for label, _ in KINDS.values())
            parts.append(f"safeaudit looked for details to mask ({looked}) and found none.")
        parts.append(NOT_EVERYTHING)
    return " ".join(parts)
