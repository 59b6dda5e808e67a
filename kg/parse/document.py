"""From decoded text to a :class:`~kg.model.Document`: the parser's entry point.

The steps run in one direction: normalise the text (keeping offsets), read the metadata and find where
the body starts and ends, build the numbered outline, decide which items are tasks, then read each task's
responsibility clause, plans, projects and targets. Every span is mapped back to the original text
before it leaves this module.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import replace
from pathlib import PurePath

from kg.errors import InputError
from kg.loaders import SourceText
from kg.model import Document, PlanReference, Project, Responsibility, Role, Section, Span, Target, Task
from kg.parse.clauses import (
    FIRST_LISTED_LEADS,
    GOVERNMENT_ALONE,
    LABEL,
    LEAD_MARKS,
    QUANTITY_IN_NAME,
    Clause,
    ClauseUnit,
    bracket_groups,
    counted_points,
    duty_sentences,
    find_clauses,
    is_named_unit,
    is_person,
    parse_clause,
    parse_unit_list,
    starts_like_a_unit,
)
from kg.parse.glued import glued_table_breaks, run_in_header_breaks
from kg.parse.metadata import looks_like_genre, read_metadata
from kg.parse.outline import (
    UNIT_COLUMNS,
    Item,
    Line,
    Outline,
    TableHeader,
    build_outline,
    close_ranges,
    column_kind,
    is_row_number,
    join_vertical_tables,
    match_marker,
    match_table_header,
    pipe_rows_to_tabs,
    split_cells,
    split_lines,
)
from kg.parse.plans import find_plans, find_short_names
from kg.parse.projects import find_projects, place_stems
from kg.parse.targets import find_targets
from kg.text import NormalizedText, simplify
from kg.units import UnitRegistry

_CAPTURE_HEADER = re.compile(r"\A(?:[ \t]*#[^\n]*\n)+")
# Page furniture after the document: once one of these appears after the tasks, the document is over.
_CHROME = re.compile(
    r"^\s*(?:相关解读|图文解读|政策解读|解读材料|相关链接|相关文件|附件下载|扫一扫|打印本页|【打印|\[打印|打印\s|关闭窗口|"
    r"【关闭|Produced By|版权所有|网站标识码|ICP备|京ICP|分享到|上一篇|下一篇|责任编辑|浏览次数|字号[::]|抄送[::]|"
    r"信息来源[::]|【字体|相关新闻|返回顶部|主办[::]|技术支持)",
    re.IGNORECASE,
)
_SUBHEADING_MAX = 24
_NO_TASKS = "no numbered tasks found: not a key-task document"
# What a deadline cell says when it gives a time (2024年12月底, 三季度, 持续推进, 长期).
_TIME_WORD = re.compile(r"年|月|日|季|底|前|长期|持续|常态|滚动|今后|(?:19|20)\d\d")
_ROLE_STRENGTH = {"lead": 3, "shared": 2, "co": 1}
# The rest of a heading line that only says who leads (…牵头的工作(3项)), before the task's text below it.
_HEADING_REST = re.compile(r"的?工作(?:任务)?(?:\(\d+项\))?[ \t]*\n\s*")


class _Parser:
    def __init__(self, source: SourceText, jurisdiction: str | None, registry: UnitRegistry) -> None:
        self.source = source
        self.text = NormalizedText(source.text)
        self.text.insert(sorted(glued_table_breaks(self.text.norm) + run_in_header_breaks(self.text.norm)))
        self.norm = pipe_rows_to_tabs(join_vertical_tables(self.text.norm))
        self.first_listed_from: int | None = None
        self.registry = registry
        # "/" separates jurisdiction and name in unit ids (泰安市/市商务局), so a place never contains one.
        self.jurisdiction_override = jurisdiction.strip().replace("/", "／") if jurisdiction else None
        self._paths: dict[int, tuple[str, ...]] = {}

    # --- helpers -----------------------------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        a, b = self.text.span(start, end)
        return Span(a, b)

    def original(self, start: int, end: int) -> str:
        a, b = self.text.span(start, end)
        return self.source.text[a:b]

    def quote(self, start: int, end: int) -> tuple[str, Span]:
        """The original text of ``[start, end)`` without surrounding white space, and the span of just that
        (the original may have white space that normalisation turned into something else, such as U+0085)."""
        a, b = self.text.span(start, end)
        raw = self.source.text[a:b]
        left = len(raw) - len(raw.lstrip())
        return raw.strip(), Span(a + left, a + left + len(raw.strip()))

    def stripped(self, start: int, end: int) -> tuple[int, int]:
        chunk = self.norm[start:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        return (start + left, start + right) if right > left else (start, start)

    # --- the steps ---------------------------------------------------------------------------------

    def parse(self) -> Document:
        norm = self.norm
        header = _CAPTURE_HEADER.match(norm)
        text_start = header.end() if header else 0
        all_lines = split_lines(norm, text_start, len(norm))
        item_starts = [ln.end for ln in all_lines if match_marker(ln) is not None or match_table_header(ln, norm)]

        def has_items_after(pos: int) -> bool:
            return bisect.bisect_right(item_starts, pos) < len(item_starts)

        meta = read_metadata(self.text, text_start, has_items_after, self.source.title)
        body_start = max(text_start, meta.body_start)
        lines = [ln for ln in all_lines if ln.start >= body_start]
        outline = build_outline(norm, lines)
        self.first_listed_from = _first_listed_leads_from(norm, outline.items[0].start if outline.items else len(norm))
        self.unit_columns_above = _unit_columns_above(
            [ln for ln in lines if not outline.items or ln.start < outline.items[0].start])
        self._line_starts = [ln.start for ln in outline.lines]
        body_end = self._body_end(outline)
        outline.items = [it for it in outline.items if it.start < body_end]
        for it in outline.items:
            it.children = [c for c in it.children if c.start < body_end]
        close_ranges(outline, body_end)
        digest = hashlib.sha256(self.source.text.encode("utf-8")).hexdigest()
        doc = Document(
            source=self.source.source, text=self.source.text, digest=digest, title=meta.title,
            attachment_title=meta.attachment_title, issuer=meta.issuer, doc_number=meta.doc_number,
            jurisdiction=self.jurisdiction_override or meta.jurisdiction, signed_date=meta.signed_date,
            published_date=meta.published_date, url=self.source.url,
        )
        scope = doc.jurisdiction or f"doc-{digest[:12]}"
        if outline.items:
            task_items, clause_map = self._choose_tasks(outline)
            # A page that opens in the middle of a duty list: its lines before the first heading are tasks too.
            opening, opening_clauses = self._unnumbered_items(outline, before=outline.items[0].start)
            task_items = opening + task_items
            clause_map.update(opening_clauses)
        else:
            task_items, clause_map = self._unnumbered_items(outline)
        if not task_items:
            raise InputError(self.source.source, _NO_TASKS)
        self.places = place_stems(norm, [doc.jurisdiction or "", *(meta.issuer or "",)])
        self.short_names = find_short_names(norm)
        sections: dict[tuple[str, ...], Section] = {}
        main_kind = _commonest_kind(task_items)
        continuous = _numbering_continues(task_items, main_kind)
        used_ids: dict[str, int] = {}
        for item in task_items:
            task = self._task(item, outline, clause_map, scope, doc)
            if not task.text.strip() and not task.responsibilities:
                continue  # a marker with nothing after it (a garbled page's stray 2、): no task
            # The number alone where it identifies the task: numbering that runs through the document
            # (for the tasks numbered that way), or a task at the top of the outline.
            alone = (continuous and item.kind == main_kind) or len(task.path) == 1
            task.id = _unique(task.number if alone else ".".join(task.path), used_ids)
            doc.tasks.append(task)
            for ancestor in item.ancestors():
                path = self._path(ancestor)
                if path not in sections:
                    sections[path] = self._section(ancestor, path)
        if not doc.tasks:
            raise InputError(self.source.source, _NO_TASKS)
        doc.sections = sorted(sections.values(), key=lambda s: s.span.start)
        first_task = min(it.start for it in task_items)
        self._add_standing_co_units(doc.tasks, text_start, first_task, scope)
        # The preamble's citations, and those outside every task (a 相关依据 list after the table, a heading).
        cited_by_tasks = {p.span for t in doc.tasks for p in t.plans}
        doc.references = _dedupe_plans([plan for m in find_plans(norm, text_start, len(norm), self.short_names)
                                        if (plan := self._plan(m, first_task)).span not in cited_by_tasks])
        if not any(t.responsibilities for t in doc.tasks) and not looks_like_genre(norm):
            raise InputError(self.source.source, "no responsibility clauses and no key-task vocabulary: "
                                                 "not a key-task document")
        unknown = sorted({r.unit.name for t in doc.tasks for r in t.responsibilities if not r.unit.known
                          and r.unit.kind != "collective"})
        doc.warnings.extend(f"unit not in the gazetteer: {name}" for name in unknown)
        if not doc.title:
            # A capture that starts below the title (a page's second half, an excerpt): name it after its file
            # so that it can still be told apart in reports and the graph, and say so.
            doc.title = PurePath(self.source.source).stem or self.source.source
            doc.warnings.append(f"no title found; titled after the file: {doc.title}")
        return doc

    def _body_end(self, outline: Outline) -> int:
        if not outline.items:
            return len(self.norm)
        first = outline.items[0].start
        for line in outline.lines:
            if line.start > first and _CHROME.match(line.text) and "\t" not in line.text:  # not a row: 政策解读 | …
                return line.start
        return len(self.norm)

    def _item_clauses(self, item: Item, outline: Outline) -> list[Clause]:
        if item.kind == "row":
            return self._row_clauses(item, outline)
        start, end = item.content_start, item.own_end
        # A table's header line (序号 工作任务 责任单位 …) belongs to the table, not to the heading above it.
        for header_index in outline.tables:
            header_start = outline.lines[header_index].start
            if start <= header_start < end:
                end = header_start
                break
        starts = self._line_starts[bisect.bisect_left(self._line_starts, start):
                                   bisect.bisect_left(self._line_starts, end)]
        return find_clauses(self.norm, start, end, [start, *starts]) or self._unit_led_lines(starts, end) or \
            (self._unit_name_lines(starts, end) if self.unit_columns_above else [])

    def _unit_name_lines(self, line_starts: list[int], end: int) -> list[Clause]:
        """Runs of lines after the task's first that each hold a unit's name and nothing else: a table's unit
        cells printed one unit per line, under a header above the tasks that names its unit columns (a
        notice's signature, 某区人民政府办公室 over its date, is no such cell). A run with no role word shares
        the task — unless the header printed a lead column and then another unit column (主要责任单位 / 责任单位),
        one name per line with nothing to show where one cell ends: then each run's first unit leads, as the
        columns' order says."""
        clauses: list[Clause] = []
        run: Clause | None = None
        for line_start in line_starts:
            line_end = self.norm.find("\n", line_start, end)
            line_end = end if line_end < 0 else line_end
            name_start, name_end = self.stripped(line_start, line_end)
            name = self.norm[name_start:name_end]
            if not name:
                continue  # blank lines between a table's cells
            # A cell's list on one line (区发改经信局、区科技工业区管委会、各街道 / 市税务局等,各县、市、区政府): its
            # names, each a unit's.
            listed = parse_unit_list(self.norm, name_start, name_end) if "、" in name or "," in name else None
            # Within a run, a short name the page cut (省人口计生) is still one of the cell's names; a progress
            # cell's word (正常进行中) is not.
            named = listed is not None or is_named_unit(name) or \
                run is not None and _SHORT_NAME.fullmatch(name) is not None and not _STATUS.search(name)
            if listed is None and (len(name) > 20 or _NOT_A_NAME.search(name)) or not named or LABEL.match(name):
                run = None
                continue
            if run is None:
                run = Clause(start=name_start, end=name_end)
                clauses.append(run)
            if listed is not None:
                run.units.extend(ClauseUnit(u.start, u.end, "shared") for u in listed.units)
            else:
                run.units.append(ClauseUnit(name_start, name_end, "shared"))
            run.end = name_end
        if self.unit_columns_above == "lead, then other":
            for clause in clauses:
                clause.lead_first_listed()
        return clauses

    def _unit_led_lines(self, line_starts: list[int], end: int) -> list[Clause]:
        """Lines that open with a unit's name and a colon (``区委宣传部:制订宣传工作方案…`` / ``教委:负责…``):
        a division of duties, each line the unit's task. Two such lines at least; labels (责任单位:) are not."""
        clauses: list[Clause] = []
        for line_start in line_starts:
            m = _UNIT_COLON.match(self.norm, line_start, end)
            if m is None or LABEL.match(self.norm, m.start("name")) or not is_named_unit(m.group("name")):
                continue
            clause = self._lone_unit(m.start("name"), m.end("name"))
            if clause is not None:
                clauses.append(clause)
        return clauses if len(clauses) >= 2 else []

    def _unnumbered_items(self, outline: Outline, before: int | None = None) -> tuple[list[Item], dict[int, list[Clause]]]:
        """A text with no numbered item whose lines divide the work by unit (县住建局:负责… / 县自然资源局:负责…,
        a page of a duty list), whose paragraphs each have a label line (责任单位:…), or whose sentences open
        with the units that do them (县水务局牵头,组织开展…, a news report), or which counts off points each closed
        by its clause (一是…(责任单位:X);二是…): each such line, paragraph, sentence or point is a task, numbered in
        order. Three at least."""
        end = len(self.norm) if before is None else before
        lines = {line.stripped_start: index for index, line in enumerate(outline.lines)
                 if not line.blank and line.start < end}
        found = [(c.start, outline.lines[lines[c.start]].end, c) for c in self._unit_led_lines(list(lines), end)]
        if len(found) < 3 and before is None:
            found = self._labelled_paragraphs(outline)
        text_end = min(end, outline.lines[-1].end) if lines else end
        if len(found) < 3 and lines:
            found = duty_sentences(self.norm, outline.lines[0].start, text_end, with_must=before is None)
        if len(found) < 3 and lines:
            found = counted_points(self.norm, outline.lines[0].start, text_end)
        if len(found) < 3:
            return [], {}
        items: list[Item] = []
        clause_map: dict[int, list[Clause]] = {}
        for number, (task_start, task_end, clause) in enumerate(found, 1):
            index = max(bisect.bisect_right(self._line_starts, task_start) - 1, 0)
            item = Item(kind="para", value=number, label_span=(task_start, task_start), start=task_start,
                        content_start=task_start, line_index=index, block=0, depth=0, end=task_end,
                        own_end=task_end, label=str(number))
            items.append(item)
            clause_map[id(item)] = [clause]
        return items, clause_map

    def _labelled_paragraphs(self, outline: Outline) -> list[tuple[int, int, Clause]]:
        """Unnumbered paragraphs each followed by a label line of their own (加快推进… / 责任单位:省政府办公厅、…):
        (start of the paragraph's line, end of the label line, its clause)."""
        found: list[tuple[int, int, Clause]] = []
        previous: Line | None = None
        for line in outline.lines:
            if line.blank:
                continue
            if LABEL.match(self.norm, line.stripped_start, line.end):
                clause = parse_clause(self.norm, line.stripped_start, line.end, strict=False)
                if clause is not None and previous is not None:
                    found.append((previous.stripped_start, line.end, clause))
                previous = None
            else:
                previous = line
        return found

    def _lone_unit(self, start: int, end: int) -> Clause | None:
        """``norm[start:end]``, a name standing for the unit responsible (a heading, a line's opening), as a
        clause of that one unit sharing the work; None when it is not one unit's name."""
        clause = parse_unit_list(self.norm, start, end)
        if clause is None or len(clause.units) != 1 or clause.units[0].role != "shared":
            return None
        clause.start, clause.end = start, end
        return clause

    def _add_unit_headings(self, outline: Outline, clause_map: dict[int, list[Clause]]) -> None:
        """Items whose first sentence is nothing but a unit's name: a list by department (``五、省发改委`` over
        ``(一)…`` ``(二)…``; ``(二十一)市公安局。负责对…``) — the unit is responsible for what follows.

        Only where no item of that numbering has a clause of its own, nor anything below it: a ledger's
        ``1. 市科技馆`` names the site inspected, and its label ``问题整改责任单位:…`` the unit responsible.
        """
        with_clause = {it.kind for it in outline.items if id(it) in clause_map}
        for item in outline.items:
            if item.kind in with_clause or item.kind == "row" or \
                    any(id(d) in clause_map for d in item.descendants()):
                continue
            clauses = self._unit_heading(item)
            if clauses:
                clause_map[id(item)] = clauses

    def _unit_heading(self, item: Item) -> list[Clause]:
        """The clause of an item that opens with a unit's name alone (see :meth:`_add_unit_headings`)."""
        line_end = self.norm.find("\n", item.content_start, item.own_end)
        line_end = item.own_end if line_end < 0 else line_end
        m = _UNIT_SENTENCE.match(self.norm, item.content_start, line_end)
        if m is None:
            return []
        name = m.group("name")
        if not (is_named_unit(name) and starts_like_a_unit(name)):
            return []  # 二、建设数字政府 ends like a unit, but opens with a verb
        clause = self._lone_unit(m.start("name"), m.end("name"))
        return [clause] if clause is not None else []

    def _row_clauses(self, item: Item, outline: Outline) -> list[Clause]:
        header: TableHeader = outline.row_headers[item.line_index]
        clauses: list[Clause] = []
        for kind, (cs, ce) in zip(header.columns, item.cells or [], strict=False):
            if kind not in UNIT_COLUMNS:
                continue
            clause = parse_clause(self.norm, cs, ce, strict=False)
            if clause is None or not any(u.looks_like_a_unit(self.norm) for u in clause.units):
                continue  # a cell under the unit column that names no unit (100, 完成): the row is out of line
            if kind != "responsible":
                _recast_shared([clause], kind)
            if kind == "lead" and any(mark in self.norm[cs:ce] for mark in LEAD_MARKS):
                for unit in clause.units:  # ★发改局、经信局 under 牵头单位: the column says they all lead
                    unit.role = "lead"
            clauses.append(clause)
        if not clauses:
            clauses = self._unit_cells(item)
            unit_columns = UNIT_COLUMNS & set(header.columns)
            if unit_columns in ({"lead"}, {"co"}):  # the table's only unit column says what role they have
                _recast_shared(clauses, next(iter(unit_columns)))
        if any(u.role == "lead" for c in clauses for u in c.units):
            _recast_shared(clauses, "co")
        return clauses

    def _unit_cells(self, item: Item) -> list[Clause]:
        """Units of a row whose cells do not line up with its header (a merged cell printed once, above):
        the cells after the first that hold nothing but unit names, with their role words if any."""
        found = (parse_unit_list(self.norm, cs, ce) for cs, ce in (item.cells or [])[1:])
        return [clause for clause in found if clause is not None]

    def _choose_tasks(self, outline: Outline) -> tuple[list[Item], dict[int, list[Clause]]]:
        """Tasks are the items of the level that carries the responsibility clauses.

        Items above that level are sections, items below it are part of their task's text. When no item
        has a clause, the tasks are the leaves of the most common kind. Each restart of the outline (a
        notice's own numbered paragraphs before its attachment) is a block; blocks with clauses win.
        """
        clause_map: dict[int, list[Clause]] = {}
        blocks: dict[int, list[Item]] = {}
        for item in outline.items:
            blocks.setdefault(item.block, []).append(item)
            clauses = self._item_clauses(item, outline)
            if clauses:
                clause_map[id(item)] = clauses
        self._lift_closing_clauses(outline, clause_map)
        self._add_unit_headings(outline, clause_map)
        chosen: list[tuple[int, list[Item]]] = []
        for items in blocks.values():
            with_clause = Counter(it.kind for it in items if id(it) in clause_map)
            if with_clause:
                level = max(with_clause, key=lambda k: (with_clause[k], -min(it.depth for it in items if it.kind == k)))
                tasks = [it for it in items if it.kind == level]
                task_ids = {id(t) for t in tasks}
                for it in items:
                    # An item of another level with a clause is a task too when nothing below it has one
                    # (its sub-items are then its text).
                    if it.kind != level and id(it) in clause_map and \
                            not any(id(a) in task_ids for a in it.ancestors()):
                        below = it.descendants()
                        if not any(id(d) in clause_map for d in below):
                            below_ids = {id(d) for d in below}
                            tasks = [t for t in tasks if id(t) not in below_ids]
                            task_ids -= below_ids
                            tasks.append(it)
                score = sum(1 for t in tasks if id(t) in clause_map) * 1000 + len(tasks)
            else:
                leaves = Counter(it.kind for it in items if not it.children)
                if not leaves:
                    continue
                level = max(leaves, key=lambda k: leaves[k])
                tasks = [it for it in items if it.kind == level]
                score = len(tasks)
            chosen.append((score, sorted(tasks, key=lambda it: it.start)))
        if not chosen:
            return [], clause_map
        best = max(score for score, _ in chosen)
        if best >= 1000:
            tasks = [t for score, ts in chosen if score >= 1000 for t in ts]
        else:
            tasks = max(chosen, key=lambda c: c[0])[1]
        tasks = _descend_to_clauses(self._hand_down_heading_clauses(tasks, clause_map), clause_map)
        return self._split_paragraph_tasks(tasks, clause_map, outline), clause_map

    def _lift_closing_clauses(self, outline: Outline, clause_map: dict[int, list[Clause]]) -> None:
        """A clause on a line of its own after the last sub-item closes the item above (``1.完善应急预案体系``
        / ``(1)…`` … ``(4)…`` / ``(责任单位:…)``) when no other sub-item has a clause — unless items like the
        sub-items carry clauses throughout the document: then they are its tasks, and the clause is the last one's.
        """
        items_of: Counter = Counter(it.kind for it in outline.items)
        with_clause: Counter = Counter(it.kind for it in outline.items if id(it) in clause_map)
        for item in outline.items:
            if item.kind == "row" or len(item.children) < 2 or id(item) in clause_map:
                continue
            last = item.children[-1]
            clauses = clause_map.get(id(last), [])
            if not clauses or any(id(c) in clause_map for c in item.children[:-1]):
                continue
            if with_clause[last.kind] >= 3 and with_clause[last.kind] * 2 >= items_of[last.kind]:
                continue
            own_line = outline.lines[last.line_index]
            if all(c.start > own_line.end and self._on_own_line(c.start) for c in clauses):
                clause_map[id(item)] = clause_map.pop(id(last))

    def _on_own_line(self, pos: int) -> bool:
        """Does the line holding ``pos`` start with the clause at ``pos``: its bracket, or a label near the
        start of the line (问题整改责任单位:市科技馆)?"""
        line_start = self.norm.rfind("\n", 0, pos) + 1
        if _CLAUSE_OPEN.fullmatch(self.norm, line_start, pos) is not None:
            return True
        label = LABEL.search(self.norm, line_start, min(len(self.norm), line_start + 40))
        return label is not None and label.start() - line_start <= 8 and label.start() <= pos

    def _hand_down_heading_clauses(self, tasks: list[Item], clause_map: dict[int, list[Clause]]) -> list[Item]:
        """A heading that says only who is responsible (``四、市建设局负责:`` over ``(1)…`` ``(2)…``) is not a
        task: its sub-items are, each under the heading's clause — and their own, when they have one
        (``(三)省编办牵头的工作`` / ``1.…`` / ``2.…`` / ``协同单位:省财政厅…``: the lead of both, and 2's co units)."""
        handed: list[Item] = []
        for item in tasks:
            clauses = clause_map.get(id(item), [])
            if item.kind == "row" or not item.children or not clauses:
                handed.append(item)
                continue
            if any(id(child) in clause_map for child in item.children) and \
                    not all(c.start < item.own_end for c in clauses):
                handed.append(item)  # the item's clauses include its sub-items': it is a task with a text of its own
                continue
            residue = self.norm[item.content_start:item.own_end]
            for clause in sorted(clauses, key=lambda c: c.start, reverse=True):
                if item.content_start <= clause.start and clause.end <= item.own_end:
                    a, b = clause.start - item.content_start, clause.end - item.content_start
                    residue = residue[:a] + residue[b:]
            if not _NOTHING_BUT_PUNCTUATION.fullmatch(residue):
                handed.append(item)
                continue
            for child in item.children:
                own = clause_map.get(id(child), [])
                leads = any(u.role == "lead" for c in own for u in c.units)
                clause_map[id(child)] = own if leads else [*clauses, *own]
                handed.append(child)
        return handed

    def _split_paragraph_tasks(self, tasks: list[Item], clause_map: dict[int, list[Clause]],
                               outline: Outline) -> list[Item]:
        """Unnumbered paragraphs under a heading, each closed by its own clause, are tasks of their own.

        The 部门分工 of a 政府工作报告 writes ``(一)推动经济稳定健康发展。`` and then paragraphs such as
        ``发挥投资的关键作用,……。(省发展改革委、省财政厅等负责)``; they are numbered 1, 2 … in order,
        as a reader would cite them.
        """
        result: list[Item] = []
        for item in tasks:
            clauses = clause_map.get(id(item), [])
            if item.kind == "row" or item.children or len(clauses) < 2:
                result.append(item)  # one clause, or sub-items that are the task's text, or a table row
                continue
            paragraphs = next((found for found in (self._clause_paragraphs(item, clauses, outline),
                                                   self._led_paragraphs(item, clauses, outline),
                                                   self._clause_sentences(item, clauses)) if len(found) >= 2), [])
            if not paragraphs:
                result.append(item)
                continue
            for number, (line_index, start, end) in enumerate(paragraphs, 1):
                para = Item(kind="para", value=number, label_span=(start, start), start=start, content_start=start,
                            line_index=line_index, block=item.block, depth=item.depth + 1, parent=item, end=end,
                            own_end=end, label=str(number))
                clause_map[id(para)] = [c for c in clause_map[id(item)] if start <= c.start < end]
                result.append(para)
        return result

    def _led_paragraphs(self, item: Item, clauses: list[Clause], outline: Outline) -> list[tuple[int, int, int]]:
        """(line index, start, end) of the lines after the item's first that each open with a clause (a unit
        and a colon, see :meth:`_unit_led_lines`); empty unless every clause opens such a line."""
        opening = {c.start for c in clauses}
        paragraphs = []
        index = item.line_index + 1
        while index < len(outline.lines) and outline.lines[index].start < item.own_end:
            line = outline.lines[index]
            if not line.blank and line.stripped_start in opening:
                paragraphs.append((index, line.stripped_start, min(line.end, item.own_end)))
            index += 1
        return paragraphs if len(paragraphs) == len(clauses) else []

    def _clause_sentences(self, item: Item, clauses: list[Clause]) -> list[tuple[int, int, int]]:
        """(line index, start, end) of the runs of sentences in the item that each close with a bracketed
        clause, as a 部门分工的意见 writes them in one paragraph: ``…政策体系(分管副省长负责,省科技厅牵头)。
        在高端装备…实施一批项目(…省科技厅等负责)。`` — two tasks. Empty unless there are two at least."""
        norm = self.norm
        cuts: list[int] = []
        for clause in sorted(clauses, key=lambda c: c.start):
            if norm[clause.start] != "(" or norm[clause.end - 1] != ")":
                return []
            end = clause.end
            while end < item.own_end and norm[end] in "。;,":
                end += 1
            if len(norm[end:item.own_end].strip()) >= 4 and (not cuts or len(norm[cuts[-1]:clause.start].strip()) >= 4):
                cuts.append(end)
        if not cuts:
            return []
        starts = [item.content_start, *cuts]
        ends = [*cuts, item.own_end]
        return [(item.line_index, a, b) for a, b in zip(starts, ends, strict=True)]

    def _clause_paragraphs(self, item: Item, clauses: list[Clause], outline: Outline) -> list[tuple[int, int, int]]:
        """(line index, start, end) of the paragraphs after the item's first line that each end with a clause;
        empty unless the first line has no clause."""
        first = outline.lines[item.line_index]
        if any(c.start < first.end for c in clauses):
            return []
        ends = sorted(c.end for c in clauses)
        paragraphs: list[tuple[int, int, int]] = []
        para_start: tuple[int, int] | None = None
        index = item.line_index + 1
        while index < len(outline.lines) and outline.lines[index].start < item.own_end:
            line = outline.lines[index]
            index += 1
            if line.blank:
                continue
            if para_start is None:
                para_start = (index - 1, line.stripped_start)
            # Sentences run together on one line, each closed by its bracket: …左右。(市公安局牵头)万元…
            for clause in clauses:
                if para_start[1] < clause.start and clause.end < line.end - 3 and \
                        self.norm[clause.start - 1] in "。;" and self.norm[clause.end - 1] == ")":
                    paragraphs.append((*para_start, clause.end))
                    para_start = (index - 1, clause.end)
            k = bisect.bisect_left(ends, line.end - 3)
            if k < len(ends) and ends[k] <= line.end and _CLAUSE_CLOSE.fullmatch(self.norm, ends[k], line.end):
                paragraphs.append((*para_start, line.end))
                para_start = None
        return paragraphs

    def _task_end(self, item: Item, outline: Outline) -> int:
        """Where the task's text ends: after its clause, before sub-headings and page furniture."""
        if item.kind == "row":
            line = outline.lines[item.line_index]
            return line.end
        end = item.end
        last = item.start
        closed = False
        lines = outline.lines
        index = item.line_index
        child_starts = {c.start for c in item.children}
        while index < len(lines) and lines[index].start < end:
            line = lines[index]
            index += 1
            if line.blank:
                continue
            if line.stripped_start >= end:
                break  # the next item's line, indented: ``  2.第三产业…`` starts before its marker
            text = line.text.strip()
            if line.stripped_start in child_starts or any(c.start <= line.start < c.end for c in item.children):
                last = line.end
                continue
            if line.start > item.start:
                if _CHROME.match(text):
                    break
                clause_line = bool(LABEL.match(text)) or (text[0] in "([【" and _ends_with_clause(text))
                if closed and not clause_line:
                    break
                if not closed and not clause_line and _is_subheading(text):
                    break
            last = line.end
            if _ends_with_clause(text) or bool(LABEL.match(text)):
                closed = True
        return max(min(last, end), item.content_start)  # a task that ends inside its line (a sentence) ends there

    def _path(self, item: Item) -> tuple[str, ...]:
        """Numbering labels as printed, outermost first (cached: every task asks for its section's)."""
        path = self._paths.get(id(item))
        if path is None:
            parent = self._path(item.parent) if item.parent is not None else ()
            label = item.label if item.label is not None else self.original(*item.label_span)
            path = self._paths[id(item)] = (*parent, label)
        return path

    def _section(self, item: Item, path: tuple[str, ...]) -> Section:
        start, end = self.stripped(item.content_start, item.own_end)
        title_end = _title_end(self.norm, start, end)
        return Section(path=path, title=self.original(start, title_end).strip(), span=self.span(start, end))

    def _task(self, item: Item, outline: Outline, clause_map: dict[int, list[Clause]], scope: str,
              doc: Document) -> Task:
        norm = self.norm
        title_cell_end = None
        if item.kind == "row":
            header: TableHeader = outline.row_headers[item.line_index]
            columns = list(zip(header.columns, item.cells or [], strict=False))
            cells = dict(columns)
            # 工作任务 | 具体措施: the first task column names the task, the text runs to the last one.
            # A row's number under a header that names no 序号 column sits in the first column: not text.
            task_cells = [cell for kind, cell in columns
                          if kind == "task" and cell[1] > cell[0] and not is_row_number(norm, cell)]
            if task_cells:
                content = (max(task_cells[0][0], item.content_start), task_cells[-1][1])
                title_cell_end = task_cells[0][1] if len(task_cells) > 1 else None
            else:
                content = (item.content_start, outline.lines[item.line_index].end)
            start, end = self.stripped(*content)
            deadline_cell = cells.get("deadline")
            if deadline_cell and not _TIME_WORD.search(norm, *deadline_cell):
                deadline_cell = None  # a 当前进度 column: 98.4% says how far the work is, not by when
        else:
            start, end = self.stripped(item.content_start, self._task_end(item, outline))
            deadline_cell = None
        clauses = [c for c in clause_map.get(id(item), []) if c.start < max(end, item.own_end)]
        if item.kind != "row" and item.children:
            # Clauses of sub-items belong to the task too.
            for child in item.children:
                clauses.extend(c for c in clause_map.get(id(child), []) if c.start < end)
        clause_spans = [(c.start, c.end) for c in clauses]
        title_start = start
        opening = next((c for c in clauses if c.start <= start + 1 < c.end < end), None)
        if opening is not None:  # the clause opens the task (市工商局负责,市农业局配合,严格实施…)
            title_start = self.stripped(opening.end, end)[0]
            while title_start < end and norm[title_start] in ",:;。 ":
                title_start += 1
            if rest := _HEADING_REST.match(norm, title_start, end):  # (一)省监察厅牵头的工作 / 加强行政监察…
                title_start = rest.end()
        title_stop = min([c.start for c in clauses if title_start <= c.start] + [title_cell_end or end])
        title_end = _title_end(norm, title_start, title_stop)
        text, span = self.quote(start, end)
        task = Task(
            path=self._path(item),
            title=self.original(title_start, title_end).strip().rstrip("。.;,").strip(),
            text=text,
            span=span,
            section_path=self._path(item.parent) if item.parent is not None else (),
        )
        deadline = next((c.deadline for c in clauses if c.deadline), None) or deadline_cell
        if deadline:
            task.deadline = self.original(*deadline).strip() or None
        task.responsibilities = self._responsibilities(clauses, scope)
        task.plans = _dedupe_plans([self._plan(m, end) for m in find_plans(norm, start, end, self.short_names)
                                    if not any(s <= m.start < e for s, e in clause_spans)])
        task.targets = [
            Target(text=self.original(m.start, m.end), metric=m.metric, value=m.value,
                   unit=m.unit, op=m.op, span=self.span(m.start, m.end), deadline=m.deadline)
            for cell_start, cell_end in [(start, end), *self._sub_row_task_cells(item, outline)]
            for m in find_targets(norm, cell_start, cell_end, clause_spans)
        ]
        body_start = title_end if item.kind != "row" else start
        task.projects = [
            Project(*self.quote(m.start, m.end))
            for m in find_projects(norm, body_start, end, clause_spans, self.places)
        ]
        return task

    def _sub_row_task_cells(self, item: Item, outline: Outline) -> list[tuple[int, int]]:
        """The task cells of the unnumbered sub-item rows under a table row (``2 | 新建成驿站7家。 | … | 卫生健康局``
        / ``新增托位500个。 | 新增托位600个。 | ||``): the row's further targets, beside progress cells that are
        not. A sub-item row lacks the number cell (and the empty cells at its end)."""
        if item.kind != "row":
            return []
        columns = outline.row_headers[item.line_index].columns
        if columns[0] != "number":
            return []
        cells: list[tuple[int, int]] = []
        for index in range(item.line_index + 1, len(outline.lines)):  # not a copy of the lines below, per row
            line = outline.lines[index]
            if line.start >= item.end:
                break
            if line.blank:
                continue
            row = split_cells(line, self.norm)
            if "\t" not in line.text or not row or len(row) >= len(columns) or is_row_number(self.norm, row[0]):
                break
            cells.extend(cell for kind, cell in zip(columns[1:], row, strict=False) if kind == "task")
        return cells

    def _responsibilities(self, clauses: list[Clause], scope: str) -> list[Responsibility]:
        found: dict[str, Responsibility] = {}
        for clause in clauses:
            if self.first_listed_from is not None and clause.end >= self.first_listed_from:
                clause.lead_first_listed()
            previous = ""
            for cu in clause.units:
                if (remark := _REMARK_AFTER_NAME.search(self.norm, cu.start, cu.end)) and \
                        (_ROLE_WORDS.search(remark.group("remark")) or is_person(remark.group("remark"))):
                    # 区统计局(数据统计评估牵头单位), 市发展改革委(张三): what it leads, or who answers for it, is no
                    # part of its name.
                    cu.end = remark.start()
                raw = _clean_name(self.original(cu.start, cu.end))
                if len(raw) < 2 or QUANTITY_IN_NAME.search(raw):
                    continue  # a name cut off by the end of the page (责任单位:区), or a target's text (…比重16.5%)
                # 各州(市)党委和政府: 政府, as written, is the government of the places the committee before it
                # names — one unit per place, not one 政府 for every clause that writes so.
                place = _COMMITTEE_OF.match(previous) if raw in GOVERNMENT_ALONE else None
                unit = self.registry.unit(place.group("place") + raw if place else raw, scope)
                previous = raw
                existing = found.get(unit.name)
                if existing is None:
                    found[unit.name] = Responsibility(unit=unit, role=cu.role, raw=raw, span=self.span(cu.start, cu.end))
                elif _ROLE_STRENGTH[cu.role] > _ROLE_STRENGTH[existing.role]:
                    existing.role = cu.role
        return list(found.values())

    def _add_standing_co_units(self, tasks: list[Task], start: int, end: int, scope: str) -> None:
        """A notice's standing rule (除特别注明的外,各县(市、区)政府和开发区管委会都是配合单位) makes those units co
        units of every task that names its units; each keeps the rule's words as its source."""
        rule = _STANDING_CO.search(self.norm, start, end)
        if rule is None:
            return
        clause = parse_clause(self.norm, rule.start("units"), rule.end("units"), strict=False)
        if clause is None or not all(u.looks_like_a_unit(self.norm) for u in clause.units):
            return
        for unit in clause.units:
            unit.role = "co"
        standing = self._responsibilities([clause], scope)
        for task in tasks:
            named = {r.unit.name for r in task.responsibilities}
            if named:
                task.responsibilities.extend(replace(r) for r in standing if r.unit.name not in named)

    def _plan(self, mention, limit: int) -> PlanReference:
        # Titles wrapped over two lines carry the line break; Chinese titles have no spaces of their own, not
        # even inside a year that a PDF's spacing broke (关于做好20 21年…).
        title_span = mention.full_title or (mention.title_start, mention.title_end)
        title = _TITLE_SPACES.sub("", self.original(*title_span).strip())
        return PlanReference(
            title=title,
            relation=mention.relation, span=self.span(mention.start, mention.end), verb=mention.verb,
        )


# A remark in brackets after a unit's name: which part of the work it leads or does, or the person in charge.
_REMARK_AFTER_NAME = re.compile(r"\s*\((?P<remark>[^()]{2,30})\)\s*$")
_ROLE_WORDS = re.compile(r"牵头|配合|负责")
_TITLE_SPACES = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])|(?<=\d)\s+(?=\d)")
# What a heading that only names who is responsible has besides its clause: 市建设局负责(的工作任务):
_NOTHING_BUT_PUNCTUATION = re.compile(r"[\s:,.;。、]*(?:的?工作任务|的?工作|的?任务)?(?:\(\d+项\))?[\s:,.;。、]*")
# What may precede a clause at the start of its line, and follow it at the end: brackets, the sentence's end.
_CLAUSE_OPEN = re.compile(r"[\s(\[【〔]*")
_CLAUSE_CLOSE = re.compile(r"[)\]】〕。;.\s]*")
# A unit's name and a colon opening a line: 区委宣传部:制订宣传工作方案… (or a wide gap: 法规处  负责…)
_UNIT_COLON = re.compile(r"[ \t\u3000]*(?P<name>[^\s。,;:、()]{2,15})(?:[::]|[ \t\u3000]{2,}|\t)(?=\S)")
# A unit's name alone as an item's first sentence (or line): no more than a name (with what a bracket adds:
# 各区县政府(地区管委会)), then 。, a colon before its duties (14.市卫生局:负责…) or the line's end.
_UNIT_SENTENCE = re.compile(r"\s*(?P<name>[^\s。,;:、()]{2,20}(?:\([^\s()。,;:\d]{2,12}\))?)(?:\(\d+项\))?\s*(?:。|:|$)",
                            re.MULTILINE)  # (一)工商分局(1项): how many items the unit has is no part of its name
