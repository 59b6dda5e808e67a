"""Readers that turn a file as published (plain text, HTML page, DOCX) into decoded text.

Each reader returns a :class:`SourceText`; the parser never sees bytes. Readers drop what is not the
document (page chrome, scripts, styles) but never rewrite the document's own text, so that spans reported
by the parser can be checked against :attr:`SourceText.text`.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.loaders.base import SourceText
from kg.loaders.docx import read_docx
from kg.loaders.encoding import decode
from kg.loaders.html import looks_like_html, read_html
from kg.loaders.plain import read_plain

__all__ = ["SourceText", "SUFFIXES", "read_source", "read_bytes", "decode"]

#: File name endings that are read as documents; anything else in a folder is skipped with a warning.
SUFFIXES: tuple[str, ...] = (".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".docx")


def read_bytes(data: bytes, source: str, suffix: str = ".txt") -> SourceText:
    """Read a document from bytes; ``suffix`` chooses the reader (HTML is also sniffed from content)."""
    suffix = suffix.lower()
    if not data.strip():
        raise InputError(source, "empty file")
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
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read file ({exc.strerror or exc})") from None
    return read_bytes(data, source, path.suffix)
