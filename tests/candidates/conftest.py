"""Fixtures for the candidate tests: real file bytes, private storage, a visibility setup."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import timezone

from tests.candidates.factories import CandidateFactory

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Ada Example, ML engineer</w:t></w:r></w:p></w:body></w:document>"
)


def build_docx(
    content_types: str = CONTENT_TYPES, *, with_document: bool = True, extra: tuple = ()
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", RELS)
        if with_document:
            archive.writestr("word/document.xml", DOCUMENT_XML)
        for name in extra:
            archive.writestr(name, b"\xd0\xcf\x11\xe0 not really OLE")
    return buffer.getvalue()


@pytest.fixture
def pdf_bytes() -> bytes:
    return MINIMAL_PDF


@pytest.fixture
def docx_bytes() -> bytes:
    return build_docx()


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def people(hiring_manager, other_manager, interviewer, other_interviewer, recruiter):
    """Candidates seen by the hiring manager, by the interviewer, and by neither."""
    return build_people(
        hiring_manager=hiring_manager,
        other_manager=other_manager,
        interviewer=interviewer,
        other_interviewer=other_interviewer,
        recruiter=recruiter,
    )


def build_people(*, hiring_manager, other_manager, interviewer, other_interviewer, recruiter):
    from hiring.models import Interview
    from tests.hiring.factories import ApplicationFactory, RequisitionFactory

    managed = RequisitionFactory(hiring_manager=hiring_manager, recruiter=recruiter)
    other = RequisitionFactory(hiring_manager=other_manager, recruiter=recruiter)
    for_manager = CandidateFactory(
        full_name="Mona Managed", email="mona@example.com", expected_base="150000.00"
    )
    for_interviewer = CandidateFactory(
        full_name="Ivan Interviewed",
        email="ivan@example.com",
        expected_base="140000.00",
        current_base="120000.00",
    )
    hidden = CandidateFactory(full_name="Hana Hidden", email="hana@example.com")
    ApplicationFactory(candidate=for_manager, requisition=managed)
    interviewed = ApplicationFactory(candidate=for_interviewer, requisition=other)
    interview = Interview.objects.create(
        application=interviewed, round_name="Technical", starts_at=timezone.now()
    )
    interview.interviewers.add(interviewer)
    other_interview = Interview.objects.create(
        application=interviewed, round_name="System design", starts_at=timezone.now()
    )
    other_interview.interviewers.add(other_interviewer, interviewer)
    return {"manager": for_manager, "interviewer": for_interviewer, "hidden": hidden}
