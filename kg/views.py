"""Interactive HTML views: the graph, the co-responsibility network and the dependency graph.

The files are what gets shared in meetings, often on intranets without internet, so each is one
self-contained page: vis-network's script and stylesheet (from the installed pyvis package) are inlined,
and a Content-Security-Policy lets the page load nothing at all — only its own two scripts, identified by
their hashes, may run. pyvis builds the node and edge lists and the options; the page around them is
``kg/data/viz.html`` and ``kg/data/viz.js``, never pyvis' own template (which links Bootstrap from a CDN).

Text from the documents never becomes markup. The data travels as JSON inside
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, so no string can close the
element; the page builds tooltips as elements with ``textContent``, labels are drawn on a canvas, and
search results are ``Option`` texts. A unit named ``<img src=x onerror=…>`` shows as exactly that.

Views stay usable on large corpora through a node budget (:data:`MAX_NODES`, ``kg viz --max-nodes``):

* ``graph`` draws every document first, then whole sections and tasks with their units, plans, projects and
  targets in document order until the budget is spent; a note says how many tasks were left out and how to
  see them (``kg viz --focus UNIT``);
* ``units`` keeps the units with the heaviest weighted load (the overloaded ones first);
* ``deps`` keeps documents, plans and every task with a dependency edge, and drops tasks without one first.

Up to :data:`LAYOUT_THRESHOLD` nodes the browser lays the graph out (force-directed, or hierarchical for
``deps``) and then stops moving it. Larger graphs get positions computed here in O(n log n) — layered
columns for ``graph`` and ``deps``, rings around the heaviest unit of each component for ``units`` — and
physics is off, so a page of thousands of nodes opens at once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx

from kg import __version__
from kg.corpus import Corpus
from kg.errors import KgError
from kg.fsutil import atomic_write
from kg.model import Document, Span, Task, Unit
from kg.network import dependency_graph, task_key, unit_network
from kg.overload import overloaded
from kg.rdf import plan_key, scope_of
from kg.unit_load import unit_workload

VIEWS = ("graph", "units", "deps")
#: Nodes drawn at most per view unless ``max_nodes`` says otherwise (0 or None: no limit).
MAX_NODES = 2000
#: Above this many nodes, positions are computed in Python and the browser's physics is off.
LAYOUT_THRESHOLD = 300
#: The files ``kg build`` writes, and their views.
BUILD_VIEWS = {"graph.html": "graph", "units.html": "units", "deps.html": "deps"}

# --- styles -------------------------------------------------------------------------------------------

#: Node kinds: legend label, colour, vis-network shape, size, legend symbol.
NODE_STYLES: dict[str, tuple[str, str, str, int, str]] = {
    "document": ("document", "#4c72b0", "square", 22, "■"),
    "section": ("section", "#8172b2", "triangle", 14, "▲"),
    "task": ("task", "#55a868", "dot", 9, "●"),
    "unit": ("unit", "#dd8452", "diamond", 13, "◆"),
    "plan": ("plan 《》", "#c44e52", "hexagon", 13, "⬢"),
    "project": ("project", "#937860", "triangleDown", 9, "▼"),
    "target": ("target", "#da8bc3", "star", 9, "★"),
    "overloaded": ("overloaded unit", "#b00020", "diamond", 13, "◆"),
    "focus": ("focus unit", "#000000", "diamond", 24, "◆"),
}
#: Edge categories: legend label, colour, width, dashes, arrow.
EDGE_STYLES: dict[str, tuple[str, str, float, bool | list[int], str]] = {
    "lead": ("lead (牵头)", "#d62728", 3.0, False, "to"),
    "shared": ("shared (共同负责)", "#1f77b4", 2.0, False, "to"),
    "co": ("co (配合)", "#7f7f7f", 1.5, [6, 4], "to"),
    "contains": ("document → section → task", "#c7c7c7", 1.0, False, ""),
    "cites": ("cites a plan", "#c44e52", 1.0, [2, 4], "to"),
    "names": ("names a project or target", "#bbbbbb", 1.0, [2, 4], ""),
    "partners": ("shared tasks (width = how many)", "#9aa7b8", 1.0, False, ""),
    "lineage": ("plan lineage", "#8172b2", 2.0, False, "to"),
    "plan": ("task → task via a plan", "#c44e52", 2.5, False, "to"),
    "project": ("task → task via a project", "#937860", 1.5, [6, 4], "to"),
    "metric": ("task → task via a metric", "#17becf", 1.5, [6, 4], "to"),
    "in-document": ("task of a document (no dependency)", "#e2e2e2", 1.0, False, ""),
}
ROLE_WORDS = {"lead": "lead (牵头)", "shared": "shared (共同负责)", "co": "co (配合)"}
#: Columns of the precomputed layout of the ``graph`` view, left to right.
GRAPH_LAYERS = {"document": 0, "section": 1, "task": 2, "unit": 3, "focus": 3, "plan": 4, "project": 4, "target": 4}
#: What the page needs of each node and edge (everything else stays in Python).
NODE_FIELDS = ("label", "shape", "color", "size", "value", "borderWidth", "x", "y", "level", "cat", "tip")
EDGE_FIELDS = ("id", "color", "width", "value", "dashes", "arrows", "cat", "tip")


@dataclass
class ViewFile:
    """One written view: where, what it holds, and the notes shown on the page (``omitted``: what the node
    budget left out, also among ``notes``)."""

    path: Path
    view: str
    nodes: int
    edges: int
    notes: list[str] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)


#: What a view builder returns: the graph, notes on what the budget left out, other notes.
_Built = tuple[nx.MultiDiGraph, list[str], list[str]]

# --- small helpers ------------------------------------------------------------------------------------


def _short(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _tip(head: str, text: str = "", *meta: str | None) -> dict:
    """A tooltip as plain text: the page turns it into elements with textContent."""
    return {"head": head, "text": text, "meta": [m for m in meta if m]}


def _more(lines: list[str], limit: int = 8) -> list[str]:
    return lines if len(lines) <= limit else lines[:limit] + [f"… and {len(lines) - limit} more"]


def _doc_label(doc: Document) -> str:
    return doc.attachment_title or doc.title or Path(doc.source).name


def _documents(source: Corpus | Iterable[Document]) -> list[Document]:
    return list(source.documents if isinstance(source, Corpus) else source)


def _add_node(graph: nx.MultiDiGraph, node: str, kind: str, label: str, tip: dict, **extra) -> None:
    _, color, shape, size, _ = NODE_STYLES[kind]
    graph.add_node(node, cat=kind, label=label, shape=shape, color=color, size=size, tip=tip, **extra)


def _add_edge(graph: nx.MultiDiGraph, source: str, target: str, cat: str, tip: dict | None = None,
              **extra) -> None:
    _, color, width, dashes, arrows = EDGE_STYLES[cat]
    attrs = {"cat": cat, "color": color, "width": width, "dashes": dashes, "arrows": arrows, **extra}
    if tip:
        attrs["tip"] = tip
    graph.add_edge(source, target, **attrs)


def _clause(task: Task, span: Span) -> str:
    """The clause of a task that names a unit (责任单位:市科技局牵头负责): the quoted source of a role.

    Spans index the document's text; the task's own text starts at ``task.span.start``, so this works for
    documents read back from a build, which keep task texts but not the whole text.
    """
    text = task.text
    start, end = span.start - task.span.start, span.end - task.span.start
    if not 0 <= start <= end <= len(text):
        return ""
    left = max(text.rfind(ch, 0, start) for ch in "((【[;;。") + 1
    rights = [i for i in (text.find(ch, end) for ch in "))】];;。") if i >= 0]
    right = min(rights) if rights else len(text)
    return _short(text[left:right].strip(), 160)


# --- focus --------------------------------------------------------------------------------------------


def resolve_unit(source: Corpus | Iterable[Document], name: str) -> Unit:
    """The unit ``name`` means: a unit_id (泰安市/市商务局), a canonical name, or a name as written.

    Raises :class:`KgError` when no document names it or when it names units of several jurisdictions.
    """
    from kg.units import resolve_name

    units: dict[tuple[str, str], Unit] = {}
    for doc in _documents(source):
        for task in doc.tasks:
            for resp in task.responsibilities:
                units.setdefault(resp.unit.key, resp.unit)
    wanted = name.strip()
    jurisdiction, _, local = wanted.rpartition("/")
    candidates = [u for u in units.values() if not jurisdiction or u.jurisdiction == jurisdiction]
    matches = [u for u in candidates if u.name == local or local in u.aliases]
    if not matches:
        canonical = resolve_name(local).name
        matches = [u for u in candidates if u.name == canonical]
    if not matches:
        raise KgError(f"unknown unit {wanted!r}: no task here names it (`kg workload` lists the units)")
    if len(matches) > 1:
        raise KgError(f"unit {wanted!r} is ambiguous: give one of " + ", ".join(sorted(u.id for u in matches)))
    return matches[0]


# --- the graph view -----------------------------------------------------------------------------------


class _GraphView:
    """Documents, sections, tasks, units, plans, projects and targets, filled up to a node budget."""

    def __init__(self, limit: float, focus: Unit | None) -> None:
        self.g = nx.MultiDiGraph()
        self.limit = limit
        self.focus = focus
        self.unit_roles: dict[str, Counter] = defaultdict(Counter)
        self.plan_uses: dict[str, list[str]] = defaultdict(list)
        self.project_uses: dict[str, list[str]] = defaultdict(list)
        self.units: dict[str, Unit] = {}
        self.tasks_total: Counter = Counter()
        self.tasks_drawn: Counter = Counter()

    def room(self, count: int) -> bool:
        return self.g.number_of_nodes() + count <= self.limit

    def document(self, doc: Document) -> None:
        meta = [doc.title if doc.title != doc.attachment_title else None, doc.doc_number, doc.issuer,
                doc.signed_date or doc.published_date, doc.url, f"source: {doc.source}"]
        _add_node(self.g, f"doc:{doc.digest[:12]}", "document", _short(_doc_label(doc), 24),
                  _tip("Document", _doc_label(doc), *meta))

    def plan(self, title: str) -> str:
        node = f"plan:{plan_key(title)}"
        if node not in self.g:
            _add_node(self.g, node, "plan", _short(f"《{title}》", 22), _tip("Plan", f"《{title}》"))
        return node

    def sections(self, doc: Document) -> bool:
        missing = [s for s in doc.sections if self._section_id(doc, s.path) not in self.g]
        if not self.room(len(missing)):
            return False
        for section in missing:
            node = self._section_id(doc, section.path)
            _add_node(self.g, node, "section", _short(f"{section.label} {section.title}", 18),
                      _tip(f"Section {'.'.join(section.path)}", section.title, _doc_label(doc)))
            parent = self._section_id(doc, section.path[:-1]) if len(section.path) > 1 else None
            _add_edge(self.g, parent if parent in self.g else f"doc:{doc.digest[:12]}", node, "contains")
        return True

    @staticmethod
    def _section_id(doc: Document, path: tuple[str, ...]) -> str:
        return f"section:{doc.digest[:12]}:{'.'.join(path)}"

    def _needs(self, doc: Document, task: Task) -> int:
        """How many nodes drawing ``task`` adds."""
        new = {f"unit:{r.unit.id}" for r in task.responsibilities} | {f"plan:{plan_key(p.title)}" for p in task.plans}
        if self.focus is None:
            new |= {f"project:{scope_of(doc)}|{plan_key(p.name)}" for p in task.projects}
        return 1 + len(task.targets) + sum(1 for n in new if n not in self.g)

    def task(self, doc: Document, task: Task, sections: dict[tuple[str, ...], str]) -> bool:
        if not self.room(self._needs(doc, task)):
            return False
        node = task_key(doc, task)
        where = f"{_doc_label(doc)} · task {task.id}"
        roles = [f"{ROLE_WORDS[role]}: " + "、".join(r.unit.name for r in task.responsibilities if r.role == role)
                 for role in ROLE_WORDS if any(r.role == role for r in task.responsibilities)]
        section = sections.get(task.section_path, "")
        _add_node(self.g, node, "task", _short(f"{task.id} {task.title}", 18),
                  _tip(f"Task {task.id}" + (f" · {section}" if section else ""), task.text, *roles,
                       f"deadline: {task.deadline}" if task.deadline else None,
                       f"source: {_doc_label(doc)} ({doc.url or Path(doc.source).name}), characters "
                       f"{task.span.start}–{task.span.end}"))
        if self.focus is None:
            parent = self._section_id(doc, task.section_path)
            _add_edge(self.g, parent if parent in self.g else f"doc:{doc.digest[:12]}", node, "contains")
        for resp in task.responsibilities:
            unit = resp.unit
            unit_node = f"unit:{unit.id}"
            if unit_node not in self.g:
                kind = "focus" if self.focus is not None and unit.key == self.focus.key else "unit"
                _add_node(self.g, unit_node, kind, unit.name, {})
                self.units[unit_node] = unit
            self.unit_roles[unit_node][resp.role] += 1
            _add_edge(self.g, node, unit_node, resp.role,
                      _tip(f"{unit.name} — {ROLE_WORDS[resp.role]}", _clause(task, resp.span),
                           f"task {task.id}: {task.title}", f"written as: {resp.raw}", where))
        for plan in task.plans:
            plan_node = self.plan(plan.title)
            self.plan_uses[plan_node].append(f"task {task.id} {plan.relation} it ({plan.verb or plan.relation})")
            _add_edge(self.g, node, plan_node, "cites", _tip(f"{plan.relation}: 《{plan.title}》", plan.verb or "",
                                                               where))
        if self.focus is None:
            for project in task.projects:
                project_node = f"project:{scope_of(doc)}|{plan_key(project.name)}"
                if project_node not in self.g:
                    _add_node(self.g, project_node, "project", _short(project.name, 16),
                              _tip("Project", project.name))
                self.project_uses[project_node].append(f"{where}: {task.title}")
                _add_edge(self.g, node, project_node, "names")
        for index, target in enumerate(task.targets):
            value = f"{target.metric} {target.op} {target.value:g} {target.unit}".strip()
            target_node = f"target:{node}:{index}"
            _add_node(self.g, target_node, "target", _short(target.text, 16),
                      _tip("Target", target.text, value, f"by {target.deadline}" if target.deadline else None,
                           f"{where}: {task.title}"))
            _add_edge(self.g, node, target_node, "names")
        self.tasks_drawn[doc.digest] += 1
        return True

    def finish(self, documents: list[Document]) -> None:
        """Tooltips that depend on everything drawn: units' roles, plans' and projects' citing tasks."""
        for node, roles in self.unit_roles.items():
            unit = self.units[node]
            counts = ", ".join(f"{role} {roles[role]}" for role in ROLE_WORDS if roles[role])
            self.g.nodes[node]["tip"] = _tip(unit.name, "", unit.id, unit.en, f"kind: {unit.kind}",
                                             "written as: " + "、".join(sorted(unit.aliases)) if unit.aliases else None,
                                             f"tasks drawn here: {counts}")
        for uses_of in (self.plan_uses, self.project_uses):
            for node, uses in uses_of.items():
                self.g.nodes[node]["tip"]["meta"] = _more(uses)
        for doc in documents:
            node = f"doc:{doc.digest[:12]}"
            if node in self.g:
                drawn, total = self.tasks_drawn[doc.digest], self.tasks_total[doc.digest]
                self.g.nodes[node]["tip"]["meta"].append(f"{total} tasks" if drawn == total
                                                         else f"{total} tasks, {drawn} drawn")


