"""The model as a property graph: plain node and relationship rows, with the RDF graph's IRIs.

Neo4j (:mod:`kg.neo4j_store`), embedded Cypher (:mod:`kg.cypher_embedded`) and anything else that wants
nodes and edges read these rows, so every Cypher backend sees one graph, and every node keeps the IRI the
RDF graph gives it (property ``uri``, minted by :class:`kg.iri.Minter` exactly as :mod:`kg.rdf` does), so a
row found in Neo4j can be looked up in the SPARQL store and back.

Schema (labels, relationship types and properties; ``start``/``end`` are character offsets into the
document's text)::

    (:Document {uri, title, attachment_title, doc_number, issuer, jurisdiction, signed_date, published_date,
                source, url, digest, kg_fingerprint})
    (:Section {uri, label, title, path, start, end})-[:PART_OF]->(:Document | :Section)
    (:Task {uri, task_id, number, path, title, text, deadline, deadline_date, start, end})-[:PART_OF]->(:Section)
    (:Unit {uri, unit_id, name, name_en, kind, jurisdiction, aliases, known})
        -[:RESPONSIBLE_FOR {uri, role, raw, start, end}]->(:Task)
    (:Task | :Document)-[:CITES {uri, relation, verb, quote, start, end}]->(:Plan {uri, title})
    (:Document)-[:PUBLISHES]->(:Plan)
    (:Task)-[:MENTIONS {quote, start, end}]->(:Project {uri, name, jurisdiction})
    (:Task)-[:HAS_TARGET]->(:Target {uri, metric, value, unit, op, deadline, deadline_date, quote, start, end})

Where the RDF graph has a fact node (a responsibility, a plan reference), the property graph has a
relationship carrying that node's IRI in ``uri``: one ``RESPONSIBLE_FOR`` per (unit, task, role), one
``CITES`` per plan reference. Counting rows therefore gives the same numbers in SPARQL and Cypher. A project
mention is a text position in RDF (``prov:wasDerivedFrom`` on the project), so ``MENTIONS`` has no IRI.

Ownership, which makes reloading and clearing exact: a document *owns* its Document, Section, Task and
Target nodes (property ``kg_document`` = the document's IRI) and every relationship that starts at one of
them. Unit, Plan and Project nodes are *shared* between documents (property ``kg_shared`` = true) and only
referenced. Dates are :class:`datetime.date` (Neo4j ``Date``); a missing value is simply absent.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.dates import document_year, resolve_deadline
from kg.iri import Minter
from kg.model import Document, Unit
from kg.rdf import document_iri, plan_key, scope_of

#: Bumped whenever the rows below change shape, so that a reload replaces documents loaded by older kg.
SCHEMA_VERSION = 2

DOCUMENT_LABELS: tuple[str, ...] = ("Document", "Section", "Task", "Target")
SHARED_LABELS: tuple[str, ...] = ("Unit", "Plan", "Project")
LABELS: tuple[str, ...] = DOCUMENT_LABELS + SHARED_LABELS
#: (type, start label, end label) of every relationship kind, in the order they are written.
RELATIONSHIPS: tuple[tuple[str, str, str], ...] = (
    ("PART_OF", "Section", "Document"),
    ("PART_OF", "Section", "Section"),
    ("PART_OF", "Task", "Section"),
    ("HAS_TARGET", "Task", "Target"),
    ("RESPONSIBLE_FOR", "Unit", "Task"),
    ("CITES", "Document", "Plan"),
    ("CITES", "Task", "Plan"),
    ("PUBLISHES", "Document", "Plan"),
    ("MENTIONS", "Task", "Project"),
)
#: Every property and its type (``string``, ``int``, ``float``, ``bool``, ``date``, ``string[]``). Engines
#: with a fixed schema (the embedded one) create their tables from this; a test keeps the rows in line.
NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Document": {"uri": "string", "title": "string", "attachment_title": "string", "doc_number": "string",
                 "issuer": "string", "jurisdiction": "string", "signed_date": "date", "published_date": "date",
                 "source": "string", "url": "string", "digest": "string", "kg_document": "string",
                 "kg_fingerprint": "string"},
    "Section": {"uri": "string", "label": "string", "title": "string", "path": "string[]", "start": "int",
                "end": "int", "kg_document": "string"},
    "Task": {"uri": "string", "task_id": "string", "number": "string", "path": "string[]", "title": "string",
             "text": "string", "deadline": "string", "deadline_date": "date", "start": "int", "end": "int",
             "kg_document": "string"},
    "Target": {"uri": "string", "metric": "string", "value": "float", "unit": "string", "op": "string",
               "deadline": "string", "deadline_date": "date", "quote": "string", "start": "int", "end": "int",
               "kg_document": "string"},
    "Unit": {"uri": "string", "unit_id": "string", "name": "string", "name_en": "string", "kind": "string",
             "jurisdiction": "string", "aliases": "string[]", "known": "bool", "kg_shared": "bool"},
    "Plan": {"uri": "string", "title": "string", "kg_shared": "bool"},
    "Project": {"uri": "string", "name": "string", "jurisdiction": "string", "kg_shared": "bool"},
}
RELATIONSHIP_PROPERTIES: dict[str, dict[str, str]] = {
    "PART_OF": {},
    "HAS_TARGET": {},
    "RESPONSIBLE_FOR": {"uri": "string", "role": "string", "raw": "string", "start": "int", "end": "int"},
    "CITES": {"uri": "string", "relation": "string", "verb": "string", "quote": "string", "start": "int",
              "end": "int"},
    "PUBLISHES": {},
    "MENTIONS": {"quote": "string", "start": "int", "end": "int"},
}
#: The property every node is identified by (the RDF IRI).
KEY = "uri"
#: Marks document-owned nodes with the IRI of the document that owns them.
OWNER = "kg_document"
#: Marks shared nodes (units, plans, projects) as loaded by kg.
SHARED = "kg_shared"

RelKey = tuple[str, str, str]


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _clean(row: dict) -> dict:
    """Drop absent values: a property graph stores no nulls (Neo4j removes a property set to null)."""
    return {k: v for k, v in row.items() if v is not None}


@dataclass
class SharedRows:
    """Shared nodes by IRI, per label. Merging keeps the first-seen title or name, as the RDF graph does."""

    nodes: dict[str, dict[str, dict]] = field(default_factory=lambda: {label: {} for label in SHARED_LABELS})

    def add(self, label: str, row: dict) -> str:
        existing = self.nodes[label].get(row[KEY])
        if existing is None:
            self.nodes[label][row[KEY]] = row
        elif label == "Unit":
            existing["aliases"] = sorted(set(existing.get("aliases", [])) | set(row.get("aliases", [])))
        return row[KEY]

    def merge(self, other: SharedRows) -> None:
        for label, rows in other.nodes.items():
            for row in rows.values():
                self.add(label, dict(row))

    def rows(self, label: str) -> list[dict]:
        """Rows of one label, sorted by IRI (stable batches and stable output)."""
        return [self.nodes[label][k] for k in sorted(self.nodes[label])]

    def count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())


@dataclass
class DocumentRows:
    """One document's own nodes and relationships, and the shared nodes it points at."""

    uri: str
    nodes: dict[str, list[dict]]
    relationships: dict[RelKey, list[dict]]
    shared: SharedRows
    fingerprint: str = ""

    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    def relationship_count(self) -> int:
        return sum(len(rows) for rows in self.relationships.values())


