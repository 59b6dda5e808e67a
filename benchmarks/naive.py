"""The naive baseline: what an analyst would write with rdflib alone, given kg's parser.

Same parse (kg's parser, in the same worker processes), same triples (:func:`kg.rdf.document_graph`), then
everything the way rdflib's documentation shows it: ``Graph.add`` one triple at a time, ``Graph.serialize``
to Turtle, and the same named SPARQL queries on rdflib's own engine (``Graph.query``). kg's pipeline differs
only in how the triples are written, stored and queried, so the ratio of the two measures exactly that.

Run ``python -m benchmarks.naive CORPUS OUT.ttl`` (see ``--help``); it prints one JSON object with the time
of each step, the triple count and the rows of each query, and is what ``python -m benchmarks`` runs in a
subprocess to measure its peak memory on its own. Writing Turtle and each query run in a forked child that is
stopped at ``--timeout``; they then report that limit (a lower bound): rdflib needs hours for some of them on a
thousand documents.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import statistics
import sys
import time
from collections.abc import Callable
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


def bounded(func: Callable[[], object], seconds: float) -> tuple[float, object] | None:
    """Run ``func`` in a forked child; (its time, its JSON-able result), or None when stopped at ``seconds``.

    A signal in the same process would not do: rdflib spends minutes inside single C calls on large graphs,
    where a Python signal handler never runs. The child shares the graph copy-on-write.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            started = time.perf_counter()
            value = func()
            message = json.dumps({"seconds": time.perf_counter() - started, "value": value})
            with os.fdopen(write_end, "w") as pipe:
                pipe.write(message)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([pipe], [], [], max(0.0, remaining))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            chunk = os.read(pipe.fileno(), 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    if not chunks:
        raise RuntimeError("the naive step's process ended without a result")
    answer = json.loads(b"".join(chunks))
    return answer["seconds"], answer["value"]


def _load_plugins() -> None:
    """Import rdflib's SPARQL engine and Turtle writer before any step is timed."""
    empty = rdflib.Graph()
    list(empty.query("SELECT * WHERE { ?s ?p ?o }"))
    empty.serialize(format="turtle")


def run(corpus: str, out: str, *, unit: str | None, timeout: float, repeat: int, jobs: int | None) -> dict:
    _load_plugins()
    result: dict = {"steps": {}, "queries": {}, "timeouts": []}
    steps = result["steps"]
    started = time.perf_counter()
    parsed = load_corpus([corpus], jobs=jobs, keep_going=True)
    steps["parse"] = time.perf_counter() - started

    mark = time.perf_counter()
    graph = rdflib.Graph()
    minter = Minter(DEFAULT_BASE_IRI)
    shared = SharedRefs()
    for doc in parsed.documents:
        built = document_graph(doc, minter)
        shared.merge(built.shared)
        add_subjects(graph, built.subjects)
    shared.units = {iri: parsed.registry.units.get(unit_.key, unit_) for iri, unit_ in shared.units.items()}
    add_subjects(graph, shared_graph(shared, minter))
    graph.parse(ontology_dir() / "kg.ttl", format="turtle")
    steps["graph"] = time.perf_counter() - mark
    result["triples"] = len(graph)
    result["documents"] = len(parsed.documents)

    done = bounded(lambda: graph.serialize(destination=out, format="turtle") and None, timeout)
    steps["serialise"] = timeout if done is None else done[0]
    if done is None:
        result["timeouts"].append("serialise")

    for name, query in load_queries().items():
        if query.sparql is None:
            continue
        bindings = {p: rdflib.Literal(unit or "") for p in query.params}
        times, rows = [], None
        for _ in range(repeat):
            done = bounded(lambda q=query.sparql, b=bindings: sum(1 for _ in graph.query(q, initBindings=b)), timeout)
            if done is None:
                break
            times.append(done[0])
            rows = done[1]
        if times:
            result["queries"][name] = {"first": times[0], "median": statistics.median(times), "rows": rows}
        else:
            result["queries"][name] = {"first": None, "median": None, "rows": None, "timeout": timeout}
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
