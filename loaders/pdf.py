"""PDF files with a text layer, read with pdfplumber: paragraphs as lines, ruled tables as tab-separated rows.

A PDF has no paragraphs, only positioned lines, and a key-task document's lines are wrapped wherever the
page ran out: inside a unit's name (市发展\\n改革委), a number or a 《》 title. The parser reads line breaks as
structure (a clause on its own line, a new item), so the reader puts the wrapped lines of a paragraph back
together. The rule is the typesetter's: a line that runs to the right margin continues on the next line when
that one starts at the left margin; a line that ends short ends its paragraph, and a paragraph's first line
is indented. Ruled tables (how 分工表 are printed) become one line per row with the cells separated by tabs,
as the HTML and Word readers write them; a cell merged over several rows is repeated in each. Page numbers
(``— 3 —``, ``第3页``) at the top or bottom of a page are dropped.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from kg.errors import InputError
from kg.loaders.base import SourceText

#: Gaps between characters wider than this share of the font size become spaces. Chinese is written without
#: spaces, and justified lines stretch the gaps between characters; columns of an unruled table stay apart.
_SPACE_RATIO = 0.35
#: A line ending within this many characters of the right margin ran to the margin (Chinese line breaking
#: keeps a closing punctuation mark off a line's start, so a full line can fall one character short).
_FULL_SLACK = 1.6
#: A line starting within this many characters of the left margin is not indented.
_INDENT_SLACK = 0.6
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－―]\s*\d{1,4}\s*[-—–－―]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$")
#: A line opening with an item's label starts a new paragraph even after a full line (1. 1、 (一) 一、 ①),
#: but not a decimal (3.5万人) that a wrap put at a line's start.
_LABEL = re.compile(r"^\s*(?:\d{1,3}(?:[.．](?!\d)|、)|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、"
                    r"|[①-⑳])")


@dataclass(slots=True)
class _Line:
    top: float
    x0: float
    x1: float
    size: float  # font size, about the width of one Chinese character
    text: str
    table_row: bool = False


def read_pdf(data: bytes, source: str) -> SourceText:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    # pdfminer logs a warning for every font descriptor it finds odd; none of them concerns the text.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[_Line]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(_page_lines(page.dedupe_chars()))
    except (PdfminerException, MalformedPDFException, PSException, ValueError, KeyError, TypeError,
            AttributeError, IndexError, OSError) as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(source, "the PDF is protected by a password") from None
        raise InputError(source, f"not a readable PDF file ({type(cause).__name__})") from None
    text = _join(pages)
    if not text.strip():
        raise InputError(source, "the PDF has no text layer (a scanned image?); run OCR on it first")
    return SourceText(source=source, text=text + "\n", media_type="application/pdf")


def _page_lines(page) -> list[_Line]:
    """The page's lines from top to bottom: text lines outside tables, and one line per table row."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    lines = []
    for found in page.filter(outside_tables).extract_text_lines(x_tolerance_ratio=_SPACE_RATIO):
        text = found["text"].strip()
        if not text:
            continue
        chars = found.get("chars") or []
        size = sum(c["size"] for c in chars) / len(chars) if chars else 10.0
        lines.append(_Line(found["top"], found["x0"], found["x1"], size, text))
    lines = _without_page_numbers(lines)
    for table in tables:
        lines.extend(_table_rows(table))
    lines.sort(key=lambda line: line.top)
    return lines


def _without_page_numbers(lines: list[_Line]) -> list[_Line]:
    if not lines:
        return lines
    lines = sorted(lines, key=lambda line: line.top)
    if _PAGE_NUMBER.match(lines[-1].text):
        lines.pop()
    if lines and _PAGE_NUMBER.match(lines[0].text):
        lines.pop(0)
    return lines


def _table_rows(table) -> list[_Line]:
    """One line per row, cells joined by tabs; a cell merged over rows is repeated, over columns left empty."""
    texts = table.extract(x_tolerance_ratio=_SPACE_RATIO)
    origin: dict[tuple, str] = {}  # a real cell's bbox → its text
    for row, row_texts in zip(table.rows, texts, strict=True):
        for bbox, text in zip(row.cells, row_texts, strict=True):
            if bbox is not None:
                origin[bbox] = _cell_text(text)
    columns = [column.bbox for column in table.columns]
    out = []
    for row, row_texts in zip(table.rows, texts, strict=True):
        cells = []
        for index, (bbox, text) in enumerate(zip(row.cells, row_texts, strict=True)):
            if bbox is not None:
                cells.append(_cell_text(text))
                continue
            # No cell starts here: find the merged cell that covers this place. One from a row above is
            # repeated (a lead unit for several tasks); one from the left, in this row, is not.
            x = (columns[index][0] + columns[index][2]) / 2 if index < len(columns) else row.bbox[0]
            y = (row.bbox[1] + row.bbox[3]) / 2
            covering = next((b for b in origin if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
            cells.append(origin[covering] if covering is not None and covering[1] < row.bbox[1] - 0.5 else "")
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            out.append(_Line(row.bbox[1], row.bbox[0], row.bbox[2], 0.0, "\t".join(cells), table_row=True))
    return out


def _cell_text(text: str | None) -> str:
    """A cell's wrapped lines put back together (with a space only between two Latin letters or digits)."""
    return _unwrap((text or "").replace("\t", " ").split("\n"))


def _unwrap(parts: list[str]) -> str:
    out = ""
    for part in (p.strip() for p in parts):
        if out and part and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def _join(pages: list[list[_Line]]) -> str:
    """The pages' lines as text, with each wrapped paragraph back on one line."""
    body = [line for page in pages for line in page if not line.table_row and len(line.text) >= 8]
    if not body:
        return "\n".join(line.text for page in pages for line in page)
    left = min(line.x0 for line in body)
    right = max(line.x1 for line in body)

    def runs_to_margin(line: _Line) -> bool:
        return line.x0 <= left + 3 * line.size and line.x1 >= right - _FULL_SLACK * line.size

    def at_margin(line: _Line) -> bool:
        return line.x0 <= left + _INDENT_SLACK * line.size and not _LABEL.match(line.text)

    out: list[str] = []
    previous: _Line | None = None
    for line in (line for page in pages for line in page):
        if (previous is not None and not previous.table_row and not line.table_row
                and runs_to_margin(previous) and at_margin(line)):
            out[-1] = _unwrap([out[-1], line.text])
        else:
            out.append(line.text)
        previous = line
    return "\n".join(out)
