"""The value every reader returns, and the one rule readers of tables share."""

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


def merged_span(value: str | None) -> int:
    """How many rows or columns a table cell covers (HTML ``rowspan``/``colspan``, Word ``gridSpan``).

    Missing or malformed means 1; a page claiming thousands is held to 100 rather than trusted.
    """
    try:
        return max(1, min(int(value or "1"), 100))
    except ValueError:
        return 1