def _graph_view(documents: list[Document], focus: Unit | None, limit: float) -> _Built:
    view = _GraphView(limit, focus)
    if focus is None:
        # Every document first: even a capped view shows the whole corpus and which plans it cites.
        for doc in documents:
            if view.room(1):
                view.document(doc)
        for doc in documents:
            doc_node = f"doc:{doc.digest[:12]}"
            for ref in doc.references:
                if doc_node in view.g and (f"plan:{plan_key(ref.title)}" in view.g or view.room(1)):
                    plan_node = view.plan(ref.title)
                    view.plan_uses[plan_node].append(f"{_doc_label(doc)} {ref.relation} it")
                    _add_edge(view.g, doc_node, plan_node, "cites", _tip(f"{ref.relation}: 《{ref.title}》",
                                                                         ref.verb or "", _doc_label(doc)))
    stopped = False  # tasks are drawn in document order until the first that does not fit
    for doc in documents:
        tasks = [t for t in doc.tasks
                 if focus is None or any(r.unit.key == focus.key for r in t.responsibilities)]
        view.tasks_total[doc.digest] = len(tasks)
        if stopped or not tasks:
            continue
        if focus is None and (f"doc:{doc.digest[:12]}" not in view.g or not view.sections(doc)):
            stopped = True
            continue
        titles = {s.path: s.title for s in doc.sections}
        for task in tasks:
            if not view.task(doc, task, titles):
                stopped = True
                break
    view.finish(documents)
    omitted = []
    drawn, total = sum(view.tasks_drawn.values()), sum(view.tasks_total.values())
    if drawn < total:
        omitted.append(f"Showing {drawn:,} of {total:,} tasks: this view draws at most {limit:,.0f} nodes. "
                     "See one unit's tasks, partners, plans and targets with `kg viz --focus UNIT`, one "
                     "document with `kg viz FILE`, or draw more with `kg viz --max-nodes N`.")
    shown = sum(1 for d in documents if f"doc:{d.digest[:12]}" in view.g)
    if focus is None and shown < len(documents):
        omitted.append(f"Only the first {shown:,} of {len(documents):,} documents are drawn.")
    return view.g, omitted, []


