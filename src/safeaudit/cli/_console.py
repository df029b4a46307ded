"""Rich consoles that never pass a control character from user text to the terminal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

from safeaudit.display import terminal_safe

#: Width used when the terminal reports a nonsense one (`COLUMNS=0`).
FALLBACK_WIDTH = 80
#: Narrowest width the layouts are drawn for.
MIN_WIDTH = 20


class SafeConsole(Console):
    """A Console whose text segments are escaped with `terminal_safe` before styling.

    Every piece of text Rich prints (strings, `Text`, table cells) reaches the terminal as
    segments; only Rich's own control segments and its colour codes are left alone.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if "width" not in kwargs and self.width < MIN_WIDTH:
            self.width = FALLBACK_WIDTH

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        safe = (
            segment if segment.control else Segment(terminal_safe(segment.text), segment.style)
            for segment in buffer
        )
        return super()._render_buffer(safe)


def safe_console(**kwargs: Any) -> Console:
    """The Console every command uses (see SafeConsole)."""
    return SafeConsole(**kwargs)
