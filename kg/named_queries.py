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

_HEADER = re.compile(r"^\s*(?://|#)\s*(name|purpose|params|columns|order)\s*:\s*(.*)$")
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
    #: (column, descending) pairs: rows are sorted by kg, not by the engine, so every backend agrees and
    #: no engine spends time sorting strings (Oxigraph's ORDER BY decodes them again at every comparison).
    order: list[tuple[str, bool]] = field(default_factory=list)
    sparql: str | None = None
    cypher: str | None = None

    def sort(self, rows: list[dict]) -> list[dict]:
        # Rows that tie on the declared order (two targets of one task, one metric and value, due at different
        # dates) come back from each backend in its own order: break ties on every column, then sort (stably)
        # by the declared order, so that backends compare row for row.
        rows.sort(key=lambda r: tuple(_nulls_last(r.get(c)) for c in self.columns))
        for column, descending in reversed(self.order):
            rows.sort(key=lambda r, c=column: _nulls_last(r.get(c)), reverse=descending)
        return rows

    @property
    def param_names(self) -> list[str]:
        return list(self.params)


def _nulls_last(value: object) -> tuple[bool, object]:
    """A sort key under which missing values (None) come after every value, whatever their type."""
    return (value is None, value if value is not None else 0)


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
        if not query.order and header.get("order"):
            spec = header["order"].split("(", 1)[0]
            query.order = [(c.strip().lstrip("-"), c.strip().startswith("-")) for c in spec.split(",") if c.strip()]
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
    # Oxigraph writes the results as TSV in Rust; reading that text is several times faster than asking
    # every solution for every term from Python (15,000 workload rows: 0.3 s instead of 0.9 s).
    lines = results.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").split("\n")
    lines.pop()  # every line, the header included, ends with a newline
    rows = []
    width = len(columns)
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        rows.append(dict(zip(columns, map(_tsv_value, cells), strict=True)))
    return columns, rows


_TSV_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', re.DOTALL)
_TSV_INTEGER = re.compile(r"[+-]?\d+")
_TSV_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_TSV_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _TSV_ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" and len(m.group(1)) > 1
                           else _TSV_ESCAPES.get(m.group(1), m.group(1)), text)


def _typed(lexical: str, datatype: str) -> object:
    if datatype in _INTEGER_TYPES:
        return int(lexical)
    if datatype in _FLOAT_TYPES:
        value = Decimal(lexical)
        return int(value) if value == value.to_integral_value() else float(value)
    if datatype == XSD + "boolean":
        return lexical == "true"
    return lexical


def _tsv_value(cell: str) -> object:
    """One cell of SPARQL TSV results (an RDF term in Turtle syntax) as the same value :func:`term_value` gives."""
    if not cell:
        return None
    first = cell[0]
    if first == '"':
        if cell[-1] == '"' and "\\" not in cell and cell.count('"') == 2:
            return cell[1:-1]  # the common case: a plain string without escapes
        m = _TSV_LITERAL.match(cell)
        if m is None:
            return cell
        text = _unescape(m.group(1))
        return _typed(text, m.group(3)) if m.group(3) else text
    if first == "<":
        return cell[1:-1]
    if cell.isdigit():
        return int(cell)
    if cell in ("true", "false"):
        return cell == "true"
    if first.isdigit() or first in "+-.":
        if _TSV_INTEGER.fullmatch(cell):
            return int(cell)
        try:
            value = Decimal(cell)
        except ArithmeticError:
            return cell
        return int(value) if value == value.to_integral_value() else float(value)
    return cell
