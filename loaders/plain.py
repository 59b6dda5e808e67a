"""Plain-text documents."""

from __future__ import annotations

import re

from kg.loaders.base import SourceText

# Captured pages sometimes start with ``# source: URL`` and ``# title: …`` lines; they describe the
# capture, not the document, so they become metadata (the text itself keeps them, spans stay valid).
_HEADER = re.compile(r"\A(?:[ \t]*#[ \t]*(source|url|title)[ \t]*[:：][ \t]*(.*?)[ \t]*\r?\n)+", re.IGNORECASE)
_HEADER_LINE = re.compile(r"[ \t]*#[ \t]*(source|url|title)[ \t]*[:：][ \t]*(.*?)[ \t]*\r?\n", re.IGNORECASE)


def read_plain(text: str, source: str, encoding: str | None = None) -> SourceText:
    result = SourceText(source=source, text=text, media_type="text/plain", encoding=encoding)
    header = _HEADER.match(text)
    if header:
        for key, value in _HEADER_LINE.findall(header.group(0)):
            if key.lower() == "title":
                result.title = value or None
            else:
                result.url = value or None
    return result
