"""`safeaudit report`: the governors' report in HTML, Markdown, JSON and CSV."""
