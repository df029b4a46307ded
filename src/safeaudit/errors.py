"""Exit codes and the error hierarchy: every error a user can cause is a SafeauditError."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from safeaudit.problems import Problem

#: Exit codes, documented in docs/errors.md and kept stable.
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
#: A bug in safeaudit itself (the message asks for a report, with --debug).
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
#: Stopped by a signal: 128 + its number (SIGHUP 129, SIGTERM 143; SIGBREAK 149 on Windows).
EXIT_HANGUP = 129
EXIT_TERMINATED = 143
EXIT_SIGBREAK = 149


class SafeauditError(Exception):
    """A problem the user can fix; the CLI prints it as one sentence, without a traceback."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


class LoadError(SafeauditError):
    """A file could not be read as YAML: missing, not text, too big, or not valid YAML."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem), [problem])
        self.problem = problem


class ValidationFailed(SafeauditError):
    """A file was read but does not have the right shape (or breaks a checklist rule)."""

    def __init__(self, what: str, problems: Sequence[Problem]) -> None:
        first = problems[0]
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"{first}{suffix}", problems)
        self.what = what


class NotFound(SafeauditError):
    """A checklist id or file that does not exist."""

    def __init__(self, message: str, problems: Sequence[Problem] = (), hint: str = "") -> None:
        super().__init__(message, problems)
        #: What to do instead ("did you mean `x`?"), for a caller that words the error itself.
        self.hint = hint


class WriteError(SafeauditError):
    """An output or answer file could not be written; the previous file is left as it was."""


# The errors of particular commands, each printed as one sentence with exit code 2.


class LockHeld(SafeauditError):
    """Another run is using the answer file."""


class WrongChecklist(SafeauditError):
    """An answer file made for a different checklist, or a different version of it."""


class OtherSetting(SafeauditError):
    """The two audits are of different settings (their names or URNs differ)."""


class XlsxUnavailable(SafeauditError):
    """openpyxl is not installed."""


class MergeRefused(SafeauditError):
    """The files are not parts of one audit (different setting, checklist or version)."""


#: Where warnings found deep in the core go (a shadowed checklist, say). The CLI sets it with
#: `listen` to print them on standard error; the core never prints.
warning_hook: Callable[[str], None] | None = None
_said: set[str] = set()


def listen(hook: Callable[[str], None] | None) -> None:
    """Send warnings to `hook` from now on (each different warning once)."""
    global warning_hook
    warning_hook = hook
    _said.clear()


def warn(message: str) -> None:
    """Pass a one-sentence warning to whoever is listening, once per message."""
    if warning_hook is not None and message not in _said:
        _said.add(message)
        warning_hook(message)
