"""``kg neo4j``: load the graph into a Neo4j server, and clear it again.

Thin commands over :mod:`kg.neo4j_store`; connection settings come from the same options (and
``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) as ``kg query --backend neo4j``.
Running queries is ``kg query NAME --backend neo4j``, so there is one query command for every backend.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import (
    _neo4j_options,
    base_iri_option,
    jobs_option,
    jurisdiction_option,
    keep_going_option,
    neo4j_settings,
    paths_argument,
    progress_printer,
    report_failures,
    warn,
)
from kg.output import emit, output_options


def _settings(uri: str, user: str, password: str | None, database: str):
    from kg.neo4j_store import Neo4jSettings

    return Neo4jSettings(**neo4j_settings(uri, user, password, database))


@click.group()
def neo4j() -> None:
    """Load the knowledge graph into Neo4j, or remove it (query it with `kg query --backend neo4j`)."""


@neo4j.command()
@paths_argument
@click.option("--graph", "-g", type=click.Path(path_type=str), default=None,
              help="A folder written by `kg build` (its documents.json and the IRIs in its manifest.json).")
@base_iri_option
@keep_going_option
@jurisdiction_option
@jobs_option
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Rows per UNWIND batch [default: 2000].")
@click.option("--force", is_flag=True, help="Rewrite documents even when they are unchanged since the last load.")
@_neo4j_options
@output_options(default="table")
def load(paths: tuple[str, ...], graph: str | None, base_iri: str | None, keep_going: bool,
         jurisdiction: str | None, jobs: int | None, batch_size: int | None, force: bool, neo4j_uri: str,
         neo4j_user: str, neo4j_password: str | None, neo4j_database: str, fmt: str) -> None:
    """Load documents into Neo4j: PATHS, a build (--graph DIR), else ./kg-out if built, else the sample.

    Safe to repeat: unchanged documents are skipped, and a changed document replaces its earlier version
    (tasks, responsibilities and all) in one transaction. Prints documents written, documents unchanged,
    and kg's node and relationship counts in the database afterwards.
    """
    from kg.neo4j_store import BATCH_SIZE, load_corpus_into_neo4j
    from kg.property_graph import from_build
    from kg.querying import DEFAULT_GRAPH

    if graph is not None and paths:
        raise click.UsageError("give either --graph DIR or document paths, not both")
    if graph is None and not paths and (DEFAULT_GRAPH / "documents.json").exists():
        graph = str(DEFAULT_GRAPH)
    settings = _settings(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    if graph is not None and base_iri:
        raise click.UsageError("--base-iri applies to documents given as paths; a build keeps its own base IRI")
    failures: list = []

    def source():  # read once the server has answered (a wrong password fails at once)
        if graph is not None:
            return from_build(Path(graph))
        from kg.corpus import load_corpus

        corpus = load_corpus(paths, jurisdiction=jurisdiction, keep_going=keep_going, jobs=jobs,
                             progress=progress_printer("parsing"))
        report_failures(corpus)
        failures.extend(corpus.failures)
        return corpus

    result = load_corpus_into_neo4j(source, settings, base_iri=base_iri,
                                    batch_size=batch_size or BATCH_SIZE, force=force,
                                    progress=progress_printer("loading"))
    if result.unchanged and not result.documents:
        count = f"{result.unchanged} document" + ("s were" if result.unchanged != 1 else " was")
        warn(f"nothing to write: {count} already loaded and unchanged (--force rewrites)")
    emit(result.summary(), fmt)
    if failures:
        raise click.exceptions.Exit(1)


@neo4j.command()
@click.option("--schema", is_flag=True, help="Also drop the constraints and indexes kg created (named kg_…).")
@_neo4j_options
@output_options(default="table")
def clear(schema: bool, neo4j_uri: str, neo4j_user: str, neo4j_password: str | None, neo4j_database: str,
          fmt: str) -> None:
    """Remove everything kg loaded into the database, and nothing else."""
    from kg.neo4j_store import Neo4jLoader

    with Neo4jLoader(_settings(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)) as loader:
        removed = loader.clear()
        if schema:
            removed["schema"] = loader.drop_schema()
    emit([removed], fmt)


@neo4j.command()
@_neo4j_options
@output_options(default="table")
def status(neo4j_uri: str, neo4j_user: str, neo4j_password: str | None, neo4j_database: str, fmt: str) -> None:
    """Count kg's nodes by label and relationships by type in the database."""
    from kg.neo4j_store import Neo4jLoader

    with Neo4jLoader(_settings(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)) as loader:
        emit(loader.inventory(), fmt)
