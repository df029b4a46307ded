"""Allow `python -m safeaudit`."""

from safeaudit.cli import main

main()
