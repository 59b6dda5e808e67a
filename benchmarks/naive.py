"""The naive baseline: what an analyst would write with rdflib alone, given kg's parser.

Same parse (kg's parser, in the same worker processes), same triples (:func:`kg.rdf.document_graph`), then
everything the way rdflib's documentation shows it: ``Graph.add`` one triple at a time, ``Graph.serialize``
to Turtle, and the same named SPARQL queries on rdflib's own engine (``Graph.query``). kg's pipeline differs
only in how the triples are written, stored and queried, so the ratio of the two measures exactly that.

Run ``python -m benchmarks.naive CORPUS OUT.ttl`` (see ``--help``); it prints one JSON object with the time
of each step, the triple count and the rows of each query, and is what ``python -m benchmarks`` runs in a
subprocess to measure its peak memory on its own. Writing Turtle and each query stop at ``--timeout`` and
report that limit (a lower bound): rdflib needs hours for some of them on a thousand documents.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import rdflib

from kg.corpus import load_corpus
from kg.iri import Minter
from kg.named_queries import load_queries
from kg.rdf import SharedRefs, document_graph, shared_graph
from kg.resources import ontology_dir
from kg.vocab import DEFAULT_BASE_IRI


def term(obj: tuple) -> rdflib.term.Identifier:
    """kg's plain-tuple object as an rdflib term (see :mod:`kg.rdf`)."""
    kind = obj[0]
    if kind == "i":
        return rdflib.URIRef(obj[1])
    if kind == "l":
        return rdflib.Literal(obj[1], lang=obj[2])
    if kind == "t":
        return rdflib.Literal(obj[1], datatype=rdflib.URIRef(obj[2]))
    return rdflib.Literal(obj[1])


def add_subjects(graph: rdflib.Graph, subjects) -> int:
    count = 0
    for subject, pairs in subjects:
        s = rdflib.URIRef(subject)
        for predicate, obj in pairs:
            graph.add((s, rdflib.URIRef(predicate), term(obj)))
            count += 1
    return count


@contextmanager
def time_limit(seconds: float):
    """Raise TimeoutError in the block after ``seconds`` (rdflib's engine is Python, so the signal lands)."""

    def expire(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _load_plugins() -> None:
    """Import rdflib's SPARQL engine and Turtle writer now: a time limit must not land inside an import."""
    empty = rdflib.Graph()
    list(empty.query("SELECT * WHERE { ?s ?p ?o }"))
    empty.serialize(format="turtle")


def run(corpus: str, out: str, *, unit: str | None, timeout: float, repeat: int, jobs: int | None) -> dict:
    _load_plugins()
    result: dict = {"steps": {}, "queries": {}}
    steps = result["steps"]
    started = time.perf_counter()
    parsed = load_corpus([corpus], jobs=jobs, keep_going=True)
    steps["parse"] = time.perf_counter() - started

    mark = time.perf_counter()
    graph = rdflib.Graph()
    minter = Minter(DEFAULT_BASE_IRI)
    shared = SharedRefs()
    added = 0
    for doc in parsed.documents:
        built = document_graph(doc, minter)
        shared.merge(built.shared)
        added += add_subjects(graph, built.subjects)
    shared.units = {iri: parsed.registry.units.get(unit_.key, unit_) for iri, unit_ in shared.units.items()}
    added += add_subjects(graph, shared_graph(shared, minter))
    graph.parse(ontology_dir() / "kg.ttl", format="turtle")
    steps["graph"] = time.perf_counter() - mark
    result["triples"] = len(graph)
    result["documents"] = len(parsed.documents)

    mark = time.perf_counter()
    try:
        with time_limit(timeout):
            graph.serialize(destination=out, format="turtle")
        steps["serialise"] = time.perf_counter() - mark
    except TimeoutError:
        steps["serialise"] = timeout
        result["timeouts"] = ["serialise"]

    for name, query in load_queries().items():
        if query.sparql is None:
            continue
        bindings = {p: rdflib.Literal(unit or "") for p in query.params}
        times = []
        entry: dict = {}
        try:
            for _ in range(repeat):
                mark = time.perf_counter()
                with time_limit(timeout):
                    rows = sum(1 for _ in graph.query(query.sparql, initBindings=bindings))
                times.append(time.perf_counter() - mark)
            entry = {"first": times[0], "median": statistics.median(times), "rows": rows}
        except TimeoutError:
            entry = {"first": None, "median": None, "rows": None, "timeout": timeout}
        result["queries"][name] = entry
    result["total"] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.naive", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="folder of documents")
    parser.add_argument("out", help="Turtle file to write")
    parser.add_argument("--unit", default=None, help="value of the unit-tasks query's unit parameter")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds the Turtle step and each query run may take; stopped steps report this [300]")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each query (the median is reported) [1]")
    parser.add_argument("--jobs", type=int, default=None, help="parser worker processes [one per core]")
    args = parser.parse_args(argv)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    result = run(args.corpus, args.out, unit=args.unit, timeout=args.timeout, repeat=args.repeat, jobs=args.jobs)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
