""" "Did you mean" suggestions for misspelt ids, keys and values, worded the same everywhere."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str], otherwise: str = "") -> str:
    """`; did you mean `x`?` for the closest candidate, or `otherwise` when none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else otherwise
