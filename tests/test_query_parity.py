"""One graph, one set of answers: the property graph mirrors the RDF graph, and every named query returns the
same rows from SPARQL (Oxigraph), Neo4j (a real server) and embedded Cypher (Kùzu) on the sample."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.corpus import load_corpus
from kg.cypher_embedded import DATABASE_FILE, EMBEDDED_DIR, STAMP_FILE
from kg.iri import Minter
from kg.named_queries import load_queries
from kg.neo4j_store import Neo4jSettings, load_corpus_into_neo4j
from kg.property_graph import (
    DOCUMENT_LABELS,
    NODE_PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    SHARED_LABELS,
    document_iris,
    from_build,
    property_graph,
)
from kg.querying import QuerySpec, run
from kg.resources import queries_dir
from kg.store import open_store

QUERIES = load_queries()
CASES = [(name, {}) for name in sorted(QUERIES) if not QUERIES[name].params] + [
    ("unit-tasks", {"unit": unit}) for unit in ("市商务局", "泰安市/市发展改革委", "市科协", "no such unit")]
IDS = [name + ("" if not params else f"[{params['unit']}]") for name, params in CASES]
#: Named queries the embedded engine cannot run, with the reason. Kùzu runs them all as written.
EMBEDDED_UNSUPPORTED: dict[str, str] = {}


def rows(name: str, params: dict, backend: str, graph: Path, neo4j: dict | None = None) -> list[dict]:
    return run(QuerySpec(named=QUERIES[name]), backend=backend, params=params, graph=graph, neo4j=neo4j)[1]


@pytest.fixture(scope="module")
def sparql(sample_build) -> dict[str, list[dict]]:
    return {i: rows(name, params, "sparql", sample_build) for i, (name, params) in zip(IDS, CASES, strict=True)}


@pytest.fixture(scope="module")
def neo4j_sample(neo4j_server, sample_build) -> dict:
    """The session's Neo4j, emptied, holding the sample (loaded once for this module)."""
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")
    settings = Neo4jSettings(uri=neo4j_server.uri, user=neo4j_server.user, password=neo4j_server.password)
    load_corpus_into_neo4j(from_build(sample_build), settings)
    return {"uri": settings.uri, "user": settings.user, "password": settings.password, "database": settings.database}


# --- the named queries ---------------------------------------------------------------------------------


def _header(path: Path) -> dict[str, str]:
    header = {}
    for line in path.read_text("utf-8").splitlines():
        stripped = line.lstrip("#/ ").strip()
        for key in ("name", "purpose", "params", "columns"):
            if stripped.startswith(key + ":"):
                header[key] = stripped[len(key) + 1:].strip()
    return header


def test_every_sparql_query_has_a_cypher_twin_with_the_same_header():
    sparql_files = sorted(queries_dir().glob("*.rq"))
    assert len(sparql_files) >= 7
    for rq in sparql_files:
        cypher = rq.with_suffix(".cypher")
        assert cypher.exists(), f"{cypher.name} is missing"
        assert _header(cypher) == _header(rq), cypher.name


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_embedded_cypher_answers_like_sparql(sample_build, sparql, name, params):
    if name in EMBEDDED_UNSUPPORTED:
        pytest.skip(f"embedded engine cannot run {name}: {EMBEDDED_UNSUPPORTED[name]}")
    key = IDS[CASES.index((name, params))]
    assert rows(name, params, "embedded", sample_build) == sparql[key]


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_neo4j_answers_like_sparql(sample_build, sparql, neo4j_sample, name, params):
    key = IDS[CASES.index((name, params))]
    assert rows(name, params, "neo4j", sample_build, neo4j_sample) == sparql[key]


def test_pinned_workload_rows_on_every_backend_that_runs(sample_build, sparql):
    for backend_rows in (sparql["workload"], rows("workload", {}, "embedded", sample_build)):
        by_unit = {r["unit"]: r for r in backend_rows}
        assert by_unit["市商务局"] == {"unit": "市商务局", "unit_id": "泰安市/市商务局", "lead": 8, "shared": 2, "co": 0,
                                     "total": 10}
        assert by_unit["市发展改革委"] == {"unit": "市发展改革委", "unit_id": "泰安市/市发展改革委", "lead": 3,
                                        "shared": 9, "co": 0, "total": 12}
    values = [r["value"] for r in sparql["targets-by-unit"]]
    assert 700 in values and 3.2 in values and all(type(v) in (int, float) for v in values)


@pytest.mark.neo4j
def test_cli_json_is_identical_across_backends(sample_build, neo4j_sample):
    env = {"NEO4J_URI": neo4j_sample["uri"], "NEO4J_USERNAME": neo4j_sample["user"],
           "NEO4J_PASSWORD": neo4j_sample["password"], "NEO4J_DATABASE": neo4j_sample["database"]}
    runner = CliRunner()
    outputs = {}
    for backend in ("sparql", "neo4j", "embedded"):
        result = runner.invoke(main, ["query", "workload", "--backend", backend, "-g", str(sample_build),
                                      "--format", "json"], env=env)
        assert result.exit_code == 0, result.output
        outputs[backend] = result.stdout
    assert outputs["neo4j"] == outputs["sparql"] == outputs["embedded"]
    assert len(json.loads(outputs["neo4j"])) == 40


# --- the property graph mirrors the RDF graph ----------------------------------------------------------

RDF_CLASSES = {
    "Document": "https://w3id.org/keytasks/ontology#Document", "Section": "https://w3id.org/keytasks/ontology#Section",
    "Task": "https://w3id.org/keytasks/ontology#Task", "Unit": "http://www.w3.org/ns/org#Organization",
    "Plan": "https://w3id.org/keytasks/ontology#Plan", "Project": "https://w3id.org/keytasks/ontology#Project",
}


