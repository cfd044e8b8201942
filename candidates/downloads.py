"""Serving a stored document: always as an attachment, never sniffed, never cached."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse

from candidates.models import Document
from core import audit
from core.errors import NotFound


def document_response(document: Document, *, request) -> FileResponse:
    """The file as a download, recorded in the access log under its candidate.

    The caller has already checked the user may see it. The event names the candidate
    (so the candidate's access history lists it) and the request's path names the document.
    """
    try:
        handle = default_storage.open(document.file.name, "rb")
    except FileNotFoundError as exc:
        raise NotFound("The file of this document is missing from storage.") from exc
    audit.record(audit.Action.DOWNLOAD, "candidate", document.candidate_id, request=request)
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