# --- the units view -----------------------------------------------------------------------------------


def _units_view(documents: list[Document], focus: Unit | None, limit: float,
                workload_rows: list[dict] | None = None) -> _Built:
    rows = unit_workload(documents) if workload_rows is None else workload_rows
    network = unit_network(documents, rows)
    flagged = {row["unit_id"]: row for row in overloaded(documents, workload_rows=rows)}
    units = {r.unit.id: r.unit for doc in documents for t in doc.tasks for r in t.responsibilities}
    keep = list(network.nodes)
    if focus is not None:
        keep = [focus.id, *sorted(network.neighbors(focus.id))]
    keep.sort(key=lambda n: (n != (focus.id if focus else None), -network.nodes[n]["weighted"], n))
    omitted, notes = [], []
    if len(keep) > limit:
        omitted.append(f"Showing the {limit:,.0f} units with the heaviest weighted load of {len(keep):,}; "
                     "see one unit's partners with `kg viz --view units --focus UNIT`, or draw more with "
                     "`--max-nodes N`.")
        keep = keep[: int(limit)]
    several = len({units[n].jurisdiction for n in keep if n in units}) > 1
    g = nx.MultiDiGraph()
    for node in keep:
        data = network.nodes[node]
        unit = units.get(node)
        row = flagged.get(node)
        kind = "focus" if focus is not None and node == focus.id else "overloaded" if row else "unit"
        counts = f"lead {data['lead']} · shared {data['shared']} · co {data['co']} · {data['total']} tasks"
        tip = _tip(data["label"], f"Overloaded: {row['reason']}" if row else "", node,
                   f"kind: {data['kind']}",
                   "written as: " + "、".join(sorted(unit.aliases)) if unit and unit.aliases else None,
                   counts, f"weighted load {data['weighted']:g}", f"{network.degree(node)} partner units",
                   f"threshold {row['threshold']:g} (median {row['median']:g})" if row else None)
        _add_node(g, f"unit:{node}", kind, node if several else data["label"], tip,
                  value=max(float(data["weighted"]), 0.1), borderWidth=3 if row else 1)
    for a, b, data in network.subgraph(keep).edges(data=True):
        weight = data.get("weight", 1)
        _add_edge(g, f"unit:{a}", f"unit:{b}", "partners",
                  _tip(f"{network.nodes[a]['label']} — {network.nodes[b]['label']}",
                       f"{weight} shared task{'s' if weight != 1 else ''}"), value=weight)
    if flagged:
        any_row = next(iter(flagged.values()))
        notes.append(f"{len(flagged):,} overloaded unit{'s' if len(flagged) != 1 else ''} (red): weighted load "
                     f"above {any_row['threshold']:g}, the median plus 3 × 1.4826 × MAD; `kg overloaded` "
                     "explains each. Node size is the weighted load, edge width the number of shared tasks.")
    return g, omitted, notes


