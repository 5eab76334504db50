"""Fixtures for the forecast tests: the peer's sample and tiny hand-built models."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from peer_sample import load_sample_data, sample_zip, write_sample_data

from sufficiency.dataset import Dataset
from sufficiency.forecast.config import ModelConfig
from sufficiency.forecast.model import FittedModel


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


def tiny_config(categories: tuple[str, ...] = ("A", "B"), brackets: int = 1) -> ModelConfig:
    """A hand-built config: ``brackets`` brackets of 5 years, categories named by PLACE code."""
    return ModelConfig(
        name="tiny",
        category_source="place",
        age_basis="episode_start",
        ageing="observed",
        exclude_short_breaks=False,
        categories={c: (c,) for c in categories},
        age_brackets=tuple(
            {"name": f"b{i}", "min": 5 * i, "max": 5 * (i + 1)} for i in range(brackets)
        ),
    )


def tiny_model(
    x0: list[float],
    transitions: list[list[float]] | None = None,
    exits: list[float] | None = None,
    entrants: list[float] | None = None,
    categories: tuple[str, ...] = ("A", "B"),
    end: dt.date = dt.date(2024, 3, 31),
) -> FittedModel:
    """A FittedModel with given daily rates, bypassing the fit."""
    n = len(x0)
    zeros = np.zeros((n, n))
    return FittedModel(
        config=tiny_config(categories, n // len(categories)),
        reference_start=dt.date(2023, 3, 31),
        reference_end=end,
        x0=np.array(x0, dtype=float),
        transitions=np.array(transitions, dtype=float) if transitions else zeros.copy(),
        ageing=zeros.copy(),
        exits=np.array(exits or [0.0] * n, dtype=float),
        entrants=np.array(entrants or [0.0] * n, dtype=float),
        transition_counts=np.full((n, n), 50.0),
        exit_counts=np.full(n, 50.0),
        entrant_counts=np.full(n, 50.0),
    )
