"""Finding and masking details in answer text that could identify a person (pure, no I/O)."""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Iterable
from typing import Protocol

from safeaudit.frozen import Frozen
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

#: A capitalised word that could be a name (Smith, O'Neill, Lloyd-Jones, McDonald). A lone
#: capital counts only before an apostrophe and a capital (O'Neill, D'Arcy), and one capital
#: inside the word is allowed for Mc, Mac and the like.
#: The curly apostrophe (U+2019) is kept out of character classes, and out of any alternation
#: of single characters (`(?:'|\u2019)`), which Python's compiler turns into a class: a class
#: holding a character beyond U+00FF and two others makes it build a 64K-entry table when
#: compiling, which took most of the time to compile every pattern here (issue 17). Hence its
#: own branches.
_WORD_BODY = (
    r"[A-Z](?:[a-z]+(?:[A-Z][a-z]+)?|(?='[A-Z]|\u2019[A-Z]))"
    r"(?:['\-][A-Z]?[a-z]+|\u2019[A-Z]?[a-z]+)*"
)
#: Such a word, not inside a word. After a space or tab the look-behinds cannot fail, so the
#: patterns use the bare `_WORD_BODY` there: Python compiles patterns in Python, at a cost that
#: grows with their length, and the name-year pattern is compiled in most reports (issue 17).
_WORD = rf"(?<![\w'\-])(?<!\u2019){_WORD_BODY}"
#: One to three such words; `_NAME_AFTER_SPACE` where a space or tab comes just before.
_NAME = rf"{_WORD}(?:[ \t]+{_WORD_BODY}){{0,2}}"
_NAME_AFTER_SPACE = rf"{_WORD_BODY}(?:[ \t]+{_WORD_BODY}){{0,2}}"
#: A year group or class: Y5, Yr 5, Year 10, Reception, Nursery, 5B, Class 3. Where it is used,
#: a `\b` comes just before (every one starts with a letter or a digit).
_YEAR = (
    r"(?:Y(?:r|ear)?[ \t]?(?:1[0-3]|[1-9])|Reception|Nursery|(?:1[0-3]|[1-9])[A-Z]"
    r"|Class[ \t]+(?:\d{1,2}|[A-Z][a-z]*))\b"
)


