"""`safeaudit serve`: the questionnaire and the report as private web pages on 127.0.0.1."""

from __future__ import annotations
