import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates.documents import DOCX, MACROS_REFUSED, PDF
from candidates.models import Document
from candidates.services import document_upload
from core.errors import DomainError
from tests.candidates.conftest import build_docx, stored_files
from tests.candidates.factories import CandidateFactory

pytestmark = pytest.mark.django_db
MACROS = MACROS_REFUSED


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_real_pdf_is_stored_under_a_random_name_with_its_hash(
    private_storage, recruiter, pdf_bytes
):
    candidate = CandidateFactory()
    document = document_upload(
        candidate=candidate, file=upload("Ada CV.pdf", pdf_bytes), actor=recruiter
    )
    assert document.content_type == PDF
    assert document.original_name == "Ada CV.pdf"
    assert document.size == len(pdf_bytes)
    assert document.sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    assert document.uploaded_by == recruiter
    [path] = stored_files(private_storage)
    assert path.read_bytes() == pdf_bytes
    # Private to the service's user: the file 0600, every folder down to it 0700.
    assert path.stat().st_mode & 0o777 == 0o600
    folders = path.relative_to(private_storage).parents
    modes = {(private_storage / folder).stat().st_mode & 0o777 for folder in list(folders)[:-1]}
    assert modes == {0o700}
    assert "Ada" not in path.name and not path.name.endswith(".pdf")
    assert document.file.name == str(path.relative_to(private_storage))


def test_real_docx_is_accepted_whatever_its_declared_type(private_storage, recruiter, docx_bytes):
    document = document_upload(
        candidate=CandidateFactory(),
        file=upload("resume.docx", docx_bytes, "application/octet-stream"),
        actor=recruiter,
        kind=Document.Kind.COVER_LETTER,
    )
    assert (document.content_type, document.kind) == (DOCX, "cover_letter")
    assert len(stored_files(private_storage)) == 1


def test_extension_follows_content(private_storage, recruiter, pdf_bytes):
    document = document_upload(
        candidate=CandidateFactory(), file=upload("cv.docx", pdf_bytes), actor=recruiter
    )
    assert document.original_name == "cv.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "This file is a program, not a document."),
        (
            "cv.pdf",
            b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
            "This file is a program, not a document.",
        ),
        ("cv.pdf", b"", "The file is empty."),
        ("cv.pdf", b"hello, I am plain text", "This file is not a PDF or DOCX document"),
        (
            "cv.docx",
            build_docx(with_document=False),
            "This ZIP file is not a Word document (.docx).",
        ),
        ("cv.docm", build_docx(content_types="<Types>macroEnabled.main+xml</Types>"), MACROS),
        ("cv.docx", build_docx(extra=["word/vbaProject.bin"]), MACROS),
        ("cv.docx", build_docx(extra=["Word/VBAPROJECT.BIN", "word/vbaData.xml"]), MACROS),
        ("cv.docx", build_docx(extra=["word/activeX/activeX1.bin"]), MACROS),
        ("cv.docx", b"PK\x03\x04 broken zip", "This ZIP file is not a Word document (.docx)."),
    ],
)
def test_not_a_document_is_refused_and_nothing_is_saved(
    private_storage, recruiter, name, content, message
):
    candidate = CandidateFactory()
    with pytest.raises(DomainError) as caught:
        document_upload(candidate=candidate, file=upload(name, content), actor=recruiter)
    assert caught.value.code == "invalid_document"
    assert list(caught.value.errors) == ["file"]
    assert caught.value.errors["file"][0].startswith(message)
    assert Document.objects.count() == 0
    assert stored_files(private_storage) == []


def test_file_over_ten_megabytes_is_refused(private_storage, recruiter, pdf_bytes):
    content = pdf_bytes + b"0" * (10 * 1024 * 1024 + 1 - len(pdf_bytes))
    assert len(content) == 10 * 1024 * 1024 + 1
    with pytest.raises(DomainError) as caught:
        document_upload(
            candidate=CandidateFactory(), file=upload("big.pdf", content), actor=recruiter
        )
    assert caught.value.errors == {"file": ["The file is 10.0 MB; the limit is 10 MB."]}
    assert Document.objects.count() == 0
    assert stored_files(private_storage) == []


def test_file_of_exactly_ten_megabytes_is_accepted(private_storage, recruiter, pdf_bytes):
    content = pdf_bytes + b"0" * (10 * 1024 * 1024 - len(pdf_bytes))
    document = document_upload(
        candidate=CandidateFactory(), file=upload("big.pdf", content), actor=recruiter
    )
    assert document.size == 10 * 1024 * 1024


def test_stored_file_is_removed_when_the_row_cannot_be_written(
    private_storage, recruiter, pdf_bytes, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(Document.objects, "create", fail)
    with pytest.raises(RuntimeError):
        document_upload(
            candidate=CandidateFactory(), file=upload("cv.pdf", pdf_bytes), actor=recruiter
        )
    assert stored_files(private_storage) == []


def test_unknown_kind_is_refused(private_storage, recruiter, pdf_bytes):
    with pytest.raises(DomainError) as caught:
        document_upload(
            candidate=CandidateFactory(),
            file=upload("cv.pdf", pdf_bytes),
            actor=recruiter,
            kind="passport",
        )
    assert list(caught.value.errors) == ["kind"]
    assert stored_files(private_storage) == []