def test_every_node_has_the_iri_of_its_rdf_resource(sample_build):
    graph = from_build(sample_build)
    store = open_store(sample_build)
    for label, rdf_class in RDF_CLASSES.items():
        rdf = {str(s["s"].value) for s in store.query(f"SELECT ?s WHERE {{ ?s a <{rdf_class}> }}")}
        if label in SHARED_LABELS:
            mine = set(graph.shared.nodes[label])
        else:
            mine = {row["uri"] for d in graph.documents for row in d.nodes[label]}
        assert mine == rdf, label
    targets = {str(s["t"].value) for s in store.query(
        "SELECT ?t WHERE { ?x <https://w3id.org/keytasks/ontology#hasTarget> ?t }")}
    assert {row["uri"] for d in graph.documents for row in d.nodes["Target"]} == targets
    facts = {str(s["r"].value) for s in store.query(
        "SELECT ?r WHERE { ?x <https://w3id.org/keytasks/ontology#hasResponsibility>"
        "|<https://w3id.org/keytasks/ontology#hasPlanReference> ?r }")}
    mine = {r["props"]["uri"] for d in graph.documents for rel in d.relationships.values() for r in rel
            if "uri" in r["props"]}
    assert mine == facts


_PY_TYPES = {"string": str, "int": int, "float": float, "bool": bool, "date": dt.date, "string[]": list}


def test_rows_follow_the_declared_schema(sample_build):
    graph = from_build(sample_build)
    checked = 0
    for d in graph.documents:
        for label in DOCUMENT_LABELS:
            for row in d.nodes[label]:
                for key, value in row.items():
                    assert isinstance(value, _PY_TYPES[NODE_PROPERTIES[label][key]]), (label, key)
                    checked += 1
        for (kind, _, _), rels in d.relationships.items():
            for rel in rels:
                for key, value in rel["props"].items():
                    assert isinstance(value, _PY_TYPES[RELATIONSHIP_PROPERTIES[kind][key]]), (kind, key)
    for label in SHARED_LABELS:
        for row in graph.shared.rows(label):
            for key, value in row.items():
                assert isinstance(value, _PY_TYPES[NODE_PROPERTIES[label][key]]), (label, key)
    assert checked > 1000


def test_fingerprints_and_document_iris(sample_doc, tmp_path, sample_file):
    minter = Minter()
    again = load_corpus([sample_file]).documents[0]
    assert property_graph([sample_doc], minter).documents[0].fingerprint == \
        property_graph([again], minter).documents[0].fingerprint
    again.tasks[0].title += "(改)"
    assert property_graph([sample_doc], minter).documents[0].fingerprint != \
        property_graph([again], minter).documents[0].fingerprint
    # kg build's rule: the same text twice is one document; same number, other text gets a ~digest suffix.
    again.digest = "f" * 64
    iris = document_iris([sample_doc, sample_doc, again], minter)
    assert iris[1] is None and iris[2] == f"{iris[0]}~ffffffff"
    assert len(property_graph([sample_doc, sample_doc, again], minter).documents) == 2


# --- the embedded engine --------------------------------------------------------------------------------


def test_embedded_database_is_cached_and_rebuilt_when_documents_change(sample_build, tmp_path):
    folder = tmp_path / "build"
    shutil.copytree(sample_build, folder, ignore=shutil.ignore_patterns(EMBEDDED_DIR))
    query = QuerySpec(text='MATCH (t:Task) WHERE t.task_id = "1" RETURN t.title AS title', language="cypher")
    assert run(query, backend="embedded", graph=folder)[1] == [{"title": "加快创新型城市建设"}]
    database = folder / EMBEDDED_DIR / DATABASE_FILE
    stamp = json.loads((folder / EMBEDDED_DIR / STAMP_FILE).read_text("utf-8"))
    assert stamp["engine"].startswith("kuzu ")
    built = database.stat().st_mtime_ns
    run(query, backend="embedded", graph=folder)
    assert database.stat().st_mtime_ns == built  # reused, not rebuilt

    data = json.loads((folder / "documents.json").read_text("utf-8"))
    data["documents"][0]["tasks"][0]["title"] = "改过的标题"
    (folder / "documents.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run(query, backend="embedded", graph=folder)[1] == [{"title": "改过的标题"}]


@pytest.mark.parametrize("text", ["MATCH (n RETURN n", 'MATCH (p:Plan) SET p.title = "y"',
                                  "MATCH (n:NoSuchLabel) RETURN n"])
def test_embedded_errors_are_one_line(sample_build, text):
    result = CliRunner().invoke(main, ["query", "-e", text, "--backend", "embedded", "-g", str(sample_build)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: embedded Cypher (Kùzu): "), result.stderr


def test_embedded_returns_nodes_dates_and_lists_like_neo4j(sample_build):
    query = QuerySpec(text='MATCH (d:Document) RETURN d.signed_date AS signed, d', language="cypher")
    [row] = run(query, backend="embedded", graph=sample_build)[1]
    assert row["signed"] == "2022-12-28"
    assert row["d"]["labels"] == ["Document"] and row["d"]["uri"].startswith("https://w3id.org/keytasks/id/doc/")
    query = QuerySpec(text='MATCH (u:Unit) WHERE u.name = $name RETURN u.aliases AS aliases', language="cypher")
    assert run(query, backend="embedded", params={"name": "市商务局"}, graph=sample_build)[1] == [
        {"aliases": ["市商务局"]}]
