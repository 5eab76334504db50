"""Fixtures for the command-line tests: the DATA folders the other test folders already build.

The builders stay where their own tests use them: ``ingest_data`` (tests/ingest), ``peer_sample``
(tests/forecast) and the statement's hand-built council (tests/report/conftest.py, read here by
path since conftest modules cannot be imported by name).
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "forecast"))

from ingest_data import write_data

TESTS = Path(__file__).resolve().parents[1]


@cache
def _report_council() -> ModuleType:
    """tests/report/conftest.py as a plain module (for its ``write_data_folder``)."""
    spec = importlib.util.spec_from_file_location(
        "report_council", TESTS / "report" / "conftest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def good_data(tmp_path: Path) -> Path:
    """A DATA folder holding the good 2022-23 return of tests/ingest."""
    return write_data(tmp_path / "DATA")


@pytest.fixture(scope="session")
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The statement tests' council (60 children, 3 UASC, returns 2022-2024, narrative)."""
    root: Path = _report_council().write_data_folder(tmp_path_factory.mktemp("council") / "DATA")
    return root