@dataclass
class PropertyGraph:
    documents: list[DocumentRows]
    shared: SharedRows

    def node_count(self) -> int:
        return sum(d.node_count() for d in self.documents) + self.shared.count()

    def relationship_count(self) -> int:
        return sum(d.relationship_count() for d in self.documents)


def unit_row(unit: Unit, uri: str) -> dict:
    return _clean({
        KEY: uri,
        "unit_id": unit.id,
        "name": unit.name,
        "name_en": unit.en,
        "kind": unit.kind,
        "jurisdiction": unit.jurisdiction,
        "aliases": sorted(unit.aliases),
        "known": unit.known,
        SHARED: True,
    })


class SharedIris:
    """IRIs of shared nodes, minted once per name: a corpus names the same units and plans thousands of times."""

    def __init__(self, minter: Minter) -> None:
        self.unit = functools.cache(minter.unit)
        self.plan = functools.cache(lambda title: minter.plan(plan_key(title)))
        self.project = functools.cache(lambda scope, name: minter.project(scope, plan_key(name)))


def document_rows(doc: Document, minter: Minter, doc_iri: str | None = None,
                  iris: SharedIris | None = None) -> DocumentRows:
    """Rows of one document, walking it in the order :func:`kg.rdf.document_graph` does.

    The order matters where the RDF graph keeps the first title seen for a plan or project IRI.
    """
    iris = iris or SharedIris(minter)
    d = doc_iri or document_iri(doc, minter)
    year = document_year(doc.attachment_title or doc.title, doc.signed_date)
    scope = scope_of(doc)
    shared = SharedRows()
    nodes: dict[str, list[dict]] = {label: [] for label in DOCUMENT_LABELS}
    rels: dict[RelKey, list[dict]] = {key: [] for key in RELATIONSHIPS}

    def owned(label: str, row: dict) -> str:
        nodes[label].append(_clean({**row, OWNER: d}))
        return row[KEY]

    def link(kind: str, from_label: str, to_label: str, source: str, target: str, **props) -> None:
        rels[(kind, from_label, to_label)].append({"from": source, "to": target, "props": _clean(props)})

    def plan(title: str) -> str:
        return shared.add("Plan", {KEY: iris.plan(title), "title": title, SHARED: True})

    def quote(span, title: str) -> str:
        return doc.text[span.start:span.end] if doc.text else f"《{title}》"

    owned("Document", {
        KEY: d, "title": doc.title, "attachment_title": doc.attachment_title, "doc_number": doc.doc_number,
        "issuer": doc.issuer, "jurisdiction": doc.jurisdiction, "signed_date": _date(doc.signed_date),
        "published_date": _date(doc.published_date),
        "source": doc.url or doc.source.replace("\\", "/").rsplit("/", 1)[-1], "url": doc.url,
        "digest": doc.digest,
    })
    if doc.attachment_title:
        link("PUBLISHES", "Document", "Plan", d, plan(doc.attachment_title))
    for n, ref in enumerate(doc.references, 1):
        link("CITES", "Document", "Plan", d, plan(ref.title), uri=minter.fact(d, "reference", n),
             relation=ref.relation, verb=ref.verb, quote=quote(ref.span, ref.title), start=ref.span.start,
             end=ref.span.end)

    sections: dict[tuple[str, ...], str] = {}
    for section in doc.sections:
        s = owned("Section", {KEY: minter.section(d, section.path), "label": section.label,
                              "title": section.title or None, "path": list(section.path),
                              "start": section.span.start, "end": section.span.end})
        sections[section.path] = s
        parent = sections.get(section.path[:-1]) if len(section.path) > 1 else None
        link("PART_OF", "Section", "Section" if parent else "Document", s, parent or d)
    if any(not t.section_path or t.section_path not in sections for t in doc.tasks):
        root = owned("Section", {KEY: minter.section(d, ()), "label": "", "path": []})
        sections[()] = root
        link("PART_OF", "Section", "Document", root, d)

    for task in doc.tasks:
        t = owned("Task", {
            KEY: minter.task(d, task.path, task.id), "task_id": task.id, "number": task.number,
            "path": list(task.path), "title": task.title, "text": task.text, "deadline": task.deadline,
            "deadline_date": _date(resolve_deadline(task.deadline, year)),
            "start": task.span.start, "end": task.span.end,
        })
        link("PART_OF", "Task", "Section", t, sections.get(task.section_path, sections.get(())))
        seen_roles: set[tuple[str, str]] = set()
        for resp in task.responsibilities:
            u = shared.add("Unit", unit_row(resp.unit, iris.unit(resp.unit.jurisdiction, resp.unit.name)))
            if (u, resp.role) in seen_roles:
                continue  # RDF states (responsibility, role) once; so do we
            seen_roles.add((u, resp.role))
            link("RESPONSIBLE_FOR", "Unit", "Task", u, t, uri=minter.fact(t, "responsibility", resp.unit.name),
                 role=resp.role, raw=resp.raw, start=resp.span.start, end=resp.span.end)
        for n, ref in enumerate(task.plans, 1):
            link("CITES", "Task", "Plan", t, plan(ref.title), uri=minter.fact(t, "plan", n), relation=ref.relation,
                 verb=ref.verb, quote=quote(ref.span, ref.title), start=ref.span.start, end=ref.span.end)
        for project in task.projects:
            p = shared.add("Project", _clean({
                KEY: iris.project(scope, project.name), "name": project.name,
                "jurisdiction": None if scope.startswith("doc-") else scope, SHARED: True,
            }))
            link("MENTIONS", "Task", "Project", t, p, quote=project.name,
                 start=project.span.start, end=project.span.end)
        for n, target in enumerate(task.targets, 1):
            g = owned("Target", {
                KEY: minter.fact(t, "target", n), "metric": target.metric, "value": float(target.value),
                "unit": target.unit, "op": target.op, "deadline": target.deadline,
                "deadline_date": _date(resolve_deadline(target.deadline, year)), "quote": target.text,
                "start": target.span.start, "end": target.span.end,
            })
            link("HAS_TARGET", "Task", "Target", t, g)
    rows = DocumentRows(uri=d, nodes=nodes, relationships=rels, shared=shared)
    rows.fingerprint = fingerprint(rows)
    return rows


