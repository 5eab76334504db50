"""Shared helpers of the forecast: a model restricted to some states, config validation."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import BaseModel, Field
from tiny_models import tiny_model

from sufficiency.config_files import validated


def test_restricted_keeps_the_chosen_states_only() -> None:
    model = tiny_model(
        [1.0, 2.0, 3.0],
        transitions=[[0, 0.1, 0.2], [0.3, 0, 0.4], [0.5, 0.6, 0]],
        exits=[0.01, 0.02, 0.03],
        categories=("A", "B", "C"),
    )
    sub = model.restricted(np.array([0, 2]))
    assert sub.n_states == 2
    assert sub.x0.tolist() == [1.0, 3.0]
    assert sub.transitions.tolist() == [[0, 0.2], [0.5, 0]]
    assert sub.exits.tolist() == [0.01, 0.03]
    assert sub.exposure is None
    assert sub.config is model.config  # the config still names every state


class _Settings(BaseModel):
    size: int = Field(ge=1)


class _Bad(ValueError):
    pass


def test_validated_names_the_file_and_the_field() -> None:
    assert validated(_Settings, {"size": 2}, "a.yaml", _Bad).size == 2
    with pytest.raises(_Bad, match=r"^a\.yaml: size: Input should be greater than or equal to 1$"):
        validated(_Settings, {"size": 0}, "a.yaml", _Bad)


def test_validated_names_the_whole_mapping_when_no_field_is_at_fault() -> None:
    with pytest.raises(_Bad, match=r"^a\.yaml: config: "):
        validated(_Settings, [1], "a.yaml", _Bad, whole="config")
    with pytest.raises(_Bad, match=r"^a\.yaml: : "):
        validated(_Settings, [1], "a.yaml", _Bad)
