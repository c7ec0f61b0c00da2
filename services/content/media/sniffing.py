"""What an uploaded file really is, judged from its bytes alone.

The filename and the type the browser declared are both chosen by the uploader, so neither
decides anything here. A file passes only if its bytes start with the signature of a type on
the allowlist; everything else (executables, scripts, HTML, SVG, plain archives, …) is refused.
Office documents are containers and get a look inside: DOCX/XLSX and ODT/ODS are zip archives
told apart by their entries, DOC/XLS are OLE2 compound files told apart by their streams.
Documents carrying macros are refused: they are the usual way malware travels in office files.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import olefile

from services.common.errors import InvalidInput


@dataclass(frozen=True)
class FileType:
    content_type: str
    kind: str  # "image" or "document": decides the size limit and whether renditions are made
    extensions: tuple[str, ...]
    label: str


JPEG = FileType("image/jpeg", "image", ("jpg", "jpeg"), "a JPEG image")
PNG = FileType("image/png", "image", ("png",), "a PNG image")
GIF = FileType("image/gif", "image", ("gif",), "a GIF image")
WEBP = FileType("image/webp", "image", ("webp",), "a WebP image")
PDF = FileType("application/pdf", "document", ("pdf",), "a PDF document")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document",
                ("docx",), "a Word (DOCX) document")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document",
                ("xlsx",), "an Excel (XLSX) workbook")
ODT = FileType("application/vnd.oasis.opendocument.text", "document", ("odt",), "an OpenDocument text")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "document", ("ods",),
               "an OpenDocument spreadsheet")
DOC = FileType("application/msword", "document", ("doc",), "a Word 97-2003 (DOC) document")
XLS = FileType("application/vnd.ms-excel", "document", ("xls",), "an Excel 97-2003 (XLS) workbook")

ALLOWED = "only images (JPEG, PNG, WebP, GIF) and documents (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS) are allowed"

SIGNATURES = [
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"%PDF-", PDF),
]
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODF_TYPES = {ODT.content_type: ODT, ODS.content_type: ODS}

# Only to tell the uploader what they sent; the decision above is the allowlist's alone.
REFUSED_SIGNATURES = [
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"MZ", "a Windows program (EXE/DLL)"),
    (b"#!", "a script"),
]


def sniff(data: bytes) -> FileType:
    """The allowed type `data` is; InvalidInput saying what it is instead otherwise."""
    if data.startswith(ZIP_SIGNATURE):
        return _zip_document_type(data)
    if data.startswith(OLE2_SIGNATURE):
        return _ole_document_type(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    for signature, file_type in SIGNATURES:
        if data.startswith(signature):
            return _complete_pdf(data) if file_type is PDF else file_type
    raise _refused(f"The file is {_describe_refused(data)}; {ALLOWED}")


def _zip_document_type(data: bytes) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            odf_type = _odf_type(archive) if "mimetype" in names else None
    except Exception:  # a damaged or encrypted archive fails in any of several ways
        raise _refused("The file is a damaged zip archive or office document") from None
    if _has_macros(names):
        raise _refused("Office documents containing macros are not allowed", "contains macros")
    if odf_type is not None:
        return odf_type
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
    raise _refused(f"The file is a zip archive, not a Word, Excel or OpenDocument file; {ALLOWED}")


def _odf_type(archive: zipfile.ZipFile) -> FileType | None:
    # The `mimetype` entry names the ODF type; it is a few dozen bytes, anything bigger is not ODF.
    if archive.getinfo("mimetype").file_size > 100:
        return None
    return ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())


def _has_macros(names: list[str]) -> bool:
    # OOXML keeps macros in vbaProject.bin; ODF in Basic/ (Basic macros) and Scripts/.
    return any(name.endswith("vbaProject.bin") or name.startswith(("Basic/", "Scripts/")) for name in names)


def _ole_document_type(data: bytes) -> FileType:
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            has_macros = ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR")
            is_word, is_excel = ole.exists("WordDocument"), ole.exists("Workbook") or ole.exists("Book")
    except Exception:  # olefile fails on a damaged container in any of several ways
        raise _refused("The file is a damaged Office 97-2003 document") from None
    if has_macros:
        raise _refused("Office documents containing macros are not allowed", "contains macros")
    if is_word:
        return DOC
    if is_excel:
        return XLS
    # The same container also carries installers (MSI), Outlook messages, PowerPoint files, …
    raise _refused(f"The file is an OLE2 container that is neither DOC nor XLS; {ALLOWED}")


def _complete_pdf(data: bytes) -> FileType:
    # Readers look for the end-of-file marker within the last 1024 bytes; without it the
    # upload was cut short.
    if b"%%EOF" not in data[-1024:]:
        raise _refused("The PDF is incomplete: it has no end-of-file marker", "damaged")
    return PDF


def _describe_refused(data: bytes) -> str:
    for signature, description in REFUSED_SIGNATURES:
        if data.startswith(signature):
            return description
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in head:
        return "an SVG drawing (which can carry scripts)"
    if head.startswith((b"<!doctype html", b"<html")) or b"<script" in head:
        return "an HTML page or script"
    return "of a type that is not recognised"


def _refused(message: str, reason: str = "type not allowed") -> InvalidInput:
    return InvalidInput(message, {"file": reason})
