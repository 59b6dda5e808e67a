"""Running a query — named, from a file, or given as text — on one of the backends.

Backends: ``sparql`` (the build's embedded Oxigraph store; the default), ``neo4j`` (a Neo4j server over
Bolt), ``embedded`` (Cypher without a server, see :mod:`kg.cypher_embedded`) and a remote SPARQL endpoint
(``endpoint=URL``). Whatever the backend, rows come back as dicts in the query's column order.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.named_queries import NamedQuery, check_params, get_query, load_queries, run_sparql_store

BACKENDS = ("sparql", "neo4j", "embedded")
DEFAULT_GRAPH = Path("kg-out")


@dataclass
class QuerySpec:
    """What to run: a named query, or ad-hoc text in one language."""

    named: NamedQuery | None = None
    text: str | None = None
    language: str = "sparql"  # of ``text``

    @classmethod
    def resolve(cls, name_or_file: str | None, text: str | None) -> QuerySpec:
        if text is not None:
            return cls(text=text, language="cypher" if _looks_like_cypher(text) else "sparql")
        if name_or_file is None:
            raise KgError("give a query NAME, a FILE (.rq or .cypher) or -e TEXT; `kg queries` lists the names")
        path = Path(name_or_file)
        if path.suffix in (".rq", ".sparql", ".cypher", ".cql") and path.exists():
            body = path.read_text("utf-8")
            return cls(text=body, language="cypher" if path.suffix in (".cypher", ".cql") else "sparql")
        if path.suffix in (".rq", ".sparql", ".cypher", ".cql"):
            raise KgError(f"{name_or_file}: no such query file")
        return cls(named=get_query(name_or_file))

    def for_language(self, language: str) -> str:
        if self.named is not None:
            body = self.named.sparql if language == "sparql" else self.named.cypher
            if body is None:
                raise KgError(f"query {self.named.name!r} has no {language} version")
            return body
        if self.language != language:
            raise KgError(f"this is a {self.language} query; the chosen backend runs {language}")
        return self.text or ""


def _looks_like_cypher(text: str) -> bool:
    head = " ".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "//")))
    return head.lstrip().upper().startswith(("MATCH", "OPTIONAL MATCH", "WITH", "UNWIND", "CALL", "RETURN", "CREATE",
                                             "MERGE", "SHOW", "USE"))


@contextlib.contextmanager
def graph_folder(graph: str | Path | None, paths: tuple[str, ...] | list[str] = ()) -> Iterator[Path]:
    """The build folder to query: ``graph``; else a temporary build of ``paths``; else ./kg-out; else the sample."""
    if graph is not None and paths:
        raise KgError("give either --graph DIR or document paths, not both")
    if graph is not None:
        folder = Path(graph)
        if not (folder / "documents.json").exists():
            raise KgError(f"{folder}: not a kg build folder (no documents.json); run `kg build --out {folder}` first")
        yield folder
        return
    if not paths and (DEFAULT_GRAPH / "documents.json").exists():
        yield DEFAULT_GRAPH
        return
    from kg.build import build

    with tempfile.TemporaryDirectory(prefix="kg-query-") as tmp:
        out = Path(tmp) / "graph"
        build(list(paths), out)
        yield out


def run(
    spec: QuerySpec,
    *,
    backend: str = "sparql",
    params: dict[str, str] | None = None,
    graph: str | Path | None = None,
    paths: tuple[str, ...] | list[str] = (),
    endpoint: str | None = None,
    remote: dict | None = None,
    neo4j: dict | None = None,
) -> tuple[list[str], list[dict]]:
    """Run ``spec``; returns (columns, rows)."""
    params = dict(params or {})
    if spec.named is not None:
        check_params(spec.named, params)
    if endpoint is not None:
        from kg.remote import run_remote_sparql

        columns, rows = run_remote_sparql(endpoint, spec.for_language("sparql"), params, **(remote or {}))
    elif backend == "sparql":
        from kg.store import open_store

        with graph_folder(graph, paths) as folder:
            columns, rows = run_sparql_store(open_store(folder), spec.for_language("sparql"), params)
    elif backend == "neo4j":
        from kg.neo4j_store import run_cypher

        columns, rows = run_cypher(spec.for_language("cypher"), params, **(neo4j or {}))
    elif backend == "embedded":
        from kg.cypher_embedded import run_embedded

        with graph_folder(graph, paths) as folder:
            columns, rows = run_embedded(spec.for_language("cypher"), params, folder)
    else:
        raise KgError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if spec.named is not None and spec.named.columns:
        columns = spec.named.columns
        rows = [{c: row.get(c) for c in columns} for row in rows]
    if spec.named is not None:
        rows = spec.named.sort(rows)
    return columns, rows


def list_queries() -> list[dict]:
    rows = []
    for query in load_queries().values():
        rows.append({
            "name": query.name,
            "purpose": query.purpose,
            "params": ", ".join(query.params) or "",
            "columns": ", ".join(query.columns),
            "sparql": query.sparql is not None,
            "cypher": query.cypher is not None,
        })
    return rows
