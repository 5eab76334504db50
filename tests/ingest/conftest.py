"""Fixtures for ingest tests: a small good DATA folder written by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ingest_data import write_data


@pytest.fixture
def good_data(tmp_path: Path) -> Path:
    """A DATA folder holding the good 2022-23 return."""
    return write_data(tmp_path / "DATA")
