"""Words for people, shared by every output: percentages, dates, escaping, inert formulas."""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re

# ----------------------------------------------------------------------------- terminal text

#: Characters a terminal would act on rather than show: C0 controls except tab and newline,
#: DEL, C1 controls (U+0080-U+009F, which include the 8-bit escape U+009B) and the bidirectional
#: overrides and isolates that can make text read differently from what it is.
_CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))


def _escaped(char: str) -> str:
    # \uXXXX reads plainly and is also a valid JSON escape for the same character, so the
    # helper can be applied to JSON output too (json.dumps leaves DEL and C1 controls raw).
    return f"\\u{ord(char):04x}"


#: Each of those characters mapped to its escape, for `str.translate` (a table is far cheaper
#: to build at import than the equivalent regular expression is to compile; issue 17).
_CONTROL_ESCAPES = {
    code: _escaped(chr(code)) for first, last in _CONTROL_RANGES for code in range(first, last + 1)
}


def terminal_safe(text: str) -> str:
    """Text with every control character shown as an escape (`\\u001b`), never acted on.

    Escape sequences in a setting name, a question id or a file name would otherwise change
    colours, set the window title or make a hidden link (OSC 8) in the reader's terminal.
    Tabs and line breaks are kept; the result never contains a control character, so
    applying it twice changes nothing.
    """
    return text.translate(_CONTROL_ESCAPES)


def one_line(text: str) -> str:
    """Text on one line, control characters escaped: for names inside a sentence."""
    return terminal_safe(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


# -------------------------------------------------------------------- spreadsheet formulas

#: A cell starting with one of these is read as a formula by Excel, LibreOffice or Google
#: Sheets (the full-width forms by Excel in East Asian locales), so it is kept as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would treat this text as a formula (or a command) if typed."""
    return text.startswith(FORMULA_STARTS)


def formula_safe(value: object) -> str:
    """A CSV cell as text; a leading apostrophe stops spreadsheets running it as a formula.

    The one formula guard for every CSV safeaudit writes (`report --csv`, `rollup --csv`);
    workbooks store the same cells as text with Excel's quote prefix (report/xlsx.py).
    """
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


# ------------------------------------------------------------------- output encodings

#: Name of the codec error handler registered by `escape_unencodable_output`.
ERROR_HANDLER = "safeaudit-escape"


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    """Characters the output encoding cannot hold, written as \\uXXXX (valid JSON too)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    parts = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:  # a surrogate pair, as JSON writes it
            code -= 0x10000
            parts.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            parts.append(f"\\u{code:04x}")
    return "".join(parts), error.end


def register_error_handler() -> str:
    """Register (once) the handler that writes unencodable characters as \\uXXXX."""
    try:
        codecs.lookup_error(ERROR_HANDLER)
    except LookupError:
        codecs.register_error(ERROR_HANDLER, _escape_unencodable)
    return ERROR_HANDLER


# ----------------------------------------------------------------------------- numbers and dates


def percent_text(percent: float | None, none: str = "–") -> str:
    """A percentage as every output shows it: one decimal place, "48.8%" ("–" for none)."""
    return none if percent is None else f"{percent:.1f}%"


#: Month names in English whatever the machine's locale (a report is in British English), and
#: far cheaper than strftime's %B, which every report calls about 90 times (issue 17).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """A date as people write it: 2 October 2026 (English month names in every locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# ----------------------------------------------------------------------------- Markdown


class MarkdownSafe(str):
    """Text already written as Markdown by the report itself, so not escaped again."""


@functools.cache
def _markdown_syntax() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns `md_escape` uses, compiled when Markdown is first written (not at import)."""
    return (
        # Characters that start Markdown or HTML syntax anywhere in a line.
        re.compile(r"([\\`*_\[\]<>|~&])"),
        # Markers that only matter at the start of a line or after a list marker (lists,
        # headings).
        re.compile(r"^(\s*)(\d*)([+\-=#]+|[.)])(?=\s|$)"),
    )


def md_escape(value: object) -> str:
    """Any value as inert Markdown text on one line: syntax characters get a backslash."""
    if value is None:
        return ""
    if isinstance(value, MarkdownSafe):
        return str(value)
    anywhere, line_start = _markdown_syntax()
    text = " ".join(str(value).split())  # one line, so a value cannot start a block
    text = terminal_safe(text)  # escape sequences shown, never acted on by a terminal
    text = anywhere.sub(r"\\\1", text)
    # The backslash goes before the punctuation ("1\\. ", "\\- "): digits cannot be escaped.
    return line_start.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)
