"""A smoke test of the benchmark harness at a tiny size: it runs every step and writes its tables.

Correctness only: timings on a shared CI machine say nothing, so no test asserts any.
"""

from __future__ import annotations

import json
import sys

import pytest

from benchmarks import naive
from benchmarks.run import END_MARK, START_MARK, main, measure


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    readme = folder / "README.md"
    readme.write_text(f"# kg\n\n## Scale and benchmarks\n\n{START_MARK}\nold table\n{END_MARK}\n\nafter\n", "utf-8")
    out = folder / "results.json"
    code = main(["--sizes", "3,4", "--baseline-max", "3", "--tasks", "4", "--repeat", "2", "--naive-timeout", "60",
                 "--cache", str(folder / "cache"), "--out", str(out), "--readme", str(readme), "--update-readme"])
    assert code == 0
    return json.loads(out.read_text("utf-8")), readme.read_text("utf-8"), out


def test_every_step_is_measured(results):
    data, _, _ = results
    assert [row["documents"] for row in data["rows"]] == [3, 4]
    for row in data["rows"]:
        kg = row["kg"]
        assert row["triples"] > 0 and row["tasks"] > 0
        assert kg["build"]["seconds"] > 0 and kg["build"]["max_rss_mb"] > 0
        assert {"workload", "unit-tasks", "co-responsibility"} <= set(kg["queries"])
        assert all(q["rows"] >= 0 and q["median"] >= 0 for q in kg["queries"].values())
        assert kg["queries"]["unit-tasks"]["rows"] > 0  # the parameter is a unit that exists
    naive_row = data["rows"][0]["naive"]
    assert naive_row["documents"] == 3
    assert set(naive_row["steps"]) == {"parse", "graph", "serialise"}


def test_both_pipelines_answer_the_same(results):
    """Same triples (kg adds none the naive pipeline lacks) and the same number of rows per query."""
    data, _, _ = results
    row = data["rows"][0]
    assert row["naive"]["triples"] == row["triples"]
    for name, kg_query in row["kg"]["queries"].items():
        assert row["naive"]["queries"][name]["rows"] == kg_query["rows"], name


def test_comparison_is_measured_then_extrapolated_and_labelled(results):
    data, readme, _ = results
    first, second = data["comparison"]
    assert first["extrapolated_from"] is None and second["extrapolated_from"] == 3
    assert "extrapolated from 3" in readme


def test_readme_tables_replace_only_the_marked_part(results):
    _, readme, _ = results
    assert "old table" not in readme and readme.endswith("\n\nafter\n")
    table = readme[readme.index(START_MARK):readme.index(END_MARK)]
    assert "| documents |" in table and "kg end-to-end" in table and "python -m benchmarks" in table


def test_measure_reports_peak_memory_of_the_child():
    grow = "x = bytearray(120 * 2**20); import time; time.sleep(0.5)"
    measured = measure([sys.executable, "-c", grow])
    assert measured.returncode == 0 and measured.max_rss_mb >= 120 and measured.tree_rss_mb >= 120


def test_naive_terms():
    assert str(naive.term(("l", "市科技局", "zh")).language) == "zh"
    assert str(naive.term(("t", "2.0", "http://www.w3.org/2001/XMLSchema#decimal")).datatype).endswith("decimal")
    assert str(naive.term(("i", "https://w3id.org/x"))) == "https://w3id.org/x"


def test_a_saved_run_renders_the_same_tables(results, capsys):
    _, readme, out = results
    assert main(["--render", str(out)]) == 0
    assert capsys.readouterr().out in readme


def test_naive_steps_stop_at_the_limit_and_say_so(tmp_path):
    from kg.synth import write_corpus

    write_corpus(tmp_path / "c", 2, tasks=20, jobs=1)
    result = naive.run(str(tmp_path / "c"), str(tmp_path / "n.ttl"), unit=None, timeout=1e-4, repeat=1, jobs=1)
    assert result["timeouts"] == ["serialise"] and result["steps"]["serialise"] == 1e-4
    stopped = [q for q in result["queries"].values() if q.get("timeout")]
    assert stopped and all(q["timeout"] == 1e-4 and q["rows"] is None for q in stopped)


def test_neo4j_asked_for_but_not_there_stops_before_any_work(tmp_path, monkeypatch, capsys):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    with pytest.raises(SystemExit) as stopped:
        main(["--sizes", "3", "--neo4j", "--cache", str(tmp_path / "cache")])
    assert f"no Neo4j answers at bolt://127.0.0.1:{port}" in str(stopped.value.code)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").glob("run-*"))