# --- the deps view ------------------------------------------------------------------------------------


def _deps_view(documents: list[Document], focus: Unit | None, limit: float) -> _Built:
    deps = dependency_graph(documents)
    linked: set[str] = set()
    counts: Counter = Counter()  # of the whole graph, or of the focus unit's tasks
    for a, b, kind in deps.edges(data="kind"):
        linked.update((a, b))
        counts[kind] += 1
    if focus is not None:
        own = {task_key(doc, t) for doc in documents for t in doc.tasks
               if any(r.unit.key == focus.key for r in t.responsibilities)}
        near = set(own)
        for node in own:
            near.update(deps.predecessors(node))
            near.update(deps.successors(node))
        near |= {deps.nodes[n]["document"] for n in near if deps.nodes[n].get("kind") == "task"}
        order = [n for n in deps if n in near]
        counts = Counter(kind for a, b, kind in deps.edges(near, data="kind") if a in own or b in own)
    else:
        order = list(deps)
    omitted = []
    if len(order) > limit:
        # Documents, plans, tasks with a dependency edge, then the others, each in graph order; the tail goes.
        groups: dict[int, list[str]] = defaultdict(list)
        for node in order:
            kind = deps.nodes[node]["kind"]
            groups[{"document": 0, "plan": 1}.get(kind, 2 if node in linked else 3)].append(node)
        ordered = [n for rank in sorted(groups) for n in groups[rank]]
        dropped = ordered[int(limit):]
        lone = sum(1 for n in dropped if n not in linked and deps.nodes[n]["kind"] == "task")
        omitted.append(f"Not drawn ({limit:,.0f}-node budget): {lone:,} tasks without a dependency edge"
                     + (f" and {len(dropped) - lone:,} other nodes" if len(dropped) > lone else "")
                     + "; see one unit's tasks with `kg viz --view deps --focus UNIT`.")
        keep = set(ordered[: int(limit)])
        order = [n for n in order if n in keep]
    kept = set(order)
    g = nx.MultiDiGraph()
    for node in order:
        data = deps.nodes[node]
        kind = data.get("kind", "task")
        if kind == "task":
            doc_label = deps.nodes[data["document"]].get("label", "")
            tip = _tip(f"Task {data['task_id']}", data.get("text", ""), f"{doc_label} · task {data['task_id']}")
            _add_node(g, node, "task", _short(data.get("label", node), 18), tip)
        elif kind == "document":
            _add_node(g, node, "document", _short(data.get("label", node), 24), _tip("Document", data.get("label", "")))
        else:
            _add_node(g, node, "plan", _short(data.get("label", node), 22), _tip("Plan", data.get("label", "")))
    for a, b, data in deps.subgraph(kept).edges(data=True):
        kind = data["kind"]
        why = data.get("relation") or data.get("plan") or data.get("via") or ""
        _add_edge(g, a, b, kind, _tip(f"{EDGE_STYLES[kind][0]}: {why}".rstrip(": "),
                                      f"{deps.nodes[a].get('label', a)} → {deps.nodes[b].get('label', b)}"))
    # Tasks hang under their document, so the hierarchy stays readable when few tasks depend on others.
    for node in order:
        document = deps.nodes[node].get("document")
        if document in kept and not any(d["kind"] != "lineage" and source in kept
                                        for source, _, d in deps.in_edges(node, data=True)):
            _add_edge(g, document, node, "in-document")
    between = counts["plan"] + counts["project"] + counts["metric"]
    summary = (f"{sum(counts.values()):,} dependency edges: {counts['lineage']:,} of plan lineage, {between:,} "
               f"between tasks ({counts['plan']:,} via plans, {counts['project']:,} via projects, "
               f"{counts['metric']:,} via metrics).")
    if between == 0:
        summary += (" No task depends on another by the evidence kg uses (a plan one task issues and another "
                    "implements, a shared project or metric); grey lines only place each task under its document.")
    return g, omitted, [summary]


