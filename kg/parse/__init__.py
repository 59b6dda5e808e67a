"""The parser for key-task documents: :func:`parse_path` for a file, :func:`parse_source` for decoded text."""

from __future__ import annotations

from pathlib import Path

from kg.loaders import read_source
from kg.model import Document
from kg.parse.document import parse_source
from kg.units import UnitRegistry

__all__ = ["parse_path", "parse_source"]


def parse_path(path: str | Path, *, jurisdiction: str | None = None, registry: UnitRegistry | None = None) -> Document:
    """Read and parse one file; raises :class:`~kg.errors.InputError` naming the file on any problem."""
    return parse_source(read_source(path), jurisdiction=jurisdiction, registry=registry)
