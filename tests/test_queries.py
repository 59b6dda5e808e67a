"""Named SPARQL queries on the embedded store: pinned results on the sample, formats, bound parameters."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
from click.testing import CliRunner

from conftest import CORPUS, GENRE
from kg.build import build
from kg.cli import main
from kg.named_queries import load_queries
from kg.querying import QuerySpec, run


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def query_rows(sample_build, name, **params):
    return run(QuerySpec.resolve(name, None), params=params, graph=sample_build)[1]


def test_every_named_query_has_a_header(sample_build):
    queries = load_queries()
    assert {"workload", "unit-tasks", "co-responsibility", "plans", "targets-by-unit", "tasks-without-lead",
            "plan-lineage"} <= set(queries)
    for query in queries.values():
        assert query.purpose and query.columns and query.sparql
        columns, rows = run(QuerySpec(named=query), params={p: "市商务局" for p in query.params}, graph=sample_build)
        assert columns == query.columns
        assert rows, query.name


def test_workload_matches_the_gold_annotation_for_all_40_units(sample_build, taian_gold):
    expected: dict[str, Counter] = {}
    for task in taian_gold["tasks"]:
        for role in ("lead", "shared"):
            for name in task[role]:
                expected.setdefault(name, Counter())[role] += 1
    rows = query_rows(sample_build, "workload")
    assert len(rows) == 40
    got = {r["unit"]: Counter(lead=r["lead"], shared=r["shared"]) for r in rows}
    assert got == {name: Counter(lead=c["lead"], shared=c["shared"]) for name, c in expected.items()}
    by_unit = {r["unit"]: r for r in rows}
    assert (by_unit["市发展改革委"]["lead"], by_unit["市发展改革委"]["shared"]) == (3, 9)
    assert (by_unit["市商务局"]["lead"], by_unit["市商务局"]["shared"], by_unit["市商务局"]["total"]) == (8, 2, 10)


def test_other_named_queries_on_the_sample(sample_build):
    tasks = query_rows(sample_build, "unit-tasks", unit="泰安市/市商务局")
    assert [r["task_id"] for r in tasks] == ["10", "25", "26", "27", "51", "52", "53", "54", "55", "56"]
    assert query_rows(sample_build, "unit-tasks", unit="市商务局") == tasks
    no_lead = query_rows(sample_build, "tasks-without-lead")
    assert {r["task_id"] for r in no_lead if r["units"] == 0} == {"77", "78", "79", "80"}
    assert len(no_lead) == 31
    pairs = query_rows(sample_build, "co-responsibility")
    assert pairs[0] == {"unit_a": "市委宣传部", "unit_a_id": "泰安市/市委宣传部", "unit_b": "市文化和旅游局",
                        "unit_b_id": "泰安市/市文化和旅游局", "tasks": 4}
    plans = {(r["plan"], r["relation"]): r["tasks"] for r in query_rows(sample_build, "plans")}
    assert plans[("泰安现代水网建设规划", "revises")] == 1 and len(plans) == 11
    lineage = query_rows(sample_build, "plan-lineage")
    assert [(r["relation"], r["plan"]) for r in lineage] == [
        ("implements", "国务院关于支持山东深化新旧动能转换推动绿色低碳高质量发展的意见"),
        ("issues", "泰安市推动绿色低碳高质量发展2023年重点工作任务"),
        ("references", "泰安市推动绿色低碳高质量发展三年行动计划"),
    ]
    targets = query_rows(sample_build, "targets-by-unit")
    water = [r for r in targets if r["unit"] == "市水利局" and r["task_id"] == "32"]
    assert [(r["op"], r["value"], r["measure"]) for r in water] == [("<=", 12.24, "亿立方米"), (">=", 1.43, "亿立方米")]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_formats_carry_the_same_rows(runner, sample_build, fmt):
    result = runner.invoke(main, ["query", "workload", "--graph", str(sample_build), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.output)
        assert rows[1] == {"unit": "市商务局", "unit_id": "泰安市/市商务局", "lead": 8, "shared": 2, "co": 0, "total": 10}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert rows[1]["unit"] == "市商务局" and rows[1]["lead"] == "8" and len(rows) == 40
    else:
        assert result.output.splitlines()[0].split() == ["unit", "unit_id", "lead", "shared", "co", "total"]


@pytest.mark.parametrize("hostile", ['市商务局" } ; DROP', "x' OR '1'='1", "a\\nb\n}\n$unit {{", "?unit ) || true"])
def test_parameters_are_bound_not_pasted(runner, sample_build, hostile):
    result = runner.invoke(main, ["query", "unit-tasks", "--graph", str(sample_build), "--param", f"unit={hostile}",
                                  "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_query_file_text_and_paths(runner, sample_build, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("PREFIX kt: <https://w3id.org/keytasks/ontology#>\n"
                    "SELECT (COUNT(?t) AS ?tasks) WHERE { ?t a kt:Task }", "utf-8")
    assert json.loads(runner.invoke(main, ["query", str(path), "--graph", str(sample_build), "--format",
                                           "json"]).output) == [{"tasks": 80}]
    text = "PREFIX kt: <https://w3id.org/keytasks/ontology#> SELECT (COUNT(?t) AS ?n) WHERE { ?t a kt:Task }"
    result = runner.invoke(main, ["query", "-e", text, str(CORPUS / "02_xianan_2023.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": 13}]  # 12 annotated tasks and one cut off by the capture


@pytest.mark.parametrize("args,message", [
    (["query", "nope"], "no named query 'nope'"),
    (["query", "unit-tasks"], "needs --param unit="),
    (["query", "workload", "--param", "unit=x"], "has no parameter 'unit'"),
    (["query", "workload", "--param", "novalue"], "--param takes name=value"),
    (["query", "-e", "SELEC nothing"], "SPARQL syntax error"),
    (["query", "workload", "--graph", "/nonexistent/folder"], "not a kg build folder"),
])
def test_query_errors_are_one_line(runner, sample_build, args, message):
    if "--graph" not in args:
        args = [*args, "--graph", str(sample_build)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and message in result.output and result.output.count("\n") == 1, result.output


def test_queries_lists_names(runner):
    result = runner.invoke(main, ["queries", "--format", "json"])
    names = [q["name"] for q in json.loads(result.output)]
    assert "workload" in names and "unit-tasks" in names


def test_targets_are_due_by_their_tasks_deadline_when_they_state_none(tmp_path):
    # 牵头单位/完成时限 lines: the targets (85%, 6.5%) say no date of their own; the task's 完成时限 is theirs,
    # the same from SPARQL and from embedded Cypher.
    out = tmp_path / "kg"
    build([GENRE / "own_line_labels.txt"], out, views=False)
    named = load_queries()["targets-by-unit"]
    for backend in ("sparql", "embedded"):
        rows = run(QuerySpec(named=named), backend=backend, params={}, graph=out)[1]
        task1 = [(r["value"], r["deadline"]) for r in rows if r["task_id"] == "1"]
        assert sorted(task1) == [(6.5, "2024年12月底"), (85, "2024年12月底")], backend
