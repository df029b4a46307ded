"""The one registry of output formats: every command's formats, their renderers and descriptions.

Each command that writes formats has a table here (`REPORT`, `LINT`, `DIFF`, `ROLLUP`), which
the command line reads for its `--format` choices, its options and their help. Every renderer
has one shape, text or binary alike:

    def render(result, options: ReportOptions | None = None) -> str | bytes

and is named by "module:function", imported only when that format is used (so the table costs
nothing to read, and a format's module may sit anywhere in the rendering layer).

To add a format, add a `Format` to its command's table below: its name, a few words for the
help, and "module:function" of its renderer; the command's choices and help follow. A binary
format (`binary=True`, bytes such as a workbook) is never written to a terminal.

(`Formats.register` adds one to a table at run time, for tests.)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from safeaudit.frozen import Frozen

if TYPE_CHECKING:
    from safeaudit.diff import ChecklistDiff
    from safeaudit.lint import LintReport
    from safeaudit.report.options import ReportOptions
    from safeaudit.rollup import Rollup
    from safeaudit.scoring import AuditResult

Subject = TypeVar("Subject")

#: The one shape of every renderer: the result and the options, to text or bytes.
Renderer = Callable[[Any, "ReportOptions"], "str | bytes"]


# A plain record, not a frozen dataclass or a named tuple: as immutable, and quicker to define
# when every command starts (issue 17).
class Format(Frozen):
    """One output format: its name (the `--format` value or the option), what it gives, and
    where its renderer is ("module:function")."""

    __slots__ = _fields = ("name", "description", "renderer", "binary", "streamer")

    name: str
    description: str
    renderer: str
    #: Bytes (a workbook) rather than text: never written to a terminal.
    binary: bool
    #: "module:function" giving the same output in pieces (an iterator of text), so a big one
    #: is written as it is drawn; "" when the format is only drawn whole.
    streamer: str

    def __init__(
        self, name: str, description: str, renderer: str, binary: bool = False, streamer: str = ""
    ) -> None:
        self._assign(name, description, renderer, binary, streamer)

    def load(self) -> Renderer:
        """The renderer, imported now."""
        module, _, function = self.renderer.partition(":")
        loaded: Renderer = getattr(importlib.import_module(module), function)
        return loaded


class Formats(Generic[Subject]):
    """The output formats of one command, in the order its help lists them."""

    def __init__(self, command: str, *formats: Format) -> None:
        self.command = command
        self._formats: dict[str, Format] = {}
        for item in formats:
            self.register(item)

    def register(self, item: Format) -> None:
        """Add a format; a name can be registered only once."""
        if item.name in self._formats:
            raise ValueError(f"{self.command} already has a format called {item.name}")
        self._formats[item.name] = item

    def __getitem__(self, name: str) -> Format:
        return self._formats[name]

    def __contains__(self, name: object) -> bool:
        return name in self._formats

    def __iter__(self) -> Iterator[str]:
        return iter(self._formats)

    def names(self, *, binary: bool | None = None) -> list[str]:
        """The format names, in order; only the text (False) or binary (True) ones if asked."""
        return [
            name for name, item in self._formats.items() if binary is None or item.binary == binary
        ]

    def help(self) -> str:
        """For `--format`'s help: "text for people, json for programs" and so on."""
        return ", ".join(f"{name} {item.description}" for name, item in self._formats.items())

    def render(
        self, name: str, result: Subject, options: ReportOptions | None = None
    ) -> str | bytes:
        """`result` in the format `name`."""
        from safeaudit.report.options import ReportOptions  # loads pydantic: not at start-up

        return self._formats[name].load()(result, options or ReportOptions())

    def pieces(
        self, name: str, result: Subject, options: ReportOptions | None = None
    ) -> Iterator[str | bytes]:
        """`result` in the format `name`, in pieces (one piece when it is only drawn whole)."""
        from safeaudit.report.options import ReportOptions

        item = self._formats[name]
        if not item.streamer:
            yield self.render(name, result, options)
            return
        module, _, function = item.streamer.partition(":")
        yield from getattr(importlib.import_module(module), function)(
            result, options or ReportOptions()
        )

    def text(self, name: str, result: Subject, options: ReportOptions | None = None) -> str:
        """`result` in the text format `name`."""
        rendered = self.render(name, result, options)
        if not isinstance(rendered, str):
            raise TypeError(f"{self.command}'s format {name} is not text")
        return rendered


#: `safeaudit report`: one option each (`--html FILE`, ...), in this order.
REPORT: Formats[AuditResult] = Formats(
    "report",
    Format(
        "html",
        "the governors' report as one self-contained web page",
        "safeaudit.report.html:render",
    ),
    Format("md", "the report in Markdown, for papers", "safeaudit.report.markdown:render"),
    Format(
        "json",
        "the full result for other programs (docs/json-output.md)",
        "safeaudit.report.json:render",
    ),
    Format("csv", "the action plan as a spreadsheet", "safeaudit.report.csv:render"),
    Format(
        "xlsx",
        "an Excel workbook (answers, action plan, area scores)",
        "safeaudit.report.xlsx:render_workbook",
        binary=True,
    ),
)

#: `safeaudit lint --format`.
LINT: Formats[LintReport] = Formats(
    "lint",
    Format("text", "for people", "safeaudit.report.lint:text"),
    Format("json", "for machines", "safeaudit.report.lint:as_json"),
    Format(
        "github",
        "for GitHub Actions (chosen automatically there)",
        "safeaudit.report.lint:github",
    ),
)

#: `safeaudit diff --format`.
DIFF: Formats[ChecklistDiff] = Formats(
    "diff",
    Format("text", "for people", "safeaudit.report.diff:render_text"),
    Format("json", "for machines", "safeaudit.report.diff:render_json"),
    Format("md", "for a 'what changed' page", "safeaudit.report.diff:render_markdown"),
)

#: `safeaudit rollup`: one option each (`--html FILE`, ...); the terminal table when none is given.
ROLLUP: Formats[Rollup] = Formats(
    "rollup",
    Format(
        "html",
        "a self-contained web page",
        "safeaudit.report.rollup:render_html",
        streamer="safeaudit.report.rollup:html_chunks",
    ),
    Format(
        "csv",
        "a spreadsheet (UTF-8, for Excel)",
        "safeaudit.report.rollup:render_csv",
        streamer="safeaudit.report.rollup:csv_chunks",
    ),
    Format(
        "xlsx",
        "an Excel workbook (needs safeaudit[xlsx])",
        "safeaudit.report.xlsx:rollup_workbook",
        binary=True,
    ),
)

#: Every command's formats, by command.
REGISTRY: dict[str, Formats[Any]] = {table.command: table for table in (REPORT, LINT, DIFF, ROLLUP)}


def render(name: str, result: AuditResult, options: ReportOptions | None = None) -> str:
    """The report in the text format `name` (html, md, json or csv)."""
    return REPORT.text(name, result, options)
