"""HTML views: what each view draws, escaping, --focus, the node budget, self-contained files, kg build/viz.

The browser itself is exercised in test_views_browser.py; here the pages are read as text and their embedded
data parsed back.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CORPUS
from kg.cli import main
from kg.corpus import Corpus, load_corpus
from kg.errors import KgError
from kg.model import Document, PlanReference, Responsibility, Unit
from kg.network import dependency_graph, unit_network
from kg.overload import overloaded
from kg.rdf import plan_key, scope_of
from kg.views import (
    BUILD_VIEWS,
    LAYOUT_THRESHOLD,
    MAX_NODES,
    render_html,
    resolve_unit,
    view_graph,
    write_view,
)

#: A name no page may turn into markup; if it ran, it would set window.__pwned.
HOSTILE = "<img src=x onerror=window.__pwned=1><script>window.__pwned=1</script>"
HOSTILE_PLAN = "</script><script>window.__pwned=1</script><!--"


def hostile_documents(doc: Document) -> list[Document]:
    """The sample with a unit, a task text, a section, a plan and the titles carrying markup and script."""
    first = doc.tasks[0]
    unit = Unit(name=HOSTILE, jurisdiction=doc.jurisdiction or "", kind="other", aliases={HOSTILE})
    span = first.responsibilities[0].span
    task = dataclasses.replace(
        first, text=first.text + HOSTILE,
        responsibilities=[*first.responsibilities, Responsibility(unit, "lead", HOSTILE, span)],
        plans=[*first.plans, PlanReference(HOSTILE_PLAN, "implements", span)])
    section = dataclasses.replace(doc.sections[0], title=HOSTILE)
    return [dataclasses.replace(doc, title=HOSTILE, attachment_title=HOSTILE, tasks=[task, *doc.tasks[1:]],
                                sections=[section, *doc.sections[1:]])]


def synthetic_corpus(doc: Document, copies: int) -> Corpus:
    """``copies`` of the sample, each from its own city (so units, projects and sections never merge)."""
    corpus = Corpus()
    for index in range(copies):
        place = f"测试{index}市"
        units: dict[tuple[str, str], Unit] = {}
        tasks = []
        for task in doc.tasks:
            responsibilities = []
            for r in task.responsibilities:
                unit = units.setdefault(r.unit.key, Unit(r.unit.name, place, r.unit.kind, r.unit.en, r.unit.known,
                                                         set(r.unit.aliases)))
                responsibilities.append(dataclasses.replace(r, unit=unit))
            tasks.append(dataclasses.replace(task, responsibilities=responsibilities))
        corpus.adopt(dataclasses.replace(doc, tasks=tasks, jurisdiction=place, source=f"copy{index}.txt",
                                         digest=f"{index:012d}{doc.digest[12:]}"))
    return corpus


def page_data(page: str) -> dict:
    """The JSON a page draws from."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no embedded data"
    return json.loads(match.group(1))


