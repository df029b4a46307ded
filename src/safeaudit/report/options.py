"""Options shared by every report format."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from safeaudit.frozen import Frozen
from safeaudit.report.privacy import redact

if TYPE_CHECKING:  # only named in annotations: a report without --compare never imports it
    from safeaudit.report.compare import Comparison


# A plain record, not a frozen dataclass or a named tuple: as immutable, and quicker to define at
# import (issue 17).
class ReportOptions(Frozen):
    """What a renderer needs beyond the result itself."""

    __slots__ = _fields = ("redact", "comparison", "generator", "omit_notes")

    #: Mask emails, phone numbers and other identifying details in free text.
    redact: bool
    #: Change since the previous audit, when `--compare` was given.
    comparison: Comparison | None
    #: Who made the report, for the HTML footer ("safeaudit 0.1.0"); empty leaves it out.
    generator: str
    #: Leave every piece of free text (evidence, notes, reasons, written answers) out, for
    #: reports that go beyond the governing body (`report --omit-notes`).
    omit_notes: bool

    def __init__(
        self,
        redact: bool = False,
        comparison: Comparison | None = None,
        generator: str = "",
        omit_notes: bool = False,
    ) -> None:
        self._assign(redact, comparison, generator, omit_notes)

    @property
    def clean(self) -> Callable[[str], str]:
        """The function every piece of free text from an answer file goes through."""
        if not self.redact:
            return _same
        return redact

    @property
    def free_text(self) -> Callable[[str], str]:
        """The function evidence, notes, reasons and written answers go through."""
        return _nothing if self.omit_notes else self.clean


def _same(text: str) -> str:
    return text


def _nothing(text: str) -> str:
    return ""
