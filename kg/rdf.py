"""The model as RDF: one named graph per document, and a shared graph for what documents have in common.

This module decides *which* triples exist; :mod:`kg.rdfio` decides how they are written. Triples are
plain tuples rather than rdflib terms because a national corpus has millions of them and building rdflib
objects would dominate the run time; :func:`to_rdflib` gives an rdflib ``Dataset`` for small graphs.

The graph is kept compact on purpose. Fact nodes (responsibilities, targets, plan references) are typed by
the properties that point at them (see the ontology's ranges and the SHACL shapes), and their provenance
is two triples: ``prov:wasDerivedFrom <document#char=start,end>`` (an RFC 5147 text position, in the
manner of Web Annotation's text position selector) and ``kt:quote`` (the exact text, like a text quote
selector). A project is named the same way wherever it is mentioned, so its label is its quote and each
mention adds only the position it was derived from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from kg import vocab as v
from kg.dates import document_year, resolve_deadline
from kg.iri import Minter
from kg.model import Document, Unit
from kg.text import simplify

# An object is ("i", iri) | ("l", text, lang) | ("t", lexical, datatype) | ("s", text).
Obj = tuple
Subject = tuple[str, list[tuple[str, Obj]]]


def iri(value: str) -> Obj:
    return ("i", value)


def zh(text: str) -> Obj:
    return ("l", text, "zh")


def en(text: str) -> Obj:
    return ("l", text, "en")


def string(text: str) -> Obj:
    return ("s", text)


def typed(lexical: str, datatype: str) -> Obj:
    return ("t", lexical, datatype)


def decimal(value: float) -> Obj:
    """The canonical xsd:decimal form (``20.0``, ``12.24``): what rdflib and Oxigraph write too."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{value:.12f}".rstrip("0")
    if "." not in text:
        text += ".0"
    elif text.endswith("."):
        text += "0"
    return ("t", text, v.XSD_DECIMAL)


@dataclass
class SharedRefs:
    """What a document points at that lives in the shared graph."""

    units: dict[str, Unit] = field(default_factory=dict)  # iri → unit
    plans: dict[str, str] = field(default_factory=dict)  # iri → title
    projects: dict[str, tuple[str, str]] = field(default_factory=dict)  # iri → (jurisdiction, name)
    places: dict[str, str] = field(default_factory=dict)  # iri → jurisdiction

    def merge(self, other: SharedRefs) -> None:
        for unit_iri, unit in other.units.items():
            self.units.setdefault(unit_iri, unit)
        for mapping, theirs in ((self.plans, other.plans), (self.projects, other.projects), (self.places, other.places)):
            for key, value in theirs.items():
                mapping.setdefault(key, value)


@dataclass
class DocumentGraph:
    document: str  # IRI of the document
    graph: str  # IRI of its named graph
    subjects: list[Subject]
    shared: SharedRefs


@lru_cache(maxsize=100_000)
def plan_key(title: str) -> str:
    """Titles that differ only in width, script or spacing name the same plan."""
    return "".join(simplify(title).split())


def document_iri(doc: Document, minter: Minter) -> str:
    return minter.document(doc.issuer, doc.doc_number, doc.digest)


def scope_of(doc: Document) -> str:
    """The jurisdiction units and projects are resolved in (the document itself when unknown)."""
    return doc.jurisdiction or f"doc-{doc.digest[:12]}"


