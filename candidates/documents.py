"""What a candidate document may be: PDF or DOCX, judged by content, within a size limit.

The extension and the browser's content type are not trusted: a PDF starts with
``%PDF-``; a DOCX is a ZIP whose ``[Content_Types].xml`` declares a Word main
document (``word/document.xml``). Macro-enabled Word files (.docm) are refused, and so is
a .docx carrying a macro project (``vbaProject.bin``) or ActiveX controls, whatever its
declared type.
The ZIP is only listed, never extracted, so a ZIP bomb costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!")
MAX_ZIP_ENTRIES = 5000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# Parts that carry code: a VBA project (and its data and signatures) or ActiveX controls.
ACTIVE_PARTS = ("vbaproject", "vbadata", "activex/")
ACTIVE_CONTENT = (b"macroEnabled", b"vbaProject", b"activeX")
MACROS_REFUSED = (
    "This Word document contains macros or ActiveX controls, which are not accepted. "
    "Save it as a plain Word document (.docx) or as PDF and upload that."
)


class DocumentRejected(Exception):
    """The upload is not an acceptable document; the message says why."""


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    content_type: str
    size: int
    sha256: str


def inspect_upload(file: BinaryIO, *, max_bytes: int) -> CheckedUpload:
    """Check size and content; return what the row needs. Raises DocumentRejected."""
    size = _size(file)
    if size == 0:
        raise DocumentRejected("The file is empty.")
    if size > max_bytes:
        raise DocumentRejected(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is {_mb(max_bytes)} MB."
        )
    file.seek(0)
    head = file.read(8)
    content_type = _content_type(file, head)
    file.seek(0)
    return CheckedUpload(
        original_name=_safe_name(getattr(file, "name", "") or "", content_type),
        content_type=content_type,
        size=size,
        sha256=_sha256(file),
    )


def _content_type(file: BinaryIO, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        parts = _docx_parts(file)
        if parts is not None and _is_active(*parts):
            raise DocumentRejected(MACROS_REFUSED)
        if parts is not None and DOCX_MAIN in parts[1]:
            return DOCX
        raise DocumentRejected(
            "This ZIP file is not a Word document (.docx). Only PDF and DOCX files are accepted."
        )
    if head.startswith(EXECUTABLE_MAGIC):
        raise DocumentRejected(
            "This file is a program, not a document. Only PDF and DOCX files are accepted."
        )
    raise DocumentRejected(
        "This file is not a PDF or DOCX document (checked by its content, not its name)."
    )


def _docx_parts(file: BinaryIO) -> tuple[set[str], bytes] | None:
    """The part names and ``[Content_Types].xml`` of a Word-like ZIP; None if it is not one."""
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return None
            if archive.getinfo("[Content_Types].xml").file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            with archive.open("[Content_Types].xml") as handle:
                content_types = handle.read(MAX_CONTENT_TYPES_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError):
        return None
    return names, content_types


def _is_active(names: set[str], content_types: bytes) -> bool:
    """Macros or ActiveX, by part name (any folder, any case) or declared content type."""
    lowered = [name.lower() for name in names]
    by_name = any(marker in name for name in lowered for marker in ACTIVE_PARTS)
    return by_name or any(marker in content_types for marker in ACTIVE_CONTENT)


def _size(file: BinaryIO) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _sha256(file: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _safe_name(name: str, content_type: str) -> str:
    """The name shown and offered on download: no path, printable, right extension."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(c for c in base if c.isprintable() and c not in '"<>|:*?').strip(" .")
    stem, ext = os.path.splitext(base)
    wanted = EXTENSIONS[content_type]
    stem = (stem or "document")[:200]
    return f"{stem}{wanted}" if ext.lower() != wanted else f"{stem}{ext}"


def _mb(value: int) -> str:
    return f"{value / 1024 / 1024:g}"
