"""Named queries: the questions analysts ask, in SPARQL (``queries/*.rq``) and Cypher (``queries/*.cypher``).

Each file starts with comment lines that say its name, purpose, parameters and result columns; every
backend returns the same columns in the same order, so results can be compared row for row. Parameters
are always bound by the engine (Oxigraph substitutions, Cypher ``$params``), never pasted into query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.resources import queries_dir

_HEADER = re.compile(r"^\s*(?://|#)\s*(name|purpose|params|columns)\s*:\s*(.*)$")
_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\s*\(([^)]*)\))?")
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                    "positiveInteger", "unsignedInt", "unsignedLong")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}


@dataclass
class NamedQuery:
    name: str
    purpose: str = ""
    params: dict[str, str] = field(default_factory=dict)  # name → description
    columns: list[str] = field(default_factory=list)
    sparql: str | None = None
    cypher: str | None = None

    @property
    def param_names(self) -> list[str]:
        return list(self.params)


def _read_header(text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            header[m.group(1)] = m.group(2).strip()
        elif line.strip() and not line.lstrip().startswith(("#", "//")):
            break
    return header


def _params(spec: str) -> dict[str, str]:
    if not spec or spec.lower() == "none":
        return {}
    return {m.group(1): (m.group(2) or "").strip() for m in _PARAM.finditer(spec) if m.group(1) != "none"}


def load_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries, by name, from the ``queries/`` folder."""
    folder = folder or queries_dir()
    queries: dict[str, NamedQuery] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".rq", ".cypher"):
            continue
        text = path.read_text("utf-8")
        header = _read_header(text)
        name = header.get("name", path.stem)
        query = queries.setdefault(name, NamedQuery(name=name))
        query.purpose = query.purpose or header.get("purpose", "")
        query.params = query.params or _params(header.get("params", ""))
        if not query.columns and header.get("columns"):
            query.columns = [c.strip() for c in header["columns"].split(",") if c.strip()]
        if path.suffix == ".rq":
            query.sparql = text
        else:
            query.cypher = text
    return queries


def get_query(name: str) -> NamedQuery:
    queries = load_queries()
    if name not in queries:
        raise KgError(f"no named query {name!r}; `kg queries` lists them: {', '.join(sorted(queries))}")
    return queries[name]


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["unit=市商务局"]`` → ``{"unit": "市商务局"}``."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            raise KgError(f"--param takes name=value, got {pair!r}")
        params[key.strip()] = value
    return params


def check_params(query: NamedQuery, params: dict[str, str]) -> None:
    """A named query takes exactly the parameters its header declares."""
    missing = [p for p in query.param_names if p not in params]
    if missing:
        raise KgError(f"query {query.name!r} needs --param {missing[0]}=… ({query.params[missing[0]] or 'a value'})")
    unknown = [p for p in params if p not in query.params]
    if unknown:
        takes = f"; it takes {', '.join(query.params)}" if query.params else "; it takes none"
        raise KgError(f"query {query.name!r} has no parameter {unknown[0]!r}{takes}")


def term_value(term: object) -> object:
    """An RDF term as a plain Python value: numbers as int/float, everything else as a string."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        if datatype in _INTEGER_TYPES:
            return int(term.value)
        if datatype in _FLOAT_TYPES:
            value = Decimal(term.value)
            return int(value) if value == value.to_integral_value() else float(value)
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def run_sparql_store(store: ox.Store, sparql: str, params: dict[str, str]) -> tuple[list[str], list[dict]]:
    """Run a SELECT on an Oxigraph store with parameters bound as substitutions."""
    substitutions = {ox.Variable(k): ox.Literal(v) for k, v in params.items()}
    try:
        results = store.query(sparql, substitutions=substitutions or None)
    except SyntaxError as exc:
        raise KgError(f"SPARQL syntax error: {exc}") from None
    if not isinstance(results, ox.QuerySolutions):
        raise KgError("only SELECT queries return rows")
    columns = [v.value for v in results.variables]
    rows = [{c: term_value(solution[c]) for c in columns} for solution in results]
    return columns, rows
