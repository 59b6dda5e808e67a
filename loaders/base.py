"""The value every reader returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class SourceText:
    """Decoded text of one input, plus what the container told us about it.

    ``title`` and ``url`` come from the container (an HTML ``<title>``, the ``# title:``/``# source:``
    header lines of captured pages); the parser prefers what the document itself says.
    """

    source: str
    text: str
    media_type: str = "text/plain"
    encoding: str | None = None
    title: str | None = None
    url: str | None = None
