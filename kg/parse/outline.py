"""The outline of a document: numbered items, their nesting, and which of them are tasks.

Key-task documents number their content with a small set of markers (``一、`` ``(一)`` ``1.`` ``1、``
``(1)`` ``①`` ``第一章``; Word's ``⑴`` ``⒈``; decimal ``1.1``), nested two or three deep, numbered continuously or
restarting per section. We
do not assume an order of marker types: a marker type that is not open yet opens a deeper level, one that
is open continues its level. Every candidate is checked against the numbering sequence, which is what
keeps a wrapped line that happens to start with ``3、`` from becoming an item.

Which level holds the tasks is decided afterwards by where the responsibility clauses are (see
:func:`choose_tasks`), because the genre puts tasks at any level.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations_with_replacement, takewhile

from kg.parse.clauses import is_person, is_unit_like

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERAL = "[一二三四五六七八九十百零〇两]{1,4}"


def cn_to_int(text: str) -> int:
    """Chinese numeral (一 … 九十九, 一百 …) to int; 0 when it is not one."""
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return 0
    return total + current


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ENCLOSED_FIRST = {"pcirc": "⑴", "dcirc": "⒈"}

# (kind, pattern). Patterns run on the normalised line after its leading spaces; group "n" is the numeral
# and group "label" what is reported as the item's label. Order matters only for overlapping matches.
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"(?P<label>第(?P<n>{_CN_NUMERAL})(?P<unit>章|节|部分))\s*")),
    ("cn", re.compile(rf"(?P<label>(?P<n>{_CN_NUMERAL}))\s*[、.]\s*")),
    ("pcn", re.compile(rf"(?P<label>\(\s*(?P<n>{_CN_NUMERAL})\s*\))\s*[、.]?\s*")),
    # Decimal numbering, 1.1 over 1.2 then 2.1 (a Word template's): the value counts major × 1000 + minor. Not
    # 3.5G基站 (item 3, 5G), 1.1月底前 (item 1, January) or 2.10个乡镇 (item 2, ten townships).
    ("dec", re.compile(r"(?P<label>(?P<n>\d{1,2}\.\d{1,2}))(?=\s*[^\d\s.%A-Za-z万亿千百个元倍年月日时项条家号])\s*")),
    # 6、98年元旦… and 7、1月底前… are items; 1、2月份… is not (see match_marker), nor is 98.4% (a table cell).
    ("num", re.compile(r"(?P<label>(?P<n>\d{1,3}))\s*(?:[.、](?!\d)|、|\.(?=\d+[^\d.%]))\s*")),
    ("numr", re.compile(r"(?P<label>(?P<n>\d{1,3}))\)\s*")),
    ("pnum", re.compile(r"(?P<label>\(\s*(?P<n>\d{1,3})\s*\))\s*[、.]?\s*")),
    ("circ", re.compile(r"(?P<label>(?P<n>[①-⑳]))\s*")),
    # One-character forms of (1) and 1. that Word and PDF exports print: ⑴…⒇ and ⒈…⒛.
    ("pcirc", re.compile(r"(?P<label>(?P<n>[⑴-⒇]))\s*")),
    ("dcirc", re.compile(r"(?P<label>(?P<n>[⒈-⒛]))\s*")),
]
_NEXT_MONTH = re.compile(r"(?P<n>\d{1,2})(?:月|季度)")
# A table row numbered under its group's number: 1-1, 1.1 (then a cell separator).
_SUB_ROW_NUMBER = re.compile(r"[1-9]\d?[.\-][1-9]\d?")  # not a value: 0.07, 2.05
_SUB_ROW = re.compile(rf"(?P<label>{_SUB_ROW_NUMBER.pattern})[.、]?[\t ]+(?=\S)")


def _decimal_value(label: str) -> int:
    """1.2 or 1-2 counted as major × 1000 + minor (1002), so that 1.2 follows 1.1 and 2.1 follows 1.x."""
    major, minor = re.split(r"[.\-]", label)
    return int(major) * 1000 + int(minor)
_ROW = re.compile(r"(?P<label>(?P<n>\d{1,3}))\*?(?:[.、]?[\t ]+|\t)(?=\S)")
# Where page text lost its line breaks, items run on after a sentence or clause end.
# A (一) is distinctive enough to start an item after any character (…质监站(二)小街巷专项整治…).
_INLINE_MARKER = re.compile(
    rf"(?<=[。;!?)\]】”\s])\s*(?=(?:{_CN_NUMERAL}、|\({_CN_NUMERAL}\)|\d{{1,3}}[.、](?!\d)|\(\d{{1,3}}\)|[①-⒛]))"
    rf"|(?<=[\u4e00-\u9fff])(?=\({_CN_NUMERAL}\)[\u4e00-\u9fff])"
)
_LONG_LINE = 200
# A cell that is a heading (一、… or (一)…) followed, after a tab, by a cell that starts with an item marker.
_HEADING_CELL = re.compile(
    rf"[ \t]*(?P<cell>(?:{_CN_NUMERAL}[、.]|\({_CN_NUMERAL}\))[^\t]*?)[ \t]*\t[ \t]*"
    rf"(?=(?:{_CN_NUMERAL}、|\({_CN_NUMERAL}\)|\d{{1,3}}[.、](?!\d)|\(\d{{1,3}}\)|\d{{1,3}}(?=[ \t]*\t))[^\t]*\t)"
)


@dataclass(slots=True)
class Line:
    """A line of the body: ``[start, end)`` in the normalised text, without its newline."""

    start: int
    end: int
    text: str

    @property
    def stripped_start(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip()))

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(slots=True, eq=False)
class Item:
    kind: str
    value: int
    label_span: tuple[int, int]  # the label in the normalised text (map to original to print it)
    start: int  # where the marker starts
    content_start: int  # where the item's own text starts
    line_index: int
    block: int
    depth: int
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    end: int = 0  # end of the item including its children
    own_end: int = 0  # end of the item's own text (start of its first child)
    cells: list[tuple[int, int]] | None = None  # table rows: cell spans, in column order
    label: str | None = None  # a label the document does not print (rows of a table without numbers)

    def descendants(self) -> list[Item]:
        found: list[Item] = []
        for child in self.children:
            found.append(child)
            found.extend(child.descendants())
        return found

    def ancestors(self) -> list[Item]:
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


def split_lines(norm: str, start: int, end: int) -> list[Line]:
    """Lines of ``norm[start:end]``; overlong lines are cut where an item marker follows a sentence end."""
    lines: list[Line] = []
    pos = start
    while pos < end:
        nl = norm.find("\n", pos, end)
        stop = end if nl < 0 else nl
        text = norm[pos:stop]
        if text.endswith("\r"):
            text = text[:-1]
        if "\t" in text and _HEADING_CELL.match(text):
            # A table row that starts with the cells of the headings it falls under (一、… | (一)… | 1.… |
            # 责任科室, or 一、… | 1 | …): each heading cell a line of its own, then the row.
            cut = pos
            while m := _HEADING_CELL.match(norm, cut, pos + len(text)):
                lines.append(Line(cut, m.end("cell"), norm[cut:m.end("cell")]))
                cut = m.end()
            lines.append(Line(cut, pos + len(text), norm[cut:pos + len(text)]))
        elif len(text) > _LONG_LINE and "\t" not in text and len(_INLINE_MARKER.findall(text)) >= 2:
            # (Not a table row: the 1. 2. 3. inside a cell are steps of its task, not items.)
            cut = pos
            for m in _INLINE_MARKER.finditer(text):
                piece_end = pos + m.start()
                if piece_end > cut:
                    lines.append(Line(cut, piece_end, norm[cut:piece_end]))
                cut = pos + m.end()
            lines.append(Line(cut, pos + len(text), norm[cut:pos + len(text)]))
        elif cuts := _next_items_inline(text):
            # (一)…。(省发改委负责)(二)…: the next item of the line's own numbering, run on after a clause.
            for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True):
                lines.append(Line(pos + a, pos + b, text[a:b]))
        else:
            lines.append(Line(pos, pos + len(text), text))
        pos = stop + 1
    return lines


# Where an item may start right after the clause that closes the one before: a bracket or a sentence end (not
# a semicolon: 1、金寨县;2、金安区 is a ranking, not items), then a marker.
_AFTER_CLAUSE = re.compile(rf"[)。](?=\(\s*(?:{_CN_NUMERAL}|\d{{1,3}})\s*\)|\d{{1,3}}[.、]|{_CN_NUMERAL}、|[①-⒛])")


def _next_items_inline(text: str) -> list[int]:
    """Positions in a line that opens with an item where the items after it in the same numbering begin,
    each right after a closing bracket or sentence end: (一)…(省发改委负责)(二)… or 1.…协办)2.…"""
    if not _AFTER_CLAUSE.search(text):
        return []
    first = _text_marker(text)
    if first is None:
        return []
    kind, value = first[0], first[1]
    cuts = []
    for m in _AFTER_CLAUSE.finditer(text):
        rest = text[m.end():]
        found = _text_marker(rest)
        if found is not None and found[0] == kind and _follows(kind, value, found[1]):
            cuts.append(m.end())
            value = found[1]
    return cuts


def _numeral(kind: str, n: str) -> int:
    if kind in ("num", "numr", "pnum", "row", "group"):
        return int(n)
    if kind == "dec":
        return _decimal_value(n)
    if kind == "circ":
        return _CIRCLED.index(n) + 1
    if kind in _ENCLOSED_FIRST:
        return ord(n) - ord(_ENCLOSED_FIRST[kind]) + 1
    return cn_to_int(n)


def _text_marker(text: str) -> tuple[str, int, tuple[int, int], int] | None:
    """:func:`match_marker` of a piece of text (a cell, the rest of a line), offsets from its start."""
    return match_marker(Line(0, len(text), text))


def match_marker(line: Line) -> tuple[str, int, tuple[int, int], int] | None:
    """(kind, value, label span, content start) when the line starts with an item marker."""
    text = line.text
    lead = len(text) - len(text.lstrip())
    for kind, pattern in _MARKERS:
        m = pattern.match(text, lead)
        if not m:
            continue
        value = _numeral(kind, m.group("n"))
        if value <= 0:
            continue
        if kind == "num" and (month := _NEXT_MONTH.match(text, m.end())) and int(month.group("n")) == value + 1:
            return None  # 1、2月份…: two months, not an item
        if kind == "chapter":
            kind = "chapter-" + m.group("unit")
        rest = text[m.end():].strip()
        if not rest and kind not in ("cn", "pcn") and not kind.startswith("chapter"):
            continue
        label = (line.start + m.start("label"), line.start + m.end("label"))
        return kind, value, label, line.start + m.end()
    return None


# --- tables flattened to lines -------------------------------------------------------------------------

_HEADER_WORDS = re.compile(r"序号|编号")
_COLUMN_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(序号|编号|序)$")),
    # Who scores the work rather than does it (评分部门), and a unit of measure (单位).
    ("ignored", re.compile(r"^(?:单位|计量单位)$|评分")),
    ("person", re.compile(r"领导|责任人|联系人")),
    ("deadline", re.compile(r"时限|时间|进度|节点|期限")),
    ("lead", re.compile(r"牵头|主要责任|主责|主办|第一责任")),
    ("co", re.compile(r"配合|参与|协办|协助|协同|协作|支持单位")),
    ("responsible", re.compile(r"责任|负责|承办|实施单位|实施主体|单位|部门|科室|处室|股室")),
    ("task", re.compile(r"任务|内容|事项|措施|目标|指标|工作|举措|项目|要点|名称|具体|实事|问题|明细|职责")),
]


def _merge_letter_spaced(cells: list[tuple[int, int]], norm: str) -> list[tuple[int, int]]:
    """``工 作 任 务`` in a letter-spaced header is one cell, not four."""
    merged: list[tuple[int, int]] = []
    in_run = False
    for start, end in cells:
        single = end - start == 1 and "\u4e00" <= norm[start] <= "\u9fff"
        if single and in_run:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
        in_run = single
    return merged


def split_cells(line: Line, norm: str, *, single_spaces: bool = False) -> list[tuple[int, int]]:
    """Cell spans of a table line: tab-separated, else separated by runs of 2+ spaces, else by spaces."""
    text = line.text
    if "\t" in text:
        # Tables from HTML and DOCX: one tab per cell boundary, so an empty cell stays an (empty) cell.
        cells = []
        pos = 0
        for part in text.split("\t"):
            lead = len(part) - len(part.lstrip())
            cells.append((line.start + pos + lead, line.start + pos + max(lead, len(part.rstrip()))))
            pos += len(part) + 1
        while cells and not norm[cells[-1][0]:cells[-1][1]].strip():
            cells.pop()
        while cells and not norm[cells[0][0]:cells[0][1]].strip():
            cells.pop(0)
        return cells
    if not single_spaces and re.search(r"\S {2,}\S", text.strip()):
        separator = re.compile(r" {2,}")
    else:
        separator = re.compile(r"[ \u3000]+")
    cells = []
    pos = 0
    for m in separator.finditer(text):
        if m.start() > pos:
            cells.append((line.start + pos, line.start + m.start()))
        pos = m.end()
    if pos < len(text):
        cells.append((line.start + pos, line.start + len(text)))
    cells = [(s, e) for s, e in cells if norm[s:e].strip()]
    return cells


@dataclass(slots=True)
class TableHeader:
    line_index: int
    columns: list[str]  # kinds, one per column


def match_table_header(line: Line, norm: str) -> TableHeader | None:
    text = line.text.strip()
    if not text or len(text) > 120:
        return None
    cells = _merge_letter_spaced(split_cells(line, norm), norm) if _HEADER_WORDS.search(text) or "\t" in text \
        or "  " in text else []
    if not _HEADER_WORDS.search(text) and (len(cells) < 3 or any(e - s > _HEADER_CELL_MAX for s, e in cells)):
        return None  # without 序号, only a line of short separated column names is a header
    kinds = _second_leads_assist([column_kind(name) for name in _rejoin_wrapped([norm[s:e] for s, e in cells])])
    if not _is_header(kinds):
        return None
    return TableHeader(line_index=-1, columns=kinds)


# A narrow header cell wraps its name onto two lines (牵头 / 部门, 完成 / 时间, 项目 / 类别), which a flattened
# table prints as two cells. Only these halves are put back together: 指标 | 单位 are two columns.
_FIRST_HALVES = frozenset({"牵头", "配合", "责任", "完成", "主要", "主办", "协办", "参与", "相关", "落实", "承办",
                           "项目", "工作"})
# An office's short name opening a column name that a narrow cell wrapped (区政府办 / 协管责任人).
_OFFICE_HEAD = re.compile(r"[\u4e00-\u9fff]{1,4}(?:办|局|委|部|厅)")
_SECOND_HALVES = frozenset({"部门", "单位", "时间", "时限", "科室", "处室", "类别", "内容", "领导", "任务"})


def _is_wrapped(first: str, second: str) -> bool:
    """Are ``first`` and ``second`` the two lines of one column name that a narrow cell wrapped?

    牵头 / 部门 and 责任 / 领导 are known halves; otherwise a short first line wrapped onto the column's last
    word (攻坚目标 / 任务, 第二季度 / 完成情况): the whole names the same kind of column as that last word does.
    """
    first, second = re.sub(r"\s+", "", first), re.sub(r"\s+", "", second)
    if first in _FIRST_HALVES and second in _SECOND_HALVES:
        return True
    if _OFFICE_HEAD.fullmatch(first) and column_kind(second) in ("person", *UNIT_COLUMNS):
        return True  # 区政府办 / 协管责任人: the office's own person, one column
    if not (2 <= len(first) <= 4 and (second in _SECOND_HALVES or _OTHER_COLUMN_NAME.fullmatch(second))):
        return False
    kind = column_kind(second)
    return kind != "number" and column_kind(first + second) == kind and not _OTHER_COLUMN_NAME.search(first)


def _rejoin_wrapped(names: list[str]) -> list[str]:
    """Column names with the halves of a wrapped name (牵头, 部门) joined (牵头部门)."""
    joined: list[str] = []
    for name in names:
        if joined and _is_wrapped(joined[-1], name):
            joined[-1] += name
        else:
            joined.append(name)
    return joined


def _second_leads_assist(kinds: list[str]) -> list[str]:
    """A table ranks its unit columns (第一责任单位 | 主要责任单位): a second lead column lists who assists."""
    if kinds.count("lead") < 2:
        return kinds
    first = kinds.index("lead")
    return [("co" if kind == "lead" and i > first else kind) for i, kind in enumerate(kinds)]


#: Column kinds whose cells name units (the role they give is the kind's, ``responsible`` giving ``shared``).
UNIT_COLUMNS = frozenset({"lead", "co", "responsible"})


def is_row_number(norm: str, cell: tuple[int, int]) -> bool:
    """Does the cell hold nothing but a row's number (``1``, ``2.``, ``3、``, ``1-2``)?"""
    text = norm[cell[0]:cell[1]].strip()
    return _BARE_NUMBER.match(text) is not None or _SUB_ROW_NUMBER.fullmatch(text) is not None



