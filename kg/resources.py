"""Where the files that ship with kg live: the ontology, the named queries, the bundled sample.

The repository keeps them in top-level ``ontology/`` and ``queries/`` folders; an installed wheel carries
them as ``kg.ontology`` and ``kg.queries``. Looking them up here, once, lets both layouts work.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent  # a checkout

SAMPLE_NAME = "taian_2023_green_lowcarbon.txt"


def _package_dir(name: str) -> Path:
    # Installed, the folders sit inside the package (kg/ontology); in a checkout (an editable install
    # included) they sit next to it. They hold no __init__.py, so importlib.resources would see namespace
    # packages and not a folder.
    installed = Path(__file__).resolve().parent / name
    return installed if installed.is_dir() else _REPO_ROOT / name


def ontology_dir() -> Path:
    return _package_dir("ontology")


def queries_dir() -> Path:
    return _package_dir("queries")


def sample_path() -> Path:
    """The bundled reference document (泰安市, 80 tasks in 11 sections)."""
    return Path(str(importlib.resources.files("kg.data").joinpath(SAMPLE_NAME)))
