"""Showing rows: one decorator gives every row-returning command ``--format table|csv|json``.

Commands return plain rows (lists of dicts); this module alone decides how they look, so the three formats
cannot drift apart. JSON keeps Chinese unescaped; CSV flattens lists; the table is for a person at a
terminal and measures width in display columns (a Chinese character takes two).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

import click

FORMATS = ("table", "csv", "json")


def output_options(default: str = "table") -> Callable:
    """Add ``--format`` to a click command; the command receives ``fmt``."""

    def decorator(func: Callable) -> Callable:
        @click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default=default, show_default=True,
            help="Output format: an aligned table, CSV, or JSON (an array of objects).",
        )
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        return wrapper

    return decorator


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple, set)):
        return "、".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, set):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_csv(rows: list[dict], columns: list[str] | None = None) -> str:
    columns = columns or _columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def to_table(rows: list[dict], columns: list[str] | None = None, max_width: int = 48) -> str:
    columns = columns or _columns(rows)
    if not rows:
        return "(no rows)\n"
    cells = [[_truncate(_cell(row.get(c)).replace("\n", " "), max_width) for c in columns] for row in rows]
    numeric = [all(isinstance(row.get(c), (int, float)) and not isinstance(row.get(c), bool) or row.get(c) is None
                   for row in rows) for c in columns]
    widths = [max(display_width(c), *(display_width(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, widths[i], numeric[i]) for i, c in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines.append("  ".join(_pad(v, widths[i], numeric[i]) for i, v in enumerate(r)).rstrip())
    return "\n".join(lines) + "\n"


def _truncate(text: str, max_width: int) -> str:
    if display_width(text) <= max_width:
        return text
    out = []
    width = 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if width + w > max_width - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


def _columns(rows: Iterable[dict]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def render(rows: list[dict], fmt: str, columns: list[str] | None = None) -> str:
    """Rows in the chosen format, ready to print."""
    if fmt == "json":
        if columns:
            rows = [{c: row.get(c) for c in columns} for row in rows]
        return to_json(rows) + "\n"
    if fmt == "csv":
        return to_csv(rows, columns)
    return to_table(rows, columns)


def emit(rows: list[dict], fmt: str, columns: list[str] | None = None) -> None:
    click.echo(render(rows, fmt, columns), nl=False)