_LEADS_BY_POSITION = re.compile(r"(?:为|是|首位的?(?:单位|部门)?)(?:工作)?牵头")
# A line that holds a unit's name and nothing else has no punctuation and is no ——sub-goal; within a run of
# such lines, a short name a page cut (省人口计生) still counts.
_NOT_A_NAME = re.compile(r"[,。;:,:;!?]|——")
_STATUS = re.compile(r"(?:进行中|推进中|实施中|建设中|完成|正常|滞后|未开始|未启动)$")
_SHORT_NAME = re.compile(r"[\u4e00-\u9fff]{2,6}")
_COMMITTEE_OF = re.compile(r"(?P<place>.+?)(?:党委|党工委)$")
_STANDING_CO = re.compile(r"除(?:特别|另有)?注明(?:的)?(?:外|以外)[,]?(?P<units>[^。;:]{2,160}?)(?:都|均)(?:是|为)"
                          r"(?:各项工作的?)?配合单位")


def _recast_shared(clauses: list[Clause], role: Role) -> None:
    """Give the units a clause left ``shared`` the role their column (or a lead beside them) implies."""
    for clause in clauses:
        for unit in clause.units:
            if unit.role == "shared":
                unit.role = role


def _unit_columns_above(lines: list[Line]) -> str:
    """The unit columns of a table header printed one name per line before the tasks: ``"lead, then other"``
    for 主要责任单位 then 责任单位 (or 配合单位), ``"units"`` for others (落实科室), ``""`` for none."""
    names = [ln.text.strip() for ln in lines if ln.text.strip()]
    kinds = [column_kind(name) if len(name) <= 8 else "other" for name in names]
    for i, kind in enumerate(kinds):
        if kind == "lead" and any(later in ("responsible", "co") for later in kinds[i + 1:i + 3]):
            return "lead, then other"
    return "units" if any(kind in UNIT_COLUMNS for kind in kinds) else ""


