"""Word documents (.docx), read straight from their XML.

Paragraphs become lines and table rows become tab-separated lines. Word's automatic list numbering is not
part of the text, yet it is how many key-task documents number their tasks (``一、``, ``1.``), so the
labels are rebuilt from ``numbering.xml`` and written in front of each numbered paragraph.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from kg.errors import InputError
from kg.loaders.base import SourceText, merged_span

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (enough for list numbering)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "ideographLegalTraditional", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographDigital"):
        return chinese_numeral(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "bullet" or fmt == "none":
        return ""
    return str(n)


@dataclass
class _Numbering:
    """List definitions (numId → level → (format, text template, start)) and running counters."""

    levels: dict[str, dict[int, tuple[str, str, int]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, archive: zipfile.ZipFile) -> _Numbering:
        numbering = cls()
        try:
            root = etree.fromstring(archive.read("word/numbering.xml"))
        except (KeyError, etree.XMLSyntaxError):
            return numbering
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for absnum in root.findall("w:abstractNum", _NS):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in absnum.findall("w:lvl", _NS):
                ilvl = int(lvl.get(f"{{{_W}}}ilvl", "0"))
                fmt = lvl.find("w:numFmt", _NS)
                text = lvl.find("w:lvlText", _NS)
                start = lvl.find("w:start", _NS)
                levels[ilvl] = (
                    fmt.get(f"{{{_W}}}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{{{_W}}}val", "") if text is not None else "",
                    int(start.get(f"{{{_W}}}val", "1")) if start is not None else 1,
                )
            abstract[absnum.get(f"{{{_W}}}abstractNumId", "")] = levels
        for num in root.findall("w:num", _NS):
            ref = num.find("w:abstractNumId", _NS)
            if ref is not None:
                numbering.levels[num.get(f"{{{_W}}}numId", "")] = abstract.get(ref.get(f"{{{_W}}}val", ""), {})
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, template, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        label = template
        for level in range(ilvl, -1, -1):
            if f"%{level + 1}" in label:
                lfmt = levels.get(level, (fmt, "", 1))[0]
                value = counters.get(level, levels.get(level, (fmt, "", 1))[2])
                label = label.replace(f"%{level + 1}", _format_number(value, lfmt))
        return label


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter(f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr"):
        if node.tag == f"{{{_W}}}t":
            parts.append(node.text or "")
        elif node.tag == f"{{{_W}}}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _numbered_text(paragraph: etree._Element, numbering: _Numbering) -> str:
    text = _paragraph_text(paragraph)
    num_pr = paragraph.find("w:pPr/w:numPr", _NS)
    if num_pr is not None:
        num_id = num_pr.find("w:numId", _NS)
        ilvl = num_pr.find("w:ilvl", _NS)
        label = numbering.label(
            num_id.get(f"{{{_W}}}val", "") if num_id is not None else "",
            int(ilvl.get(f"{{{_W}}}val", "0")) if ilvl is not None else 0,
        )
        text = label + text
    return text


def _table_lines(table: etree._Element, numbering: _Numbering) -> list[str]:
    """One tab-separated line per row; merged cells repeated or padded so each stays under its column.

    Word marks a cell merged down from the one above with ``w:vMerge`` (one 牵头单位 for several tasks) and a
    cell spanning columns with ``w:gridSpan``.
    """
    lines = []
    above: dict[int, str] = {}  # column → the text last seen in it
    for row in table.iter(f"{{{_W}}}tr"):
        cells: list[str] = []
        for cell in row.findall("w:tc", _NS):
            text = " ".join(_numbered_text(p, numbering) for p in cell.iter(f"{{{_W}}}p")).strip()
            merge = cell.find("w:tcPr/w:vMerge", _NS)
            column = len(cells)
            if merge is not None and merge.get(f"{{{_W}}}val", "continue") == "continue":
                text = above.get(column, text)
            above[column] = text
            span = cell.find("w:tcPr/w:gridSpan", _NS)
            columns = merged_span(span.get(f"{{{_W}}}val") if span is not None else None)
            cells.append(text)
            cells.extend([""] * (columns - 1))
        lines.append("\t".join(cells))
    return lines


def read_docx(data: bytes, source: str) -> SourceText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        body_xml = archive.read("word/document.xml")
        root = etree.fromstring(body_xml)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        raise InputError(source, "not a valid .docx file") from None
    numbering = _Numbering.load(archive)
    body = root.find("w:body", _NS)
    lines: list[str] = []
    for block in body if body is not None else []:
        if block.tag == f"{{{_W}}}p":
            lines.append(_numbered_text(block, numbering))
        elif block.tag == f"{{{_W}}}tbl":
            lines.extend(_table_lines(block, numbering))
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise InputError(source, "the .docx file contains no text")
    title = None
    try:
        core = etree.fromstring(archive.read("docProps/core.xml"))
        found = core.find("{http://purl.org/dc/elements/1.1/}title")
        title = found.text.strip() if found is not None and found.text else None
    except (KeyError, etree.XMLSyntaxError):
        pass
    return SourceText(source=source, text=text + "\n", media_type="application/vnd.openxmlformats-officedocument"
                      ".wordprocessingml.document", title=title)
