"""Fixtures for the disclosure tests: the demo council's statements, written as a user gets them
(HTML, XLSX and JSON; no PDF, which is slow and made from the same HTML). The helpers are in
``disclosure_helpers`` (conftest modules cannot be imported by name)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from disclosure_helpers import DEMO_YEAR, load, write


@pytest.fixture(scope="session")
def demo_ds(demo_dir: Path) -> Any:
    """The demo council (``make demo``'s, synthesised by the shared ``demo_dir`` fixture)."""
    return load(demo_dir)


@pytest.fixture(scope="session")
def demo_published(demo_ds: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(demo_ds, DEMO_YEAR, "publish", tmp_path_factory.mktemp("demo") / "publish")


@pytest.fixture(scope="session")
def demo_internal(demo_ds: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(demo_ds, DEMO_YEAR, "internal", tmp_path_factory.mktemp("demo") / "internal")
