"""Uploaded documents: what we accept, checked by name and by content.

The type is decided by the file's first bytes and its extension together, never
by the Content-Type the browser sent. Text is pulled out of PDF and Office files
so the knowledge base can be searched.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

MAX_BYTES = 20 * 1024 * 1024
#: An Office or OpenDocument file is a ZIP archive; it is refused before it is read
#: when it has more parts than this, or unpacks to more than this (a "zip bomb").
MAX_ARCHIVE_MEMBERS = 1_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

PDF = "application/pdf"
OOXML = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LEGACY = {
    ".doc": "application/msword",
    ".ppt": "application/vnd.ms-powerpoint",
    ".xls": "application/vnd.ms-excel",
}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ALLOWED = {".pdf": PDF, **OOXML, **LEGACY, **ODF}


class UploadError(ValueError):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    text: str


def safe_name(name: str) -> str:
    """The bare file name; a name that carries a path is refused."""
    if (
        name != PurePosixPath(name).name
        or name != PureWindowsPath(name).name
        or name in ("", ".", "..")
        or "\x00" in name
    ):
        raise UploadError("path")
    return name


def check(name: str, data: bytes) -> CheckedUpload:
    """Raise UploadError("path" | "size" | "type" | "empty" | "archive") or describe
    the file."""
    name = safe_name(name)
    if not data:
        raise UploadError("empty")
    if len(data) > MAX_BYTES:
        raise UploadError("size")
    suffix = PurePosixPath(name).suffix.lower()
    content_type = ALLOWED.get(suffix)
    if content_type is None or not _content_matches(suffix, data):
        raise UploadError("type")
    return CheckedUpload(
        name=name, content_type=content_type, size=len(data), text=extract_text(suffix, data)
    )


def _content_matches(suffix: str, data: bytes) -> bool:
    if suffix == ".pdf":
        return data.startswith(b"%PDF-")
    if suffix in LEGACY:
        return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    if suffix in OOXML:
        return "[Content_Types].xml" in names
    return "mimetype" in names  # ODF


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an archive with too many parts, or one that says it unpacks to too
    much. (What it says is checked again while reading: ``read_bounded``.)"""
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise UploadError("archive")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UploadError("archive")


def read_bounded(archive: zipfile.ZipFile, names: list[str], budget: int) -> list[bytes]:
    """The parts' bytes, refusing the archive once more than ``budget`` bytes come
    out, whatever sizes its directory claims."""
    parts = []
    for name in names:
        with archive.open(name) as part:
            chunk = part.read(budget + 1)
        budget -= len(chunk)
        if budget < 0:
            raise UploadError("archive")
        parts.append(chunk)
    return parts


def extract_text(suffix: str, data: bytes, limit: int = 200_000) -> str:
    try:
        if suffix == ".pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            text = " ".join(page.extract_text() or "" for page in reader.pages[:200])
        elif suffix in OOXML or suffix in ODF:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = [
                    n
                    for n in archive.namelist()
                    if n.endswith(".xml")
                    and (
                        "word/" in n
                        or "ppt/slides/" in n
                        or "sharedStrings" in n
                        or n == "content.xml"
                    )
                ]
                text = " ".join(
                    re.sub(r"<[^>]+>", " ", chunk.decode("utf-8", "ignore"))
                    for chunk in read_bounded(archive, parts, MAX_UNPACKED_BYTES)
                )
        else:
            text = ""
    except UploadError:
        raise
    except Exception:  # a damaged file is still stored; it is just not searchable
        text = ""
    return " ".join(text.split())[:limit]