# --- layout -------------------------------------------------------------------------------------------


def _layered_positions(graph: nx.MultiDiGraph, layers: dict[str, int], dx: float = 320.0, dy: float = 30.0,
                       wrap: float = 170.0) -> dict[str, tuple[float, float]]:
    """Layers left to right; within a layer, nodes ordered by the mean rank of their neighbours in earlier
    layers (one barycentre sweep). A layer too long for the page wraps into several columns ``wrap`` apart,
    so the drawing stays near 16:10 however many documents there are. O(n log n + edges)."""
    columns: dict[int, list[str]] = defaultdict(list)
    for node in graph:
        columns[layers[node]].append(node)
    longest = max((len(c) for c in columns.values()), default=1)
    rows = min(longest, max(20, math.ceil(math.sqrt(graph.number_of_nodes() * wrap / (1.6 * dy)))))
    rank: dict[str, float] = {}  # place within its layer, 0 to 1: what later layers line up with

    def centre(node: str) -> float:
        seen = [rank[n] for n in nx.all_neighbors(graph, node) if n in rank]
        return sum(seen) / len(seen) if seen else math.inf

    positions: dict[str, tuple[float, float]] = {}
    x = 0.0
    for layer in sorted(columns):
        nodes = columns[layer]
        if rank:
            nodes = [n for _, _, n in sorted((centre(n), i, n) for i, n in enumerate(nodes))]
        wraps = math.ceil(len(nodes) / rows)
        per_column = math.ceil(len(nodes) / wraps)
        step = rows * dy / per_column
        for index, node in enumerate(nodes):
            column, row = divmod(index, per_column)
            rank[node] = index / len(nodes)
            positions[node] = (x + column * wrap, (row + 0.5) * step - rows * dy / 2)
        x += (wraps - 1) * wrap + dx
    return positions


