"""Neo4j: connecting with settings a user can fix, loading the property graph safely, running Cypher.

Loading follows the driver's performance advice: uniqueness constraints first (so every ``MERGE`` on
``uri`` is an index seek), then nodes, then relationships, each as ``UNWIND $rows`` batches, inside
managed transactions (``session.execute_write``, which retries transient errors such as a cluster leader
switch), always naming the database.

Documents are written whole, in one transaction that first removes what they wrote last time (their
sections, tasks, targets and relationships, see :mod:`kg.property_graph` for who owns what), then writes
the new versions, then removes shared nodes (units, plans, projects) that nothing points at any more. A
failure rolls the whole transaction back, so Neo4j holds the old version of a document or the new one,
never half of one. Small documents share a transaction (up to ``GROUP_BATCHES`` batches of rows), which
cuts a thousand-document load from tens of thousands of round trips to about a thousand. A document whose
rows did not change since the last load (same fingerprint) is skipped, so loading twice writes nothing the
second time.

Errors the user can fix (unreachable server, wrong password, unknown database) become one-line
:class:`~kg.errors.ConnectionSettingsError` messages that name the setting; the password is never part
of any message.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kg.errors import ConnectionSettingsError, KgError
from kg.property_graph import (
    DOCUMENT_LABELS,
    KEY,
    LABELS,
    OWNER,
    RELATIONSHIPS,
    SHARED,
    SHARED_LABELS,
    DocumentRows,
    PropertyGraph,
    result_value,
)

#: Rows per ``UNWIND`` batch: large enough to amortise round trips, small enough for a 512 MB heap.
BATCH_SIZE = 2000
#: Small documents share a transaction (whole documents only) up to this many batches' worth of rows:
#: a thousand documents then take tens of transactions, not a thousand.
GROUP_BATCHES = 5
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Seconds to wait for a TCP connection, and for retries of transient errors (a server restarting, a cluster
#: electing a leader) before giving up; KG_NEO4J_RETRY_SECONDS changes the latter.
CONNECTION_TIMEOUT = 10.0
MAX_RETRY_TIME = float(os.environ.get("KG_NEO4J_RETRY_SECONDS", "30"))
_WRITE_CLAUSE = re.compile(r"\b(CREATE|MERGE|DELETE|SET|REMOVE|DROP|FOREACH|LOAD\s+CSV|CALL|ALTER|GRANT|DENY|"
                           r"REVOKE|START|STOP)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and as whom to connect. ``repr`` never shows the password."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str = "neo4j"


# --- connecting ---------------------------------------------------------------------------------------


def _scrub(text: str, settings: Neo4jSettings) -> str:
    """One line, without the password (defence in depth: the driver does not echo it)."""
    line = " ".join(str(text).split())
    if settings.password:
        line = line.replace(settings.password, "***")
    return line


def _error_message(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return str(message)


def translate_error(exc: BaseException, settings: Neo4jSettings) -> KgError:
    """A driver exception as a :class:`KgError` whose message names the setting to fix."""
    import neo4j.exceptions as ne

    where = f"Neo4j at {settings.uri}"
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, ne.AuthError) or code.startswith("Neo.ClientError.Security.Unauthorized"):
        if not settings.password:
            return ConnectionSettingsError(f"{where} needs a password: set NEO4J_PASSWORD (or --neo4j-password)")
        return ConnectionSettingsError(f"{where} refused user {settings.user!r}: check NEO4J_PASSWORD "
                                       "(and NEO4J_USERNAME)")
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return ConnectionSettingsError(f"{where} has no database {settings.database!r}: check NEO4J_DATABASE")
    if isinstance(exc, (ne.ServiceUnavailable, ne.SessionExpired, OSError)):
        reason = _scrub(_error_message(exc), settings)
        return ConnectionSettingsError(f"cannot reach {where}: check NEO4J_URI ({_shorten(reason)})")
    if isinstance(exc, ne.ConfigurationError):
        return ConnectionSettingsError(f"NEO4J_URI {settings.uri!r} is not usable: "
                                       f"{_shorten(_scrub(_error_message(exc), settings))}")
    if isinstance(exc, ne.Forbidden):
        return ConnectionSettingsError(f"{where}: user {settings.user!r} may not do this: "
                                       f"{_shorten(_scrub(_error_message(exc), settings))}")
    if isinstance(exc, ne.Neo4jError):
        return KgError(f"Neo4j: {_shorten(_scrub(_error_message(exc), settings), 300)}")
    return KgError(f"Neo4j: {type(exc).__name__}: {_shorten(_scrub(_error_message(exc), settings), 300)}")


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def check_uri(uri: str) -> None:
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise ConnectionSettingsError(f"NEO4J_URI {uri!r} is not a Neo4j URI: use one of "
                                      + ", ".join(f"{s}://" for s in SCHEMES))


@contextmanager
def translated(settings: Neo4jSettings) -> Iterator[None]:
    """Turn driver exceptions raised inside the block into one-line :class:`KgError` messages."""
    import neo4j.exceptions as ne

    try:
        yield
    except KgError:
        raise
    except (ne.Neo4jError, ne.DriverError, OSError) as exc:
        raise translate_error(exc, settings) from None


def connect(settings: Neo4jSettings):
    """An open, verified :class:`neo4j.Driver` (close it, or use it as a context manager)."""
    import neo4j

    from kg import __version__

    check_uri(settings.uri)
    with translated(settings):
        driver = neo4j.GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password or ""), user_agent=f"kg/{__version__}",
            connection_timeout=CONNECTION_TIMEOUT, max_transaction_retry_time=MAX_RETRY_TIME,
            notifications_min_severity="OFF",
        )
        try:
            # Fail fast on a wrong host or password (this does not retry, unlike queries), then on a
            # wrong database name, before any work starts.
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=settings.database, routing_=neo4j.RoutingControl.READ)
        except BaseException:
            driver.close()
            raise
    return driver


# --- values -------------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A Neo4j value as plain Python every output format can show: dates as ISO text, whole numbers as int."""
    import neo4j.graph
    import neo4j.time

    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time)):
        return value.iso_format()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return [plain(n) for n in value.nodes]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return result_value(value)


