"""The ``kg`` command line: one click group, one thin function per command.

Each command calls a library function that returns data and decides only how to show it (through
:mod:`kg.output`). Expected failures are :class:`~kg.errors.KgError` and become one line on stderr with
exit status 1; nothing else shows a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

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

    PATHS may be files (.txt, .html, .docx) or folders. JSON output is {"documents": [...]}, one object
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


if __name__ == "__main__":  # pragma: no cover
    main()