#: What to look for: each kind's pattern and flags. Order matters: earlier patterns win where
#: matches overlap (a DOB before a bare number). Each is compiled the first time some text could
#: match it (`_could_match`), not at import: compiling them all takes several milliseconds,
#: which commands that never scan, and text that holds no such detail, should not pay (issue 17).
_SOURCES: dict[str, tuple[str, int]] = {
    # The look-behind starts a match only at the start of a run of such characters, so a long
    # run without an @ is read once, not once per character (which took quadratic time).
    "email": (
        r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
        0,
    ),
    "dob": (
        rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*(?:[:\-]\s*)?{_DATE}",
        re.IGNORECASE,
    ),
    "pupil-number": (
        r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b"  # UPN: letter, 11 digits, check character
        r"|\b(?:UPN|ULN)\s*(?:(?:no\.?|number)\s*)?(?:[:#]\s*)?[A-Z0-9]{10,13}\b",
        re.IGNORECASE,
    ),
    "ni-number": (r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", 0),
    # A capitalised name beside a year group or class, either way round: "Jane Smith (Y5)",
    # "Jane Smith, Year 10", "Tom in 5B", "Y5 pupil Jane Smith". Names on their own are not
    # found: nothing tells them from the names of policies, places or products.
    # A match whose "name" is only words that are not names ("Taught in Year 6", "Y6
    # Curriculum Map") is dropped by _names_something. The en dash has its own branch, as
    # the apostrophe does in _WORD.
    # The year group is written once: a name before it is tried first, and only where none
    # leads to a match is a name after it tried, `(?(lead)...)` telling which (the same
    # matches as two branches each with its own copy, which took longer to compile).
    "name-year": (
        rf"(?:(?P<lead>{_NAME})[ \t]*(?:[(,\-][ \t]*|\u2013[ \t]*|in[ \t]+|from[ \t]+)?)?"
        rf"\b{_YEAR}(?(lead)\)?|[ \t]+(?:(?:pupil|child|student|learner|boy|girl)[ \t]+)?"
        rf"(?P<trail>{_NAME_AFTER_SPACE}))",
        0,
    ),
    "title-name": (
        rf"\b(?:Mrs|Mr|Ms|Miss|Mx|Dr|Master)\.?[ \t]+(?:[A-Z]\.?[ \t]+)?{_WORD_BODY}",
        0,
    ),
    "postcode": (r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ \t]?\d[ABD-HJLNP-UW-Z]{2}\b", 0),
    # UK numbers: +44 or a leading 0, then 9 or 10 more digits, spaces or hyphens allowed
    # between them. The look-behind keeps dates such as 2025-07-14 from matching.
    "phone": (
        r"(?<![\w+\-/.])(?:\+44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s\-)]{0,2}){8,9}\d(?![\d\-/])",
        0,
    ),
}


@functools.cache
def _pattern(kind: str) -> re.Pattern[str]:
    """The compiled pattern for `kind`, compiled on first use."""
    source, flags = _SOURCES[kind]
    return re.compile(source, flags)


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
    match is kept when it does ("Summer Jones (Y5)" is masked whole, not left as "Summer").
    A name is `_WORD`s with spaces or tabs between, so its words are found by splitting it,
    not by compiling `_WORD` to search it again. A lone capital is not counted as a word: it
    is in the name only because an apostrophe and a capital follow it in the text (the "O" of
    "O'Y"), and the name does not show them."""
    name = match.group("lead") if match.group("lead") is not None else match.group("trail")
    return any(len(word) > 1 and word.lower() not in _NOT_NAMES for word in name.split())


# Plain records (safeaudit.frozen) rather than dataclasses or named tuples: defining either at
# import costs about a millisecond, paid by every report (issue 17).
class Finding(Frozen):
    """One match: its kind, and where it is in the text."""

    __slots__ = _fields = ("kind", "start", "end", "text")

    kind: str
    start: int
    end: int
    text: str

    def __init__(self, kind: str, start: int, end: int, text: str) -> None:
        self._assign(kind, start, end, text)

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]


class PrivacyWarning(Frozen):
    """Kinds of identifying detail found in the answer to one question (or the file header)."""

    __slots__ = _fields = ("question_id", "fields", "kinds")

    question_id: str
    fields: tuple[str, ...]
    kinds: tuple[str, ...]

    def __init__(self, question_id: str, fields: tuple[str, ...], kinds: tuple[str, ...]) -> None:
        self._assign(question_id, fields, kinds)

    @property
    def labels(self) -> list[str]:
        return [KINDS[kind][0] for kind in self.kinds]


#: A digit (as `\d` counts them), with the capital letter after it if there is one: the "5B"
#: of a class and the "1AA" that ends a postcode.
_DIGIT_CAPITAL = re.compile(r"\d[A-Z]?")


@functools.cache
def _capital_digit() -> re.Pattern[str]:
    """A capital letter, perhaps a space, then a digit: compiled (on first use) only for text
    that has six digits, which is cheaper than compiling the NI number pattern for all of it."""
    return re.compile(r"[A-Z]\s?\d")


def _possible_kinds(text: str) -> list[str]:
    """The kinds whose pattern could match `text`, from what every match of each holds: quick
    tests that spare most answers most patterns, and most reports compiling most of them (issue
    17). They must never rule out a kind whose pattern would match (a test runs every pattern
    on texts to check). Each test that passes for a text passes for any text holding it, such
    as an answer's fields joined with newlines, which `scan` tests together."""
    kinds: list[str] = []
    if "@" in text:
        kinds.append("email")
    found = _DIGIT_CAPITAL.findall(text)
    digits = len(found)  # one digit in each
    digit_capital = digits > 0 and max(map(len, found)) > 1  # a digit and a capital
    lower = text.lower()
    # "DOB", "d.o.b", "date of birth", "born", then a date (three digits at least: 1.2.16,
    # 3 May 15); "dob" in `lower` spares most texts the join, which finds it too.
    if digits >= 3 and (
        "born" in lower
        or "rth" in lower
        or "dob" in lower
        or "dob" in "".join(lower.split()).replace(".", "")
    ):
        kinds.append("dob")
    if digits >= 11 or "upn" in lower or "uln" in lower:  # a UPN has 11 digits; or UPN/ULN
        kinds.append("pupil-number")
    # NI number: two letters, six digits, a letter; so a capital, perhaps a space, a digit.
    if digits >= 6 and _capital_digit().search(text) is not None:
        kinds.append("ni-number")
    # Y5, Yr 5, Year 10; 5B; Reception, Nursery, Class Oak
    if (
        "Reception" in text
        or "Nursery" in text
        or "Class" in text
        or (digits > 0 and ("Y" in text or digit_capital))
    ):
        kinds.append("name-year")
    if (  # Mr, Mrs, Ms, Miss, Mx, Master; Dr
        "M" in text
        and ("Mr" in text or "Ms" in text or "Mx" in text or "Miss" in text or "Master" in text)
    ) or "Dr" in text:
        kinds.append("title-name")
    if digit_capital:
        kinds.append("postcode")
    if digits >= 10:  # phone: 0 or +44, then nine or ten more digits
        kinds.append("phone")
    return kinds


def _could_match(kind: str, text: str, possible: list[str]) -> bool:
    """Whether `kind`'s pattern is run on `text`: whether it is among `possible`, the kinds
    `_possible_kinds` left for it (a test replaces this to run every pattern)."""
    return kind in possible


def find(text: str) -> list[Finding]:
    """Every identifying detail in `text`, in order, without overlaps.

    Time is linear in the length of the text: each pattern reads it once, and a match is
    checked for overlap against its two neighbours only, kept in order with bisect.
    """
    if not text:
        return []  # most answers leave most fields empty
    starts: list[int] = []
    found: list[Finding] = []
    possible = _possible_kinds(text)
    if not possible:
        return []
    for kind in _SOURCES:
        if not _could_match(kind, text, possible):
            continue
        for match in _pattern(kind).finditer(text):
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
_answer_fields = operator.attrgetter(*ANSWER_FIELDS)


def _kinds(text: str) -> list[str]:
    """The kinds of detail found in `text`, in order of appearance."""
    kinds: list[str] = []
    for finding in find(text):
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    return kinds


def scan(result: AuditResult) -> list[PrivacyWarning]:
    """Questions (in checklist order) whose free-text answers hold identifying details."""
    warnings: list[PrivacyWarning] = []
    found = _kinds(result.answers.completed_by)
    if found:
        warnings.append(PrivacyWarning("completed_by", ("completed_by",), tuple(found)))
    for question in result.questions:
        answer = question.answer
        if answer is None:
            continue
        texts = _answer_fields(answer)
        value = answer.value
        if question.question.kind == "text" and isinstance(value, str):
            texts += (value,)
        # Most answers hold nothing any pattern could match: one quick test of all their
        # fields together tells, as no field can pass a test that the whole fails.
        if not _possible_kinds("\n".join(texts)):
            continue
        fields: list[str] = []
        kinds: list[str] = []
        for name, text in zip((*ANSWER_FIELDS, "value"), texts, strict=False):
            found = _kinds(text)
            if found:
                fields.append(name)
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