def cats(graph) -> Counter:
    return Counter(data["cat"] for _, data in graph.nodes(data=True))


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def doc(corpus) -> Document:
    return corpus.documents[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from kg.build import build

    out = tmp_path_factory.mktemp("views") / "kg-out"
    build([], out, views=True)
    return out


# --- what each view draws -----------------------------------------------------------------------------


def test_graph_view_of_the_sample_draws_every_node_of_every_kind(corpus, doc):
    graph = view_graph(corpus, "graph")
    plans = {plan_key(p.title) for t in doc.tasks for p in t.plans} | {plan_key(r.title) for r in doc.references}
    projects = {(scope_of(doc), plan_key(p.name)) for t in doc.tasks for p in t.projects}
    assert cats(graph) == {"document": 1, "section": 11, "task": 80, "unit": 40, "plan": len(plans),
                           "project": len(projects), "target": sum(len(t.targets) for t in doc.tasks)}
    assert graph.number_of_nodes() < LAYOUT_THRESHOLD and graph.graph["layout"] == "physics"
    assert graph.graph["omitted"] == []
    roles = Counter(data["cat"] for *_, data in graph.edges(data=True) if data["cat"] in ("lead", "shared", "co"))
    assert roles == Counter(r.role for t in doc.tasks for r in t.responsibilities)


def test_tooltips_carry_the_task_text_the_role_and_the_quoted_clause(corpus, doc):
    graph = view_graph(corpus, "graph")
    task = doc.tasks[2]
    node = graph.nodes[f"{doc.digest[:12]}:{task.id}"]
    assert node["tip"]["text"] == task.text
    assert node["label"].startswith(f"{task.id} ")
    lead = [d["tip"] for u, v, d in graph.edges(data=True) if u == f"{doc.digest[:12]}:{task.id}" and d["cat"] == "lead"]
    assert lead == [{"head": "市科技局 — lead (牵头)", "text": "责任单位:市科技局牵头负责",
                     "meta": ["task 3: 加快建设泰山创新谷", "written as: 市科技局",
                              f"{doc.attachment_title} · task 3"]}]


def test_units_view_sizes_by_weighted_load_and_highlights_the_overloaded(corpus):
    graph = view_graph(corpus, "units")
    network = unit_network(corpus.documents)
    flagged = {row["unit_id"] for row in overloaded(corpus.documents)}
    assert graph.number_of_nodes() == network.number_of_nodes() == 40
    assert graph.number_of_edges() == network.number_of_edges()
    assert {n.removeprefix("unit:") for n, d in graph.nodes(data=True) if d["cat"] == "overloaded"} == flagged
    assert flagged and graph.nodes["unit:泰安市/市商务局"]["value"] == network.nodes["泰安市/市商务局"]["weighted"]
    assert [e for e in graph.graph["legend"] if e["cat"] == "overloaded"][0]["count"] == len(flagged)
    widths = {(u, v): d["value"] for u, v, d in graph.edges(data=True)}
    a, b, weight = max(network.edges(data="weight"), key=lambda e: e[2])
    assert widths.get((f"unit:{a}", f"unit:{b}"), widths.get((f"unit:{b}", f"unit:{a}"))) == weight


def test_deps_view_shows_the_dependency_graph_hierarchically_and_says_how_few_edges_there_are(corpus):
    graph = view_graph(corpus, "deps")
    deps = dependency_graph(corpus.documents)
    assert set(graph.nodes) == set(deps.nodes)
    assert cats(graph) == {"document": 1, "task": 80, "plan": 14}
    kinds = Counter(d["cat"] for *_, d in graph.edges(data=True))
    assert kinds == {"lineage": 3, "in-document": 80}
    assert graph.graph["layout"] == "hierarchical"
    levels = {n: d["level"] for n, d in graph.nodes(data=True)}  # computed here, not by vis-network
    assert all(levels[a] < levels[b] for a, b in graph.edges())
    assert graph.graph["notes"][0].startswith("3 dependency edges: 3 of plan lineage, 0 between tasks")


def test_several_documents_keep_units_of_one_jurisdiction_together():
    corpus = load_corpus([CORPUS / "02_xianan_2023.txt", CORPUS / "05_caidian_2023.txt"])
    graph = view_graph(corpus, "graph")
    assert cats(graph)["document"] == 2
    assert cats(graph)["task"] == sum(len(d.tasks) for d in corpus.documents)
    assert cats(graph)["unit"] == len({r.unit.key for d in corpus.documents for t in d.tasks
                                       for r in t.responsibilities})
    assert graph.graph["title"] == "2 documents · knowledge graph"


# --- escaping -----------------------------------------------------------------------------------------


class Tags(HTMLParser):
    """The elements and attributes of a page as a browser's tokenizer sees them (script content is text)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.attributes: set[str] = set()
        self.title = ""
        self._in_title = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.attributes.update(name for name, _ in attrs)
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "div", "input", "select", "span",
             "script"}


@pytest.mark.parametrize("view", BUILD_VIEWS.values())
def test_text_from_documents_never_becomes_markup(doc, view):
    page = render_html(view_graph(hostile_documents(doc), view))
    tags = Tags(page)
    assert set(tags.tags) <= PAGE_TAGS and tags.tags["script"] == 3  # the data, vis-network, the page's own
    assert not {a for a in tags.attributes if a.startswith("on") or a in ("src", "href")}
    assert HOSTILE not in page and HOSTILE_PLAN not in page
    nodes = page_data(page)["nodes"]  # parsed back, the names are intact: the page shows them as text
    if view != "deps":
        assert HOSTILE in [n["label"] for n in nodes]
    assert any(HOSTILE in json.dumps(n["tip"], ensure_ascii=False) for n in nodes)


def test_the_title_is_escaped(doc):
    page = render_html(view_graph(hostile_documents(doc), "graph"))
    assert Tags(page).title == f"{HOSTILE} · knowledge graph"
    assert "<title>&lt;img src=x onerror=" in page


def test_inline_scripts_are_the_only_ones_allowed_to_run(corpus):
    page = render_html(view_graph(corpus, "units"))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "{{" not in page


# --- focus --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["泰安市/市商务局", "市商务局", "市发改委", "泰安市/市发展改革委"])
def test_focus_accepts_a_unit_id_a_canonical_name_or_a_name_as_written(corpus, name):
    unit = resolve_unit(corpus, name)
    assert unit.id in ("泰安市/市商务局", "泰安市/市发展改革委")


def test_focus_draws_one_units_tasks_partners_plans_and_targets(corpus, doc):
    graph = view_graph(corpus, "graph", focus="市商务局")
    own = [t for t in doc.tasks if any(r.unit.name == "市商务局" for r in t.responsibilities)]
    assert cats(graph)["focus"] == 1 and cats(graph)["task"] == len(own)
    assert cats(graph)["target"] == sum(len(t.targets) for t in own)
    assert cats(graph)["unit"] == len({r.unit.key for t in own for r in t.responsibilities}) - 1
    assert not {"document", "section", "project"} & set(cats(graph))
    assert graph.graph["title"].endswith("· 市商务局")
    units = view_graph(corpus, "units", focus="市商务局")
    assert set(units.nodes) == {"unit:泰安市/市商务局"} | {f"unit:{n}" for n in
                                                          unit_network(corpus.documents)["泰安市/市商务局"]}
    deps = view_graph(corpus, "deps", focus="市商务局")
    assert cats(deps)["task"] == len(own)


def test_unknown_or_ambiguous_unit_is_an_error(corpus):
    with pytest.raises(KgError, match="unknown unit '市不存在局'"):
        resolve_unit(corpus, "市不存在局")
    two = synthetic_corpus(corpus.documents[0], 2)
    with pytest.raises(KgError, match="ambiguous: give one of 测试0市/市商务局, 测试1市/市商务局"):
        resolve_unit(two, "市商务局")
    assert resolve_unit(two, "测试1市/市商务局").jurisdiction == "测试1市"


# --- large corpora ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(doc) -> Corpus:
    return synthetic_corpus(doc, 12)


@pytest.mark.parametrize("view", BUILD_VIEWS.values())
def test_large_graphs_get_positions_beforehand_and_no_physics(large, view):
    graph = view_graph(large, view)
    assert LAYOUT_THRESHOLD < graph.number_of_nodes() <= MAX_NODES
    assert graph.graph["layout"] == "positions"
    assert all("x" in d and "y" in d for _, d in graph.nodes(data=True))
    assert len({(d["x"], d["y"]) for _, d in graph.nodes(data=True)}) == graph.number_of_nodes()
    options = page_data(render_html(graph))["options"]
    assert options["physics"]["enabled"] is False and "hierarchical" not in options["layout"]


def test_a_capped_graph_view_says_what_it_left_out(large):
    graph = view_graph(large, "graph")
    assert cats(graph)["document"] == 12 and 0 < cats(graph)["task"] < 12 * 80
    assert graph.graph["omitted"][0].startswith(f"Showing {cats(graph)['task']:,} of 960 tasks")
    assert "kg viz --focus UNIT" in graph.graph["omitted"][0]
    everything = view_graph(large, "graph", max_nodes=0)
    assert cats(everything)["task"] == 960 and everything.graph["omitted"] == []


def test_capped_units_and_deps_views_keep_what_matters(large):
    units = view_graph(large, "units", max_nodes=50)
    weights = sorted((d["weighted"] for _, d in unit_network(large.documents).nodes(data=True)), reverse=True)
    assert sorted((d["value"] for _, d in units.nodes(data=True)), reverse=True) == weights[:50]
    assert units.graph["omitted"][0].startswith("Showing the 50 units with the heaviest weighted load of 480")
    deps = view_graph(large, "deps", max_nodes=100)
    assert deps.number_of_nodes() == 100 and cats(deps)["document"] == 12
    assert all(d["cat"] != "task" for _, d in deps.nodes(data=True)) or cats(deps)["plan"] == 14
    assert "tasks without a dependency edge" in deps.graph["omitted"][0]


# --- files: kg build and kg viz -----------------------------------------------------------------------

LINK = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=""", re.I)
REMOTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_build_writes_three_self_contained_views_holding_all_80_tasks(built, doc):
    for name in BUILD_VIEWS:
        page = (built / name).read_text("utf-8")
        assert not REMOTE.search(page) and not LINK.search(page), name
        assert page.startswith("<!doctype html>") and '<meta charset="utf-8">' in page
    tasks = [n for n in page_data((built / "graph.html").read_text("utf-8"))["nodes"] if n["cat"] == "task"]
    assert sorted(n["tip"]["text"] for n in tasks) == sorted(t.text for t in doc.tasks)
    deps = [n for n in page_data((built / "deps.html").read_text("utf-8"))["nodes"] if n["cat"] == "task"]
    assert len(deps) == 80


