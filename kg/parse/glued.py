"""Tables whose cells ran together: where to put back the separators a page lost.

Document-sharing sites and e-paper pages print a table's text with nothing between its cells:
``序号工作任务责任单位1树立婚育新风。…省妇联牵头;省总工会配合2根据经济社会发展水平…``. The cells can still
be told apart by what they hold: the header is a run of column names, every row opens with the next row
number, and its last cells are unit names (the task's text ends before the first of them). This module
finds such tables and says where a tab or a line break belongs, so that the rest of the parser reads them
as the tab-separated rows an HTML table gives (:meth:`kg.text.NormalizedText.insert` keeps the offsets).

Only what is certain gets a separator: a row boundary needs the next number in sequence right after a
list of unit names, so a number inside a task's text (``建成12个``, ``2021年``) never starts a row.
"""

from __future__ import annotations

import re

from kg.parse.clauses import ROLE_MARKER, depth_split, is_named_unit, is_unit_like, starts_like_a_unit
from kg.parse.outline import UNIT_COLUMNS, column_kind

_HAN = "\u4e00-\u9fff"
# A column's name ends in one of these words (主要工作任务, 第一责任单位, 区政府分管领导, 完成时限).
_COLUMN_END = ("任务|单位|部门|科室|处室|时限|时间|内容|名称|要求|领导|备注|其他|措施|目标|进度|情况|事项|举措|责任人|节点|"
               "标准|指标|项目|重点|要点|分工|期限")
_GLUED_HEADER = re.compile(
    rf"序号(?P<columns>(?:[{_HAN}]{{0,8}}?(?:{_COLUMN_END})){{2,8}})"
    rf"(?=\s*(?:[一二三四五六七八九十]{{1,3}}、|\d{{1,3}}[{_HAN}“(《]))"
)
_COLUMN = re.compile(rf"[{_HAN}]{{0,8}}?(?:{_COLUMN_END})")
# A section row between the table's rows (一、主要发展指标), maybe after a page number (—2—).
_SECTION_ROW = re.compile(r"(?P<page>—\s*\d{1,3}\s*—)?(?P<heading>[一二三四五六七八九十]{1,3}、[^\d\n]{2,30}?)$")
_FIRST_ROW = re.compile(rf"\s*(?:[一二三四五六七八九十]{{1,3}}、[^\d\n]{{2,30}}?)?(?P<n>\d{{1,3}})(?=[{_HAN}“(《])")
# What a number inside a task's text is followed by (12个, 6万元, 2021年): a measure, not a row's text. Only
# measures that rarely open a task's text (项目, 家庭, 人才 and 部署 do): the units before a row number
# are the stronger sign.
_MEASURE_START = set("个年月日号届期周岁万亿余多元倍批吨亩米次所座条辆套栋株床名户%")
_ROW_MAX = 1500  # characters a row may run before the next row number is given up
_TAIL_MAX = 300  # characters of unit names a row may end with
_SEPARATORS = re.compile(r"[、,;]")
# Where one unit's name may end and the next begin with nothing between (市发展改革委各县…): wider than the
# clause parser's run-together names, which must share a level, because here a cell boundary is sought.
_NAMES_ABUT = re.compile(r"(?<=[局委办厅院部会府司室站所队])(?=[省市区县各])")
_ETC = re.compile(r"等(?:有关|相关)?(?:部门|单位)?$")


# A spaced header run into the end of the line before it (…2018年政府工作任务分解表 序号 名称 工作任务 牵头责任单位).
_RUN_IN_HEADER = re.compile(r"(?m)(?<=\S)[ \t]+(?P<header>序号(?:[ \t]+[^\s,。;:、]{1,12}){2,8})[ \t]*$")


def run_in_header_breaks(norm: str) -> list[tuple[int, str]]:
    """Line breaks before table headers that a page ran into the end of the line before them."""
    if "序号" not in norm:
        return []
    breaks = []
    for m in _RUN_IN_HEADER.finditer(norm):
        kinds = {column_kind(name) for name in m.group("header").split()[1:]}
        if "task" in kinds and UNIT_COLUMNS & kinds:
            breaks.append((m.start("header"), "\n"))
    return breaks


def glued_table_breaks(norm: str) -> list[tuple[int, str]]:
    """Where tabs and line breaks go in ``norm`` to make each glued table one tab-separated line per row."""
    if "序号" not in norm:
        return []
    breaks: list[tuple[int, str]] = []
    read_up_to = 0  # where the last table read ends
    for header in _GLUED_HEADER.finditer(norm):
        if header.start() < read_up_to:
            continue
        columns = [m.group(0) for m in _COLUMN.finditer(header.group("columns"))]
        kinds = [column_kind(name) for name in columns]
        unit_columns = [i for i, kind in enumerate(kinds) if kind in UNIT_COLUMNS]
        if not unit_columns or "task" not in kinds[:unit_columns[0]] or "person" in kinds:
            continue  # (a person's name run into the units' cannot be told from them with certainty)
        rows = _rows(norm, header.end())
        if len(rows) < 3:
            continue
        if header.start() > 0 and norm[header.start() - 1] != "\n":
            breaks.append((header.start(), "\n"))
        breaks.extend(_header_breaks(header, columns, kinds, unit_columns))
        breaks.append((header.end(), "\n"))
        two_unit_cells = len(unit_columns) >= 2
        for number_start, number_end, row_end, section, tail in rows:
            if number_start > 0 and norm[number_start - 1] != "\n":
                breaks.append((number_start, "\n"))
            breaks.append((number_end, "\t"))
            if tail is not None:
                breaks.append((tail, "\t"))
                if two_unit_cells and (cut := _second_cell(norm, tail, section or row_end)) is not None:
                    breaks.append((cut, "\t"))
            if section is not None:
                breaks.extend(_section_breaks(norm, section, row_end))
        read_up_to = rows[-1][2]
    return sorted(set(breaks))


