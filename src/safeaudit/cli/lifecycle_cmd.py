"""`safeaudit diff`, `migrate` and `rollup`: checklist versions and many audits at once."""
