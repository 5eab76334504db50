"""Fixtures for the synthetic council tests: small councils generated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.synth import SynthCouncil, generate, write_data_folder


@pytest.fixture(scope="session")
def small_council() -> SynthCouncil:
    """A 150-child council on Herefordshire's geography, returns ending 2023 and 2024."""
    return generate(seed=11, children=150, years=[2023, 2024], la_code="E06000019")


@pytest.fixture(scope="session")
def small_folder(small_council: SynthCouncil, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "council"
    write_data_folder(small_council, out)
    return out


@pytest.fixture(scope="session")
def herts_council() -> SynthCouncil:
    """Hertfordshire-sized council (978 CLA, 16% UASC in the seed) for calibration checks."""
    return generate(seed=5, years=[2023, 2024], la_code="E10000015")