def fingerprint(rows: DocumentRows) -> str:
    """A digest of what loading the document writes, so an unchanged document can be skipped.

    Unit aliases are left out: they accumulate across documents and loads rather than belong to one.
    """
    shared = {label: [{k: v for k, v in row.items() if k != "aliases"} for row in rows.shared.rows(label)]
              for label in SHARED_LABELS}
    payload = {"v": SCHEMA_VERSION, "nodes": rows.nodes, "shared": shared,
               "rels": [[list(k), v] for k, v in rows.relationships.items()]}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_iris(documents: Sequence[Document], minter: Minter) -> list[str | None]:
    """IRIs for parsed documents, with ``kg build``'s rule for repeats (:mod:`kg.build`).

    The same document given twice gets ``None`` (skip it); two different texts with the same issuer and
    number are told apart by a ``~digest`` suffix.
    """
    seen: dict[str, str] = {}
    iris: list[str | None] = []
    for doc in documents:
        d = document_iri(doc, minter)
        if d in seen:
            if seen[d] == doc.digest:
                iris.append(None)
                continue
            d = f"{d}~{doc.digest[:8]}"
        seen[d] = doc.digest
        iris.append(d)
    return iris


def property_graph(documents: Iterable[Document], minter: Minter,
                   iris: Sequence[str | None] | None = None) -> PropertyGraph:
    """The property graph of ``documents``; ``iris`` (from a build's manifest) override minted IRIs.

    Documents whose IRI is ``None`` are skipped (repeats of an earlier input).
    """
    documents = list(documents)
    iris = list(iris) if iris is not None else document_iris(documents, minter)
    if len(iris) != len(documents):
        raise ValueError(f"{len(iris)} document IRIs for {len(documents)} documents")
    graph = PropertyGraph(documents=[], shared=SharedRows())
    shared_iris = SharedIris(minter)
    for doc, d in zip(documents, iris, strict=True):
        if d is None:
            continue
        rows = document_rows(doc, minter, d, shared_iris)
        graph.shared.merge(rows.shared)
        graph.documents.append(rows)
    return graph


def from_build(folder: str | Path) -> PropertyGraph:
    """The property graph of a ``kg build`` folder: its documents.json, with the manifest's base and IRIs."""
    from kg.build import read_manifest
    from kg.corpus import load_built

    manifest = read_manifest(folder)
    corpus = load_built(folder)
    iris = [entry["iri"] for entry in manifest.get("documents", [])]
    if len(iris) != len(corpus.documents):
        from kg.errors import KgError

        raise KgError(f"{folder}: manifest.json lists {len(iris)} documents but documents.json has "
                      f"{len(corpus.documents)}; rebuild with `kg build --out {folder}`")
    return property_graph(corpus.documents, Minter(manifest["base_iri"]), iris)


def result_value(value: object) -> object:
    """A number read back from a Cypher backend: whole numbers as ``int``, like SPARQL's decimals.

    :func:`kg.named_queries.term_value` turns ``"700"^^xsd:decimal`` into ``700``; Neo4j and the embedded
    engine hold the same value as a float (``700.0``). Both Cypher backends pass their numbers through
    here, so every backend prints ``700`` and rows compare equal.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
