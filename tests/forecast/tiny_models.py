"""Hand-built forecast models for exact-arithmetic tests (imported by name, so not in conftest)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from sufficiency.forecast.config import ModelConfig
from sufficiency.forecast.model import FittedModel


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