def _row_number_value(cell: str) -> int:
    """A row number's value: 3 for ``3.``, 1002 for ``1-2`` or ``1.2`` (decimal numbering, major × 1000 + minor)."""
    if _SUB_ROW_NUMBER.fullmatch(cell):
        return _decimal_value(cell)
    return int(_BARE_NUMBER.match(cell).group("n"))


def column_kind(name: str) -> str:
    name = _without_remark(re.sub(r"\s+", "", name))
    return next((kind for kind, pattern in _COLUMN_KINDS if pattern.search(name)), "other")


def _is_header(kinds: list[str]) -> bool:
    return len(kinds) >= 2 and "task" in kinds and bool(UNIT_COLUMNS & set(kinds))


def row_cells(line: Line, norm: str, header: TableHeader) -> list[tuple[int, int]]:
    """Assign a row's cells to the header's columns: number first, trailing columns from the right."""
    cells = split_cells(line, norm)
    columns = header.columns
    first_number = columns.index("number") if "number" in columns else 0
    if first_number and cells and is_row_number(norm, cells[0]):
        # The row starts at its 序号: the columns before it hold cells merged over rows, printed once above.
        cells = [(cells[0][0], cells[0][0])] * first_number + cells
    if "\t" not in line.text and len(cells) < len(columns) - 1:
        # Two spaces where a merged cell was left empty (``2  严守用水 …``), single spaces elsewhere.
        cells = max(cells, split_cells(line, norm, single_spaces=True), key=len)
    if "\t" in line.text and len(cells) > len(columns):
        cells = _join_unit_cells(cells, columns, norm)
    if "\t" in line.text and len(cells) < len(columns):
        cells = _align_short_row(cells, columns, norm)
    if "\t" in line.text or len(cells) == len(columns):
        return cells[: len(columns)]
    # Single-space separated rows: the task text may itself contain spaces. Columns after the task
    # column take one cell each from the right; the task column takes what is left.
    try:
        task_col = columns.index("task")
    except ValueError:
        return cells
    before = task_col
    after = len(columns) - task_col - 1
    if len(cells) <= before:
        return cells
    head = cells[:before]
    rest = cells[before:]
    tail: list[tuple[int, int]] = []
    if after and len(rest) > 1:
        take = min(after, len(rest) - 1)
        tail = rest[len(rest) - take:]
        rest = rest[: len(rest) - take]
    task = (rest[0][0], rest[-1][1])
    return head + [task] + tail


