"""Readers that turn a file as published (plain text, HTML page, DOCX, PDF) into decoded text.

Each reader returns a :class:`SourceText`; the parser never sees bytes. Readers drop what is not the
document (page chrome, scripts, styles) but never rewrite the document's own text, so that spans reported
by the parser can be checked against :attr:`SourceText.text`.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import InputError
from kg.loaders.base import SourceText
from kg.loaders.docx import read_docx
from kg.loaders.encoding import decode
from kg.loaders.html import looks_like_html, read_html
from kg.loaders.pdf import read_pdf
from kg.loaders.plain import read_plain

__all__ = ["SourceText", "SUFFIXES", "read_source", "read_bytes", "decode"]

#: Key-task documents are tens of kilobytes; a file far larger is not one (a log, a dump, an archive), and
#: reading it would tie up the machine. Raise the limit with KG_MAX_INPUT_MB.
DEFAULT_MAX_MB = 20


def max_input_bytes() -> int:
    try:
        return int(float(os.environ.get("KG_MAX_INPUT_MB", DEFAULT_MAX_MB)) * 1024 * 1024)
    except ValueError:
        return DEFAULT_MAX_MB * 1024 * 1024


#: File name endings that are read as documents; anything else in a folder is skipped with a warning.
SUFFIXES: tuple[str, ...] = (".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf")


#: Formats recognised by their first bytes, whatever the file is called, that kg cannot read yet.
_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc (or other OLE) file; save it as .docx or text"),
    (b"{\\rtf", "an RTF file; save it as .docx or text"),
)


def read_bytes(data: bytes, source: str, suffix: str = ".txt") -> SourceText:
    """Read a document from bytes; ``suffix`` chooses the reader (HTML is also sniffed from content)."""
    suffix = suffix.lower()
    if not data.strip():
        raise InputError(source, "empty file")
    if data.startswith(b"%PDF-"):  # by content: PDFs are often saved as .htm or with no suffix at all
        return read_pdf(data, source)
    for magic, problem in _UNSUPPORTED:
        if data.startswith(magic):
            raise InputError(source, problem)
    if suffix == ".docx":
        return read_docx(data, source)
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return read_html(data, source)
    text, encoding = decode(data, source)
    if looks_like_html(text):
        return read_html(data, source, decoded=(text, encoding))
    return read_plain(text, source, encoding)


def read_source(path: str | Path) -> SourceText:
    """Read the file at ``path``; raises :class:`~kg.errors.InputError` naming the file on any problem."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise InputError(source, "no such file")
    if path.is_dir():
        raise InputError(source, "is a directory, not a document")
    try:
        size = path.stat().st_size
        limit = max_input_bytes()
        if size > limit:
            raise InputError(source, f"too large for a key-task document ({size / 1048576:.1f} MB; the limit is "
                                     f"{limit / 1048576:g} MB, set KG_MAX_INPUT_MB to raise it)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read file ({exc.strerror or exc})") from None
    return read_bytes(data, source, path.suffix)