def _levels(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Longest-path levels (cycles collapsed): sources left, what depends on them to the right."""
    dag = nx.condensation(nx.DiGraph(graph))
    level: dict[int, int] = {}
    for component in nx.topological_sort(dag):
        level[component] = max((level[p] + 1 for p in dag.predecessors(component)), default=0)
    mapping = dag.graph["mapping"]
    return {node: level[mapping[node]] for node in graph}


def _radial_positions(graph: nx.MultiDiGraph, weight: dict[str, float], gap: float = 140.0,
                      spacing: float = 70.0) -> dict[str, tuple[float, float]]:
    """Each component in rings around its heaviest node (breadth-first distance, children near their
    parent's angle); components packed in rows, largest first. O(n log n + edges)."""
    undirected = nx.Graph(graph)
    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(c)))
    placed: list[tuple[dict[str, tuple[float, float]], float]] = []
    for component in components:
        root = max(component, key=lambda n: (weight.get(n, 0.0), n))
        angle = {root: 0.0}
        local = {root: (0.0, 0.0)}
        ring, radius, seen = [root], 0.0, {root}
        while ring:
            children: list[tuple[float, float, str]] = []
            for parent in ring:
                for child in sorted(undirected[parent], key=lambda n: (-weight.get(n, 0.0), n)):
                    if child not in seen:
                        seen.add(child)
                        children.append((angle[parent], -weight.get(child, 0.0), child))
            if not children:
                break
            children.sort()
            radius = max(radius + gap, len(children) * spacing / (2 * math.pi))
            for index, (_, _, child) in enumerate(children):
                angle[child] = 2 * math.pi * index / len(children)
                local[child] = (radius * math.cos(angle[child]), radius * math.sin(angle[child]))
            ring = [c for *_, c in children]
        placed.append((local, radius + gap / 2))
    row_width = max(math.sqrt(sum((2 * r) ** 2 for _, r in placed)) * 1.2, max((2 * r for _, r in placed),
                                                                                default=0.0))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for local, r in placed:
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + r + px, y + r + py)
        x += 2 * r
        row_height = max(row_height, 2 * r)
    return positions