def _align_short_row(cells: list[tuple[int, int]], columns: list[str], norm: str) -> list[tuple[int, int]]:
    """Fewer cells than columns: empty cells at the end (a 配合单位 left blank), or cells merged over rows
    and printed once above, missing anywhere after the row's number. The empty cells go where unit names
    land under unit columns and persons under the person column; failing that, at the end."""
    missing = len(columns) - len(cells)
    keep = 1 if columns[0] == "number" and cells and is_row_number(norm, cells[0]) else 0
    if missing > 2 or keep >= len(cells):
        return cells
    kinds = [_cell_kind(norm[s:e]) for s, e in cells]

    def fit(gaps: tuple[int, ...]) -> int:
        body = list(kinds[keep:])
        for gap in sorted(gaps, reverse=True):
            body.insert(gap, None)
        placed = kinds[:keep] + body
        score = 0
        for column, kind in zip(columns, placed, strict=False):
            if kind == "units":
                score += 2 if column in UNIT_COLUMNS else -1 if column in ("task", "person") else 0
            elif kind == "person":
                score += 2 if column == "person" else -1 if column in UNIT_COLUMNS else 0
        return score

    trailing = (len(cells) - keep,) * missing
    best = max(combinations_with_replacement(range(len(cells) - keep + 1), missing),
               key=lambda gaps: (fit(gaps), gaps == trailing))
    if fit(best) <= fit(trailing):
        return cells
    body = list(cells[keep:])
    for gap in sorted(best, reverse=True):
        at = body[gap][0] if gap < len(body) else body[-1][1]
        body.insert(gap, (at, at))
    return cells[:keep] + body