def _first_listed_leads_from(norm: str, first_item: int) -> int | None:
    """Where the document's rule that the first unit listed leads starts to hold, if it states one.

    Said before the tasks (责任单位中排名第一的为牵头单位), it holds for every clause; in a clause followed by
    下同 ("the same below"), or in a sentence of its own among headed paragraphs, from there on; said in one
    clause only, for that clause (see :func:`kg.parse.clauses.parse_clause`).
    """
    for said in _LEADS_BY_POSITION.finditer(norm):  # cheap to find; the full pattern is tried around it
        m = FIRST_LISTED_LEADS.search(norm, max(0, said.start() - 12), said.end() + 12)
        if m is None:
            continue
        if m.start() < first_item:
            return 0
        if "下同" in _rest_of_remark(norm, m.end()) or not _in_brackets(norm, m.start()):
            # Said in a sentence of its own (among the principles of a 分工 notice), not in one clause.
            return m.start()
    return None


def _descend_to_clauses(tasks: list[Item], clause_map: dict[int, list[Clause]]) -> list[Item]:
    """A task with no clause of its own whose sub-items have theirs (``3、改善农民工…居住条件`` over ``(1)…``
    ``责任部门:…`` ``(2)…`` ``责任部门:…``) is a heading: its sub-items are the tasks."""
    result: list[Item] = []
    for item in tasks:
        if id(item) not in clause_map and any(id(child) in clause_map for child in item.children):
            result.extend(item.children)
        else:
            result.append(item)
    return result


