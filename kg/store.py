"""The embedded SPARQL store a build persists (Oxigraph, on disk) and queries against it.

The store holds the union of all graphs in its default graph: queries need no ``GRAPH`` clauses, and
loading triples into Oxigraph's default graph builds half as many indexes as loading named graphs, which
matters for large corpora (the per-document named graphs are in ``graph.trig`` for replacing and
publishing). Loading runs in parallel threads: Oxigraph's bulk loader releases the GIL.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError

STORE_DIR = "store"


def _split(data: bytes, parts: int) -> list[bytes]:
    """Split N-Triples bytes into ``parts`` chunks at line boundaries."""
    if parts <= 1 or len(data) < 1_000_000:
        return [data]
    chunks = []
    start = 0
    size = len(data) // parts
    for _ in range(parts - 1):
        cut = data.find(b"\n", start + size)
        if cut < 0:
            break
        chunks.append(data[start:cut + 1])
        start = cut + 1
    chunks.append(data[start:])
    return chunks


def create_store(path: Path, ntriples: bytes, threads: int = 2) -> int:
    """Create the store at ``path`` (a new folder) from N-Triples; returns the number of triples."""
    store = ox.Store(str(path))
    errors: list[BaseException] = []

    def load(chunk: bytes) -> None:
        try:
            store.bulk_load(chunk, ox.RdfFormat.N_TRIPLES, lenient=True)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            errors.append(exc)

    workers = [threading.Thread(target=load, args=(chunk,)) for chunk in _split(ntriples, threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise KgError(f"cannot load the graph into the store: {errors[0]}")
    store.flush()
    count = len(store)
    del store
    return count


def open_store(folder: str | Path) -> ox.Store:
    """Open the store of a build folder read-only (queries never change it)."""
    path = Path(folder) / STORE_DIR
    if not path.is_dir():
        raise KgError(f"{folder}: no SPARQL store in this folder; run `kg build --out {folder}` first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise KgError(f"{path}: cannot open the store ({exc})") from None
