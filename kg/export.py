"""Other RDF serialisations of a build (N-Triples, N-Quads, RDF/XML …), converted by Oxigraph.

A build writes Turtle, TriG and JSON-LD; every other format is a conversion of those files, done in
Oxigraph's Rust parser and serialiser so that it stays fast on large graphs.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.vocab import PREFIXES

FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "nt": (ox.RdfFormat.N_TRIPLES, "graph.ttl"),
    "ttl": (ox.RdfFormat.TURTLE, "graph.ttl"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "graph.ttl"),
    "jsonld": (ox.RdfFormat.JSON_LD, "graph.ttl"),
    "nq": (ox.RdfFormat.N_QUADS, "graph.trig"),
    "trig": (ox.RdfFormat.TRIG, "graph.trig"),
}


def export(folder: str | Path, fmt: str, output) -> None:
    """Write the build in ``folder`` as ``fmt`` to ``output`` (a path or a binary file object)."""
    if fmt not in FORMATS:
        raise KgError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format, source_name = FORMATS[fmt]
    source = Path(folder) / source_name
    if not source.exists():
        raise KgError(f"{folder}: no {source_name}; run `kg build --out {folder}` first")
    source_format = ox.RdfFormat.TRIG if source_name.endswith(".trig") else ox.RdfFormat.TURTLE
    quads = ox.parse(path=str(source), format=source_format)
    items = quads if rdf_format.supports_datasets else (quad.triple for quad in quads)
    prefixes = PREFIXES if fmt in ("ttl", "trig", "rdfxml", "jsonld") else None
    ox.serialize(items, output, rdf_format, prefixes=prefixes)
