"""Networks for analysis: units linked by shared tasks, and tasks linked by explicit dependencies.

*Co-responsibility network*: one node per unit, an edge between two units for every task naming both,
weighted by the number of such tasks. Degree, weighted degree and betweenness centrality find the
coordination hubs.

*Dependency graph*: task → task edges only where the text gives evidence —

* ``plan``: task A must issue, draft or revise plan P, and task B implements or cites P;
* ``project``: two tasks name the same project (earlier → later in document order);
* ``metric``: two tasks set targets on the same metric (earlier → later);

plus the plan lineage: a plan → each document that implements or cites it, and a document → the plan it
publishes (when that plan is cited elsewhere), so 《国务院…意见》 → 三年行动计划 → 2023年重点工作任务 reads
down the chain. Every edge points the same way: from what must exist first to what builds on it (A's
plan before B). Cycles among the directed ``plan`` and lineage edges are reported: they mean two tasks
each wait for the other's plan.
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from kg.model import Document, Task
from kg.rdf import plan_key
from kg.text import simplify
from kg.unit_load import unit_workload

ISSUING = ("issues", "drafts", "revises")
USING = ("implements", "references")


def unit_network(documents: Iterable[Document], workload_rows: list[dict] | None = None) -> nx.Graph:
    """Units as nodes (with workload attributes), shared tasks as weighted edges.

    ``workload_rows`` (from :func:`kg.unit_load.unit_workload`) saves computing them again.
    """
    documents = list(documents)
    graph = nx.Graph()
    for row in workload_rows if workload_rows is not None else unit_workload(documents):
        graph.add_node(row["unit_id"], label=row["unit"], kind=row["kind"], lead=row["lead"], shared=row["shared"],
                       co=row["co"], total=row["total"], weighted=row["weighted"])
    for doc in documents:
        for task in doc.tasks:
            ids = sorted({r.unit.id for r in task.responsibilities})
            for a, b in combinations(ids, 2):
                if graph.has_edge(a, b):
                    graph[a][b]["weight"] += 1
                else:
                    graph.add_edge(a, b, weight=1)
    return graph


def centrality(graph: nx.Graph) -> list[dict]:
    """Coordination hubs: degree, weighted degree and betweenness of each unit, hubs first."""
    if graph.number_of_nodes() == 0:
        return []
    betweenness = nx.betweenness_centrality(graph, normalized=True) if graph.number_of_nodes() <= 3000 else \
        nx.betweenness_centrality(graph, k=min(500, graph.number_of_nodes()), normalized=True, seed=7)
    rows = []
    for node, data in graph.nodes(data=True):
        rows.append({
            "unit": data.get("label", node),
            "unit_id": node,
            "partners": graph.degree(node),
            "shared_tasks": int(graph.degree(node, weight="weight")),
            "betweenness": round(betweenness.get(node, 0.0), 4),
            "weighted": data.get("weighted", 0.0),
        })
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["shared_tasks"], r["unit_id"]))


def task_key(doc: Document, task: Task) -> str:
    """Node id of a task in the dependency graph (the views use the same ids)."""
    return f"{doc.digest[:12]}:{task.id}"


def _metric_key(metric: str) -> str:
    text = simplify(metric)
    text = re.sub(r"^(全市|全区|全县|新增|累计|年度|力争|确保)+", "", text)
    return re.sub(r"[\s“”\"'()]", "", text)


def dependency_graph(documents: Iterable[Document]) -> nx.MultiDiGraph:
    """Tasks, documents and plans as nodes; evidence-based dependencies as typed edges."""
    documents = list(documents)
    graph = nx.MultiDiGraph()
    issuers: dict[str, list[str]] = defaultdict(list)  # plan key → tasks that issue/draft/revise it
    users: dict[str, list[str]] = defaultdict(list)  # plan key → tasks that implement/cite it
    projects: dict[str, list[str]] = defaultdict(list)
    metrics: dict[str, list[str]] = defaultdict(list)
    plan_titles: dict[str, str] = {}
    publishers: dict[str, str] = {}
    for doc in documents:
        doc_node = f"doc:{doc.digest[:12]}"
        graph.add_node(doc_node, kind="document", label=doc.attachment_title or doc.title or doc.source)
        if doc.attachment_title:
            publishers[plan_key(doc.attachment_title)] = doc_node
        for ref in doc.references:
            key = plan_key(ref.title)
            plan_titles.setdefault(key, ref.title)
            if ref.relation in USING:
                graph.add_edge(f"plan:{key}", doc_node, kind="lineage", relation=ref.relation)
        scope = doc.jurisdiction or doc.digest
        for task in doc.tasks:
            node = task_key(doc, task)
            graph.add_node(node, kind="task", label=f"{task.id} {task.title}", document=doc_node, task_id=task.id,
                           title=task.title, text=task.text)
            for plan in task.plans:
                key = plan_key(plan.title)
                plan_titles.setdefault(key, plan.title)
                (issuers if plan.relation in ISSUING else users)[key].append(node)
            for project in task.projects:
                projects[f"{scope}|{plan_key(project.name)}"].append(node)
            for target in task.targets:
                key = _metric_key(target.metric)
                if len(key) >= 2:
                    metrics[f"{scope}|{key}"].append(node)
    for key, title in plan_titles.items():
        graph.add_node(f"plan:{key}", kind="plan", label=f"《{title}》")
    # A plan published by a document of the graph: the document comes first, then what builds on its plan.
    for key, doc_node in publishers.items():
        if f"plan:{key}" in graph:
            graph.add_edge(doc_node, f"plan:{key}", kind="lineage", relation="publishes")
    for key, sources in issuers.items():
        for source in dict.fromkeys(sources):
            for target in dict.fromkeys(users.get(key, [])):
                if source != target:
                    graph.add_edge(source, target, kind="plan", plan=plan_titles[key])
    for kind, groups in (("project", projects), ("metric", metrics)):
        for key, nodes in groups.items():
            nodes = list(dict.fromkeys(nodes))
            for a, b in zip(nodes, nodes[1:], strict=False):
                graph.add_edge(a, b, kind=kind, via=key.split("|", 1)[1])
    return graph


def dependency_cycles(graph: nx.MultiDiGraph, limit: int = 100) -> list[list[str]]:
    """Cycles among the directed plan and lineage edges (project and metric links are symmetric)."""
    directed = nx.DiGraph()
    directed.add_edges_from((u, v) for u, v, data in graph.edges(data=True) if data["kind"] in ("plan", "lineage"))
    cycles = []
    for cycle in nx.simple_cycles(directed):
        cycles.append(cycle)
        if len(cycles) >= limit:
            break
    return cycles


def edge_rows(graph: nx.Graph | nx.MultiDiGraph) -> list[dict]:
    """Edges as rows (source, target and their labels, plus edge attributes)."""
    rows = []
    edges = graph.edges(data=True)
    for u, v, data in edges:
        row = {"source": u, "source_label": graph.nodes[u].get("label", u), "target": v,
               "target_label": graph.nodes[v].get("label", v)}
        row.update({k: val for k, val in data.items()})
        rows.append(row)
    return rows


def export(graph: nx.Graph | nx.MultiDiGraph, fmt: str) -> str:
    """The graph as GraphML or GEXF text (node and edge attributes kept)."""
    clean = graph.copy()
    for _, data in clean.nodes(data=True):
        for key, value in list(data.items()):
            if value is None:
                del data[key]
            elif isinstance(value, (list, dict)):
                data[key] = json.dumps(value, ensure_ascii=False)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(clean, buffer, encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {fmt!r}")
    return buffer.getvalue().decode("utf-8")
