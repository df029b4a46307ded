"""safeaudit: self-audit of online safety and safeguarding against KCSIE and Ofsted checklists.

The public API is re-exported here lazily, so `safeaudit --help` does not pay for pydantic or
PyYAML until a command needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safeaudit._version import __version__

_EXPORTS = {
    "Checklist": "safeaudit.model",
    "Answers": "safeaudit.model",
    "Problem": "safeaudit.problems",
    "SafeauditError": "safeaudit.errors",
    "load_checklist": "safeaudit.checklists",
    "load_answers": "safeaudit.answers",
    "score": "safeaudit.scoring",
    "lint_paths": "safeaudit.lint",
}

__all__ = [
    "Answers",
    "Checklist",
    "Problem",
    "SafeauditError",
    "__version__",
    "lint_paths",
    "load_answers",
    "load_checklist",
    "score",
]

if TYPE_CHECKING:  # pragma: no cover
    from safeaudit.answers import load_answers
    from safeaudit.checklists import load_checklist
    from safeaudit.errors import SafeauditError
    from safeaudit.lint import lint_paths
    from safeaudit.model import Answers, Checklist
    from safeaudit.problems import Problem
    from safeaudit.scoring import score


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'safeaudit' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
