"""Fixtures for the forecast tests: the peer's sample and tiny hand-built models."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from peer_sample import load_sample_data, sample_zip, write_sample_data

from sufficiency.dataset import Dataset


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The peer's sample as a DATA folder (ssda903/2018..2022, la.toml)."""
    if sample_zip() is None:
        pytest.fail("cs-demand-model sample missing: run `make peers`")
    return write_sample_data(tmp_path_factory.mktemp("peer") / "DATA")


@pytest.fixture(scope="session")
def sample_ds(sample_data: Path) -> Dataset:
    """The peer's sample read by ``sufficiency.ingest.load_data`` (the product path)."""
    return load_sample_data(sample_data)
