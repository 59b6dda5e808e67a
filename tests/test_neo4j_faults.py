"""Neo4j faults on the real server: stopped mid-load, restarted between batches, wrong credentials.

These tests really stop and restart the session's server (tests/servers.py), so they run last in this
module and leave it running.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import neo4j
import pytest

from kg.neo4j_store import Neo4jSettings

SAMPLE = (Path(__file__).parent / "corpus" / "taian_2023_green_lowcarbon.txt").read_text("utf-8")
DOCUMENTS = 30


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faults")
    for i in range(DOCUMENTS):
        (folder / f"doc{i:02d}.txt").write_text(SAMPLE.replace("〔2022〕57号", f"〔2022〕{200 + i}号"), "utf-8")
    return folder


def graph_state(settings: Neo4jSettings) -> tuple[int, int, list[int]]:
    """Node and relationship counts, and the number of tasks of every loaded document."""
    with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as driver:
        nodes = driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=settings.database).records[0]["c"]
        rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c",
                                    database_=settings.database).records[0]["c"]
        tasks = driver.execute_query(
            "MATCH (d:Document) OPTIONAL MATCH (t:Task {kg_document: d.uri}) RETURN d.uri AS d, count(t) AS c "
            "ORDER BY d", database_=settings.database).records
    return nodes, rels, [r["c"] for r in tasks]


def documents_loaded(settings: Neo4jSettings) -> int:
    try:
        with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as driver:
            return driver.execute_query("MATCH (d:Document) RETURN count(d) AS c",
                                        database_=settings.database).records[0]["c"]
    except neo4j.exceptions.Neo4jError:
        return 0


def kg_load(folder: Path, env: dict[str, str], **extra_env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", "neo4j", "load", str(folder)],
                            env={**os.environ, **env, **extra_env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.neo4j
def test_a_load_stopped_by_the_server_then_resumed_equals_an_uninterrupted_one(
        neo4j_server, neo4j_db, neo4j_env, corpus_folder):
    reference = kg_load(corpus_folder, neo4j_env)
    _, err = reference.communicate(timeout=600)
    assert reference.returncode == 0, err
    expected = graph_state(neo4j_db)
    assert expected[2] == [80] * DOCUMENTS
    with neo4j.GraphDatabase.driver(neo4j_db.uri, auth=(neo4j_db.user, neo4j_db.password)) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=neo4j_db.database)

    process = kg_load(corpus_folder, neo4j_env, KG_NEO4J_RETRY_SECONDS="3")
    deadline = time.monotonic() + 120
    while documents_loaded(neo4j_db) == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    neo4j_server.kill()  # the server goes away in the middle of the load
    _, err = process.communicate(timeout=300)
    neo4j_server.start()
    if process.returncode == 0:
        pytest.skip("the load finished before the server was stopped (machine too fast for this test)")
    assert process.returncode == 1
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "NEO4J_URI" in errors[0] and "Traceback" not in err
    assert neo4j_db.password not in err
    partial = graph_state(neo4j_db)
    assert all(count == 80 for count in partial[2])  # whole documents or nothing
    assert len(partial[2]) < DOCUMENTS

    resumed = kg_load(corpus_folder, neo4j_env)
    _, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    assert graph_state(neo4j_db) == expected


@pytest.mark.neo4j
def test_a_restart_between_batches_is_retried_by_the_driver(neo4j_server, neo4j_db, corpus_folder):
    from kg.corpus import load_corpus
    from kg.neo4j_store import load_corpus_into_neo4j

    documents = load_corpus([corpus_folder]).documents
    outcome: dict = {}

    def load() -> None:
        try:
            outcome["result"] = load_corpus_into_neo4j(documents, neo4j_db, batch_size=500)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = exc

    worker = threading.Thread(target=load)
    worker.start()
    deadline = time.monotonic() + 120
    while documents_loaded(neo4j_db) == 0 and time.monotonic() < deadline and worker.is_alive():
        time.sleep(0.05)
    neo4j_server.restart()  # a clean stop and start while the loader is between transactions
    worker.join(600)
    assert "error" not in outcome, outcome.get("error")
    state = graph_state(neo4j_db)
    assert state[2] == [80] * DOCUMENTS


@pytest.mark.neo4j
def test_wrong_credentials_fail_fast_without_the_password(neo4j_db, neo4j_env, corpus_folder):
    env = {**neo4j_env, "NEO4J_PASSWORD": "not-the-password-7x"}
    started = time.monotonic()
    process = kg_load(corpus_folder, env)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1 and "NEO4J_PASSWORD" in err and "not-the-password-7x" not in err
    assert time.monotonic() - started < 60
