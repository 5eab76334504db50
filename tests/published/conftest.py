"""Fixtures for the published-statistics tests: the DfE source folder, or a skip saying why.

The source folder (``../shared/data/dfe`` beside the repository) is present here and in CI; the
tests that read it skip only when it is absent (a user's machine). The readers of its files are
in ``published_sources`` (put on the path here, as tests/cli does with its helpers).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from published_sources import SOURCE


@pytest.fixture(scope="session")
def source() -> Path:
    """The DfE/ONS source folder, or skip: it is absent on a machine without ../shared/."""
    if not (SOURCE / "bds_long_0.parquet").exists():
        pytest.skip(f"{SOURCE} is absent (it is present in CI): the source files cannot be read")
    return SOURCE