def _lay_out(graph: nx.MultiDiGraph, view: str) -> str:
    """Set positions on large graphs; return how the page lays out: physics, hierarchical or positions."""
    if graph.number_of_nodes() <= LAYOUT_THRESHOLD:
        if view != "deps":
            return "physics"
        # Levels from here: vis-network's own ("sortMethod: directed") throws on some forests of small trees.
        for node, level in _levels(graph).items():
            graph.nodes[node]["level"] = level
        return "hierarchical"
    if view == "units":
        positions = _radial_positions(graph, {n: d.get("value", 0.0) for n, d in graph.nodes(data=True)})
    elif view == "deps":
        positions = _layered_positions(graph, _levels(graph), dx=300.0, dy=26.0)
    else:
        positions = _layered_positions(graph, {n: GRAPH_LAYERS[d["cat"]] for n, d in graph.nodes(data=True)})
    for node, (x, y) in positions.items():
        graph.nodes[node]["x"], graph.nodes[node]["y"] = round(x, 1), round(y, 1)
    return "positions"


def _options(layout: str, nodes: int) -> dict:
    large = layout == "positions"
    options: dict = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": nodes > LAYOUT_THRESHOLD,
                        "multiselect": True},
        "nodes": {"font": {"size": 12, "face": "system-ui, sans-serif"}, "borderWidth": 1,
                  "scaling": {"min": 8, "max": 44, "label": {"enabled": True, "min": 11, "max": 22}}},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "scaling": {"min": 1, "max": 10}, "selectionWidth": 2},
        "physics": {"enabled": layout == "physics", "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 90},
                    "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True}},
    }
    if layout == "hierarchical":
        options["layout"]["hierarchical"] = {"enabled": True, "direction": "LR", "levelSeparation": 300,
                                             "nodeSpacing": 34, "treeSpacing": 60}
        options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal",
                                      "roundness": 0.4}
    return options


# --- the view graph -----------------------------------------------------------------------------------


def view_graph(source: Corpus | Iterable[Document], view: str = "graph", *, focus: str | Unit | None = None,
               max_nodes: int | None = MAX_NODES, workload_rows: list[dict] | None = None) -> nx.MultiDiGraph:
    """The graph a view draws: every node and edge on the page, with its style, tooltip and position.

    ``graph.graph`` holds the page's title, notes (``omitted``: what the budget left out), legend and layout.
    ``max_nodes`` of 0 or None draws all. ``workload_rows``: :func:`kg.unit_load.unit_workload` of the same
    documents when the caller has it already (a build does), so that it is not counted twice.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: choose {', '.join(VIEWS)}")
    documents = _documents(source)
    unit = resolve_unit(documents, focus) if isinstance(focus, str) else focus
    limit = max_nodes if max_nodes else math.inf
    if view == "units":
        graph, omitted, notes = _units_view(documents, unit, limit, workload_rows)
    else:
        graph, omitted, notes = {"graph": _graph_view, "deps": _deps_view}[view](documents, unit, limit)
    notes = omitted + notes
    layout = _lay_out(graph, view)
    if layout == "positions":
        notes.append(f"{graph.number_of_nodes():,} nodes: positions are computed beforehand and fixed "
                     "(no physics); zoom with the wheel, search above.")
    subject = _doc_label(documents[0]) if len(documents) == 1 else f"{len(documents):,} documents"
    what = {"graph": "knowledge graph", "units": "co-responsibility network",
            "deps": "task dependencies and plan lineage"}[view]
    graph.graph.update(view=view, layout=layout, notes=notes, omitted=omitted, legend=_legend(graph),
                       title=f"{subject} · {what}" + (f" · {unit.name}" if unit else ""))
    return graph


def _legend(graph: nx.MultiDiGraph) -> list[dict]:
    nodes = Counter(d["cat"] for _, d in graph.nodes(data=True))
    edges = Counter(d["cat"] for *_, d in graph.edges(data=True))
    legend = [{"cat": cat, "target": "node", "label": label, "color": graph.nodes[next(
        n for n, d in graph.nodes(data=True) if d["cat"] == cat)]["color"], "symbol": symbol, "count": nodes[cat]}
              for cat, (label, _, _, _, symbol) in NODE_STYLES.items() if nodes[cat]]
    legend += [{"cat": cat, "target": "edge", "label": label, "color": color,
                "symbol": "┅┅" if dashes else "━━", "count": edges[cat]}
               for cat, (label, color, _, dashes, _) in EDGE_STYLES.items() if edges[cat]]
    return legend


# --- the page -----------------------------------------------------------------------------------------


class _IdIndex(list):
    """pyvis keeps node ids in a list and searches it on every add_node and add_edge — quadratic, 0.75 s
    for 4,000 nodes and 12,000 edges. A set beside the list makes each test constant-time."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item) -> bool:
        return item in self._members


