"""The ``kg`` command line: one click group, one thin function per command.

Each command calls a library function that returns data and decides only how to show it (through
:mod:`kg.output`). Expected failures are :class:`~kg.errors.KgError` and become one line on stderr with
exit status 1; nothing else shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from kg import __version__
from kg.errors import KgError
from kg.output import emit, output_options, to_json


class KgGroup(click.Group):
    """Turns expected errors into one-line messages; unexpected ones too, unless --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            raise click.ClickException(str(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (`kg … | head`): stop quietly, with the status of a command ended by
            # SIGPIPE, and point stdout at /dev/null so that flushing it at exit cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)  # 128 + SIGPIPE
        except Exception as error:  # noqa: BLE001 - the last line of defence for users
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(f"internal error: {type(error).__name__}: {error} (rerun with --debug "
                                       "for details)") from None


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or warnings on stderr.")
@click.pass_context
def main(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Turn Chinese government key-task documents into a knowledge graph and query it."""
    ctx.obj = {"debug": debug, "quiet": quiet}


def warn(message: str) -> None:
    ctx = click.get_current_context(silent=True)
    if not (ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet")):
        click.echo(f"warning: {message}", err=True)


def progress_printer(label: str):
    """A progress callback that writes to stderr only when it is a terminal (and not --quiet)."""
    ctx = click.get_current_context(silent=True)
    quiet = bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("quiet"))
    if quiet or not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        if total >= 20 and (done == total or done % max(1, total // 50) == 0):
            click.echo(f"\r{label}: {done}/{total}", err=True, nl=done == total)

    return report


def report_failures(corpus) -> None:
    for message in corpus.skipped:
        warn(message)
    for failure in corpus.failures:
        click.echo(f"error: {failure}", err=True)


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=str))
keep_going_option = click.option("--keep-going", "-k", is_flag=True,
                                 help="Report bad files and go on with the others (the exit status still says so).")
jurisdiction_option = click.option("--jurisdiction", help="Jurisdiction of the documents when they do not say it "
                                                          "(e.g. 泰安市); units are merged within a jurisdiction.")
jobs_option = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                           help="Worker processes for parsing (default: one per core).")


def _exit_for_failures(corpus) -> None:
    if corpus.failures:
        raise click.exceptions.Exit(1)


# --- parse --------------------------------------------------------------------------------------------


@main.command()
@paths_argument
@output_options(default="table")
@keep_going_option
@jurisdiction_option
@jobs_option
@click.option("--with-text", is_flag=True, help="Include each document's full text in the JSON output.")
def parse(paths: tuple[str, ...], fmt: str, keep_going: bool, jurisdiction: str | None, jobs: int | None,
          with_text: bool) -> None:
    """Parse documents (default: the bundled sample) and print tasks, units, plans and targets.

    PATHS may be files (.txt, .html, .docx, .pdf) or folders. JSON output is {"documents": [...]}, one object
    per input, in the form documented in the README.
    """
    from kg.corpus import load_corpus
    from kg.jsonio import document_to_dict
    from kg.report import parse_rows, parse_summary

    corpus = load_corpus(paths, jurisdiction=jurisdiction, keep_going=keep_going, jobs=jobs,
                         progress=progress_printer("parsing"))
    report_failures(corpus)
    if fmt == "json":
        click.echo(to_json({"documents": [document_to_dict(d, with_text=with_text) for d in corpus.documents]}))
    elif fmt == "csv":
        emit(parse_rows(corpus.documents), "csv")
    else:
        for doc in corpus.documents:
            click.echo(parse_summary(doc))
            emit(parse_rows([doc], brief=True), "table")
            click.echo()
    _exit_for_failures(corpus)


# --- build ------------------------------------------------------------------------------------------

base_iri_option = click.option("--base-iri", default=None, metavar="IRI",
                               help="Base IRI of the graph's nodes [default: https://w3id.org/keytasks/id/].")


@main.command()
@paths_argument
@click.option("--out", "-o", default="kg-out", show_default=True, type=click.Path(path_type=str),
              help="Output folder (replaced atomically when the build succeeds).")
@base_iri_option
@keep_going_option
@jurisdiction_option
@jobs_option
@click.option("--no-views", is_flag=True, help="Skip the interactive HTML views (graph.html, units.html, deps.html).")
@output_options(default="table")
def build(paths: tuple[str, ...], out: str, base_iri: str | None, keep_going: bool, jurisdiction: str | None,
          jobs: int | None, no_views: bool, fmt: str) -> None:
    """Build the knowledge graph of documents (default: the bundled sample) into a folder.

    Writes graph.ttl, graph.jsonld, graph.trig (one named graph per document), documents.json
    (the `kg parse` output), workload.csv, an embedded SPARQL store (store/) and three interactive HTML
    views that open offline (graph.html, units.html, deps.html; see `kg viz`), then
    prints a summary. Folders are walked.
    """
    from kg.build import build as run_build
    from kg.vocab import DEFAULT_BASE_IRI

    result = run_build(list(paths), out, base_iri=base_iri or DEFAULT_BASE_IRI, jurisdiction=jurisdiction, jobs=jobs,
                       keep_going=keep_going, views=not no_views, progress=progress_printer("building"))
    for message in result.skipped + result.warnings:
        warn(message)
    for failure in result.failures:
        click.echo(f"error: {failure}", err=True)
    emit(result.summary(), fmt)
    if fmt == "table":
        click.echo(f"wrote {out}/: {', '.join(result.files)}")
    if result.failures:
        raise click.exceptions.Exit(1)


# --- queries -----------------------------------------------------------------------------------------

graph_option = click.option("--graph", "-g", type=click.Path(path_type=str), default=None,
                            help="A folder written by `kg build` [default: ./kg-out if present, else the sample].")


@main.command(name="export")
@graph_option
@click.option("--format", "fmt", type=click.Choice(["nt", "nq", "ttl", "trig", "jsonld", "rdfxml"]), default="nt",
              show_default=True, help="N-Triples, N-Quads (named graphs), Turtle, TriG, JSON-LD or RDF/XML.")
@click.option("--out", "-o", type=click.Path(path_type=str), default=None, help="File to write [default: stdout].")
def export_command(graph: str | None, fmt: str, out: str | None) -> None:
    """Write a build's graph in another RDF format (converted by Oxigraph)."""
    from kg.export import export
    from kg.fsutil import atomic_write
    from kg.querying import graph_folder

    with graph_folder(graph) as folder:
        if out:
            import io

            buffer = io.BytesIO()
            export(folder, fmt, buffer)
            atomic_write(out, buffer.getvalue())
        else:
            export(folder, fmt, sys.stdout.buffer)


def _neo4j_options(func):
    """Connection settings, read from the environment as Neo4j's own tools name them."""
    func = click.option("--neo4j-uri", envvar="NEO4J_URI", default="bolt://127.0.0.1:7687", show_default=True,
                        help="Neo4j URI (bolt://, neo4j://, neo4j+s:// …); env NEO4J_URI.")(func)
    func = click.option("--neo4j-user", envvar="NEO4J_USERNAME", default="neo4j", show_default=True,
                        help="Neo4j user; env NEO4J_USERNAME.")(func)
    func = click.option("--neo4j-password", envvar="NEO4J_PASSWORD", default=None, show_default=False,
                        help="Neo4j password; env NEO4J_PASSWORD (never printed).")(func)
    func = click.option("--neo4j-database", envvar="NEO4J_DATABASE", default="neo4j", show_default=True,
                        help="Neo4j database; env NEO4J_DATABASE.")(func)
    return func


def _sparql_store_options(func):
    """How to reach a remote SPARQL store; credentials from the environment, never echoed."""
    func = click.option("--preset", type=click.Choice(["oxigraph", "fuseki", "graphdb", "virtuoso"]),
                        default="oxigraph", show_default=True,
                        help="Where the store keeps its query and Graph Store endpoints.")(func)
    func = click.option("--query-path", default=None, help="Query endpoint path, relative to the URL.")(func)
    func = click.option("--store-path", default=None, help="Graph Store Protocol path, relative to the URL.")(func)
    func = click.option("--sparql-user", envvar="KG_SPARQL_USERNAME", default=None,
                        help="User for HTTP basic auth; env KG_SPARQL_USERNAME.")(func)
    func = click.option("--sparql-password", envvar="KG_SPARQL_PASSWORD", default=None, show_default=False,
                        help="Password; env KG_SPARQL_PASSWORD (never printed).")(func)
    return func


def sparql_store_settings(preset: str, query_path: str | None, store_path: str | None, user: str | None,
                          password: str | None) -> dict:
    return {"preset": preset, "query_path": query_path, "store_path": store_path, "user": user,
            "password": password}


def neo4j_settings(uri: str, user: str, password: str | None, database: str) -> dict:
    return {"uri": uri, "user": user, "password": password, "database": database}


@main.command()
@click.argument("args", nargs=-1)
@click.option("-e", "--execute", "text", default=None, help="Query text instead of a NAME or FILE.")
@graph_option
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter, bound by the engine (repeatable).")
@click.option("--backend", "-b", type=click.Choice(["sparql", "neo4j", "embedded"]), default="sparql",
              show_default=True, help="Where to run: the build's SPARQL store, a Neo4j server, or embedded Cypher.")
@click.option("--endpoint", default=None, metavar="URL", envvar="KG_SPARQL_ENDPOINT",
              help="Run the SPARQL version on a remote store (its base URL, or its query URL).")
@_sparql_store_options
@_neo4j_options
@output_options(default="table")
def query(args: tuple[str, ...], text: str | None, graph: str | None, params: tuple[str, ...], backend: str,
          endpoint: str | None, preset: str, query_path: str | None, store_path: str | None, sparql_user: str | None,
          sparql_password: str | None, neo4j_uri: str, neo4j_user: str, neo4j_password: str | None,
          neo4j_database: str, fmt: str) -> None:
    """Run a named query (`kg queries` lists them), a query FILE, or -e TEXT.

    \b
    kg query workload
    kg query unit-tasks --param unit=市商务局 --format json
    kg query workload --backend neo4j
    kg query my.rq docs/          # against documents given as paths
    """
    from kg.named_queries import parse_params
    from kg.querying import QuerySpec, run

    name = None if text is not None else (args[0] if args else None)
    paths = args if text is not None else args[1:]
    spec = QuerySpec.resolve(name, text)
    columns, rows = run(spec, backend=backend, params=parse_params(params), graph=graph, paths=paths,
                        endpoint=endpoint,
                        remote=sparql_store_settings(preset, query_path, store_path, sparql_user, sparql_password),
                        neo4j=neo4j_settings(neo4j_uri, neo4j_user, neo4j_password, neo4j_database))
    emit(rows, fmt, columns)


@main.command()
@output_options(default="table")
def queries(fmt: str) -> None:
    """List the named queries with their purpose, parameters and columns."""
    from kg.querying import list_queries

    emit(list_queries(), fmt)


@main.command()
@graph_option
@output_options(default="table")
def validate(graph: str | None, fmt: str) -> None:
    """Check a build against the SHACL shapes (ontology/shapes.ttl).

    Exit status 0 with a one-line summary when the graph conforms; 1 with the violations otherwise.
    """
    from kg.querying import graph_folder
    from kg.validate import validate_folder

    with graph_folder(graph) as folder:
        result = validate_folder(folder)
    if result.conforms:
        click.echo(result.summary())
        return
    click.echo(result.summary(), err=True)
    emit(result.violations, fmt)
    raise click.exceptions.Exit(1)


# --- publishing ----------------------------------------------------------------------------------------


@main.group()
def publish() -> None:
    """Publish a build to a shared store."""


@publish.command(name="sparql")
@click.option("--endpoint", required=True, metavar="URL", envvar="KG_SPARQL_ENDPOINT",
              help="The store's base URL (for Oxigraph, http://HOST:PORT); env KG_SPARQL_ENDPOINT.")
@graph_option
@_sparql_store_options
@click.option("--batch", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per request; larger graphs are sent as a PUT and then POSTs.")
@output_options(default="table")
def publish_sparql(endpoint: str, graph: str | None, preset: str, query_path: str | None, store_path: str | None,
                   sparql_user: str | None, sparql_password: str | None, batch: int, fmt: str) -> None:
    """PUT every named graph of a build (one per document, shared, ontology) with the Graph Store Protocol.

    Publishing again replaces each graph, so the store holds exactly the build's triples.
    """
    import time

    from kg.querying import graph_folder
    from kg.remote import Endpoint
    from kg.remote import publish as send

    target = Endpoint.from_url(endpoint, preset, query_path=query_path, store_path=store_path, user=sparql_user,
                               password=sparql_password)
    started = time.perf_counter()
    with graph_folder(graph) as folder:
        result = send(folder, target, batch=batch)
    emit([{"graphs": result.graphs, "triples": result.triples, "requests": result.requests,
           "seconds": round(time.perf_counter() - started, 2)}], fmt)


# --- analysis ----------------------------------------------------------------------------------------


def _analysis_input(paths: tuple[str, ...], graph: str | None, keep_going: bool = False):
    from kg.corpus import load_input

    corpus = load_input(paths, graph, keep_going=keep_going)
    report_failures(corpus)
    return corpus


@main.command()
@paths_argument
@graph_option
@click.option("--by", type=click.Choice(["unit", "section", "kind", "document"]), default="unit", show_default=True,
              help="One row per unit, per unit and section, per unit kind, or per document.")
@click.option("--weights", default=None, metavar="lead=1,shared=1,co=0.5",
              help="Role weights of the weighted load (each divided by how many units share the role in a task).")
@keep_going_option
@output_options(default="table")
def workload(paths: tuple[str, ...], graph: str | None, by: str, weights: str | None, keep_going: bool,
             fmt: str) -> None:
    """Who carries the most work: tasks per unit by role, weighted load, targets, plans and partners.

    The weighted load of a unit sums, over its tasks, the weight of its role divided by the number of units
    holding that role in the task: a task led alone weighs 1, a task shared by k units 1/k on each.
    """
    from kg.unit_load import UNIT_COLUMNS, parse_weights
    from kg.unit_load import workload as compute

    try:
        role_weights = parse_weights(weights)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--weights") from None
    corpus = _analysis_input(paths, graph, keep_going)
    rows = compute(corpus.documents, by=by, weights=role_weights)
    emit(rows, fmt, UNIT_COLUMNS if by == "unit" else None)
    _exit_for_failures(corpus)


@main.command()
@paths_argument
@graph_option
@click.option("--method", type=click.Choice(["mad", "iqr", "top"]), default="mad", show_default=True,
              help="mad: median + k·1.4826·MAD; iqr: Q3 + k·IQR; top: the k%% heaviest.")
@click.option("--threshold", "k", type=float, default=None,
              help="k of the method [default: 3 for mad, 1.5 for iqr, 10 for top].")
@click.option("--weights", default=None, metavar="lead=1,shared=1,co=0.5", help="Role weights (see `kg workload`).")
@click.option("--findings", is_flag=True,
              help="Print the other findings instead: tasks without lead or unit, diffuse tasks, units named once.")
@output_options(default="table")
def overloaded(paths: tuple[str, ...], graph: str | None, method: str, k: float | None, weights: str | None,
               findings: bool, fmt: str) -> None:
    """Units whose weighted load stands out, ranked, each with the reason in words.

    The table view also lists what a supervisor looks for on the other side: tasks no unit leads or no unit
    is responsible for, tasks spread over many units, and units named only once (possible aliases).
    JSON and CSV carry the overloaded units, or the findings with --findings.
    """
    from kg.overload import findings as find
    from kg.overload import overloaded as flag
    from kg.unit_load import parse_weights

    try:
        role_weights = parse_weights(weights)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--weights") from None
    corpus = _analysis_input(paths, graph)
    if findings:
        emit(find(corpus.documents), fmt)
        return
    try:
        rows = flag(corpus.documents, method=method, k=k, weights=role_weights)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--method") from None
    emit(rows, fmt)
    if fmt == "table":
        click.echo()
        emit(find(corpus.documents), fmt)


@main.command()
@paths_argument
@graph_option
@click.option("--kind", type=click.Choice(["units", "deps"]), default="units", show_default=True,
              help="units: units linked by shared tasks; deps: task dependencies and plan lineage.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "graphml", "gexf"]), default="table",
              show_default=True, help="Edge list (table, csv, json) or a graph file format.")
@click.option("--centrality", is_flag=True, help="Units: print each unit's centrality instead of the edges.")
@click.option("--out", "-o", type=click.Path(path_type=str), default=None, help="Write to this file instead of stdout.")
def network(paths: tuple[str, ...], graph: str | None, kind: str, fmt: str, centrality: bool, out: str | None) -> None:
    """Export the co-responsibility network or the task-dependency graph; cycles are reported on stderr."""
    from kg.fsutil import atomic_write
    from kg.network import centrality as centrality_rows
    from kg.network import dependency_cycles, dependency_graph, edge_rows, export, unit_network
    from kg.output import render

    corpus = _analysis_input(paths, graph)
    g = unit_network(corpus.documents) if kind == "units" else dependency_graph(corpus.documents)
    if kind == "deps":
        for cycle in dependency_cycles(g):
            labels = [g.nodes[n].get("label", n) for n in cycle]
            warn("dependency cycle: " + " → ".join(labels + labels[:1]))
    if fmt in ("graphml", "gexf"):
        text = export(g, fmt)
    elif centrality and kind == "units":
        text = render(centrality_rows(g), fmt)
    else:
        text = render(edge_rows(g), fmt)
    if out:
        atomic_write(out, text)
    else:
        click.echo(text, nl=False)



# Commands with modules of their own; they import helpers from this module, so they are added last.
from kg.cli_neo4j import neo4j as _neo4j_group  # noqa: E402
from kg.cli_synth import synth as _synth_command  # noqa: E402
from kg.cli_viz import viz as _viz_command  # noqa: E402

main.add_command(_neo4j_group)
main.add_command(_synth_command)
main.add_command(_viz_command)