def document_graph(doc: Document, minter: Minter, doc_iri: str | None = None) -> DocumentGraph:
    """All triples of one document, in document order (which makes serialisations stable)."""
    d = doc_iri or document_iri(doc, minter)
    shared = SharedRefs()
    subjects: list[Subject] = []
    scope = scope_of(doc)
    year = document_year(doc.attachment_title or doc.title, doc.signed_date)

    def unit_iri(unit: Unit) -> str:
        u = minter.unit(unit.jurisdiction, unit.name)
        shared.units.setdefault(u, unit)
        return u

    def plan_iri(title: str) -> str:
        p = minter.plan(plan_key(title))
        shared.plans.setdefault(p, title)
        return p

    def evidence(po: list[tuple[str, Obj]], span, quote: str) -> None:
        po.append((v.PROV_WAS_DERIVED_FROM, iri(minter.position(d, span[0], span[1]))))
        po.append((v.KT_QUOTE, zh(quote)))

    # The document.
    po: list[tuple[str, Obj]] = [(v.RDF_TYPE, iri(v.KT_DOCUMENT))]
    if doc.title:
        po.append((v.DCT_TITLE, zh(doc.title)))
    if doc.attachment_title:
        po.append((v.KT_ATTACHMENT_TITLE, zh(doc.attachment_title)))
        po.append((v.KT_PUBLISHES, iri(plan_iri(doc.attachment_title))))
    if doc.doc_number:
        po.append((v.DCT_IDENTIFIER, string(doc.doc_number)))
    if doc.issuer:
        po.append((v.DCT_CREATOR, string(doc.issuer)))
    if doc.jurisdiction:
        place = minter.place(doc.jurisdiction)
        shared.places.setdefault(place, doc.jurisdiction)
        po.append((v.DCT_SPATIAL, iri(place)))
    if doc.signed_date:
        po.append((v.ELI_DATE_DOCUMENT, typed(doc.signed_date, v.XSD_DATE)))
    if doc.published_date:
        po.append((v.ELI_DATE_PUBLICATION, typed(doc.published_date, v.XSD_DATE)))
    po.append((v.DCT_SOURCE, string(doc.url or doc.source.replace("\\", "/").rsplit("/", 1)[-1])))
    po.append((v.KT_CONTENT_DIGEST, string(doc.digest)))
    references = []
    for n, ref in enumerate(doc.references, 1):
        ref_iri = minter.fact(d, "reference", n)
        po.append((v.KT_HAS_PLAN_REFERENCE, iri(ref_iri)))
        p = plan_iri(ref.title)
        if (v.RELATION_SHORTCUTS[ref.relation], iri(p)) not in po:
            po.append((v.RELATION_SHORTCUTS[ref.relation], iri(p)))
        references.append((ref_iri, ref, p))
    subjects.append((d, po))
    for ref_iri, ref, p in references:
        rpo = [(v.KT_PLAN_PROP, iri(p)), (v.KT_RELATION, iri(v.RELATION_CONCEPTS[ref.relation]))]
        if ref.verb:
            rpo.append((v.KT_VERB, zh(ref.verb)))
        evidence(rpo, ref.span, doc.text[ref.span.start:ref.span.end] if doc.text else f"《{ref.title}》")
        subjects.append((ref_iri, rpo))

    # Sections, outermost first; a task outside any section belongs to the document's root section.
    section_iris: dict[tuple[str, ...], str] = {}
    for section in doc.sections:
        s = minter.section(d, section.path)
        section_iris[section.path] = s
        parent = section_iris.get(section.path[:-1], d) if len(section.path) > 1 else d
        spo = [(v.RDF_TYPE, iri(v.KT_SECTION)), (v.DCT_IS_PART_OF, iri(parent)), (v.KT_LABEL, string(section.label))]
        if section.title:
            spo.append((v.DCT_TITLE, zh(section.title)))
        spo.append((v.PROV_WAS_DERIVED_FROM, iri(minter.position(d, *section.span))))
        subjects.append((s, spo))
    if any(not t.section_path for t in doc.tasks):
        root = minter.section(d, ())
        section_iris[()] = root
        subjects.append((root, [(v.RDF_TYPE, iri(v.KT_SECTION)), (v.DCT_IS_PART_OF, iri(d)),
                                (v.KT_LABEL, string(""))]))

    for task in doc.tasks:
        t = minter.task(d, task.path, task.id)
        tpo: list[tuple[str, Obj]] = [
            (v.RDF_TYPE, iri(v.KT_TASK)),
            (v.DCT_IS_PART_OF, iri(section_iris[task.section_path])),
            (v.KT_DOCUMENT_PROP, iri(d)),
            (v.KT_TASK_ID, string(task.id)),
            (v.DCT_TITLE, zh(task.title)),
            (v.KT_TEXT, zh(task.text)),
            (v.PROV_WAS_DERIVED_FROM, iri(minter.position(d, *task.span))),
        ]
        if task.deadline:
            tpo.append((v.KT_DEADLINE, zh(task.deadline)))
            date = resolve_deadline(task.deadline, year)
            if date:
                tpo.append((v.KT_DEADLINE_DATE, typed(date, v.XSD_DATE)))
        facts: list[Subject] = []
        for resp in task.responsibilities:
            r = minter.fact(t, "responsibility", resp.unit.name)
            u = unit_iri(resp.unit)
            tpo.append((v.KT_HAS_RESPONSIBILITY, iri(r)))
            tpo.append((v.ROLE_SHORTCUTS[resp.role], iri(u)))
            rpo = [(v.KT_UNIT, iri(u)), (v.KT_ROLE, iri(v.ROLE_CONCEPTS[resp.role]))]
            evidence(rpo, resp.span, resp.raw)
            facts.append((r, rpo))
        for n, plan in enumerate(task.plans, 1):
            r = minter.fact(t, "plan", n)
            p = plan_iri(plan.title)
            tpo.append((v.KT_HAS_PLAN_REFERENCE, iri(r)))
            tpo.append((v.RELATION_SHORTCUTS[plan.relation], iri(p)))
            rpo = [(v.KT_PLAN_PROP, iri(p)), (v.KT_RELATION, iri(v.RELATION_CONCEPTS[plan.relation]))]
            if plan.verb:
                rpo.append((v.KT_VERB, zh(plan.verb)))
            evidence(rpo, plan.span, doc.text[plan.span.start:plan.span.end] if doc.text else f"《{plan.title}》")
            facts.append((r, rpo))
        for project in task.projects:
            # Projects are shared by the tasks (and documents) of a jurisdiction that name them; each
            # mention is a text position the project was derived from, in this document's graph.
            p = minter.project(scope, plan_key(project.name))
            shared.projects.setdefault(p, (scope, project.name))
            tpo.append((v.KT_MENTIONS_PROJECT, iri(p)))
            facts.append((p, [(v.PROV_WAS_DERIVED_FROM, iri(minter.position(d, *project.span)))]))
        for n, target in enumerate(task.targets, 1):
            r = minter.fact(t, "target", n)
            tpo.append((v.KT_HAS_TARGET, iri(r)))
            rpo = [
                (v.KT_METRIC, zh(target.metric)),
                (v.KT_VALUE, decimal(target.value)),
                (v.KT_UNIT_OF_MEASURE, zh(target.unit)),
                (v.KT_COMPARATOR, string(target.op)),
            ]
            if target.deadline:
                rpo.append((v.KT_DEADLINE, zh(target.deadline)))
                date = resolve_deadline(target.deadline, year)
                if date:
                    rpo.append((v.KT_DEADLINE_DATE, typed(date, v.XSD_DATE)))
            evidence(rpo, target.span, target.text)
            facts.append((r, rpo))
        subjects.append((t, tpo))
        subjects.extend(facts)
    return DocumentGraph(document=d, graph=minter.graph(d), subjects=subjects, shared=shared)


