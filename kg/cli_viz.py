"""``kg viz``: one interactive HTML view of the graph, written as a self-contained file.

Kept apart from :mod:`kg.cli` so the views (pyvis, the layouts) load only when this command runs.
"""

from __future__ import annotations

import click

from kg.cli import _analysis_input, _exit_for_failures, graph_option, keep_going_option, paths_argument, warn


@click.command()
@paths_argument
@graph_option
@click.option("--view", type=click.Choice(["graph", "units", "deps"]), default="graph", show_default=True,
              help="graph: documents, sections, tasks, units, plans, projects, targets; units: the "
                   "co-responsibility network; deps: task dependencies and plan lineage.")
@click.option("--focus", metavar="UNIT", default=None,
              help="Only one unit's neighbourhood: a unit_id (泰安市/市商务局), a canonical name or a name as written.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="The HTML file to write [default: VIEW.html].")
@click.option("--max-nodes", type=click.IntRange(min=0), default=None,
              help="Draw at most this many nodes; 0 draws everything [default: 2000].")
@keep_going_option
def viz(paths: tuple[str, ...], graph: str | None, view: str, focus: str | None, out: str | None,
        max_nodes: int | None, keep_going: bool) -> None:
    """Write an interactive HTML view: one file that opens offline in any browser.

    Hover a node for the task's full text, a unit's role and the quoted source; search names and text;
    tick the legend to show or hide kinds of nodes and edges. Large graphs are capped (see --max-nodes)
    with a note on the page saying what was left out.

    \b
    kg viz                                  # graph.html of ./kg-out, or of the bundled sample
    kg viz --view units --out units.html
    kg viz --focus 市商务局 --view graph
    kg viz docs/ --view deps
    """
    from kg.views import MAX_NODES, write_view

    corpus = _analysis_input(paths, graph, keep_going)
    result = write_view(corpus, out or f"{view}.html", view, focus=focus,
                        max_nodes=MAX_NODES if max_nodes is None else max_nodes)
    for note in result.omitted:
        warn(note)
    click.echo(f"wrote {result.path}: {result.nodes} nodes, {result.edges} edges")
    _exit_for_failures(corpus)
