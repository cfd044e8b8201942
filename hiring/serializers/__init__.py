"""API shapes (the API layer): ``pipeline`` and ``interviews``."""
