"""Cypher without a server: an embedded Kùzu database built from a build folder, cached inside it.

Why Kùzu (pinned at 0.11.3): of the embedded Cypher engines that install from PyPI, it is the one that
runs every named query in ``queries/*.cypher`` unchanged and returns the same rows as SPARQL and Neo4j
(parameters, ``WITH``, ``OPTIONAL MATCH``, ``EXISTS {…}``, variable-length paths, ``count(DISTINCT …)``).
grand-cypher 1.2 parses none of them (no ``OPTIONAL MATCH``, ``CASE``, ``count(DISTINCT …)`` or
parameters); ladybug 0.22, Kùzu's maintained fork, answered them as well but its row loss in an
``UNWIND … MERGE`` load was reported, and Kùzu is archived, i.e. frozen rather than broken. See
docs/neo4j.md for the evaluation and the supported Cypher subset.

The database is built from :mod:`kg.property_graph` (the rows Neo4j gets, same labels, properties and
IRIs) with ``COPY … FROM (UNWIND $rows …)`` — Kùzu's bulk path, which keeps types (lists, dates, empty
strings) and fails loudly on a missing endpoint — into ``DIR/embedded/`` of the build folder, and is
rebuilt when ``documents.json`` changes. Queries open it read-only, so several can run at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.fsutil import exclusive_lock, staged_directory
from kg.property_graph import (
    DOCUMENT_LABELS,
    NODE_PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIPS,
    SCHEMA_VERSION,
    SHARED_LABELS,
    PropertyGraph,
    from_build,
    result_value,
)

EMBEDDED_DIR = "embedded"
DATABASE_FILE = "graph.kuzu"
STAMP_FILE = "stamp.json"
#: Kùzu reserves its buffer pool up front; the default (most of the machine's memory) is far too much here.
BUFFER_POOL_BYTES = 512 * 1024 * 1024
_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOLEAN", "date": "DATE",
          "string[]": "STRING[]"}


def _kuzu():
    try:
        import kuzu
    except ImportError:  # pragma: no cover - a dependency of kg
        raise KgError("the embedded Cypher engine needs the Python package kuzu: pip install 'kuzu==0.11.3'") from None
    return kuzu


def engine_version() -> str:
    return f"kuzu {_kuzu().__version__}"


def _ddl() -> list[str]:
    statements = []
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(f"`{name}` {_TYPES[kind]}" for name, kind in props.items())
        statements.append(f"CREATE NODE TABLE {label}({columns}, PRIMARY KEY (uri))")
    for kind, props in RELATIONSHIP_PROPERTIES.items():
        pairs = ", ".join(f"FROM {a} TO {b}" for t, a, b in RELATIONSHIPS if t == kind)
        columns = "".join(f", `{name}` {_TYPES[k]}" for name, k in props.items())
        statements.append(f"CREATE REL TABLE {kind}({pairs}{columns})")
    return statements


def _column(name: str, kind: str) -> str:
    # Dates travel as ISO text: Kùzu infers a parameter's struct type from its values, and a column that
    # is empty in the first rows would otherwise not be typed DATE.
    return f"CAST(row.`{name}` AS DATE)" if kind == "date" else f"row.`{name}`"


def _cell(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _copy(conn, table: str, props: dict[str, str], rows: list[dict], *, pair: tuple[str, str] | None = None) -> None:
    if not rows:
        return
    columns = ", ".join(_column(name, kind) for name, kind in props.items())
    if pair:
        columns = "row.`from`, row.`to`" + (", " + columns if columns else "")
        options = f" (from='{pair[0]}', to='{pair[1]}')"
    else:
        options = ""
    conn.execute(f"COPY {table} FROM (UNWIND $rows AS row RETURN {columns}){options}", {"rows": rows})


def write_database(graph: PropertyGraph, path: Path) -> None:
    """Create the Kùzu database at ``path`` (a new file) holding ``graph``."""
    kuzu = _kuzu()
    db = kuzu.Database(str(path), buffer_pool_size=BUFFER_POOL_BYTES)
    conn = kuzu.Connection(db)
    try:
        for statement in _ddl():
            conn.execute(statement)
        for label in DOCUMENT_LABELS:
            props = NODE_PROPERTIES[label]
            rows = [{name: _cell(row.get(name)) for name in props} | ({"kg_fingerprint": d.fingerprint}
                                                                       if label == "Document" else {})
                    for d in graph.documents for row in d.nodes[label]]
            _copy(conn, label, props, rows)
        for label in SHARED_LABELS:
            props = NODE_PROPERTIES[label]
            _copy(conn, label, props, [{name: _cell(row.get(name)) for name in props}
                                       for row in graph.shared.rows(label)])
        for key in RELATIONSHIPS:
            kind, a, b = key
            props = RELATIONSHIP_PROPERTIES[kind]
            rows = [{"from": r["from"], "to": r["to"], **{name: _cell(r["props"].get(name)) for name in props}}
                    for d in graph.documents for r in d.relationships[key]]
            _copy(conn, kind, props, rows, pair=(a, b))
    except RuntimeError as exc:
        raise KgError(f"cannot build the embedded graph: {_one_line(exc)}") from None
    finally:
        conn.close()
        db.close()


def _stamp(folder: Path) -> dict:
    """What the cached database was built from; a different stamp means rebuild."""
    digest = hashlib.sha256()
    with open(folder / "documents.json", "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    manifest = folder / "manifest.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return {"source_sha256": digest.hexdigest(), "schema": SCHEMA_VERSION, "engine": engine_version()}


def _current(target: Path, stamp: dict) -> bool:
    try:
        return json.loads((target / STAMP_FILE).read_text("utf-8")) == stamp and (target / DATABASE_FILE).exists()
    except (OSError, ValueError):
        return False


def _build_into(staged: Path, folder: Path, stamp: dict) -> None:
    write_database(from_build(folder), staged / DATABASE_FILE)
    (staged / STAMP_FILE).write_text(json.dumps(stamp, indent=1), encoding="utf-8")


@contextmanager
def database(folder: str | Path):
    """The embedded database of a build folder, (re)built first when missing or stale; yields its path.

    Built into a staged folder and swapped in atomically under a lock, so concurrent queries never see a
    half-written database. A read-only build folder gets a temporary database instead.
    """
    folder = Path(folder)
    target = folder / EMBEDDED_DIR
    stamp = _stamp(folder)
    if _current(target, stamp):
        yield target / DATABASE_FILE
        return
    try:
        with exclusive_lock(target):
            if not _current(target, stamp):
                with staged_directory(target) as staged:
                    _build_into(staged, folder, stamp)
    except PermissionError:
        with tempfile.TemporaryDirectory(prefix="kg-embedded-") as tmp:
            _build_into(Path(tmp), folder, stamp)
            yield Path(tmp) / DATABASE_FILE
        return
    yield target / DATABASE_FILE


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def plain(value: Any) -> Any:
    """A Kùzu value as the plain Python the Neo4j backend returns (nodes as property maps, dates as text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        if "_label" in value and "_id" in value:  # a node or relationship
            label = value["_label"]
            props = {k: plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
            key = "type" if "_src" in value else "labels"
            return {key: label if key == "type" else [label], **props}
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):  # sum() of integers is INT128, which Kùzu hands over as a Decimal
        return int(value) if value == value.to_integral_value() else float(value)
    return result_value(value)


def run_embedded(text: str, params: dict | None, folder: str | Path) -> tuple[list[str], list[dict]]:
    """Run Cypher on the build in ``folder``; returns (columns, rows) like the other backends."""
    kuzu = _kuzu()
    with database(folder) as path:
        db = kuzu.Database(str(path), read_only=True, buffer_pool_size=BUFFER_POOL_BYTES)
        conn = kuzu.Connection(db)
        try:
            result = conn.execute(text, dict(params or {}))
            if isinstance(result, list):  # several statements: the last one's rows
                result = result[-1]
            columns = result.get_column_names()
            rows = []
            while result.has_next():
                rows.append({c: plain(v) for c, v in zip(columns, result.get_next(), strict=True)})
        except RuntimeError as exc:
            raise KgError(f"embedded Cypher (Kùzu): {_one_line(exc)}") from None
        finally:
            conn.close()
            db.close()
    return columns, rows
