"""The Jinja2 environments for the HTML and Markdown reports (templates in report_templates/)."""

from __future__ import annotations

import functools
import io
import marshal
import pickle

import jinja2
from jinja2.bccache import Bucket, bc_magic

from safeaudit.checklists import templates_dir
from safeaudit.display import MarkdownSafe, md_escape


def _md_raw(value: object) -> MarkdownSafe:
    return MarkdownSafe(value)


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files, each file read whole.

    Jinja hands the open file to `marshal.load`, which reads it through a Python method call
    for every few bytes: some 1.4 million instructions for the HTML template, on every report
    (issue 17). Here the file, in Jinja's own format (`Bucket.write_bytecode`: magic, pickled
    checksum, marshalled code), is read into memory and the code loaded with `marshal.loads`;
    anything else about the cache, writing included, is Jinja's.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as f:
                data = f.read()
        except (FileNotFoundError, IsADirectoryError, PermissionError):
            return
        stream = io.BytesIO(data)
        try:
            if stream.read(len(bc_magic)) != bc_magic or pickle.load(stream) != bucket.checksum:
                return  # another Jinja or Python, or the template changed: compiled again
            bucket.code = marshal.loads(data[stream.tell() :])
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # a damaged file: the template is compiled again


@functools.cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in Jinja's private per-user temporary folder.

    Compiling the HTML template is a large part of the report's run time. The cache holds only
    compiled template code (never report data), is keyed on each template's checksum and the
    Python version, and is skipped when the folder is not safe to use.
    """
    try:
        return _BytecodeCache()
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