def _rest_of_remark(norm: str, pos: int) -> str:
    """The remark's words after ``pos``, up to its bracket's end (…牵头部门,其他部门和单位按职责分工负责,下同;
    …牵头负责。下同)."""
    tail = norm[pos:pos + 40]
    return tail[:min((i for i in (tail.find(")"), tail.find("\n")) if i >= 0), default=len(tail))]


def _in_brackets(norm: str, pos: int) -> bool:
    """Is ``pos`` inside an open bracket on its line?"""
    line_start = norm.rfind("\n", 0, pos) + 1
    return norm.rfind("(", line_start, pos) > norm.rfind(")", line_start, pos)


def _commonest_kind(tasks: list[Item]) -> str:
    return Counter(it.kind for it in tasks).most_common(1)[0][0]


def _numbering_continues(tasks: list[Item], main_kind: str) -> bool:
    """Is task numbering continuous across sections (1–9, 10–18 …) or restarting in each?

    Observed when two or more sections hold tasks; otherwise by convention of the marker: Arabic ``1.``
    numbering usually runs through a document, ``(一)`` and ``(1)`` numbering restarts under each heading.
    """
    # Judged on the commonest kind of task (``main_kind``): a lone task of another kind (a heading that is a
    # task itself among headings whose sub-items are) says nothing about how the others are numbered.
    groups: dict[int, list[Item]] = {}
    for item in tasks:
        if item.kind == main_kind:
            groups.setdefault(id(item.parent), []).append(item)
    # A section's numbering starts at its first item of that kind, task or not: under 一、 a 1. that heads
    # sub-items (1.扩大投资 over (1) (2)) and a 2. that is a task restart the count as much as two tasks would.
    firsts = [min(_siblings_of_kind(items[0]) or items, key=lambda it: it.start).value for items in groups.values()]
    if len(firsts) >= 2:
        return any(v > 1 for v in sorted(firsts)[1:]) or len(set(firsts)) > 1
    return main_kind in ("num", "numr", "row")


