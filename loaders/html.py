"""HTML pages: the document's text without the page around it.

Government pages wrap the document in navigation, share buttons, scripts and footers. We drop elements
that never hold document text (scripts, styles, forms, navigation), keep block structure as line breaks and
table rows as tab-separated lines (so tables flattened to lines parse like plain-text tables), and leave
the rest to the parser, which finds where the document starts and ends.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from kg.errors import InputError
from kg.loaders.base import SourceText, merged_span
from kg.loaders.encoding import decode

_DROP = {
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "select",
    "option", "button", "iframe", "object", "embed", "svg", "canvas", "video", "audio", "map", "head",
}
_BLOCK = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "table", "tbody", "thead", "tfoot", "tr", "blockquote", "pre", "center", "hr", "address",
    "figure", "figcaption", "body", "html",
}
# Chrome identified by class or id; removed only when small compared with the page, so that a content
# container unluckily called "header-main" survives.
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumb|crumbs?|share|toolbar|sidebar|footer|copyright|"
                     r"topbar|header|search|login|qrcode|ewm)(?:$|[\s_-])", re.IGNORECASE)
_SNIFF = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<div[\s>]|<p[\s>])",
                    re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True for text that is an HTML page saved with a .txt name."""
    return bool(_SNIFF.match(text[:2048]))


def _decode_html(data: bytes, source: str) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        if name in ("gb2312", "gbk", "gb18030", "x-gbk"):
            name = "gb18030"
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, source)


def _text_length(element: lxml.html.HtmlElement) -> int:
    return len("".join(element.itertext()))


# A line break in the page's source is white space, as a browser shows it (an editor wraps its lines
# anywhere, 推进重大 / 项目建设); only <br> and blocks break lines. Between two Chinese characters it is
# nothing at all, as CSS Text 3 says of line breaks between wide characters.
_SOURCE_BREAK = re.compile(r"[ \t\r]*[\r\n][ \t\r\n]*")
_WIDE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _flow(text: str | None) -> str:
    if not text or "\n" not in text and "\r" not in text:
        return text or ""

    def joined(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
        return "" if _WIDE.match(before) and _WIDE.match(after) else " "

    return _SOURCE_BREAK.sub(joined, text)


def _render(element: lxml.html.HtmlElement, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.lower()
    if tag in _DROP or not tag:
        out.append(_flow(element.tail))
        return
    if tag == "pre":  # preformatted: its line breaks are the text's
        out.append("\n" + element.text_content() + "\n" + _flow(element.tail))
        return
    if tag == "table":
        out.append("\n")
        _render_table(element, out)
        out.append("\n" + _flow(element.tail))
        return
    if tag == "br" or tag in _BLOCK:
        out.append("\n")
    _render_children(element, out)
    if tag in _BLOCK:
        out.append("\n")
    out.append(_flow(element.tail))


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's own rows (in thead, tbody, tfoot or directly in it), not those of tables nested in cells."""
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr")
    return rows


def _render_table(table: lxml.html.HtmlElement, out: list[str]) -> None:
    """One line per row, cells separated by tabs, whatever blocks the cells contain.

    A cell merged over several rows (``rowspan``: one 牵头单位 for three tasks) is repeated in each of them,
    and one merged over columns leaves empty cells after it, so that every row's cells stay under their
    column's header.
    """
    for child in table:
        if isinstance(child.tag, str) and child.tag.lower() == "caption":
            _render(child, out)
    carried: dict[int, tuple[str, int]] = {}  # column → (text, rows it still covers)
    for row in _rows(table):
        cells: list[str] = []
        own = [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        for cell in own:
            while len(cells) in carried:
                cells.append(_take(carried, len(cells)))
            cell_out: list[str] = []
            _render_children(cell, cell_out)
            text = " ".join("".join(cell_out).split())
            columns = merged_span(cell.get("colspan")) if len(own) > 1 else 1
            rows = merged_span(cell.get("rowspan"))
            for k in range(columns):
                column = len(cells)
                cells.append(text if k == 0 else "")
                if rows > 1:
                    carried[column] = (cells[-1], rows - 1)
        while carried and len(cells) <= max(carried):
            cells.append(_take(carried, len(cells)) if len(cells) in carried else "")
        out.append("\n" + "\t".join(cells) + "\n" + _flow(row.tail))


def _take(carried: dict[int, tuple[str, int]], column: int) -> str:
    text, rows = carried[column]
    if rows > 1:
        carried[column] = (text, rows - 1)
    else:
        del carried[column]
    return text


def _render_children(element: lxml.html.HtmlElement, out: list[str]) -> None:
    out.append(_flow(element.text))
    for child in element:
        _render(child, out)


# Runs of spaces collapse as a browser collapses them; &nbsp; runs do not (a wide gap a page keeps on purpose).
_SPACES_IN_LINE = re.compile(r"[ \f\v]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def html_to_text(html: str) -> tuple[str, str | None]:
    """Return the page's text (one line per block, tab-separated table cells) and its ``<title>``."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return "", None
    title_el = root.find(".//title")
    title = title_el.text_content().strip() if title_el is not None else None
    total = max(1, _text_length(root))
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if _CHROME.search(marker) and element.getparent() is not None and _text_length(element) < total * 0.3:
            element.drop_tree()
    out: list[str] = []
    body = root.find("body")
    try:
        _render(body if body is not None else root, out)
    except RecursionError:
        return "", title
    text = "".join(out)
    lines = [_SPACES_IN_LINE.sub(" ", line).strip(" ") if line.strip() else "" for line in text.split("\n")]
    text = "\n".join(line.rstrip("\t") for line in lines)
    text = _BLANK_LINES.sub("\n\n", text).strip("\n")
    return text + "\n", title


def read_html(data: bytes, source: str, decoded: tuple[str, str] | None = None) -> SourceText:
    html, encoding = decoded if decoded else _decode_html(data, source)
    text, title = html_to_text(html)
    if not text.strip():
        raise InputError(source, "HTML page without any text")
    return SourceText(source=source, text=text, media_type="text/html", encoding=encoding, title=title)