@lru_cache(maxsize=4096)  # the same unit lists and names recur row after row
def _cell_kind(text: str) -> str | None:
    """What a cell holds, as far as aligning a row goes: unit names, a person's name, or something else."""
    name = re.sub(r"\s+", "", text)
    if not name:
        return None
    if is_person(name):
        return "person"
    return "units" if _lists_units(name) else "text"


def _join_unit_cells(cells: list[tuple[int, int]], columns: list[str], norm: str) -> list[tuple[int, int]]:
    """More cells than columns: a unit column printed one unit per line (县水务局 / 县住建局 / 县护城河指挥部)
    takes the unit names that follow it, and a person column the persons."""
    cells = list(cells)
    for i, kind in enumerate(columns):
        if kind not in UNIT_COLUMNS:
            continue
        if i + 1 < len(columns) and (columns[i + 1] in UNIT_COLUMNS or columns[i + 1] == "ignored"):
            continue  # the next name may well be the next column's
        if i >= len(cells) or not _lists_units(norm[cells[i][0]:cells[i][1]]):
            continue  # the row is out of line with its header: the cell here is not this column's
        while len(cells) > len(columns) and i + 1 < len(cells) and _lists_units(norm[cells[i + 1][0]:cells[i + 1][1]]):
            cells[i:i + 2] = [(cells[i][0], cells[i + 1][1])]
    if "person" in columns:  # 王 嵘 | 方 勇: two leaders in one 牵头领导 cell
        at = columns.index("person")
        while len(cells) > len(columns) and at + 1 < len(cells) and \
                all(is_person(re.sub(r"\s+", "", norm[a:b])) for a, b in cells[at:at + 2]):
            cells[at:at + 2] = [(cells[at][0], cells[at + 1][1])]
    return cells


def _is_unnumbered_row(line: Line, norm: str, header: TableHeader) -> bool:
    """A line of a table without row numbers: separated cells, about as many as the header has columns."""
    text = line.text
    if "\t" not in text and not re.search(r"\S {2,}\S", text.strip()):
        return False
    cells = split_cells(line, norm)
    wanted = len([c for c in header.columns if c != "number"])
    return len(cells) >= 2 and abs(len(cells) - wanted) <= 1


# --- tables with one cell per line -----------------------------------------------------------------------

_CELL_LINE = re.compile(r"[ \t]*(?P<cell>[^|\n]*?)[ \t]*\|?[ \t]*$")
_BARE_NUMBER = re.compile(r"^(?P<n>\d{1,3})[.、*]?$")  # 1* marks a row of another kind (the city leads it)
# Names of columns that say nothing about who is responsible (推进情况, 是否达序, 说明): a data cell rarely ends so.
_OTHER_COLUMN_NAME = re.compile(r"(?:(?:完成|进展|推进|落实|执行)?情况|说明|备注|进展|是否|标准|分值|结果|方式|依据|成效|达序|类别|评价|完成率)")
_BORDERS_ONLY = re.compile(r"[ \t|]*")
_HEADER_CELL_MAX = 12
# A column name alone on its line (责任单位, 牵头单位 |); labelled clause lines (牵头单位:X) have a colon.
_SHORT_UNIT_COLUMN_LINE = re.compile(r"^[ \t]*[^\n|。,;:]{0,20}(?:单 *位|部 *门|牵 *头|配 *合|责 *任)[^\n|。,;:]{0,20}\|?[ \t]*$",
                                     re.MULTILINE)  # also letter-spaced: 责 任 单 位


def join_vertical_tables(norm: str) -> str:
    """``norm`` with tables printed one cell per line turned into one line per row, cells tab-separated.

    Pages whose table was flattened by taking each cell's text as a line (``序号`` / ``任务`` / ``牵头单位``
    / ``1`` / ``…`` / ``市发展改革委`` …, sometimes with ``|`` cell borders) read like the tab-separated
    rows that HTML tables give. Only newlines, spaces and ``|`` are replaced, one character for one, so
    every offset stays valid.
    """
    if not _SHORT_UNIT_COLUMN_LINE.search(norm):
        return norm  # no line could be a unit column's name: the common case, decided in one scan
    lines: list[tuple[int, int]] = []
    pos = 0
    while pos <= len(norm):
        nl = norm.find("\n", pos)
        end = len(norm) if nl < 0 else nl
        lines.append((pos, end))
        pos = end + 1
    cells = [_cell_text(norm, a, b) for a, b in lines]
    chars: list[str] | None = None
    i = 0
    while i < len(lines):
        header = _vertical_header(cells, i)
        if header is None:
            i += 1
            continue
        header_lines, columns = header
        rows = _vertical_rows(cells, header_lines[-1] + 1, columns)
        if not rows and (i == 0 or _vertical_header(cells, i - 1) is None):  # not the tail of a longer header
            rows = _rows_by_unit_cell(cells, header_lines[-1] + 1, columns)
        if not rows:
            i += 1
            continue
        chars = chars if chars is not None else list(norm)
        for j in range(header_lines[0], rows[-1][-1] + 1):  # cell borders, also on heading rows
            for k in range(*lines[j]):
                if chars[k] == "|":
                    chars[k] = " "
        _join_cells(chars, norm, lines, header_lines)
        for group in rows:
            _join_cells(chars, norm, lines, group, _unit_list_from(cells, group, columns), cells)
        i = rows[-1][-1] + 1
    return norm if chars is None else "".join(chars)


def pipe_rows_to_tabs(norm: str) -> str:
    """``norm`` with the ``|`` borders of tables printed one row per line (``任务 | 具体要求 | 责任部门 |``)
    turned into tabs, as the rows of HTML tables read; one character for one, so every offset stays valid.

    Only lines with two or more ``|`` count: one ``|`` is a page's menu (``繁体 | 无障碍``).
    """
    if norm.count("|") < 2:
        return norm
    return _PIPE_ROW.sub(lambda m: m.group(0).replace("|", "\t"), norm)


