"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The disk cache (the postcode directory as Parquet) in this run's temporary folder, shared
    by the xdist workers of one run, never the user's own cache (``geo.cache``)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUFFICIENCY_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The council `make demo` makes (seed 2026, Herefordshire geography), synthesised once per
    test worker: tests never depend on a `demo/` folder a clean clone does not have."""
    from sufficiency.synth import generate, write_data_folder

    out = tmp_path_factory.mktemp("demo-council") / "demo"
    write_data_folder(generate(seed=2026), out)
    return out
