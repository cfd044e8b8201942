"""Serving a report file: always an attachment with a safe name, never sniffed or cached."""

from __future__ import annotations

from django.http import FileResponse

from reports import services
from reports.models import ReportRun


def report_response(run: ReportRun, request) -> FileResponse:
    """The file as a download, the download recorded; ``run`` is one the user may see."""
    handle, filename, content_type = services.report_open_for_download(
        run=run, actor=request.user, request=request
    )
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