_PIPE_ROW = re.compile(r"^[^\n|]*\|[^\n|]*\|[^\n]*$", re.MULTILINE)


def _cell_text(norm: str, start: int, end: int) -> str | None:
    if _BORDERS_ONLY.fullmatch(norm, start, end):
        return ""  # a row of empty cells: ||
    m = _CELL_LINE.match(norm, start, end)
    if m is None or m.end() != end:
        return None  # a line with a | inside: not a single cell
    return m.group("cell").strip()


def _vertical_header(cells: list[str | None], i: int) -> tuple[list[int], list[str]] | None:
    """Lines ``i…`` holding one short column name each that together form a table header."""
    if not cells[i] or len(_header_name(cells[i])) > _HEADER_CELL_MAX:
        return None
    picked: list[int] = []
    kinds: list[str] = []
    j = i
    while j < len(cells) and len(picked) < 8:
        cell = cells[j]
        if cell is None:
            break
        if cell and picked and _is_wrapped(cells[picked[-1]], cell):  # 牵头 / 部门: one column
            picked.append(j)
            kinds[-1] = column_kind(cells[picked[-2]] + cell)
            j += 1
            continue
        if cell:
            name = _header_name(cell)
            kind = column_kind(cell)
            if len(name) > _HEADER_CELL_MAX or re.search(r"[。,;:]", name):
                break
            if kind == "other" and not (picked and not _BARE_NUMBER.match(cell)
                                        and _known_column_follows(cells, j)):
                break  # a column of its own (章节, 类别) only between two that are known
            picked.append(j)
            kinds.append(kind)
        j += 1
    if len(picked) < 2 or not _is_header(kinds):
        return None
    # Columns after the known ones (1-10月推进情况, 是否达序, 说明) are columns too, up to the first row number.
    while j < len(cells) and len(picked) < 12:
        cell = cells[j]
        if cell is None or (cell and re.search(r"[。,;:]", cell)):
            break
        if cell and _is_wrapped(cells[picked[-1]], cell):
            picked.append(j)
            kinds[-1] = column_kind(cells[picked[-2]] + cell)
        elif cell and j + 1 < len(cells) and cells[j + 1] and _is_wrapped(cell, cells[j + 1]) \
                and _OTHER_COLUMN_NAME.search(cells[j + 1]):
            picked.extend((j, j + 1))  # 第二季度 / 完成情况
            kinds.append(column_kind(cell + cells[j + 1]))
            j += 1
        elif cell:
            if len(_header_name(cell)) > _HEADER_CELL_MAX or not (_OTHER_COLUMN_NAME.search(cell)
                                                                   or _TASK_COLUMN_NAME.fullmatch(cell)):
                break
            picked.append(j)
            kinds.append(column_kind(cell))
        j += 1
    if len(picked) < 3:
        return None  # two short lines naming a task and a unit (工作任务 / 牵头单位) are no table on their own
    return picked, kinds


# A further task column's name after the known ones (工作任务安排, 具体措施): never a row's text, which is longer.
_TASK_COLUMN_NAME = re.compile(r"[\u4e00-\u9fff]{0,4}(?:任务|措施|举措)[\u4e00-\u9fff]{0,2}")


def _header_name(cell: str) -> str:
    """A column name as it counts for length: without its remark and the spaces that letter-space it
    (主  要  工  作  任  务 is 主要工作任务)."""
    return re.sub(r"\s+", "", _without_remark(cell))


def _without_remark(cell: str) -> str:
    """A column name without the remark in brackets at its end: 重点工作任务(杭州市2项配合工作) is 重点工作任务."""
    return _REMARK.sub("", cell) or cell


_REMARK = re.compile(r"\([^()]*\)$")


def _known_column_follows(cells: list[str | None], j: int) -> bool:
    following = next((cell for cell in cells[j + 1:j + 4] if cell), "")
    return len(following) <= _HEADER_CELL_MAX and column_kind(following) not in ("other", "number")


def _vertical_rows(cells: list[str | None], start: int, columns: list[str]) -> list[list[int]]:
    """Line groups of the rows under a one-cell-per-line header: each row starts with its number."""
    rows: list[list[int]] = []
    current: list[int] = []
    expected = 1
    after_heading = False
    limit = 2 * len(columns) + 2  # a row running on longer than this is prose after the table
    first = True
    task_at = numbered_task_column(columns)
    for j, cell in _filled_cells(cells, start):
        number = _BARE_NUMBER.match(cell) or _SUB_ROW_NUMBER.fullmatch(cell)
        n = _row_number_value(cell) if number else 0
        if task_at is not None and current and not number and _opens_task_cell_row(cells, j, current, task_at):
            # 1 | 主要预期目标 | 1.地区生产总值… | 钱宇 | ★区发改委 | 2.一般公共预算… | ★区财政局: a group's number and
            # name merged over its rows, each task numbered in its own cell with its own units. Each task a row.
            if len(current) > 1:
                rows.append(current)
            current = [j]
            continue
        # Numbering starts again at 1 only after a heading row; a 1 inside a row is a cell's value (年度目标 1).
        # Right under the header any number starts the rows: a capture of a table's later pages (24, 25 …).
        # Rows picked out of a longer list (a bureau's rows of the county's list: 3, 68, 69, 73) skip ahead:
        # a higher number starts a row after a heading row or where the row has all its cells.
        if number and (first or (n == 1 and not current)
                       or expected <= n <= expected + (2 if expected > 1 else 0)
                       or n >= 1000 and _follows("row", expected - 1, n)
                       or expected < n < expected + 100 and (after_heading or len(current) >= len(columns) - 1)):
            first = after_heading = False
            if len(current) > 1:
                rows.append(current)
            current = [j]
            expected = n + 1
            continue
        first = False
        if current and _HEADER_WORDS.fullmatch(cell) and _vertical_header(cells, j) is not None:
            break  # the header printed again at the top of the next page: its rows are read from there
        marker = _text_marker(cell)
        if marker is not None and not number and len(current) != 1 \
                and not (marker[0] in ("num", "pnum") and len(current) >= len(columns) and len(cell) > 30) \
                and not _is_step(cells, current, marker, len(columns)):
            # (A long 1. …, once the row has a cell per column, is a step listed in its last cell.)
            # A heading row (一、…) between rows stays a line of its own.
            if len(current) > 1:
                rows.append(current)
            current = []
            after_heading = True
            continue
        if not current:
            if rows or j > start + 2:
                break
            continue
        current.append(j)
        if len(current) > limit and not _lists_units(cell):  # a unit column one unit per line runs on
            # Prose after the table ran into its last row: the row is its first cells (one per column).
            current = current[:len(columns)]
            break
    if len(current) > 1:
        rows.append(current)
    return rows


