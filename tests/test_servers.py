"""Smoke tests for the real test servers in tests/servers.py.

Each test skips when its prerequisite is missing, except under CI=true, where
a missing prerequisite fails the run (CI must exercise the real servers).
The server fixtures are the session's, from conftest.py.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import require_prerequisite
from servers import Neo4jServer, OxigraphServer

require = require_prerequisite


def require_module(name: str) -> None:
    try:
        __import__(name)
    except ImportError:
        require(f"python package {name!r} is not installed")


# --------------------------------------------------------------------------
# Fixtures (session-scoped: each server starts once per test session)
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# Neo4j
# --------------------------------------------------------------------------


def _count_nodes(server: Neo4jServer, label: str) -> int:
    import neo4j

    with neo4j.GraphDatabase.driver(server.uri, auth=server.auth) as driver:
        records, _, _ = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c")
        return int(records[0]["c"])


@pytest.mark.neo4j
def test_neo4j_answers_return_1(neo4j_server: Neo4jServer) -> None:
    require_module("neo4j")
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS x")
        assert records[0]["x"] == 1
        assert driver.get_server_info().agent.startswith("Neo4j/5.26")


@pytest.mark.neo4j
def test_neo4j_refuses_wrong_password(neo4j_server: Neo4jServer) -> None:
    require_module("neo4j")
    import neo4j

    with neo4j.GraphDatabase.driver(
        neo4j_server.uri, auth=("neo4j", neo4j_server.password + "-wrong")
    ) as driver:
        with pytest.raises(neo4j.exceptions.AuthError):
            driver.verify_connectivity()


@pytest.mark.neo4j
def test_neo4j_restart_and_crash_keep_data(neo4j_server: Neo4jServer) -> None:
    require_module("neo4j")
    import neo4j

    port = neo4j_server.port
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as driver:
        driver.execute_query("CREATE (:SmokeRestart {n: 1})")

    neo4j_server.restart()  # clean stop + start, same port and data dir
    assert neo4j_server.port == port
    assert _count_nodes(neo4j_server, "SmokeRestart") == 1

    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as driver:
        driver.execute_query("CREATE (:SmokeRestart {n: 2})")
    neo4j_server.kill()  # crash: committed data must survive via recovery
    assert not neo4j_server.is_running()
    neo4j_server.start()
    assert _count_nodes(neo4j_server, "SmokeRestart") == 2


# --------------------------------------------------------------------------
# Oxigraph
# --------------------------------------------------------------------------


@pytest.mark.sparql_server
def test_oxigraph_graph_store_put_and_count(oxigraph_server: OxigraphServer) -> None:
    graph = "http://example.org/graph/smoke"
    turtle = b"""
        @prefix ex: <http://example.org/> .
        ex:a ex:knows ex:b , ex:c .
        ex:b ex:name "B" .
    """
    put = urllib.request.Request(
        oxigraph_server.store_url + "?" + urllib.parse.urlencode({"graph": graph}),
        data=turtle,
        method="PUT",
        headers={"Content-Type": "text/turtle"},
    )
    with urllib.request.urlopen(put, timeout=10) as r:
        assert r.status in (200, 201, 204)

    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    post = urllib.request.Request(
        oxigraph_server.query_url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(post, timeout=10) as r:
        result = json.load(r)
    assert int(result["results"]["bindings"][0]["n"]["value"]) == 3


# --------------------------------------------------------------------------
# Chromium (Debian's package, driven by Playwright; no browser download)
# --------------------------------------------------------------------------


@pytest.mark.browser
def test_chromium_reads_page_title(browser, tmp_path: Path) -> None:
    # The session's one Chromium (conftest.browser): Playwright's sync API allows one driver per thread.
    page_file = tmp_path / "page.html"
    page_file.write_text("<!doctype html><title>kg smoke</title><p id=p>hello</p>", encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        assert page.title() == "kg smoke"
        assert page.text_content("#p") == "hello"
        page.goto("data:text/html,<title>from data url</title>")
        assert page.title() == "from data url"
    finally:
        page.close()
