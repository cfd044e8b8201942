"""Admin for interviews and scorecards."""
