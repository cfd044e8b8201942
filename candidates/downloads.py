"""Serving a stored document: always as an attachment, never sniffed, never cached."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse

from candidates.models import Document
from core.errors import NotFound


def document_response(document: Document) -> FileResponse:
    """The file as a download; the caller has already checked the user may see it."""
    try:
        handle = default_storage.open(document.file.name, "rb")
    except FileNotFoundError as exc:
        raise NotFound("The file of this document is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