def vis_data(graph: nx.MultiDiGraph) -> tuple[list[dict], list[dict], dict]:
    """vis-network's nodes, edges and options, built with pyvis."""
    from pyvis.network import Network

    net = Network(directed=True)  # directed: pyvis would scan every edge for a duplicate otherwise
    net.node_ids = _IdIndex()
    for node, data in graph.nodes(data=True):
        net.add_node(node, **{k: data[k] for k in NODE_FIELDS if k in data})
    for index, (source, target, data) in enumerate(graph.edges(data=True)):
        net.add_edge(source, target, id=f"e{index}", **{k: data[k] for k in EDGE_FIELDS if k in data})
    net.options = _options(graph.graph.get("layout", "physics"), graph.number_of_nodes())
    nodes, edges, *_, options = net.get_network_data()
    return nodes, edges, json.loads(options)


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, as pyvis ships them."""
    root = resources.files("pyvis")
    for folder in ("templates/lib/vis-9.1.2", "lib/vis-9.1.2"):
        script, style = root / folder / "vis-network.min.js", root / folder / "vis-network.css"
        if script.is_file() and style.is_file():
            return script.read_text("utf-8"), style.read_text("utf-8")
    raise KgError("vis-network is missing from the installed pyvis package (reinstall pyvis>=0.3.2)")


@cache
def _page_assets() -> tuple[str, str]:
    data = resources.files("kg.data")
    return data.joinpath("viz.html").read_text("utf-8"), data.joinpath("viz.js").read_text("utf-8")


def _inline(code: str, tag: str) -> str:
    """Code that cannot end its own element or open an HTML comment."""
    code = re.sub(rf"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


def _script_json(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(graph: nx.MultiDiGraph) -> str:
    """The self-contained page of a view graph (see :func:`view_graph`)."""
    nodes, edges, options = vis_data(graph)
    vis_js, vis_css = _vis_assets()
    template, app_js = _page_assets()
    vis_js, app_js, vis_css = _inline(vis_js, "script"), _inline(app_js, "script"), _inline(vis_css, "style")
    csp = (f"default-src 'none'; script-src {_sha256(vis_js)} {_sha256(app_js)}; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = {
        "csp": csp,
        "version": __version__,
        "title": html.escape(graph.graph.get("title", "kg"), quote=True),
        "vis_css": vis_css,
        "vis_js": vis_js,
        "app_js": app_js,
        "data": _script_json({"view": graph.graph.get("view"), "nodes": nodes, "edges": edges, "options": options,
                              "legend": graph.graph.get("legend", []), "notes": graph.graph.get("notes", [])}),
    }
    # One pass over the template: text substituted in is never scanned for placeholders again.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def write_view(source: Corpus | Iterable[Document], out: str | Path, view: str = "graph", *,
               focus: str | Unit | None = None, max_nodes: int | None = MAX_NODES,
               workload_rows: list[dict] | None = None) -> ViewFile:
    """Write one view as a UTF-8 HTML file (atomically) and say what it holds."""
    graph = view_graph(source, view, focus=focus, max_nodes=max_nodes, workload_rows=workload_rows)
    atomic_write(out, render_html(graph))
    return ViewFile(Path(out), view, graph.number_of_nodes(), graph.number_of_edges(), graph.graph["notes"],
                    graph.graph["omitted"])


def write_build_views(corpus: Corpus, folder: str | Path, workload_rows: list[dict] | None = None) -> list[ViewFile]:
    """graph.html, units.html and deps.html of a build, each within the default node budget."""
    return [write_view(corpus, Path(folder) / name, view, workload_rows=workload_rows)
            for name, view in BUILD_VIEWS.items()]