@pytest.mark.parametrize(("flags", "pages"), [([], sorted(BUILD_VIEWS)), (["--no-views"], [])])
def test_kg_build_writes_the_views_unless_told_not_to(tmp_path, flags, pages):
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), *flags])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == pages


def test_kg_viz_prints_the_file_and_its_size(tmp_path, corpus):
    out = tmp_path / "view.html"
    result = CliRunner().invoke(main, ["viz", "--view", "units", "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = view_graph(corpus, "units")
    assert result.output == f"wrote {out}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges\n"
    assert len(page_data(out.read_text("utf-8"))["nodes"]) == 40


def test_kg_viz_reads_a_build_folder_and_focuses(built, tmp_path):
    out = tmp_path / "focus.html"
    result = CliRunner().invoke(main, ["viz", "--graph", str(built), "--focus", "泰安市/市商务局", "-o", str(out)])
    assert result.exit_code == 0, result.output
    nodes = page_data(out.read_text("utf-8"))["nodes"]
    lead = [n for n in nodes if n["cat"] == "focus"]
    assert [n["label"] for n in lead] == ["市商务局"]


def test_kg_viz_unknown_unit_is_one_line_and_exit_1(tmp_path):
    result = CliRunner().invoke(main, ["viz", "--focus", "市不存在局", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: unknown unit '市不存在局': no task here names it (`kg workload` lists the units)"]
    assert not (tmp_path / "x.html").exists()


def test_kg_viz_warns_when_the_budget_leaves_tasks_out(tmp_path):
    result = CliRunner().invoke(main, ["viz", "--max-nodes", "100", "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 0
    assert "warning: Showing " in result.output and "of 80 tasks" in result.output


def test_write_view_is_utf8_and_atomic(tmp_path, corpus):
    target = tmp_path / "sub" / "g.html"
    view = write_view(corpus, target, "deps")
    assert view.path == target and view.nodes == 95
    assert "泰安市" in target.read_bytes().decode("utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["g.html"]