def shared_graph(refs: SharedRefs, minter: Minter) -> list[Subject]:
    """Units, places, plans and projects, each once, sorted by IRI."""
    subjects: list[Subject] = []
    for u_iri in sorted(refs.units):
        unit = refs.units[u_iri]
        po = [(v.RDF_TYPE, iri(v.ORG_ORGANIZATION)), (v.SKOS_PREF_LABEL, zh(unit.name)),
              (v.KT_UNIT_ID, string(unit.id))]
        for alias in sorted(unit.aliases):
            if alias != unit.name:
                po.append((v.SKOS_ALT_LABEL, zh(alias)))
        # Every name a unit may be asked for by (id, canonical name, names as written), as plain strings:
        # one index lookup finds the unit whichever is given.
        for key in sorted({unit.id, unit.name, *unit.aliases}):
            po.append((v.KT_NAME_KEY, string(key)))
        if unit.en:
            po.append((v.RDFS_LABEL, en(unit.en)))
        po.append((v.ORG_CLASSIFICATION, iri(v.KIND_CONCEPTS_BASE + unit.kind)))
        po.append((v.KT_IN_GAZETTEER, typed("true" if unit.known else "false", v.XSD_BOOLEAN)))
        if not unit.jurisdiction.startswith("doc-"):
            place = minter.place(unit.jurisdiction)
            refs.places.setdefault(place, unit.jurisdiction)
            po.append((v.DCT_SPATIAL, iri(place)))
        subjects.append((u_iri, po))
    for p_iri in sorted(refs.places):
        subjects.append((p_iri, [(v.RDF_TYPE, iri(v.KT_JURISDICTION)), (v.SKOS_PREF_LABEL, zh(refs.places[p_iri]))]))
    for p_iri in sorted(refs.plans):
        subjects.append((p_iri, [(v.RDF_TYPE, iri(v.KT_PLAN)), (v.DCT_TITLE, zh(refs.plans[p_iri]))]))
    for p_iri in sorted(refs.projects):
        scope, name = refs.projects[p_iri]
        po = [(v.RDF_TYPE, iri(v.KT_PROJECT)), (v.SKOS_PREF_LABEL, zh(name))]
        if not scope.startswith("doc-"):
            po.append((v.DCT_SPATIAL, iri(minter.place(scope))))
        subjects.append((p_iri, po))
    return subjects
