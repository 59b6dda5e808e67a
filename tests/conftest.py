"""Shared fixtures. Parsed documents are built once per session; servers live in their own fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.parse import parse_path
from kg.resources import sample_path

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
GENRE = TESTS / "genre"


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path, monkeypatch):
    """Commands default to ./kg-out when it exists: run every test in an empty folder of its own."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def sample_file() -> Path:
    return sample_path()


@pytest.fixture(scope="session")
def sample_doc(sample_file):
    return parse_path(sample_file)


@pytest.fixture(scope="session")
def taian_gold() -> dict:
    return json.loads((CORPUS / "taian_2023_green_lowcarbon.gold.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The bundled sample built once per session (no HTML views, which have their own tests)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("build") / "kg-out"
    build([], out, views=False)
    return out
