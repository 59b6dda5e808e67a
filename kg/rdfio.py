"""Writing triples: Turtle, TriG, N-Triples and JSON-LD from the tuples of :mod:`kg.rdf`.

The writers are streaming string builders, one chunk per document, so that documents can be serialised in
worker processes and concatenated. Output is deterministic: subjects in document order (documents sorted
by IRI), predicates in the order the model emits them. Turtle and TriG use ``@base`` so instance IRIs are
written relative to the base; both parse back (rdflib, Oxigraph) to exactly the triples written in
N-Triples. JSON-LD is written in flattened form with an inline context.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache

from kg.rdf import Obj, Subject
from kg.resources import ontology_dir
from kg.vocab import PREFIXES, RDF_TYPE

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_OTHER_CONTROLS = re.compile("[\x00-\x07\x0b\x0e-\x1f\x7f]")
_TTL_PREFIXES = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_XSD = PREFIXES["xsd"]


def escape(text: str) -> str:
    """A string as the inside of an N-Triples / Turtle string literal."""
    text = text.translate(_ESCAPE_TABLE)
    if _OTHER_CONTROLS.search(text):
        text = _OTHER_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text)
    return text


def nt_term(obj: Obj) -> str:
    kind = obj[0]
    if kind == "i":
        return f"<{obj[1]}>"
    if kind == "l":
        return f'"{escape(obj[1])}"@{obj[2]}'
    if kind == "s":
        return f'"{escape(obj[1])}"'
    return f'"{escape(obj[1])}"^^<{obj[2]}>'


def ntriples(subjects: Iterable[Subject]) -> str:
    lines = []
    for s, pos in subjects:
        subject = f"<{s}> "
        for p, o in pos:
            lines.append(f"{subject}<{p}> {nt_term(o)} .\n")
    return "".join(lines)


class TurtleStyle:
    """How IRIs are abbreviated: vocabulary by prefix, instances relative to ``@base``."""

    def __init__(self, base: str) -> None:
        # Relative references resolve cleanly only against a base that ends with "/".
        self.base = base if base.endswith("/") else ""
        self._cache: dict[str, str] = {}
        self._verbs: dict[str, str] = {}

    def header(self) -> str:
        lines = [f"@base <{self.base}> ."] if self.base else []
        lines += [f"@prefix {name}: <{ns}> ." for name, ns in PREFIXES.items()]
        return "\n".join(lines) + "\n\n"

    def iri(self, value: str) -> str:
        cached = self._cache.get(value)
        if cached is not None:
            return cached
        result = None
        for name, ns in _TTL_PREFIXES:
            if value.startswith(ns):
                local = value[len(ns):]
                if local and all(c.isalnum() or c in "_-" for c in local) and local[0].isalpha():
                    result = f"{name}:{local}"
                    break
        if result is None:
            relative = self.base and value.startswith(self.base) and len(value) > len(self.base)
            result = f"<{value[len(self.base):]}>" if relative else f"<{value}>"
        if len(self._cache) < 50_000 and "#char=" not in value:
            self._cache[value] = result  # text positions never repeat; everything else does
        return result

    def term(self, obj: Obj) -> str:
        kind = obj[0]
        if kind == "i":
            return self.iri(obj[1])
        if kind == "l":
            return f'"{escape(obj[1])}"@{obj[2]}'
        if kind == "s":
            return f'"{escape(obj[1])}"'
        datatype = obj[2]
        if datatype.startswith(_XSD):
            return f'"{escape(obj[1])}"^^xsd:{datatype[len(_XSD):]}'
        return f'"{escape(obj[1])}"^^<{datatype}>'

    def block(self, subjects: Iterable[Subject]) -> str:
        """Subjects as Turtle statements (``;`` between predicates, ``,`` between repeated objects)."""
        iri, term, verbs = self.iri, self.term, self._verbs
        out = []
        for s, pos in subjects:
            parts = [iri(s)]
            last_p = None
            for p, o in pos:
                if p == last_p:
                    parts.append(" ,\n        ")
                else:
                    verb = verbs.get(p)
                    if verb is None:
                        verb = verbs[p] = "\n    " + ("a" if p == RDF_TYPE else iri(p)) + " "
                    if last_p is not None:
                        parts.append(" ;")
                    parts.append(verb)
                    last_p = p
                parts.append(term(o))
            parts.append(" .\n")
            out.append("".join(parts))
        return "\n".join(out)


def turtle(subjects: Iterable[Subject], base: str) -> str:
    style = TurtleStyle(base)
    return style.header() + style.block(subjects)


def trig_graph(style: TurtleStyle, graph: str, block: bytes) -> bytes:
    """A named graph of TriG around a Turtle block in UTF-8 (TriG allows the same statements inside braces)."""
    return b"".join((style.iri(graph).encode(), b" {\n", block, b"}\n\n"))


@cache
def _shipped_context() -> dict:
    """The JSON-LD context of ``ontology/context.jsonld``: the prefixes and a term for every kt: property."""
    path = ontology_dir() / "context.jsonld"
    return json.loads(path.read_text("utf-8"))["@context"]


def jsonld_context(base: str) -> dict:
    """The context written into graph.jsonld: the shipped one, inlined so the file needs no network."""
    context: dict = {"@base": base}
    context.update(_shipped_context())
    return context


_COMPACT: dict[str, str] = {}


def compact(value: str) -> str:
    """``kt:taskId`` for a vocabulary IRI (keys and datatypes); other IRIs stay absolute."""
    found = _COMPACT.get(value)
    if found is None:
        found = value
        for name, ns in _TTL_PREFIXES:
            if value.startswith(ns) and len(value) > len(ns):
                found = f"{name}:{value[len(ns):]}"
                break
        if len(_COMPACT) < 10_000:
            _COMPACT[value] = found
    return found


def jsonld_value(obj: Obj) -> dict | str:
    kind = obj[0]
    if kind == "i":
        return {"@id": obj[1]}
    if kind == "l":
        return {"@value": obj[1], "@language": obj[2]}
    if kind == "s":
        return obj[1]
    return {"@value": obj[1], "@type": compact(obj[2])}


def _jsonld_node(s: str, pos: list) -> dict:
    node: dict = {"@id": s}
    types = [compact(o[1]) for p, o in pos if p == RDF_TYPE]
    if types:
        node["@type"] = types if len(types) > 1 else types[0]
    for p, o in pos:
        if p == RDF_TYPE:
            continue
        p = compact(p)
        value = jsonld_value(o)
        existing = node.get(p)
        if existing is None:
            node[p] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            node[p] = [existing, value]
    return node


def jsonld_nodes(subjects: Iterable[Subject]) -> str:
    """The subjects as flattened JSON-LD node objects, comma-separated, for streaming into ``@graph``."""
    nodes = [_jsonld_node(s, pos) for s, pos in subjects]
    if not nodes:
        return ""
    # One dumps call for the whole document; its enclosing brackets are dropped.
    return json.dumps(nodes, ensure_ascii=False, separators=(",", ":"))[1:-1].replace("},{\"@id\"", "},\n{\"@id\"")


def jsonld_document_start(base: str) -> str:
    return '{"@context":' + json.dumps(jsonld_context(base), ensure_ascii=False) + ',\n"@graph":[\n'


JSONLD_END = "\n]}\n"
