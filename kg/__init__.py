"""kg: key-task documents of Chinese governments as a knowledge graph.

The library API returns plain data (model objects, lists of dicts), so the same numbers serve the command
line, the HTML views and notebooks::

    import kg, pandas
    corpus = kg.load(["docs/"])                 # or kg.load(graph="kg-out"), or kg.load() for the sample
    pandas.DataFrame(kg.workload(corpus))       # one row per unit
    kg.overloaded(corpus)                       # flagged units with the reason in words
    kg.query("unit-tasks", unit="市商务局", graph="kg-out")
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from kg.build import BuildResult
    from kg.corpus import Corpus
    from kg.model import Document

__all__ = ["load", "parse", "build", "workload", "overloaded", "findings", "query", "__version__"]


def _documents(source: Any) -> list[Document]:
    from kg.corpus import Corpus

    if source is None or isinstance(source, (str, Path)):
        return load([source] if source is not None else []).documents
    if isinstance(source, Corpus):
        return source.documents
    items = list(source)
    if items and isinstance(items[0], (str, Path)):
        return load(items).documents
    return items


def load(paths: Iterable[str | Path] = (), *, graph: str | Path | None = None, **options: Any) -> Corpus:
    """Documents parsed from ``paths`` (files or folders), or read back from a ``kg build`` folder."""
    from kg.corpus import load_input

    return load_input(list(paths), graph, **options)


def parse(path: str | Path, *, jurisdiction: str | None = None) -> Document:
    """One document parsed into the model (:class:`kg.model.Document`)."""
    from kg.parse import parse_path

    return parse_path(path, jurisdiction=jurisdiction)


def build(paths: Iterable[str | Path] = (), out: str | Path = "kg-out", **options: Any) -> BuildResult:
    """Build the graph folder (see :func:`kg.build.build`)."""
    from kg.build import build as run

    return run(list(paths), out, **options)


def workload(source: Any = None, *, by: str = "unit", weights: dict[str, float] | None = None) -> list[dict]:
    """Workload rows (see :mod:`kg.unit_load`) of a corpus, documents, or paths."""
    from kg.unit_load import workload as compute

    return compute(_documents(source), by=by, weights=weights)


def overloaded(source: Any = None, *, method: str = "mad", k: float | None = None,
               weights: dict[str, float] | None = None) -> list[dict]:
    """Overloaded units with the reason in words (see :mod:`kg.overload`)."""
    from kg.overload import overloaded as flag

    return flag(_documents(source), method=method, k=k, weights=weights)


def findings(source: Any = None) -> list[dict]:
    """Tasks without lead or unit, diffuse tasks, units named once."""
    from kg.overload import findings as find

    return find(_documents(source))


def query(name: str, *, graph: str | Path | None = None, backend: str = "sparql", **params: str) -> list[dict]:
    """Rows of a named query (``kg queries`` lists them); parameters are bound by the engine."""
    from kg.querying import QuerySpec, run

    return run(QuerySpec.resolve(name, None), backend=backend, params=params, graph=graph)[1]
