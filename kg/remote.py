"""Remote SPARQL stores: publishing with the Graph Store Protocol and querying with the SPARQL Protocol.

kg does not grow its own server: teams keep shared graphs in Oxigraph, Fuseki, GraphDB, Virtuoso or
Neptune, all of which speak the SPARQL 1.1 Graph Store HTTP Protocol (GSP) and the SPARQL 1.1 Protocol.

Publishing sends every named graph of a build (one per document, the shared graph, the ontology) with
``PUT``, so publishing again replaces instead of duplicating. A graph larger than one request is sent as a
``PUT`` of its first batch followed by ``POST``s (GSP's merge) of the rest.

Queries run as written against the union of the store's graphs (a preset says how each store spells
that). The SPARQL Protocol has no parameters, so a named query's parameters are bound by a ``VALUES``
block inside its ``WHERE`` clause, holding each value as an RDF literal in N-Triples escaping — the value
can never become query syntax.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ConnectionSettingsError, KgError

USER_ENV = "KG_SPARQL_USERNAME"
PASSWORD_ENV = "KG_SPARQL_PASSWORD"
TIMEOUT = 120
BATCH_TRIPLES = 50_000


@dataclass(frozen=True)
class Preset:
    """Where a store keeps its endpoints, relative to its base URL, and how it spells the union graph."""

    query: str
    store: str
    union: dict[str, str]


PRESETS: dict[str, Preset] = {
    # oxigraph serve --location DIR --bind HOST:PORT
    "oxigraph": Preset(query="/query", store="/store", union={"union-default-graph": ""}),
    # Fuseki: http://host:3030/DATASET
    "fuseki": Preset(query="/query", store="/data", union={"default-graph-uri": "urn:x-arq:UnionGraph"}),
    # GraphDB: http://host:7200/repositories/REPO (its default graph is already the union)
    "graphdb": Preset(query="", store="/rdf-graphs/service", union={}),
    # Virtuoso: http://host:8890 (its default graph is the union when none is named)
    "virtuoso": Preset(query="/sparql", store="/sparql-graph-crud-auth", union={}),
}


@dataclass
class Endpoint:
    """A remote store: its query and Graph Store URLs, and credentials (from the environment)."""

    query_url: str
    store_url: str
    union: dict[str, str]
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str, preset: str = "oxigraph", *, query_path: str | None = None,
                 store_path: str | None = None, user: str | None = None, password: str | None = None) -> Endpoint:
        if preset not in PRESETS:
            raise KgError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
        if not re.match(r"^https?://[^\s/]+", url):
            raise ConnectionSettingsError(f"--endpoint must be an http(s) URL, got {url!r}")
        base = url.rstrip("/")
        chosen = PRESETS[preset]
        # A URL that already names the query endpoint is used as it is.
        if chosen.query and base.endswith(chosen.query):
            base = base[: -len(chosen.query)]
        return cls(query_url=base + (query_path if query_path is not None else chosen.query),
                   store_url=base + (store_path if store_path is not None else chosen.store),
                   union=dict(chosen.union), user=user, password=password)

    # --- HTTP ------------------------------------------------------------------------------------------

    def _request(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        headers = dict(headers)
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode("utf-8", "replace").strip().splitlines()
            detail_line = detail[0] if detail else error.reason
            if error.code in (401, 403):
                raise ConnectionSettingsError(
                    f"the SPARQL store at {_safe(url)} refused the credentials (HTTP {error.code}): "
                    f"check {USER_ENV} and {PASSWORD_ENV}") from None
            raise KgError(f"the SPARQL store at {_safe(url)} answered HTTP {error.code}: {detail_line}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ConnectionSettingsError(f"cannot reach the SPARQL store at {_safe(url)} ({reason}): check "
                                          "--endpoint") from None

    # --- Graph Store Protocol ------------------------------------------------------------------------

    def put_graph(self, graph: str, ntriples: bytes, *, replace: bool = True) -> None:
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        self._request("PUT" if replace else "POST", url, ntriples, {"Content-Type": "application/n-triples"})

    # --- SPARQL Protocol -----------------------------------------------------------------------------

    def select(self, query: str) -> tuple[list[str], list[dict]]:
        params = urllib.parse.urlencode(self.union)
        url = self.query_url + (f"?{params}" if params else "")
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        data = self._request("POST", url, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Accept": "application/sparql-results+json"})
        try:
            results = json.loads(data)
        except ValueError:
            raise KgError(f"the SPARQL store at {_safe(self.query_url)} did not answer with SPARQL JSON results") \
                from None
        columns = results.get("head", {}).get("vars", [])
        rows = [{c: _json_term(binding.get(c)) for c in columns} for binding in results.get("results", {})
                .get("bindings", [])]
        return columns, rows

    def count(self) -> int:
        """Triples in all graphs of the store."""
        _, rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"]) if rows else 0


def _safe(url: str) -> str:
    """The URL without credentials or query string, for messages."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