def _header_breaks(header: re.Match[str], columns: list[str], kinds: list[str],
                   unit_columns: list[int]) -> list[tuple[int, str]]:
    """Tabs in the header: after 序号, between the task's columns (as one) and each unit column, and before
    the first unit column; columns after the unit columns stay with the last of them, as their cells do."""
    breaks = [(header.start("columns"), "\t")]
    pos = header.start("columns")
    for i, name in enumerate(columns):
        if i > 0 and (i in unit_columns or kinds[i] == "person") and i <= unit_columns[-1]:
            breaks.append((pos, "\t"))
        pos += len(name)
    return breaks


_Row = tuple[int, int, int, int | None, int | None]


def _rows(norm: str, start: int) -> list[_Row]:
    """The table's rows after its header: (number start, number end, row end, start of a section row that
    ends it or None, start of its unit names or None). Each next row is the next number after a list of
    unit names."""
    first = _FIRST_ROW.match(norm, start)
    if first is None:
        return []
    rows: list[_Row] = []
    number_start, number_end, value = first.start("n"), first.end("n"), int(first.group("n"))
    while True:
        following = _next_row(norm, number_end, value + 1)
        if following is None:  # the last row (its units may be missing from a truncated capture)
            line_end = norm.find("\n", number_end)
            row_end = len(norm) if line_end < 0 else line_end
            rows.append((number_start, number_end, row_end, None, _unit_tail(norm, number_end, row_end)))
            return rows
        next_start, section, tail = following
        rows.append((number_start, number_end, next_start, section, tail))
        number_start, number_end, value = next_start, next_start + len(str(value + 1)), value + 1


def _next_row(norm: str, after: int, value: int) -> tuple[int, int | None, int] | None:
    """Where row ``value`` starts (its number, right after the previous row's units, maybe after a section
    row), where that section row starts, and where the previous row's units start."""
    digits = str(value)
    pos = after + 4
    stop = min(len(norm), after + _ROW_MAX)
    while (at := norm.find(digits, pos, stop)) >= 0:
        pos = at + 1
        before, following = norm[at - 1], norm[at + len(digits)] if at + len(digits) < len(norm) else ""
        if before.isdigit() or before in ".第" or not ("\u4e00" <= following <= "\u9fff" or following in "“(《"):
            continue
        if following in _MEASURE_START:
            continue
        section = _SECTION_ROW.search(norm, after, at)
        tail = _unit_tail(norm, after, section.start() if section else at)
        if tail is not None:
            return at, section.start() if section else None, tail
    return None


def _section_breaks(norm: str, start: int, end: int) -> list[tuple[int, str]]:
    """Line breaks that put a section row (and the page number before it) on lines of their own."""
    section = _SECTION_ROW.match(norm, start, end)
    if section is None:
        return []
    breaks = [(start, "\n")]
    if section.group("page"):
        breaks.append((section.start("heading"), "\n"))
    return breaks


def _unit_tail(norm: str, start: int, end: int) -> int | None:
    """Where the unit names that close ``norm[start:end]`` (a row without its number) begin, if they do."""
    text = norm[start:end].rstrip()
    if len(text) < 6:
        return None
    sentence_end = max(text.rfind("。"), text.rfind("!"), text.rfind("?"))
    for p in range(max(1, sentence_end + 1, len(text) - _TAIL_MAX), len(text) - 1):
        if not starts_like_a_unit(_first_name(text[p:])):
            continue
        if _lists_units_with_roles(text[p:]):
            return start + p
    return None


def _first_name(text: str) -> str:
    m = _SEPARATORS.search(text)
    return text[:m.start()] if m else text


def _lists_units_with_roles(text: str) -> bool:
    """Is ``text`` nothing but unit names, each maybe with its role word (省妇联牵头;省总工会配合)?"""
    pieces = [text[start:end] for start, end in depth_split(text, "、,;")]
    for piece in pieces:
        piece = ROLE_MARKER.sub("", piece.strip())
        piece = _ETC.sub("", piece)
        if not piece or len(piece) > 30:
            return False
        if not all(is_unit_like(name) for name in _NAMES_ABUT.split(piece)):
            return False
    return True


def _second_cell(norm: str, start: int, end: int) -> int | None:
    """In two unit cells run together (第一责任单位 then 主要责任单位), where the second begins: the first
    place a unit's name ends and another's begins with nothing between them."""
    for m in _NAMES_ABUT.finditer(norm, start + 2, end):
        cut = m.start()
        left = norm[start:cut]
        left = left[max(left.rfind(c) for c in "、,;") + 1:]
        if is_named_unit(left) and starts_like_a_unit(_first_name(norm[cut:end])):
            return cut
    return None