def _siblings_of_kind(item: Item) -> list[Item]:
    """The items of ``item``'s kind under its parent (none for a top-level item: its group is all there is)."""
    return [it for it in item.parent.children if it.kind == item.kind] if item.parent is not None else []


def _unique(task_id: str, used: dict[str, int]) -> str:
    """``task_id``, or ``task_id~2``, ``~3`` … when an outline repeats its numbering (two attachments)."""
    seen = used.get(task_id, 0)
    used[task_id] = seen + 1
    if not seen:
        return task_id
    candidate = f"{task_id}~{seen + 1}"
    while candidate in used:
        seen += 1
        candidate = f"{task_id}~{seen + 1}"
    used[candidate] = 1
    return candidate


def _clean_name(raw: str) -> str:
    """A unit name as written, without spaces and without pinyin glosses from mirror sites."""
    name = re.sub(r"\s+", "", raw)
    if re.search(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", name):
        name = re.sub(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]", "", name)
    return name


def _dedupe_plans(plans: list[PlanReference]) -> list[PlanReference]:
    """One reference per title: the first that says what to do with it (a heading that only names
    《政府工作报告》 and a sentence that 落实 it are one plan, implemented)."""
    unique: dict[str, PlanReference] = {}
    for plan in plans:
        key = simplify(plan.title)
        kept = unique.get(key)
        if kept is None or kept.relation == "references" and plan.relation != "references":
            unique[key] = plan
    return list(unique.values())


def _ends_with_clause(text: str) -> bool:
    body = text.rstrip(" 。.;")
    if not body or body[-1] not in ")]】":
        return False
    groups = bracket_groups(body, 0, len(body))
    if not groups or groups[-1][1] != len(body):
        return False
    inner = body[groups[-1][0] + 1:groups[-1][1] - 1]
    return bool(LABEL.search(inner)) or bool(re.search(r"牵头|负责|配合|参与|协办|协助", inner))


def _is_subheading(text: str) -> bool:
    return len(text) <= _SUBHEADING_MAX and not re.search(r"[。;,!?:、]", text) and not text.endswith(")")


def _title_end(norm: str, start: int, end: int) -> int:
    """A task's title is its first clause: up to 。;:!? or a line break; long first sentences stop at ",".

    A long line that breaks mid-sentence (a PDF's or a fixed-width text's hard wrap: …加快推进重大基 / 础设施建设。)
    goes on on the next line."""
    m = _TITLE_STOP.search(norm, start, end)
    while m is not None and m.group() == "\n" and _WRAPPED.match(norm, m.end()) and \
            m.start() - max(start, norm.rfind("\n", 0, m.start()) + 1) >= _WRAP_WIDTH:
        m = _TITLE_STOP.search(norm, m.end(), end)
    stop = m.start() if m else end
    if stop - start > 30:
        comma = norm.find(",", start, stop)
        if comma > start:
            stop = comma
    return stop


_TITLE_STOP = re.compile(r"[。;:!?\n]")
# A hard-wrapped line is long and the next one goes on with the sentence's words, not a bracket or an item.
_WRAP_WIDTH = 24
_WRAPPED = re.compile(r"[\u4e00-\u9fff]")


def parse_source(source: SourceText, *, jurisdiction: str | None = None,
                 registry: UnitRegistry | None = None) -> Document:
    """Parse one decoded document. Raises :class:`InputError` when it is not a key-task document."""
    if not source.text.strip():
        raise InputError(source.source, "empty document")
    return _Parser(source, jurisdiction, registry or UnitRegistry()).parse()