def is_read_only(text: str) -> bool:
    """True unless the text has a clause that may write (a cautious guess: a false 'write' is harmless)."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return _WRITE_CLAUSE.search(code) is None


def run_cypher(text: str, params: dict | None = None, uri: str = "bolt://127.0.0.1:7687", user: str = "neo4j",
               password: str | None = None, database: str = "neo4j") -> tuple[list[str], list[dict]]:
    """Run Cypher with bound ``params``; returns (columns, rows).

    Read-only text is routed to readers (``neo4j://`` clusters spread it over followers); anything else
    goes to the leader.
    """
    import neo4j

    settings = Neo4jSettings(uri=uri, user=user, password=password, database=database)
    routing = neo4j.RoutingControl.READ if is_read_only(text) else neo4j.RoutingControl.WRITE
    with connect(settings) as driver, translated(settings):
        records, _, keys = driver.execute_query(text, dict(params or {}), database_=database, routing_=routing)
    columns = list(keys)
    return columns, [{c: plain(record[c]) for c in columns} for record in records]


# --- loading ------------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    documents: int = 0  # written (new or changed)
    unchanged: int = 0  # skipped: same fingerprint as in the database
    nodes: int = 0  # kg's nodes in the database afterwards
    relationships: int = 0  # kg's relationships in the database afterwards
    seconds: float = 0.0

    def summary(self) -> list[dict]:
        return [{"documents": self.documents, "unchanged": self.unchanged, "nodes": self.nodes,
                 "relationships": self.relationships, "seconds": round(self.seconds, 2)}]


def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _schema_statements() -> list[str]:
    statements = [f"CREATE CONSTRAINT kg_{label.lower()}_uri IF NOT EXISTS FOR (n:{label}) REQUIRE n.{KEY} IS UNIQUE"
                  for label in LABELS]
    statements += [f"CREATE INDEX kg_{label.lower()}_owner IF NOT EXISTS FOR (n:{label}) ON (n.{OWNER})"
                   for label in DOCUMENT_LABELS if label != "Document"]
    return statements


_NODE_WRITE = {
    # A document's sections, tasks and targets were deleted earlier in the same transaction: CREATE them
    # (the uniqueness constraints still reject a duplicate at commit). The Document node itself is kept.
    **{label: f"UNWIND $rows AS row CREATE (n:{label}) SET n = row" for label in DOCUMENT_LABELS},
    "Document": f"UNWIND $rows AS row MERGE (n:Document {{{KEY}: row.{KEY}}}) SET n = row",
    # Shared nodes keep properties other loads set; a unit's aliases accumulate (names seen in any document).
    **{label: f"UNWIND $rows AS row MERGE (n:{label} {{{KEY}: row.{KEY}}}) SET n += row" for label in ("Plan", "Project")},
    "Unit": (f"UNWIND $rows AS row MERGE (n:Unit {{{KEY}: row.{KEY}}}) "
             "WITH n, row, coalesce(n.aliases, []) AS old "
             "SET n += row, n.aliases = old + [a IN row.aliases WHERE NOT a IN old]"),
}
_REL_WRITE = {
    key: (f"UNWIND $rows AS row MATCH (a:{key[1]} {{{KEY}: row.from}}) MATCH (b:{key[2]} {{{KEY}: row.to}}) "
          f"CREATE (a)-[r:{key[0]}]->(b) SET r = row.props RETURN count(r) AS n")
    for key in RELATIONSHIPS
}
_FINGERPRINTS = f"UNWIND $uris AS uri MATCH (d:Document {{{KEY}: uri}}) RETURN uri, d.kg_fingerprint AS fingerprint"
# The shared nodes the old versions of documents point at: removed once nothing points at them any more.
_OLD_NEIGHBOURS = [
    f"UNWIND $uris AS uri MATCH (:Document {{{KEY}: uri}})-[:CITES|PUBLISHES]->(s) RETURN elementId(s) AS id",
    f"UNWIND $uris AS uri MATCH (:Task {{{OWNER}: uri}})-[:CITES|MENTIONS]->(s) RETURN elementId(s) AS id",
    f"UNWIND $uris AS uri MATCH (:Task {{{OWNER}: uri}})<-[:RESPONSIBLE_FOR]-(s) RETURN elementId(s) AS id",
]
_DELETE_OLD = [f"UNWIND $uris AS uri MATCH (n:{label} {{{OWNER}: uri}}) DETACH DELETE n"
               for label in ("Target", "Task", "Section")] + [
    f"UNWIND $uris AS uri MATCH (:Document {{{KEY}: uri}})-[r:CITES|PUBLISHES]->() DELETE r",
]
_DELETE_ORPHANS = (f"UNWIND $ids AS id MATCH (s) WHERE elementId(s) = id AND s.{SHARED} = true AND NOT (s)--() "
                   "DELETE s")


def _groups(documents: list[DocumentRows], max_rows: int) -> Iterator[list[DocumentRows]]:
    """Whole documents, several to a transaction while they stay under ``max_rows`` rows together."""
    group: list[DocumentRows] = []
    rows = 0
    for doc in documents:
        size = doc.node_count() + doc.relationship_count()
        if group and rows + size > max_rows:
            yield group
            group, rows = [], 0
        group.append(doc)
        rows += size
    if group:
        yield group


def _mark(label: str) -> str:
    """The predicate that tells kg's nodes of ``label`` from anything else in the database."""
    return f"n.{SHARED} = true" if label in SHARED_LABELS else f"n.{OWNER} IS NOT NULL"


class Neo4jLoader:
    """Writes :class:`~kg.property_graph.PropertyGraph` rows into one Neo4j database.

    ``with Neo4jLoader(settings) as loader: loader.load(graph)``; the benchmark harness times exactly this.
    """

    def __init__(self, settings: Neo4jSettings, *, batch_size: int = BATCH_SIZE, driver=None,
                 group_rows: int | None = None) -> None:
        self.settings = settings
        self.batch_size = batch_size
        #: Rows (nodes and relationships) of whole documents written per transaction.
        self.group_rows = group_rows or batch_size * GROUP_BATCHES
        self.driver = driver or connect(settings)
        self._owns_driver = driver is None

    def __enter__(self) -> Neo4jLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def _session(self):
        return self.driver.session(database=self.settings.database)

    def ensure_schema(self) -> None:
        """Uniqueness constraints on ``uri`` for every label, and indexes to find what a document owns."""
        with translated(self.settings), self._session() as session:
            for statement in _schema_statements():
                session.execute_write(lambda tx, s=statement: tx.run(s).consume())
            session.run("CALL db.awaitIndexes(300)").consume()

    def fingerprints(self, uris: list[str]) -> dict[str, str | None]:
        """The fingerprint each already loaded document was written with."""
        found: dict[str, str | None] = {}
        with translated(self.settings), self._session() as session:
            for batch in _batches(uris, self.batch_size):
                records = session.execute_read(lambda tx, b=batch: list(tx.run(_FINGERPRINTS, uris=b)))
                found.update({r["uri"]: r["fingerprint"] for r in records})
        return found

    def load(self, graph: PropertyGraph, *, progress: Callable[[int, int], None] | None = None,
             force: bool = False) -> LoadResult:
        """Load every document of ``graph``; unchanged documents are skipped unless ``force``."""
        started = time.perf_counter()
        result = LoadResult()
        self.ensure_schema()
        existing = {} if force else self.fingerprints([d.uri for d in graph.documents])
        changed = [d for d in graph.documents if existing.get(d.uri) != d.fingerprint]
        result.unchanged = len(graph.documents) - len(changed)
        done = result.unchanged
        for group in _groups(changed, self.group_rows):
            self.write_documents(group, graph)
            result.documents += len(group)
            done += len(group)
            if progress:
                progress(done, len(graph.documents))
        result.nodes, result.relationships = self.counts()
        result.seconds = time.perf_counter() - started
        return result

    def write_documents(self, documents: list[DocumentRows], graph: PropertyGraph | None = None) -> None:
        """Replace ``documents`` in a single transaction: all of them are written, or none is.

        Shared nodes get the corpus-wide rows of ``graph`` (first-seen titles, merged aliases) when given.
        """
        shared: dict[str, dict[str, dict]] = {label: {} for label in SHARED_LABELS}
        for doc in documents:
            for label in SHARED_LABELS:
                for uri, row in doc.shared.nodes[label].items():
                    shared[label].setdefault(uri, graph.shared.nodes[label].get(uri, row) if graph else row)
        rows = {label: [shared[label][uri] for uri in sorted(shared[label])] for label in SHARED_LABELS}
        with translated(self.settings), self._session() as session:
            session.execute_write(self._replace, documents, rows)

    def _replace(self, tx, documents: list[DocumentRows], shared: dict[str, list[dict]]) -> None:
        uris = [doc.uri for doc in documents]
        old = sorted({record["id"] for statement in _OLD_NEIGHBOURS for record in tx.run(statement, uris=uris)})
        for statement in _DELETE_OLD:
            tx.run(statement, uris=uris).consume()
        for label in SHARED_LABELS:
            self._write(tx, _NODE_WRITE[label], shared[label])
        for label in DOCUMENT_LABELS:
            rows = [row for doc in documents for row in doc.nodes[label]]
            if label == "Document":
                rows = [{**doc.nodes[label][0], "kg_fingerprint": doc.fingerprint} for doc in documents]
            self._write(tx, _NODE_WRITE[label], rows)
        for key in RELATIONSHIPS:
            rows = [row for doc in documents for row in doc.relationships[key]]
            written = self._write(tx, _REL_WRITE[key], rows)
            if written != len(rows):
                # An endpoint is missing: fail the transaction rather than load incomplete documents.
                names = ", ".join(uris[:3]) + (f" and {len(uris) - 3} more" if len(uris) > 3 else "")
                raise KgError(f"wrote {written} of {len(rows)} {key[0]} relationships ({key[1]}→{key[2]}) of "
                              f"{names}; nothing of these documents was loaded")
        if old:
            tx.run(_DELETE_ORPHANS, ids=old).consume()

    def _write(self, tx, statement: str, rows: list[dict]) -> int:
        """``statement`` over ``rows`` in batches; returns the sum of the counts it reports (if any)."""
        total = 0
        for batch in _batches(rows, self.batch_size):
            record = tx.run(statement, rows=batch).single()
            total += record["n"] if record is not None and "n" in record.keys() else 0
        return total

    def inventory(self) -> list[dict]:
        """kg's nodes by label and relationships by type in the database (kg relationships start at kg nodes)."""
        rows: list[dict] = []
        rel_counts: dict[str, int] = {}
        with translated(self.settings), self._session() as session:
            for label in LABELS:
                count = session.execute_read(lambda tx, lb=label: tx.run(
                    f"MATCH (n:{lb}) WHERE {_mark(lb)} RETURN count(n) AS n").single()["n"])
                rows.append({"kind": "node", "name": label, "count": count})
                for record in session.execute_read(lambda tx, lb=label: list(tx.run(
                        f"MATCH (n:{lb})-[r]->() WHERE {_mark(lb)} RETURN type(r) AS type, count(r) AS n"))):
                    rel_counts[record["type"]] = rel_counts.get(record["type"], 0) + record["n"]
        rows += [{"kind": "relationship", "name": name, "count": rel_counts.get(name, 0)}
                 for name in dict.fromkeys(key[0] for key in RELATIONSHIPS)]
        return rows

    def counts(self) -> tuple[int, int]:
        """kg's nodes and relationships in the database."""
        rows = self.inventory()
        return (sum(r["count"] for r in rows if r["kind"] == "node"),
                sum(r["count"] for r in rows if r["kind"] == "relationship"))

    def clear(self) -> dict[str, int]:
        """Remove every node and relationship kg loaded (and nothing else), in batches."""
        nodes, rels = self.counts()
        with translated(self.settings), self._session() as session:
            for label in LABELS:
                statement = f"MATCH (n:{label}) WHERE {_mark(label)} WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n"
                while session.execute_write(
                        lambda tx, s=statement: tx.run(s, limit=self.batch_size * 5).single()["n"]):
                    pass
        return {"nodes": nodes, "relationships": rels}

    def drop_schema(self) -> int:
        """Drop the constraints and indexes kg created (named ``kg_…``); returns how many."""
        dropped = 0
        with translated(self.settings), self._session() as session:
            # Constraints first: dropping one drops the index behind it.
            for kind, plural in (("CONSTRAINT", "CONSTRAINTS"), ("INDEX", "INDEXES")):
                names = [r["name"] for r in session.run(f"SHOW {plural} YIELD name WHERE name STARTS WITH 'kg_' "
                                                        "RETURN name")]
                for name in names:
                    session.execute_write(lambda tx, k=kind, n=name: tx.run(f"DROP {k} {n} IF EXISTS").consume())
                    dropped += 1
        return dropped


def load_corpus_into_neo4j(documents: Iterable | Callable[[], Any], settings: Neo4jSettings, *,
                           base_iri: str | None = None,
                           iris: list[str | None] | None = None, batch_size: int = BATCH_SIZE,
                           progress: Callable[[int, int], None] | None = None, force: bool = False) -> LoadResult:
    """Load parsed documents (or a prepared :class:`PropertyGraph`) into Neo4j; the benchmark's entry point.

    ``documents`` may be a :class:`~kg.corpus.Corpus`, a list of :class:`~kg.model.Document`, a
    :class:`PropertyGraph`, or a function returning one of them: it is called once the server has answered,
    so a wrong address or password fails at once rather than after the documents are read. The returned
    seconds cover the whole load, building the rows included.
    """
    from kg.iri import Minter
    from kg.property_graph import property_graph
    from kg.vocab import DEFAULT_BASE_IRI

    started = time.perf_counter()
    with Neo4jLoader(settings, batch_size=batch_size) as loader:
        if callable(documents):
            documents = documents()
        if isinstance(documents, PropertyGraph):
            graph = documents
        else:
            docs = getattr(documents, "documents", documents)
            graph = property_graph(docs, Minter(base_iri or DEFAULT_BASE_IRI), iris)
        result = loader.load(graph, progress=progress, force=force)
    result.seconds = time.perf_counter() - started
    return result
