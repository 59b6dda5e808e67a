"""Loading into a real Neo4j 5.26 (tests/servers.py): idempotent, replacing, atomic, clearable, safe errors.

One server per session (conftest ``neo4j_server``); ``neo4j_db`` empties its database before each test.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KgError
from kg.iri import Minter
from kg.jsonio import document_to_dict
from kg.model import Document, Responsibility, Section, Span, Task, Unit
from kg.neo4j_store import Neo4jLoader, Neo4jSettings, load_corpus_into_neo4j, run_cypher
from kg.property_graph import property_graph
from kg.rdf import document_iri
from kg.vocab import DEFAULT_BASE_IRI
from servers import free_port

pytestmark = pytest.mark.neo4j

#: kg's graph of the sample: 1 document, 11 sections, 80 tasks, 63 targets, 40 units, 14 plans, 60 projects.
SAMPLE_NODES = 269
SAMPLE_RELATIONSHIPS = 366
SAMPLE_INVENTORY = {
    ("node", "Document"): 1, ("node", "Section"): 11, ("node", "Task"): 80, ("node", "Target"): 63,
    ("node", "Unit"): 40, ("node", "Plan"): 14, ("node", "Project"): 60,
    ("relationship", "PART_OF"): 91, ("relationship", "HAS_TARGET"): 63, ("relationship", "RESPONSIBLE_FOR"): 137,
    ("relationship", "CITES"): 14, ("relationship", "PUBLISHES"): 1, ("relationship", "MENTIONS"): 60,
}
#: Task 1 of the sample names two units; the changed sample drops 市科协, which no other task names.
TASK_1_UNITS = "(责任单位:市科协、市科技局按职责分工负责)"
TASK_1_CHANGED = "(责任单位:市科技局按职责分工负责)"


def kg(args: list[str], env: dict[str, str] | None = None):
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def json_rows(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def dump(settings: Neo4jSettings) -> tuple[list[str], list[str]]:
    """Every node and relationship in the database, as sorted JSON lines (to compare whole graphs)."""
    _, nodes = run_cypher("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", {}, **vars_of(settings))
    _, rels = run_cypher("MATCH (a)-[r]->(b) RETURN a.uri AS a, type(r) AS type, b.uri AS b, properties(r) AS props",
                         {}, **vars_of(settings))
    return (sorted(json.dumps(n, ensure_ascii=False, sort_keys=True) for n in nodes),
            sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rels))


def vars_of(settings: Neo4jSettings) -> dict:
    return {"uri": settings.uri, "user": settings.user, "password": settings.password, "database": settings.database}


@pytest.fixture
def changed_sample(tmp_path: Path, sample_file: Path) -> Path:
    text = sample_file.read_text("utf-8")
    assert text.count(TASK_1_UNITS) == 1
    path = tmp_path / "changed" / sample_file.name
    path.parent.mkdir()
    path.write_text(text.replace(TASK_1_UNITS, TASK_1_CHANGED), encoding="utf-8")
    return path


# --- loading ------------------------------------------------------------------------------------------


def test_loading_twice_changes_nothing(neo4j_db, neo4j_env, sample_build):
    first = json_rows(kg(["neo4j", "load", "--graph", str(sample_build), "--format", "json"], neo4j_env))
    assert {k: first[0][k] for k in ("documents", "unchanged", "nodes", "relationships")} == {
        "documents": 1, "unchanged": 0, "nodes": SAMPLE_NODES, "relationships": SAMPLE_RELATIONSHIPS}
    before = dump(neo4j_db)
    assert len(before[0]) == SAMPLE_NODES and len(before[1]) == SAMPLE_RELATIONSHIPS

    second = json_rows(kg(["neo4j", "load", "--graph", str(sample_build), "--format", "json"], neo4j_env))
    assert {k: second[0][k] for k in ("documents", "unchanged", "nodes", "relationships")} == {
        "documents": 0, "unchanged": 1, "nodes": SAMPLE_NODES, "relationships": SAMPLE_RELATIONSHIPS}
    assert dump(neo4j_db) == before

    forced = json_rows(kg(["neo4j", "load", "--graph", str(sample_build), "--force", "--format", "json"], neo4j_env))
    assert (forced[0]["documents"], forced[0]["nodes"], forced[0]["relationships"]) == (
        1, SAMPLE_NODES, SAMPLE_RELATIONSHIPS)
    assert dump(neo4j_db) == before

    status = json_rows(kg(["neo4j", "status", "--format", "json"], neo4j_env))
    assert {(r["kind"], r["name"]): r["count"] for r in status} == SAMPLE_INVENTORY


def test_nodes_keep_iris_and_both_languages(neo4j_db, neo4j_env, sample_build):
    kg(["neo4j", "load", "--graph", str(sample_build)], neo4j_env)
    _, rows = run_cypher("MATCH (u:Unit {name: $name}) RETURN u.uri AS uri, u.name_en AS en, u.unit_id AS id, "
                         "u.aliases AS aliases", {"name": "市商务局"}, **vars_of(neo4j_db))
    assert rows == [{"uri": DEFAULT_BASE_IRI + "unit/泰安市/市商务局", "en": "Municipal Bureau of Commerce",
                     "id": "泰安市/市商务局", "aliases": ["市商务局"]}]
    _, docs = run_cypher("MATCH (d:Document) RETURN d.uri AS uri, d.signed_date AS signed", {}, **vars_of(neo4j_db))
    manifest = json.loads((sample_build / "manifest.json").read_text("utf-8"))
    assert docs == [{"uri": manifest["documents"][0]["iri"], "signed": "2022-12-28"}]
    _, dated = run_cypher("MATCH (d:Document) WHERE d.signed_date < date('2023-01-01') RETURN count(d) AS n", {},
                          **vars_of(neo4j_db))
    assert dated == [{"n": 1}]  # a native Neo4j date, not text


def test_paths_and_the_build_give_the_same_graph(neo4j_db, neo4j_env, sample_build, sample_file):
    kg(["neo4j", "load", "--graph", str(sample_build)], neo4j_env)
    from_build_graph = dump(neo4j_db)
    assert json_rows(kg(["neo4j", "clear", "--format", "json"], neo4j_env)) == [
        {"nodes": SAMPLE_NODES, "relationships": SAMPLE_RELATIONSHIPS}]
    assert dump(neo4j_db) == ([], [])
    loaded = json_rows(kg(["neo4j", "load", str(sample_file), "--format", "json"], neo4j_env))
    assert loaded[0]["documents"] == 1
    assert dump(neo4j_db) == from_build_graph


def test_no_arguments_load_the_sample(neo4j_db, neo4j_env):
    rows = json_rows(kg(["neo4j", "load", "--format", "json"], neo4j_env))
    assert (rows[0]["nodes"], rows[0]["relationships"]) == (SAMPLE_NODES, SAMPLE_RELATIONSHIPS)


def test_reloading_a_changed_document_replaces_it(neo4j_db, neo4j_env, sample_file, changed_sample):
    kg(["neo4j", "load", str(sample_file)], neo4j_env)
    rows = json_rows(kg(["neo4j", "load", str(changed_sample), "--format", "json"], neo4j_env))
    assert (rows[0]["documents"], rows[0]["unchanged"]) == (1, 0)
    assert (rows[0]["nodes"], rows[0]["relationships"]) == (SAMPLE_NODES - 1, SAMPLE_RELATIONSHIPS - 1)
    replaced = dump(neo4j_db)

    _, task_1 = run_cypher("MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task {task_id: '1'}) RETURN u.name AS unit, "
                           "r.role AS role", {}, **vars_of(neo4j_db))
    assert task_1 == [{"unit": "市科技局", "role": "shared"}]
    _, gone = run_cypher("MATCH (u:Unit {name: '市科协'}) RETURN count(u) AS n", {}, **vars_of(neo4j_db))
    assert gone == [{"n": 0}]  # nothing points at it any more

    # The replaced graph is exactly what a fresh load of the changed document gives: no stale edges.
    run_cypher("MATCH (n) DETACH DELETE n", {}, **vars_of(neo4j_db))
    kg(["neo4j", "load", str(changed_sample)], neo4j_env)
    assert dump(neo4j_db) == replaced


def test_a_failed_load_leaves_the_previous_version(neo4j_db, sample_file, changed_sample):
    from kg.corpus import load_corpus

    load_corpus_into_neo4j(load_corpus([sample_file]), neo4j_db)
    before = dump(neo4j_db)
    graph = property_graph(load_corpus([changed_sample]).documents, Minter())
    # The last relationships written point at a task that does not exist: the transaction fails late,
    # after the old version was deleted and most of the new one written.
    mentions = graph.documents[0].relationships[("MENTIONS", "Task", "Project")]
    mentions.append({**mentions[-1], "from": mentions[-1]["from"] + "/missing"})
    with Neo4jLoader(neo4j_db) as loader, pytest.raises(KgError, match="MENTIONS relationships"):
        loader.load(graph)
    assert dump(neo4j_db) == before


def test_clear_removes_only_what_kg_loaded(neo4j_db, neo4j_env, sample_build):
    mine = ("CREATE (:Unit {uri: 'urn:mine', name: '市商务局'}), (:Task {title: 'my own task'}), "
            "(:Note {text: 'keep'})-[:ABOUT]->(:Note {text: 'me'})")
    kg(["neo4j", "load", "--graph", str(sample_build)], neo4j_env)
    run_cypher(mine, {}, **vars_of(neo4j_db))
    removed = json_rows(kg(["neo4j", "clear", "--format", "json"], neo4j_env))
    assert removed == [{"nodes": SAMPLE_NODES, "relationships": SAMPLE_RELATIONSHIPS}]
    nodes, rels = dump(neo4j_db)
    assert len(nodes) == 4 and len(rels) == 1

    assert json_rows(kg(["neo4j", "clear", "--schema", "--format", "json"], neo4j_env)) == [
        {"nodes": 0, "relationships": 0, "schema": 10}]
    _, left = run_cypher("SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'kg_' RETURN name", {},
                         **vars_of(neo4j_db))
    assert left == []


def test_the_library_entry_point_for_benchmarks(neo4j_db, sample_doc):
    result = load_corpus_into_neo4j([sample_doc], neo4j_db, batch_size=7)  # tiny batches: many per document
    assert (result.documents, result.nodes, result.relationships) == (1, SAMPLE_NODES, SAMPLE_RELATIONSHIPS)
    assert result.seconds > 0
    assert load_corpus_into_neo4j([sample_doc], neo4j_db).unchanged == 1


def test_routing_uri_scheme_works_against_a_single_server(neo4j_db, neo4j_env, sample_build):
    env = {**neo4j_env, "NEO4J_URI": neo4j_db.uri.replace("bolt://", "neo4j://")}
    rows = json_rows(kg(["neo4j", "load", "--graph", str(sample_build), "--format", "json"], env))
    assert rows[0]["nodes"] == SAMPLE_NODES
    via_routing = kg(["query", "workload", "--backend", "neo4j", "--format", "json"], env)
    via_sparql = kg(["query", "workload", "-g", str(sample_build), "--format", "json"])
    assert via_routing.exit_code == 0, via_routing.output
    assert via_routing.stdout == via_sparql.stdout


# --- parameters are bound, never pasted ---------------------------------------------------------------

NASTY = "市'商\"务\\局 $unit {x}\n}) MATCH (n) DETACH DELETE n //"


def nasty_build(folder: Path) -> Path:
    """A build folder (documents.json + manifest.json) whose one unit has a name full of Cypher syntax."""
    unit = Unit(name=NASTY, jurisdiction="测试市", kind="other", aliases={NASTY})
    task = Task(path=("一", "1"), title="一项任务", text="一项任务。", span=Span(10, 15), id="1", section_path=("一",),
                responsibilities=[Responsibility(unit=unit, role="lead", raw=NASTY, span=Span(12, 14))])
    doc = Document(source="nasty.txt", text="", digest="0" * 64, title="测试通知", attachment_title="测试任务",
                   doc_number="测试〔2024〕1号", issuer="测试办", jurisdiction="测试市",
                   sections=[Section(path=("一",), title="总则", span=Span(0, 9))], tasks=[task])
    folder.mkdir(parents=True)
    (folder / "documents.json").write_text(json.dumps({"documents": [document_to_dict(doc)]}, ensure_ascii=False),
                                           encoding="utf-8")
    manifest = {"base_iri": DEFAULT_BASE_IRI, "documents": [{"iri": document_iri(doc, Minter())}]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


def test_parameters_are_bound_stored_and_returned_verbatim(neo4j_db, neo4j_env, tmp_path):
    folder = nasty_build(tmp_path / "nasty")
    assert json_rows(kg(["neo4j", "load", "--graph", str(folder), "--format", "json"], neo4j_env))[0]["nodes"] == 5
    _, stored = run_cypher("MATCH (u:Unit) RETURN u.name AS name, u.aliases AS aliases", {}, **vars_of(neo4j_db))
    assert stored == [{"name": NASTY, "aliases": [NASTY]}]
    expected = [{"document": "测试任务", "task_id": "1", "title": "一项任务", "role": "lead", "deadline": ""}]
    for backend in ("neo4j", "embedded"):
        result = kg(["query", "unit-tasks", "--param", f"unit={NASTY}", "--backend", backend, "-g", str(folder),
                     "--format", "json"], neo4j_env)
        assert json_rows(result) == expected, backend
    units = json_rows(kg(["query", "-e", "MATCH (u:Unit) RETURN u.unit_id AS id", "--backend", "neo4j",
                          "--format", "json"], neo4j_env))
    assert units == [{"id": f"测试市/{NASTY}"}]  # and nothing was deleted


# --- errors name the setting to fix and never show the password ---------------------------------------

COMMANDS = {
    "load": ["neo4j", "load", "--format", "json"],
    "query": ["query", "workload", "--backend", "neo4j"],
    "clear": ["neo4j", "clear"],
}


def _bad_settings(neo4j_env: dict[str, str], problem: str) -> tuple[dict[str, str], str]:
    if problem == "password":
        return {**neo4j_env, "NEO4J_PASSWORD": neo4j_env["NEO4J_PASSWORD"] + "-wrong"}, "NEO4J_PASSWORD"
    if problem == "no password":
        return {**neo4j_env, "NEO4J_PASSWORD": ""}, "NEO4J_PASSWORD"
    if problem == "port":
        return {**neo4j_env, "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}, "NEO4J_URI"
    if problem == "scheme":
        return {**neo4j_env, "NEO4J_URI": "http://127.0.0.1:7474"}, "NEO4J_URI"
    return {**neo4j_env, "NEO4J_DATABASE": "nosuchdb"}, "NEO4J_DATABASE"


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("problem", ["password", "no password", "port", "scheme", "database"])
def test_connection_errors_are_one_line_naming_the_setting(neo4j_env, command, problem, caplog):
    caplog.set_level(logging.DEBUG, logger="neo4j")
    env, setting = _bad_settings(neo4j_env, problem)
    result = kg(COMMANDS[command], env)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and setting in lines[0], result.stderr
    password = neo4j_env["NEO4J_PASSWORD"]
    assert password not in result.output and password not in caplog.text
    if env["NEO4J_PASSWORD"]:
        assert env["NEO4J_PASSWORD"] not in result.output and env["NEO4J_PASSWORD"] not in caplog.text


def test_cypher_errors_are_one_line(neo4j_env):
    result = kg(["query", "-e", "MATCH (n RETURN n", "--backend", "neo4j"], neo4j_env)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "Neo4j:" in result.stderr


def test_settings_never_show_the_password():
    settings = Neo4jSettings(uri="bolt://127.0.0.1:1", password="s3cret-pw")
    assert "s3cret-pw" not in repr(settings) and "s3cret-pw" not in str(settings)


def test_named_queries_agree_on_a_corpus_of_many_documents(neo4j_db, tmp_path_factory):
    """Twelve documents from several cities: shared units, plans published by one and cited by another."""
    from conftest import CORPUS, GENRE
    from kg.build import build
    from kg.named_queries import load_queries
    from kg.property_graph import from_build
    from kg.querying import QuerySpec, run

    folder = tmp_path_factory.mktemp("corpus") / "kg-out"
    build([CORPUS, GENRE], folder, keep_going=True, views=False)
    result = load_corpus_into_neo4j(from_build(folder), neo4j_db)
    assert result.documents >= 10
    # Documents that share a title (several fixtures are 某市2024年重点工作任务分解): each task is still a row.
    titles = [d["attachment_title"] or d["title"] for d in json.loads((folder / "documents.json").read_text("utf-8"))["documents"]]
    assert len(titles) > len(set(titles))
    queries = load_queries()
    cases = [(name, {}) for name in queries if not queries[name].params] + [
        ("unit-tasks", {"unit": unit}) for unit in ("市发展改革委", "区发改局")]
    for name, params in cases:
        spec = QuerySpec(named=queries[name])
        expected = run(spec, params=params, graph=folder)[1]
        assert expected, name
        assert run(spec, backend="neo4j", params=params, neo4j=vars_of(neo4j_db))[1] == expected, name
        assert run(spec, backend="embedded", params=params, graph=folder)[1] == expected, name
