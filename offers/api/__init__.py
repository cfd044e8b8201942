"""Offers API: ``recommendations`` (the recommended base) and ``offers`` (and actions)."""
