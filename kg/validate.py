"""SHACL validation of a build (``ontology/shapes.ttl``, run with pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import SH

from kg.errors import KgError
from kg.resources import ontology_dir
from kg.vocab import PREFIXES


@dataclass
class Validation:
    conforms: bool
    triples: int
    violations: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        if self.conforms:
            return f"conforms: {self.triples} triples satisfy the SHACL shapes"
        return f"does not conform: {len(self.violations)} violation(s) in {self.triples} triples"


def _short(term: rdflib.term.Node | None, graph: rdflib.Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - fall back to the full IRI
            return str(term)
    return str(term)


def validate_graph(data: rdflib.Graph) -> Validation:
    import pyshacl

    shapes = rdflib.Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=False, allow_warnings=True)
    violations = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        violations.append({
            "focus": _short(report.value(result, SH.focusNode), data),
            "path": _short(report.value(result, SH.resultPath), data),
            "value": _short(report.value(result, SH.value), data),
            "message": str(report.value(result, SH.resultMessage) or ""),
            "severity": _short(report.value(result, SH.resultSeverity), report).split("#")[-1],
        })
    violations.sort(key=lambda v: (v["focus"], v["path"], v["message"]))
    return Validation(conforms=bool(conforms), triples=len(data), violations=violations)


def validate_folder(folder: str | Path) -> Validation:
    path = Path(folder) / "graph.ttl"
    if not path.exists():
        raise KgError(f"{folder}: no graph.ttl; run `kg build --out {folder}` first")
    data = rdflib.Graph()
    data.parse(path, format="turtle")
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace)
    return validate_graph(data)
