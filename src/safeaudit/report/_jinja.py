"""The Jinja2 environments for the HTML and Markdown reports (templates in report_templates/)."""

from __future__ import annotations

import functools
import re

import jinja2

from safeaudit.checklists import templates_dir
from safeaudit.display import terminal_safe


class MarkdownSafe(str):
    """Text already written as Markdown by the report itself, so not escaped again."""


# Characters that start Markdown or HTML syntax anywhere in a line.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~&])")
# Markers that only matter at the start of a line or after a list marker (lists, headings).
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([+\-=#]+|[.)])(?=\s|$)")


def md_escape(value: object) -> str:
    """Any value as inert Markdown text on one line: syntax characters get a backslash."""
    if value is None:
        return ""
    if isinstance(value, MarkdownSafe):
        return str(value)
    text = " ".join(str(value).split())  # one line, so a value cannot start a block
    text = terminal_safe(text)  # escape sequences shown, never acted on by a terminal
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    # The backslash goes before the punctuation ("1\\. ", "\\- "): digits cannot be escaped.
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)


def _md_raw(value: object) -> MarkdownSafe:
    return MarkdownSafe(value)


@functools.cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in Jinja's private per-user temporary folder.

    Compiling the HTML template is a large part of the report's run time. The cache holds only
    compiled template code (never report data), is keyed on each template's checksum and the
    Python version, and is skipped when the folder is not safe to use.
    """
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@functools.cache
def html_environment() -> jinja2.Environment:
    """HTML: every value escaped (autoescape); unknown names are errors, not blank text."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def markdown_environment() -> jinja2.Environment:
    """Markdown: HTML escaping would leave &amp; in the text, so every value printed goes
    through `md_escape` instead (by `finalize`, so no template can forget it)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_escape,
    )
    env.filters["raw"] = _md_raw
    return env