def _is_step(cells: list[str | None], current: list[int], marker: tuple, width: int) -> bool:
    """Is a numbered cell a step of the row's task cell (序号 | 重点任务 | 1.加快项目审批; / 2.强化要素保障。 | 牵头单位
    …), printed a line each, rather than a heading row? Only before the row has its cells, counting 1, 2, 3."""
    if marker[0] != "num" or not 2 <= len(current) < width:
        return False
    return marker[1] == 1 or _step_number(cells[current[-1]]) == marker[1] - 1


def _step_number(cell: str | None) -> int | None:
    found = _text_marker(cell) if cell else None
    return found[1] if found is not None and found[0] == "num" else None


def numbered_task_column(columns: list[str]) -> int | None:
    """The column of a table's tasks where group cells come before it (序号 | 项目 | 目标任务 | … | 责任单位): the
    last task column before the first unit column, when it is not the first after 序号."""
    first_unit = next((i for i, kind in enumerate(columns) if kind in UNIT_COLUMNS), None)
    if not columns or columns[0] != "number" or first_unit is None:
        return None
    task_at = max((i for i in range(first_unit) if columns[i] == "task"), default=None)
    return task_at if task_at is not None and task_at >= 2 else None


def _opens_task_cell_row(cells: list[str | None], j: int, current: list[int], task_at: int) -> bool:
    """Does cell ``j``, numbered (1.地区生产总值…), start a row of its own: after a group's number and name,
    or after the previous such row, with units of its own before the next numbered cell? (Numbered steps in
    a 具体措施 cell share the units printed after the last of them.)"""
    number = _step_number(cells[j])
    if number is None:
        return False
    previous = _step_number(cells[current[0]])
    if previous is not None:
        if number != previous + 1:
            return False  # a step numbered inside the task's cell (2.推进… / 1.加快审批; / 2.强化…)
    elif len(current) != task_at:
        return False  # only right after the group's cells (a numbered 章节 cell right after 序号 is no task's)
    for k, cell in _filled_cells(cells, j + 1):
        if _BARE_NUMBER.match(cell) or _text_marker(cell) is not None:
            return False
        if cell[0] in "★▲" or _lists_units(cell) and not is_person(re.sub(r"\s+", "", cell)):
            return True
        if k > j + 8:
            return False
    return False


def _filled_cells(cells: list[str | None], start: int) -> Iterator[tuple[int, str]]:
    """(line index, text) of the cells from ``start`` on that hold text, up to the first line that is no cell."""
    for j in range(start, len(cells)):
        cell = cells[j]
        if cell is None:
            return
        if cell:
            yield j, cell


def _rows_by_unit_cell(cells: list[str | None], start: int, columns: list[str]) -> list[list[int]]:
    """Line groups of unnumbered rows under a one-cell-per-line header, found by their unit cells. Where the
    task's columns come first, a row is its cells up to the first that lists units and one cell for each column
    after that (项目内容 / 区发改局、各街道 / 正常进行中; 重点工作内容 / 经委 / 发改委) — a 配合单位 cell that names no
    unit was left empty and opens the next row; where the data open with a unit (相关部门 / 职责分工), a row
    starts at each cell that lists units. A heading cell (一、, (一)) opening a row stays a line of its own; two
    rows at least, or none. Tables with a lead column beside others are read line by line (document.py)."""
    unit_columns = [k for k, kind in enumerate(columns) if kind in UNIT_COLUMNS]
    if not unit_columns or len(unit_columns) > 1 and [columns[k] for k in unit_columns] != ["responsible", "co"]:
        return []
    unit_at = unit_columns[0]
    first = next((cell for _, cell in _filled_cells(cells, start)), None)
    if first is not None and _lists_units(first) and "task" in columns[unit_at + 1:] and len(unit_columns) == 1:
        rows = _rows_starting_at_unit_cells(cells, start, len(columns) - unit_at)
    elif "task" in columns[:unit_at]:
        rows = _rows_ending_at_unit_cells(cells, start, columns, columns[unit_at + 1:])
    else:
        rows = []
    return rows if len(rows) >= 2 else []


def _rows_ending_at_unit_cells(cells: list[str | None], start: int, columns: list[str],
                               after: list[str]) -> list[list[int]]:
    """Rows that end with one cell for each of the columns ``after`` the first unit column."""
    rows: list[list[int]] = []
    current: list[int] = []
    pending: list[str] | None = None  # the kinds of the cells still to come after the row's first unit cell
    for j, cell in _filled_cells(cells, start):
        if pending is not None:
            if pending[0] in UNIT_COLUMNS and not _lists_units(cell):
                rows.append(current)  # that unit cell was left empty: this cell opens the next row
                current, pending = [], None
            else:
                current.append(j)
                pending = pending[1:]
                if not pending:
                    rows.append(current)
                    current, pending = [], None
                continue
        if not current and _text_marker(cell) is not None:
            continue
        current.append(j)
        if len(current) > 1 and _lists_units(cell):
            pending = list(after)
            if not pending:
                rows.append(current)
                current, pending = [], None
        elif len(current) > len(columns):
            break  # no unit cell where one was due: prose after the table
    if current and pending is not None:
        rows.append(current)  # the last row, cut short after its unit cell
    return rows


def _rows_starting_at_unit_cells(cells: list[str | None], start: int, width: int) -> list[list[int]]:
    rows: list[list[int]] = []
    for j, cell in _filled_cells(cells, start):
        if rows and len(rows[-1]) < width:
            rows[-1].append(j)
        elif _lists_units(cell):
            rows.append([j])
        else:
            break  # a cell where a row's unit cell was due: the table has ended
    return rows


def _unit_list_from(cells: list[str | None], group: list[int], columns: list[str]) -> int:
    """Where in a row's line group the last column's units start, when the row ends in more unit names
    than the table has unit columns at its end: a unit column printed one unit per line (东孝街道 / 孝顺镇 /
    区发改局 …). The row's length otherwise (no such run)."""
    trailing = sum(1 for _ in takewhile(lambda kind: kind in UNIT_COLUMNS, reversed(columns)))  # unit columns last
    run = len(group)
    while run > 0 and _lists_units(cells[group[run - 1]] or ""):
        run -= 1
    if trailing and len(group) - run > trailing and len(group) > len(columns):
        return run + trailing - 1
    return len(group)


