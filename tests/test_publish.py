"""Publishing to a real SPARQL store (the Oxigraph server from PyPI) and querying it remotely."""

from __future__ import annotations

import json
import urllib.request

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.remote import Endpoint, bind_parameters


@pytest.fixture
def sparql_store(oxigraph_server):
    return oxigraph_server


@pytest.fixture
def empty_store(sparql_store):
    request = urllib.request.Request(sparql_store.update_url, data=b"update=CLEAR%20ALL", method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    urllib.request.urlopen(request, timeout=30).read()
    return sparql_store


def publish(store, folder, *extra):
    return CliRunner().invoke(main, ["publish", "sparql", "--endpoint", store.url, "--graph", str(folder),
                                     "--format", "json", *extra])


def test_publishing_twice_leaves_exactly_the_local_graph(empty_store, sample_build):
    local = json.loads((sample_build / "manifest.json").read_text("utf-8"))["triples"]
    first = publish(empty_store, sample_build)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)[0]["graphs"] == 3
    assert publish(empty_store, sample_build).exit_code == 0
    assert Endpoint.from_url(empty_store.url).count() == local


def test_large_graphs_are_sent_in_batches(empty_store, sample_build):
    result = publish(empty_store, sample_build, "--batch", "400")
    assert result.exit_code == 0 and json.loads(result.output)[0]["requests"] > 3
    result = publish(empty_store, sample_build, "--batch", "400")
    local = json.loads((sample_build / "manifest.json").read_text("utf-8"))["triples"]
    assert Endpoint.from_url(empty_store.url).count() == local


@pytest.mark.sparql_server
@pytest.mark.parametrize("name,params", [("workload", []), ("unit-tasks", ["--param", "unit=市商务局"]),
                                          ("co-responsibility", []), ("plans", []), ("targets-by-unit", []),
                                          ("tasks-without-lead", []), ("plan-lineage", [])])
def test_remote_queries_equal_local_ones(empty_store, sample_build, name, params):
    assert publish(empty_store, sample_build).exit_code == 0
    runner = CliRunner()
    remote = runner.invoke(main, ["query", name, *params, "--endpoint", empty_store.url, "--format", "json"])
    local = runner.invoke(main, ["query", name, *params, "--graph", str(sample_build), "--format", "json"])
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_query_endpoint_url_is_accepted_too(empty_store, sample_build):
    publish(empty_store, sample_build)
    result = CliRunner().invoke(main, ["query", "workload", "--endpoint", empty_store.query_url, "--format", "json"])
    assert result.exit_code == 0 and len(json.loads(result.output)) == 40


@pytest.mark.parametrize("hostile", ['市商务局" } } ; DROP ALL ; #', "x\\\"}\nSELECT", "}} UNION { ?s ?p ?o }"])
def test_remote_parameters_cannot_become_syntax(empty_store, sample_build, hostile):
    publish(empty_store, sample_build)
    result = CliRunner().invoke(main, ["query", "unit-tasks", "--param", f"unit={hostile}", "--endpoint",
                                       empty_store.url, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []
    local = json.loads((sample_build / "manifest.json").read_text("utf-8"))["triples"]
    assert Endpoint.from_url(empty_store.url).count() == local


def test_bind_parameters_ignores_where_in_strings_and_comments():
    query = '# WHERE { in a comment\nSELECT ?x WHERE { ?x <urn:p> "WHERE {" }'
    bound = bind_parameters(query, {"x": "v"})
    assert bound.index('VALUES ?x { "v" }') > bound.index('SELECT ?x WHERE {')


def test_unreachable_and_refusing_endpoints(sample_build, sparql_store):
    runner = CliRunner()
    result = runner.invoke(main, ["publish", "sparql", "--endpoint", "http://127.0.0.1:9", "--graph",
                                  str(sample_build)])
    assert result.exit_code == 1 and "cannot reach the SPARQL store" in result.output
    assert result.output.count("\n") == 1
    wrong = runner.invoke(main, ["publish", "sparql", "--endpoint", sparql_store.url, "--store-path", "/nope",
                                 "--graph", str(sample_build)])
    assert wrong.exit_code == 1 and "answered HTTP 404" in wrong.output
    bad = runner.invoke(main, ["publish", "sparql", "--endpoint", "ftp://x", "--graph", str(sample_build)])
    assert bad.exit_code == 1 and "must be an http(s) URL" in bad.output


def test_credentials_are_sent_but_never_printed(sample_build, sparql_store):
    result = CliRunner().invoke(
        main, ["publish", "sparql", "--endpoint", "http://127.0.0.1:9", "--graph", str(sample_build)],
        env={"KG_SPARQL_USERNAME": "analyst", "KG_SPARQL_PASSWORD": "s3cret-pw"})
    assert "s3cret-pw" not in result.output and "analyst" not in result.output
    help_text = CliRunner().invoke(main, ["publish", "sparql", "--help"], env={"KG_SPARQL_PASSWORD": "s3cret-pw"})
    assert "s3cret-pw" not in help_text.output
