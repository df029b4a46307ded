"""`safeaudit run` and `template`: the interactive questionnaire and the answers skeleton."""