def _join_cells(chars: list[str], norm: str, lines: list[tuple[int, int]], group: list[int],
                list_from: int | None = None, cells: list[str | None] | None = None) -> None:
    """Make lines ``group`` one line: a tab after each cell, spaces for the | borders and blank lines between;
    from the cell ``list_from`` on, the cells are one cell's list of units, joined by 、 instead; a numbered
    step after the one before it (1.… / 2.…) goes on in the same cell, after a space."""
    list_from = len(group) if list_from is None else list_from
    for index, (a, b) in enumerate(zip(group, group[1:], strict=False)):
        cell_start, cell_end = lines[a]
        text_end = cell_start + len(norm[cell_start:cell_end].rstrip(" |\t"))
        for k in range(text_end, lines[b][0]):
            chars[k] = " "
        step = cells is not None and (n := _step_number(cells[b])) is not None and _step_number(cells[a]) == n - 1
        chars[text_end] = "、" if index >= list_from else " " if step else "\t"


# --- building the outline --------------------------------------------------------------------------------


@dataclass(slots=True)
class Outline:
    lines: list[Line]
    items: list[Item]
    tables: dict[int, TableHeader]  # line index of header → header
    row_headers: dict[int, TableHeader]  # line index of row → its table's header


def build_outline(norm: str, lines: list[Line]) -> Outline:
    items: list[Item] = []
    stack: list[Item] = []
    last_value: dict[str, int] = {}
    block = 0
    header: TableHeader | None = None
    suspended: TableHeader | None = None  # a table interrupted by a heading row (一、…), maybe going on
    tables: dict[int, TableHeader] = {}
    row_headers: dict[int, TableHeader] = {}
    for index, line in enumerate(lines):
        if line.blank:
            continue
        found = match_table_header(line, norm)
        if found is not None:
            found.line_index = index
            header = found
            suspended = None
            tables[index] = found
            continue
        candidate = match_marker(line)
        unnumbered = in_task_cell = False
        if header is None and suspended is not None and (
                _ROW.match(line.text, len(line.text) - len(line.text.lstrip()))
                or (candidate is not None and candidate[0] == "num" and "\t" in line.text)
                or (candidate is None and "\t" in line.text and _is_unnumbered_row(line, norm, suspended))):
            # (or, for a table without row numbers, a line with about as many cells as it has columns)
            # After a heading, a line that still has the table's cells is the table going on under that
            # heading (tables with section rows); a numbered paragraph of prose ends it.
            if _looks_like_row(line, norm, suspended):
                header = suspended
            suspended = None
        if header is not None:
            lead = len(line.text) - len(line.text.lstrip())
            row = _ROW.match(line.text, lead)
            sub_row = _SUB_ROW.match(line.text, lead)
            if sub_row:  # 1-1 | 扩大有效投资 | 市发展改革委, or 1.1: counted as decimal numbering is
                label = (line.start + sub_row.start("label"), line.start + sub_row.end("label"))
                candidate = ("row", _decimal_value(sub_row.group("label")), label, line.start + sub_row.end())
            elif row and (candidate is None or candidate[0] == "num"):
                label = (line.start + row.start("label"), line.start + row.end("label"))
                candidate = ("row", int(row.group("n")), label, line.start + row.end())
                task_at = numbered_task_column(header.columns)
                if task_at is not None and len(split_cells(line, norm)) <= task_at and _task_cell_row_follows(lines, index):
                    candidate = ("group", *candidate[1:])  # 1 | 主要预期目标, over rows 1.… | ★区发改委
                elif _sub_rows_follow(lines, index, int(row.group("n"))):
                    candidate = ("group", *candidate[1:])  # 1 | 稳定经济增长, over rows 1-1 | … and 1-2 | …
            elif candidate is not None and candidate[0] == "num" and "\t" in line.text:
                candidate = ("row", *candidate[1:])  # 3.及时反馈… | 各科室: the number inside the task's cell
                in_task_cell = True
            elif candidate is not None and candidate[0] in ("cn", "chapter-章", "chapter-部分"):
                header, suspended = None, header  # a new part of the document, or a section row of the table
            elif candidate is None and _is_unnumbered_row(line, norm, header) and not _numbered_row(stack):
                # A table whose rows carry no number: number them in order, as a reader would. (Under a
                # numbered row, an unnumbered one is that row's sub-item: its line stays the row's text.)
                previous = stack[-1].value if stack and stack[-1].kind == "row" else 0
                candidate = ("row", previous + 1, (line.stripped_start, line.stripped_start), line.stripped_start)
                unnumbered = True
        if candidate is None:
            continue
        kind, value, label, content_start = candidate
        open_kinds = [it.kind for it in stack]
        accepted = False
        if kind in open_kinds:
            level = open_kinds.index(kind)
            previous = stack[level].value
            substantial = len(norm[content_start:line.end].strip()) >= 4
            if _follows(kind, previous, value) or (previous + 1 < value <= previous + 3 and substantial) or \
                    (value > previous and _picked_from_a_longer_list(kind, value, lines, index, norm, header)):
                accepted = True
            elif level == 0 and _first(kind, value):
                block += 1  # the outline starts again: a notice before its attachment, or a second attachment
                last_value = {}
                accepted = True
                level = -1
            elif value == previous and substantial and kind not in ("cn", "chapter-章"):
                accepted = True  # a repeated number (typo in the source); keep the item
            if accepted:
                del stack[max(level, 0):]
        else:
            previous = last_value.get(kind, 0)
            if not stack or _first(kind, value) or _follows(kind, previous, value):
                accepted = True
            elif value > previous and _picked_from_a_longer_list(kind, value, lines, index, norm, header):
                accepted = True
            elif kind in ("row", "num") and previous and previous + 1 < value <= previous + 3 and \
                    len(norm[content_start:line.end].strip()) >= 4:
                accepted = True  # a number skipped in the source (2, 4), under the next heading
            elif kind not in last_value and kind in _RANK and all(_RANK.get(it.kind, 9) > _RANK[kind] for it in stack) \
                    and _HEADING.fullmatch(norm, content_start, line.end):
                # A capture that starts in the middle of a document (its page 2): its first 四、 or 4、 heading
                # is still a heading, and above the lower-ranked items before it ((4)…(9)), as it would be.
                accepted = True
                del stack[:]
        if not accepted:
            continue
        parent = stack[-1] if stack else None
        item = Item(kind=kind, value=value, label_span=label, start=line.stripped_start, content_start=content_start,
                    line_index=index, block=block, depth=len(stack), parent=parent)
        if kind == "row" and header is not None:
            row_header = header
            if unnumbered:
                item.label = str(value)
                if header.columns and header.columns[0] == "number":
                    row_header = TableHeader(line_index=header.line_index, columns=header.columns[1:])
            elif in_task_cell and (task_at := numbered_task_column(header.columns)) is not None:
                # The row starts at its task cell: the group cells before it were printed once, above.
                row_header = TableHeader(line_index=header.line_index, columns=header.columns[task_at:])
            elif "number" not in header.columns and (first := next(iter(split_cells(line, norm)), None)) \
                    and is_row_number(norm, first):
                # 工作任务 | 牵头单位 | 进展情况 over rows that open with their number: a 序号 column left unnamed.
                row_header = TableHeader(line_index=header.line_index, columns=["number", *header.columns])
            item.cells = row_cells(line, norm, row_header)
            row_headers[index] = row_header
        if parent is not None:
            parent.children.append(item)
        stack.append(item)
        last_value[kind] = value
        items.append(item)
    _add_continued_cells(items, lines, row_headers)
    return Outline(lines=lines, items=items, tables=tables, row_headers=row_headers)


