"""`kg build`: the graph files, their agreement, stable IRIs, the store, SHACL and atomic output."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from conftest import CORPUS, TESTS
from kg.build import build, read_manifest
from kg.cli import main
from kg.validate import validate_folder, validate_graph
from kg.vocab import KT

#: The sample's graph as rdflib writes it with ``format="longturtle"``; rewrite it so when the graph is
#: meant to change, and read the diff.
GOLDEN = TESTS / "golden" / "sample.ttl"


def test_build_writes_every_file(sample_build):
    names = {p.name for p in sample_build.iterdir()}
    assert {"graph.ttl", "graph.jsonld", "graph.trig", "documents.json", "workload.csv", "store",
            "manifest.json"} <= names
    assert json.loads((sample_build / "documents.json").read_text("utf-8"))["documents"][0]["doc_number"] == \
        "泰政办字〔2022〕57号"
    manifest = read_manifest(sample_build)
    assert manifest["documents"][0]["iri"].endswith("doc/泰安市人民政府办公室/泰政办字〔2022〕57号")


def test_serialisations_are_isomorphic_and_match_the_golden_file(sample_build):
    turtle = rdflib.Graph().parse(sample_build / "graph.ttl", format="turtle")
    jsonld = rdflib.Graph().parse(sample_build / "graph.jsonld", format="json-ld")
    assert len(turtle) == len(jsonld) == 3016
    assert isomorphic(turtle, jsonld)
    assert isomorphic(turtle, rdflib.Graph().parse(GOLDEN, format="turtle"))


def test_trig_has_one_named_graph_per_document_plus_shared_and_ontology(sample_build):
    dataset = rdflib.Dataset()
    dataset.parse(sample_build / "graph.trig", format="trig")
    names = sorted(str(g.identifier) for g in dataset.graphs() if len(g))
    manifest = read_manifest(sample_build)
    assert names == sorted([manifest["documents"][0]["graph"], manifest["shared_graph"], manifest["ontology_graph"]])
    union = rdflib.Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    assert isomorphic(union, rdflib.Graph().parse(sample_build / "graph.ttl", format="turtle"))


def test_oxigraph_reads_every_format_to_the_same_count(sample_build):
    count = read_manifest(sample_build)["triples"]
    for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.trig", ox.RdfFormat.TRIG),
                      ("graph.jsonld", ox.RdfFormat.JSON_LD)):
        assert sum(1 for _ in ox.parse(path=str(sample_build / name), format=fmt)) == count, name
    assert len(ox.Store.read_only(str(sample_build / "store"))) == count


def test_building_twice_gives_byte_identical_turtle(tmp_path, sample_build):
    build([], tmp_path / "again", views=False)
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "documents.json", "workload.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (sample_build / name).read_bytes(), name


def test_base_iri_is_configurable(tmp_path):
    build([], tmp_path / "b", base_iri="http://example.org/kg/", views=False)
    text = (tmp_path / "b" / "graph.ttl").read_text("utf-8")
    assert "@base <http://example.org/kg/> ." in text and "<unit/泰安市/市商务局>" in text
    assert "w3id.org/keytasks/id/" not in text


def test_units_merge_across_documents_of_one_jurisdiction(tmp_path):
    sample = (CORPUS / "taian_2023_green_lowcarbon.txt").read_text("utf-8")
    second = sample.replace("泰政办字〔2022〕57号", "泰政办字〔2023〕9号").replace("市发展改革委", "市发改委")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(sample, "utf-8")
    (tmp_path / "in" / "b.txt").write_text(second, "utf-8")
    result = build([tmp_path / "in"], tmp_path / "out", views=False)
    assert result.documents == 2 and result.units == 40
    graph = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    unit = rdflib.URIRef("https://w3id.org/keytasks/id/unit/泰安市/市发展改革委")
    labels = {str(o) for o in graph.objects(unit, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))}
    assert labels == {"市发改委"}
    leads = list(graph.subjects(KT.leadUnit, unit))
    assert len(leads) == 6  # 3 tasks led in each document


def test_sample_conforms_to_the_shapes(sample_build):
    result = validate_folder(sample_build)
    assert result.conforms, result.violations[:3]


def _broken(sample_build, edit) -> rdflib.Graph:
    graph = rdflib.Graph().parse(sample_build / "graph.ttl", format="turtle")
    edit(graph)
    return graph


@pytest.mark.parametrize("case", ["responsibility-without-unit", "two-roles", "target-not-numeric",
                                  "task-without-section", "fact-without-quote"])
def test_broken_graphs_fail_validation(sample_build, case):
    def edit(graph: rdflib.Graph) -> None:
        if case == "responsibility-without-unit":
            resp = next(graph.objects(None, KT.hasResponsibility))
            graph.remove((resp, KT.unit, None))
        elif case == "two-roles":
            resp = next(graph.objects(None, KT.hasResponsibility))
            graph.add((resp, KT.role, KT.co))
            graph.add((resp, KT.role, KT.lead))
        elif case == "target-not-numeric":
            target = next(graph.objects(None, KT.hasTarget))
            graph.remove((target, KT.value, None))
            graph.add((target, KT.value, rdflib.Literal("十")))
        elif case == "task-without-section":
            task = next(graph.subjects(rdflib.RDF.type, KT.Task))
            graph.remove((task, rdflib.DCTERMS.isPartOf, None))
        elif case == "fact-without-quote":
            resp = next(graph.objects(None, KT.hasResponsibility))
            graph.remove((resp, KT.quote, None))

    result = validate_graph(_broken(sample_build, edit))
    assert not result.conforms and result.violations


def test_validate_cli_exit_codes(sample_build, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", "--graph", str(sample_build)])
    assert ok.exit_code == 0 and ok.output.startswith("conforms:") and ok.output.count("\n") == 1
    broken = tmp_path / "broken"
    shutil.copytree(sample_build, broken)
    lines = (broken / "graph.ttl").read_text("utf-8").splitlines()
    (broken / "graph.ttl").write_text("\n".join(line.replace("kt:unit <", "kt:other <") for line in lines) + "\n",
                                      "utf-8")
    bad = runner.invoke(main, ["validate", "--graph", str(broken)])
    assert bad.exit_code == 1 and "exactly one unit" in bad.output


def test_build_cli_prints_a_summary(tmp_path):
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "o"), "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)[0]
    assert (summary["documents"], summary["tasks"], summary["units"]) == (1, 80, 40)
    assert summary["triples"] == read_manifest(tmp_path / "o")["triples"]


def test_failing_build_leaves_the_previous_output_intact(tmp_path):
    out = tmp_path / "out"
    build([], out, views=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(main, ["build", str(bad), "--out", str(out)])
    assert result.exit_code == 1 and "bad.txt: empty file" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.build-")] == []


def _build_in_process(out: str) -> None:
    build([], out, views=False)


def test_concurrent_builds_into_one_folder_do_not_corrupt_it(tmp_path):
    out = str(tmp_path / "shared")
    # spawn: a forked child would inherit the parent's Oxigraph (RocksDB) threads mid-flight.
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_build_in_process, args=(out,)) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert all(p.exitcode == 0 for p in processes)
    assert validate_folder(out).conforms
    assert len(ox.Store.read_only(str(Path(out) / "store"))) == read_manifest(out)["triples"]


@pytest.mark.parametrize("fmt,parser", [("nt", "nt"), ("nq", "nquads"), ("rdfxml", "xml"), ("jsonld", "json-ld")])
def test_export_to_other_formats(sample_build, tmp_path, fmt, parser):
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(main, ["export", "--graph", str(sample_build), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    turtle = rdflib.Graph().parse(sample_build / "graph.ttl", format="turtle")
    if fmt == "nq":
        dataset = rdflib.Dataset()
        dataset.parse(out, format=parser)
        assert len([g for g in dataset.graphs() if len(g)]) == 3
        assert sum(len(g) for g in dataset.graphs()) == len(turtle)
    else:
        assert isomorphic(rdflib.Graph().parse(out, format=parser), turtle)


def test_the_shipped_jsonld_context_covers_the_ontology(sample_build):
    from kg.resources import ontology_dir
    from kg.vocab import KT_IRI, PREFIXES

    context = json.loads((ontology_dir() / "context.jsonld").read_text("utf-8"))["@context"]
    assert {k: context[k] for k in PREFIXES} == PREFIXES
    ontology = rdflib.Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    properties = {str(s)[len(KT_IRI):] for kind in (rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty)
                  for s in ontology.subjects(rdflib.RDF.type, kind)}
    assert properties <= set(context)
    written = json.loads((sample_build / "graph.jsonld").read_text("utf-8"))["@context"]
    assert {k: v for k, v in written.items() if k != "@base"} == context