XSD = "http://www.w3.org/2001/XMLSchema#"


def _json_term(term: dict | None) -> object:
    """A SPARQL JSON result term as the same plain value a local query gives."""
    if term is None:
        return None
    value = term.get("value")
    if term.get("type") in ("literal", "typed-literal"):
        datatype = term.get("datatype", "")
        if datatype in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger"):
            return int(value)
        if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
            number = Decimal(value)
            return int(number) if number == number.to_integral_value() else float(number)
        if datatype == XSD + "boolean":
            return value == "true"
    return value


# --- binding parameters ----------------------------------------------------------------------------------

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_parameters(query: str, params: dict[str, str]) -> str:
    """Insert ``VALUES ?name { "value" }`` at the start of the outer WHERE clause."""
    if not params:
        return query
    m = _WHERE.search(_blank_strings_and_comments(query))
    if m is None:
        raise KgError("cannot bind parameters: the query has no WHERE { … } clause")
    values = " ".join(f"VALUES ?{name} {{ {ox.Literal(value)} }}" for name, value in params.items())
    return query[: m.end()] + f"\n  {values}\n" + query[m.end():]


def _blank_strings_and_comments(query: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces (same length), to find keywords."""
    pattern = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>\s]*>|#[^\n]*')
    return pattern.sub(lambda m: " " * len(m.group(0)), query)


def run_remote_sparql(url: str, query: str, params: dict[str, str], **settings) -> tuple[list[str], list[dict]]:
    endpoint = Endpoint.from_url(url, **settings)
    return endpoint.select(bind_parameters(query, params))


# --- publishing ------------------------------------------------------------------------------------------


def _graphs(trig: Path) -> Iterator[tuple[str, list[ox.Triple]]]:
    """Named graphs of a TriG file, in file order, each with its triples."""
    current: str | None = None
    triples: list[ox.Triple] = []
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        if graph != current:
            if current is not None:
                yield current, triples
            current, triples = graph, []
        triples.append(quad.triple)
    if current is not None:
        yield current, triples


@dataclass
class PublishResult:
    graphs: int = 0
    triples: int = 0
    requests: int = 0


def publish(folder: str | Path, endpoint: Endpoint, batch: int = BATCH_TRIPLES) -> PublishResult:
    """PUT every named graph of a build (documents, shared graph, ontology) into ``endpoint``."""
    trig = Path(folder) / "graph.trig"
    if not trig.exists():
        raise KgError(f"{folder}: no graph.trig; run `kg build --out {folder}` first")
    result = PublishResult()
    for graph, triples in _graphs(trig):
        if not graph:
            raise KgError(f"{trig}: triples outside a named graph cannot be published with PUT")
        for start in range(0, max(len(triples), 1), batch):
            body = ox.serialize(triples[start:start + batch], format=ox.RdfFormat.N_TRIPLES)
            endpoint.put_graph(graph, body, replace=start == 0)
            result.requests += 1
        result.graphs += 1
        result.triples += len(triples)
    return result