# How the genre nests its numbering: 一、 over (一) over 1. (⒈) over (1) (⑴) over ①.
_RANK = {"cn": 1, "pcn": 2, "num": 3, "numr": 3, "dcirc": 3, "pnum": 4, "pcirc": 4, "circ": 5}
# (Left out: a table's group rows and decimal 1.1 items, which never open a capture that starts mid-list.)
_HEADING = re.compile(r"[^。;!?\n]{2,30}[。]?\s*")


def _picked_from_a_longer_list(kind: str, value: int, lines: list[Line], index: int, norm: str,
                               header: TableHeader | None) -> bool:
    """May line ``index``, numbered ``value`` past the next number, still be an item?

    A bureau publishes its rows of the county's list (3, 68, 69: a row with a cell for every column), a
    department its items of the province's (5.…(工资处) 7.…: each closed by its units), and a capture starts
    at item 116, its clause cut short, going on 117, 118 …"""
    line = lines[index]
    if kind == "row":
        return _full_row(line, norm, header)
    return kind != "cn" and (_ENDS_IN_BRACKET.search(line.text) is not None
                             or "(" in line.text[3:] and _next_value(lines, index, kind) == value + 1)


# A line closed by a short bracket (its units, as a rule): (工资处、就管中心).
_ENDS_IN_BRACKET = re.compile(r"[^\s(]\s*\([^()\n]{2,60}\)[。.;]?\s*$")


def _decimal(kind: str, value: int) -> bool:
    """Is ``value`` a decimal number (1.2, a row's 1-2) counted as major × 1000 + minor?"""
    return kind == "dec" or kind == "row" and value >= 1000


def _first(kind: str, value: int) -> bool:
    """Does an item numbered ``value`` open a list (1, 一, ①; 1.1 or 3.1 in decimal numbering)?"""
    return value % 1000 == 1 if _decimal(kind, value) else value == 1


def _follows(kind: str, previous: int, value: int) -> bool:
    """Is ``value`` the number after ``previous`` (1.2 after 1.1, and 2.1 after 1.x in decimal numbering)?"""
    if _decimal(kind, value) and value % 1000 == 1 and previous:
        return value // 1000 == previous // 1000 + 1
    return value == previous + 1


def _next_line(lines: list[Line], index: int) -> Line | None:
    return next((line for line in lines[index + 1:] if not line.blank), None)


def _sub_rows_follow(lines: list[Line], index: int, major: int) -> bool:
    """Is the next line a row numbered under this one's number (1 | 稳定经济增长, then 1-1 | 扩大有效投资 | …)?"""
    following = _next_line(lines, index)
    sub_row = _SUB_ROW.match(following.text.lstrip()) if following is not None else None
    return sub_row is not None and _decimal_value(sub_row.group("label")) == major * 1000 + 1


def _task_cell_row_follows(lines: list[Line], index: int) -> bool:
    """Is the next line a table row that opens with its numbered task cell (1.地区生产总值… | 钱宇 | ★区发改委)?"""
    following = _next_line(lines, index)
    if following is None or "\t" not in following.text:
        return False
    marker = match_marker(following)
    return marker is not None and marker[0] == "num"


def _numbered_row(stack: list[Item]) -> bool:
    """Is the innermost open item a table row that carries its own number?"""
    return bool(stack) and stack[-1].kind == "row" and stack[-1].label_span[0] != stack[-1].label_span[1]


def _next_value(lines: list[Line], index: int, kind: str, window: int = 30) -> int | None:
    """The number of the next item of ``kind`` after line ``index`` (within ``window`` lines)."""
    for line in lines[index + 1:index + 1 + window]:
        found = match_marker(line)
        if found is not None and found[0] == kind:
            return found[1]
    return None


def _full_row(line: Line, norm: str, header: TableHeader | None) -> bool:
    """A tab-separated line with a cell for every column (or all but one) of the table above."""
    return header is not None and "\t" in line.text and len(split_cells(line, norm)) >= len(header.columns) - 1


def _looks_like_row(line: Line, norm: str, header: TableHeader) -> bool:
    return "\t" in line.text or len(split_cells(line, norm)) >= max(3, len(header.columns) - 1)


def _add_continued_cells(items: list[Item], lines: list[Line], row_headers: dict[int, TableHeader]) -> None:
    """Give rows whose last cells went onto the next lines (a cell with two units on two lines) those cells.

    The last continuation lines are the row's last columns; lines before them continue the row's last
    cell: ``2 任务… 区财政局`` / ``区税务局`` / ``区政府有关部门,各乡镇…`` under 序号 任务 主要责任单位 配合单位
    has 区财政局 and 区税务局 in the third column. Only lines that are lists of unit names count: a paragraph
    after a table's last row is not a cell of it.
    """
    for k, item in enumerate(items):
        if item.kind != "row" or item.cells is None or item.line_index not in row_headers:
            continue
        missing = len(row_headers[item.line_index].columns) - len(item.cells)
        if missing <= 0 or "\t" in lines[item.line_index].text:
            continue
        stop = items[k + 1].line_index if k + 1 < len(items) else len(lines)
        following = [ln for ln in lines[item.line_index + 1:stop] if not ln.blank]
        if not following or not item.cells or not all(_lists_units(ln.text) for ln in following):
            continue
        take = min(missing, len(following))
        extra = following[:len(following) - take]
        if extra:
            last_start, _ = item.cells[-1]
            item.cells[-1] = (last_start, extra[-1].end)
        item.cells.extend((ln.stripped_start, ln.end) for ln in following[len(following) - take:])


def close_ranges(outline: Outline, body_end: int) -> None:
    """Set each item's ``end`` (children included) and ``own_end`` (up to its first child)."""
    items = outline.items
    for i, item in enumerate(items):
        end = body_end
        for later in items[i + 1:]:
            if later.depth <= item.depth or later.block != item.block:
                end = later.start
                break
        item.end = end
        item.own_end = item.children[0].start if item.children else end


def _lists_units(text: str) -> bool:
    names = [re.sub(r"\s+", "", part) for part in re.split(r"[、,;。]", text)]
    return all(is_unit_like(name) for name in names if name)
