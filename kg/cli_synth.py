"""``kg synth``: write a synthetic corpus of key-task documents with its ground truth.

A thin shell over :func:`kg.synth.write_corpus`; kept apart from :mod:`kg.cli` so the generator's word
lists load only when this command runs.
"""

from __future__ import annotations

import click

from kg.cli import progress_printer
from kg.output import emit, output_options


def _years(text: str) -> tuple[int, ...]:
    """``2019-2024`` or ``2021,2023`` → the years."""
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            years = tuple(range(first, last + 1))
        else:
            years = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r}: give a range 2019-2024 or a list 2021,2023", param_hint="--years") from None
    if not years or any(not 1990 <= y <= 2100 for y in years):
        raise click.BadParameter(f"{text!r}: years between 1990 and 2100", param_hint="--years")
    return years


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=str))
@click.option("--documents", "-n", type=click.IntRange(min=1), default=100, show_default=True,
              help="How many documents.")
@click.option("--jurisdictions", "-m", type=click.IntRange(min=1), default=None,
              help="How many cities, counties and districts [default: one per four documents, at most 300].")
@click.option("--years", default="2019-2024", show_default=True, help="Years the documents are for: 2019-2024 or 2021,2023.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed and options, same corpus, byte for byte.")
@click.option("--tasks", type=click.IntRange(min=1), default=80, show_default=True,
              help="Mean tasks per document (each document has 80%–120% of it).")
@click.option("--without", "without", multiple=True, metavar="FEATURE",
              help="Leave a feature out (repeatable), e.g. html, gb18030, notice, table-empty-cell; an unknown name "
                   "lists them all.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per core).")
@output_options(default="table")
def synth(out: str, documents: int, jurisdictions: int | None, years: str, seed: int, tasks: int,
          without: tuple[str, ...], jobs: int | None, fmt: str) -> None:
    """Write a synthetic corpus into OUT: documents of the genre and truth.jsonl with the answers.

    Documents come from realistic pools of cities and units, numbering and clause styles, with notices,
    tables, HTML pages and a GB18030 file among them; truth.jsonl holds, per document, the tasks (id,
    title, deadline), the (unit as written, role) pairs, plans with their relation and targets, which a
    perfect parser recovers exactly.

    \b
    kg synth corpus/ -n 1000
    kg build corpus/ --out corpus-kg
    kg synth small/ -n 20 --tasks 10 --without html --without gb18030
    """
    from kg.synth import FEATURES, write_corpus

    unknown = sorted(set(without) - FEATURES)
    if unknown:
        raise click.BadParameter(f"unknown feature {unknown[0]!r}; choose from {', '.join(sorted(FEATURES))}",
                                 param_hint="--without")
    summary = write_corpus(out, documents, jurisdictions=jurisdictions, years=_years(years), seed=seed, tasks=tasks,
                           features=FEATURES - set(without), jobs=jobs, progress=progress_printer("writing"))
    emit(summary.rows(), fmt)
