"""Shared fixtures. Parsed documents are built once per session; servers live in their own fixtures."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.parse import parse_path
from kg.resources import sample_path

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
GENRE = TESTS / "genre"


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path, monkeypatch):
    """Commands default to ./kg-out when it exists: run every test in an empty folder of its own."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def sample_file() -> Path:
    return sample_path()


@pytest.fixture(scope="session")
def sample_doc(sample_file):
    return parse_path(sample_file)


@pytest.fixture(scope="session")
def taian_gold() -> dict:
    return json.loads((CORPUS / "taian_2023_green_lowcarbon.gold.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The bundled sample built once per session (no HTML views, which have their own tests)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("build") / "kg-out"
    build([], out, views=False)
    return out


# --- Neo4j: one real server per session (tests/servers.py), an empty database for each test ------------


def require_prerequisite(reason: str | None) -> None:
    """Skip when something a test needs is missing (``reason``); under CI=true that fails the run instead."""
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but prerequisite missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, driven by Playwright (no browser download): for the HTML views and to print PDFs."""
    from servers import CHROMIUM_ARGS, chromium_available, chromium_path

    require_prerequisite(chromium_available())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j 5.26 on 127.0.0.1, started once per session and stopped at its end."""
    from servers import neo4j_available, start_neo4j

    require_prerequisite(neo4j_available())
    server = start_neo4j(tmp_path_factory.mktemp("neo4j"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def neo4j_db(neo4j_server):
    """Connection settings (:class:`kg.neo4j_store.Neo4jSettings`) of the session's server, emptied first."""
    import neo4j

    from kg.neo4j_store import Neo4jSettings

    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=neo4j_server.auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")
    return Neo4jSettings(uri=neo4j_server.uri, user=neo4j_server.user, password=neo4j_server.password,
                         database="neo4j")


@pytest.fixture
def neo4j_env(neo4j_db) -> dict[str, str]:
    """The same settings as the environment variables the CLI reads."""
    return {"NEO4J_URI": neo4j_db.uri, "NEO4J_USERNAME": neo4j_db.user, "NEO4J_PASSWORD": neo4j_db.password,
            "NEO4J_DATABASE": neo4j_db.database}


# --- the SPARQL server for publishing tests: Oxigraph from PyPI, one per session ---------------------------


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """``oxigraph serve`` on 127.0.0.1, started once per session and stopped at its end."""
    from servers import oxigraph_available, start_oxigraph

    require_prerequisite(oxigraph_available())
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield server
    finally:
        server.stop()
