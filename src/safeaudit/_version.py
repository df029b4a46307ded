"""safeaudit's version, in a module of its own so low layers (the checklist cache) can read it."""

__version__ = "0.1.0"
