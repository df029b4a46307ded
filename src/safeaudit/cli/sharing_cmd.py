"""`safeaudit merge` and `signoff`: combining answers from several staff, and governor sign-off."""
