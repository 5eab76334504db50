"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The council `make demo` makes (seed 2026, Herefordshire geography), synthesised once per
    test worker: tests never depend on a `demo/` folder a clean clone does not have."""
    from sufficiency.synth import generate, write_data_folder

    out = tmp_path_factory.mktemp("demo-council") / "demo"
    write_data_folder(generate(seed=2026), out)
    return out
