"""``kg build``: documents in, a folder of graph files, a SPARQL store and reports out.

The work per document — parse, model → triples, serialise as Turtle, TriG, JSON-LD, N-Triples and JSON —
runs in worker processes, one document at a time, and the main process only concatenates the chunks in
input order, adds the shared graph (units, plans, projects, places) and the ontology, and loads the store.
Everything is written into a staged folder that replaces the output folder in one atomic swap, under a
lock, so an interrupted, failing or concurrent build never leaves a half-written folder.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg import __version__, rdfio
from kg.corpus import Corpus, collect_inputs, iter_parsed, refuse_in_starting_worker
from kg.errors import InputError, KgError
from kg.fsutil import exclusive_lock, staged_directory
from kg.iri import Minter
from kg.jsonio import document_to_dict
from kg.model import Document
from kg.output import to_csv
from kg.parse import parse_path
from kg.rdf import DocumentGraph, SharedRefs, Subject, document_graph, document_iri, shared_graph
from kg.resources import ontology_dir, sample_path
from kg.store import STORE_DIR, create_store
from kg.unit_load import UNIT_COLUMNS, unit_workload
from kg.vocab import DEFAULT_BASE_IRI, ONTOLOGY_IRI

DEFAULT_OUT = "kg-out"
#: Written last into every build folder: base IRI, document IRIs and named graphs, triple count.
MANIFEST = "manifest.json"


def read_manifest(folder: str | Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise KgError(f"{folder}: not a kg build folder (no {MANIFEST}); run `kg build --out {folder}` first")
    return json.loads(path.read_text("utf-8"))


@dataclass
class BuildResult:
    out: Path
    documents: int = 0
    tasks: int = 0
    units: int = 0
    plans: int = 0
    projects: int = 0
    targets: int = 0
    triples: int = 0
    files: list[str] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # wall-clock seconds per phase

    def summary(self) -> list[dict]:
        return [{"documents": self.documents, "tasks": self.tasks, "units": self.units, "plans": self.plans,
                 "projects": self.projects, "targets": self.targets, "triples": self.triples,
                 "seconds": round(self.seconds, 2)}]


@dataclass
class _Chunk:
    """What a worker sends back for one document: the model and its serialised pieces.

    The pieces travel as UTF-8 bytes: pickling them is a copy, and the main process writes them as they
    are, where strings would be encoded to cross the pipe, decoded, and encoded again to be written.
    """

    document: Document
    graph: DocumentGraph
    turtle: bytes  # Turtle statements, without prefixes (also the body of the document's TriG graph)
    jsonld: bytes  # JSON-LD node objects, comma-separated
    json: bytes  # the document's entry in documents.json


_WORKER_MINTER: Minter | None = None


def _init_worker(base: str) -> None:
    global _WORKER_MINTER
    _WORKER_MINTER = Minter(base)


def _process(args: tuple[str, str | None]) -> _Chunk | InputError:
    """Parse and serialise one document (runs in a worker process)."""
    path, jurisdiction = args
    try:
        doc = parse_path(path, jurisdiction=jurisdiction)
    except InputError as error:
        return error
    minter = _WORKER_MINTER or Minter()
    return _serialise(doc, minter, document_iri(doc, minter))


@cache
def _turtle_style(base: str) -> rdfio.TurtleStyle:
    """One per process and base IRI, so its cache of rendered vocabulary IRIs serves every document."""
    return rdfio.TurtleStyle(base)


def _serialise(doc: Document, minter: Minter, doc_iri: str) -> _Chunk:
    graph = document_graph(doc, minter, doc_iri)
    chunk = _Chunk(
        document=doc,
        graph=graph,
        turtle=_turtle_style(minter.base).block(graph.subjects).encode(),
        jsonld=rdfio.jsonld_nodes(graph.subjects).encode(),
        json=json.dumps(document_to_dict(doc), ensure_ascii=False).encode(),
    )
    graph.subjects = []  # serialised: no need to send the tuples back to the main process
    return chunk


@cache
def ontology_subjects() -> tuple[Subject, ...]:
    """The ontology (``ontology/kg.ttl``) as subjects, sorted, so builds can ship it with the data."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(ontology_dir() / "kg.ttl", format="turtle")
    by_subject: dict[str, list] = {}
    for s, p, o in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), t[2].n3())):
        if isinstance(o, rdflib.URIRef):
            obj = ("i", str(o))
        elif o.language:
            obj = ("l", str(o), o.language)
        elif o.datatype is not None and str(o.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            obj = ("t", str(o), str(o.datatype))
        else:
            obj = ("s", str(o))
        by_subject.setdefault(str(s), []).append((str(p), obj))
    return tuple(by_subject.items())


class _StoreLoad(threading.Thread):
    """Creates the build's store in the background; :meth:`finish` waits and returns its triple count."""

    def __init__(self, path: Path, turtle: Path, header_length: int) -> None:
        super().__init__(name="kg-store-load", daemon=True)
        self.args_ = (path, turtle, header_length)
        self.triples = 0
        self.seconds = 0.0
        self.error: BaseException | None = None

    def run(self) -> None:
        started = time.perf_counter()
        try:
            self.triples = create_store(*self.args_)
        except BaseException as exc:  # re-raised by finish()
            self.error = exc
        self.seconds = time.perf_counter() - started

    def finish(self) -> int:
        self.join()
        if self.error is not None:
            raise self.error
        return self.triples


class _Writers:
    """The graph files of a build, written chunk by chunk (as UTF-8 bytes, see :class:`_Chunk`)."""

    def __init__(self, folder: Path, base: str) -> None:
        self.folder = folder
        self.style = rdfio.TurtleStyle(base)
        self.header = self.style.header().encode()
        self.ttl = open(folder / "graph.ttl", "wb")
        self.trig = open(folder / "graph.trig", "wb")
        self.jsonld = open(folder / "graph.jsonld", "wb")
        self.docs = open(folder / "documents.json", "wb")
        self.ttl.write(self.header)
        self.trig.write(self.header)
        self.jsonld.write(rdfio.jsonld_document_start(base).encode())
        self.docs.write(b'{"documents": [\n')
        self.first_node = True
        self.first_doc = True

    def _add(self, graph_iri: str, turtle: bytes, jsonld: bytes) -> None:
        if not turtle:
            return
        self.ttl.write(turtle)
        self.ttl.write(b"\n")
        self.trig.write(rdfio.trig_graph(self.style, graph_iri, turtle))
        if not self.first_node:
            self.jsonld.write(b",\n")
        self.jsonld.write(jsonld)
        self.first_node = False

    def add_document(self, chunk: _Chunk) -> None:
        self._add(chunk.graph.graph, chunk.turtle, chunk.jsonld)
        if not self.first_doc:
            self.docs.write(b",\n")
        self.docs.write(chunk.json)
        self.first_doc = False

    def add_graph(self, graph_iri: str, subjects: list[Subject]) -> None:
        self._add(graph_iri, self.style.block(subjects).encode(), rdfio.jsonld_nodes(subjects).encode())

    def close(self) -> None:
        self.jsonld.write(rdfio.JSONLD_END.encode())
        self.docs.write(b"\n]}\n")
        for handle in (self.ttl, self.trig, self.jsonld, self.docs):
            handle.close()


def build(
    paths: list[str | Path] | None = None,
    out: str | Path = DEFAULT_OUT,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    jurisdiction: str | None = None,
    jobs: int | None = None,
    keep_going: bool = False,
    views: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the graph of ``paths`` (the bundled sample when empty) into the folder ``out``."""
    refuse_in_starting_worker()
    started = time.perf_counter()
    try:
        minter = Minter(base_iri)
    except ValueError as exc:
        raise KgError(f"--base-iri: {exc}") from None
    paths = list(paths or []) or [sample_path()]
    files, skipped = collect_inputs(paths)
    if not files:
        raise KgError("no document files found in " + ", ".join(str(p) for p in paths))
    out = Path(out)
    result = BuildResult(out=out, skipped=skipped)
    corpus = Corpus(skipped=skipped)
    shared = SharedRefs()
    with exclusive_lock(out), staged_directory(out) as staged:
        writers = _Writers(staged, minter.base)
        try:
            seen: dict[str, str] = {}  # document IRI → source
            seen_order: list[str] = []
            _init_worker(minter.base)
            for index, item in enumerate(iter_parsed(files, jurisdiction=jurisdiction, jobs=jobs, worker=_process,
                                                     initializer=_init_worker, initargs=(minter.base,)), 1):
                if progress:
                    progress(index, len(files))
                if isinstance(item, InputError):
                    if not keep_going:
                        raise item
                    result.failures.append(item)
                    continue
                doc = item.document
                if item.graph.document in seen:
                    # Issuer and 发文字号 identify a document: a second capture of it (the page and the text,
                    # a mirror) would count every task twice.
                    result.warnings.append(f"{doc.source}: same document as {seen[item.graph.document]} "
                                           "(same issuer and number), skipped")
                    continue
                seen[item.graph.document] = doc.source
                seen_order.append(item.graph.document)
                corpus.adopt(doc)
                shared.merge(item.graph.shared)
                writers.add_document(item)
            if not corpus.documents:
                raise KgError("no document could be parsed")
            manifest_documents = [{"source": d.source, "iri": iri_, "graph": Minter.graph(iri_), "digest": d.digest}
                                  for d, iri_ in zip(corpus.documents, seen_order, strict=True)]
            # Units merged across documents carry every alias seen; use the corpus' merged units.
            shared.units = {u_iri: corpus.registry.units.get(unit.key, unit) for u_iri, unit in shared.units.items()}
            result.timings["parse+serialise"] = time.perf_counter() - started
            mark = time.perf_counter()
            writers.add_graph(minter.shared_graph, shared_graph(shared, minter))
            writers.add_graph(ONTOLOGY_IRI, list(ontology_subjects()))
        finally:
            writers.close()
        documents = corpus.documents
        # The store loads in Rust threads that release the GIL; the reports are Python. Doing both at once
        # uses the cores the loader leaves idle.
        loading = _StoreLoad(staged / STORE_DIR, staged / "graph.ttl", len(writers.header))
        loading.start()
        try:
            rows = unit_workload(documents)
            (staged / "workload.csv").write_text(to_csv(rows, UNIT_COLUMNS), encoding="utf-8")
            result.timings["shared+workload"] = time.perf_counter() - mark
            if views:
                from kg.views import write_build_views

                mark = time.perf_counter()
                write_build_views(corpus, staged, workload_rows=rows)
                result.timings["views"] = time.perf_counter() - mark
        finally:
            result.triples = loading.finish()
        result.timings["store"] = loading.seconds
        manifest = {"kg_version": __version__, "base_iri": minter.base, "shared_graph": minter.shared_graph,
                    "ontology_graph": ONTOLOGY_IRI, "triples": result.triples, "documents": manifest_documents}
        (staged / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        result.files = sorted(p.name for p in staged.iterdir())
    result.documents = len(documents)
    result.tasks = sum(len(d.tasks) for d in documents)
    result.units = len(corpus.registry.units)
    result.plans = len(shared.plans)
    result.projects = len(shared.projects)
    result.targets = sum(len(t.targets) for d in documents for t in d.tasks)
    result.seconds = time.perf_counter() - started
    return result
