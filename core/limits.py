"""Size limits that more than one layer enforces (the database, services, forms, API docs)."""

from __future__ import annotations

#: The largest candidate document (résumé, cover letter) accepted, in bytes.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_MAX_MB = DOCUMENT_MAX_BYTES // (1024 * 1024)
