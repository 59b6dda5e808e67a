"""Workload, overload, findings and networks: the sample's numbers pinned from the gold annotation."""

from __future__ import annotations

import csv
import io
import json
import statistics

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.loaders import SourceText
from kg.network import centrality, dependency_cycles, dependency_graph, unit_network
from kg.parse import parse_source
from kg.unit_load import parse_weights


@pytest.fixture(scope="module")
def rows(sample_doc):
    return kg.workload([sample_doc])


def test_workload_counts_match_the_gold(rows, taian_gold):
    assert len(rows) == 40
    expected = {}
    for task in taian_gold["tasks"]:
        for role in ("lead", "shared"):
            for name in task[role]:
                expected.setdefault(name, {"lead": 0, "shared": 0})[role] += 1
    assert {r["unit"]: {"lead": r["lead"], "shared": r["shared"]} for r in rows} == expected
    by_unit = {r["unit"]: r for r in rows}
    assert by_unit["市商务局"]["total"] == 10 and by_unit["市发展改革委"]["total"] == 12


def test_weighted_load_formula(rows, sample_doc):
    by_unit = {r["unit"]: r for r in rows}
    # 市商务局: 8 tasks led alone (8) + task 10 shared by 14 units + task 27 shared by 2 units.
    assert by_unit["市商务局"]["weighted"] == round(8 + 1 / 14 + 1 / 2, 3)
    # 市通信发展办 co-leads task 16 with one other unit.
    assert by_unit["市通信发展办"]["weighted"] == 0.5
    heavy = kg.workload([sample_doc], weights=parse_weights("lead=2,shared=1,co=0.5"))
    assert {r["unit"]: r["weighted"] for r in heavy}["市商务局"] == round(16 + 1 / 14 + 1 / 2, 3)


def test_targets_plans_partners_columns(rows):
    by_unit = {r["unit"]: r for r in rows}
    assert by_unit["市水利局"]["plans"] == 2  # revises two plans in task 24
    assert by_unit["市商务局"]["partners"] == 14
    assert by_unit["市发展改革委"]["targets"] == 12


@pytest.mark.parametrize("weights", ["lead", "lead=x", "boss=1", "co=-1"])
def test_bad_weights_are_usage_errors(weights):
    result = CliRunner().invoke(main, ["workload", "--weights", weights])
    assert result.exit_code == 2 and "--weights" in result.output


def test_workload_groupings(sample_doc):
    sections = kg.workload([sample_doc], by="section")
    assert {r["section"] for r in sections} == {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
    commerce = [r for r in sections if r["unit"] == "市商务局"]
    assert sum(r["lead"] for r in commerce) == 8
    kinds = {r["kind"]: r for r in kg.workload([sample_doc], by="kind")}
    assert kinds["party_organ"]["units"] == 3 and kinds["county_government"]["units"] == 3
    documents = kg.workload([sample_doc], by="document")
    assert documents[0]["tasks"] == 80 and documents[0]["tasks_without_unit"] == 4


def test_overloaded_is_a_ranked_strict_subset_above_the_median(sample_doc, rows):
    flagged = kg.overloaded([sample_doc])
    median = statistics.median(r["weighted"] for r in rows)
    assert 0 < len(flagged) < len(rows)
    assert all(r["weighted"] >= median and r["reason"] for r in flagged)
    assert [r["weighted"] for r in flagged] == sorted((r["weighted"] for r in flagged), reverse=True)
    assert flagged[0]["unit"] == "市商务局"
    assert flagged[0]["reason"].startswith("leads 8 tasks; shares 2 tasks; weighted load 8.571, 8.3× the median")
    assert len(kg.overloaded([sample_doc], method="top", k=5)) == 2
    assert kg.overloaded([sample_doc], method="iqr")


def test_findings_report_missing_and_diffuse_responsibility(sample_doc):
    found = kg.findings([sample_doc])
    no_unit = [f["subject"].rsplit(" ", 1)[-1] for f in found if f["finding"] == "no-unit"]
    assert no_unit == ["77", "78", "79", "80"]
    diffuse = [f["title"] for f in found if f["finding"] == "diffuse"]
    assert "深入实施新型工业化强市战略" in diffuse
    named_once = [f["subject"] for f in found if f["finding"] == "named-once"]
    assert "泰安市/市通信发展办" in named_once and "泰安市/市商务局" not in named_once


def test_overloaded_cli(sample_doc):
    runner = CliRunner()
    result = runner.invoke(main, ["overloaded", "--format", "json"])
    data = json.loads(result.output)
    assert result.exit_code == 0 and {"unit", "weighted", "reason"} <= set(data[0])
    table = runner.invoke(main, ["overloaded"])
    assert "no-unit" in table.output and "市商务局" in table.output
    findings = runner.invoke(main, ["overloaded", "--findings", "--format", "csv"])
    assert list(csv.DictReader(io.StringIO(findings.output)))[0]["finding"] == "no-unit"


def test_unit_network_and_centrality(sample_doc):
    graph = unit_network([sample_doc])
    assert graph.number_of_nodes() == 40
    assert graph["泰安市/市委宣传部"]["泰安市/市文化和旅游局"]["weight"] == 4
    hubs = centrality(graph)
    assert hubs[0]["unit"] == "市发展改革委" and hubs[0]["partners"] == 18


PLAN_CHAIN = """某市2024年重点工作任务
一、制度建设
1.制定《某市数据共享管理办法》。(市大数据局牵头负责)
2.贯彻落实《某市数据共享管理办法》,推进政务数据共享。(市政府办公室牵头负责)
3.建设某市城市大脑平台项目,数据共享率达到90%。(市大数据局牵头负责)
4.推进某市城市大脑平台项目二期建设,数据共享率达到95%。(市政府办公室牵头负责)
5.落实《某市政务信息化方案》。(市大数据局牵头负责)
6.编制《某市政务信息化方案》,落实《某市数据共享管理办法》。(市大数据局牵头负责)
"""


def test_dependency_graph_from_plans_projects_and_metrics():
    doc = parse_source(SourceText(source="chain.txt", text=PLAN_CHAIN))
    graph = dependency_graph([doc])
    edges = {(graph.nodes[u]["task_id"], graph.nodes[v]["task_id"], d["kind"])
             for u, v, d in graph.edges(data=True) if d["kind"] != "lineage"}
    assert ("1", "2", "plan") in edges and ("1", "6", "plan") in edges and ("6", "5", "plan") in edges
    assert ("3", "4", "metric") in edges
    assert dependency_cycles(graph) == []


def test_dependency_cycles_are_reported(tmp_path):
    text = PLAN_CHAIN + "7.修订《某市数据共享管理办法》,落实《某市政务信息化方案》。(市大数据局牵头负责)\n"
    doc = parse_source(SourceText(source="cycle.txt", text=text))
    assert dependency_cycles(dependency_graph([doc]))
    path = tmp_path / "cycle.txt"
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["network", str(path), "--kind", "deps", "--format", "json"])
    assert result.exit_code == 0
    assert "dependency cycle:" in result.stderr and "《某市数据共享管理办法》" not in result.stdout.split("[", 1)[0]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_read_back(tmp_path, fmt):
    out = tmp_path / f"units.{fmt}"
    result = CliRunner().invoke(main, ["network", "--kind", "units", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert graph.number_of_nodes() == 40


def test_network_edge_list_json():
    result = CliRunner().invoke(main, ["network", "--format", "json"])
    edges = json.loads(result.output)
    pair = next(e for e in edges if {e["source_label"], e["target_label"]} == {"市委宣传部", "市文化和旅游局"})
    assert pair["weight"] == 4
