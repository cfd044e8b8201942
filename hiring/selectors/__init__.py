"""Reads scoped to the user: ``pipeline`` (requisitions, boards) and ``interviews``."""
