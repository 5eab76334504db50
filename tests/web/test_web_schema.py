"""The Django models mirror the library's canonical schema (one schema, two homes)."""

from __future__ import annotations

from sufficiency.dataset import CHILDREN_SCHEMA, EPISODES_SCHEMA, UASC_SCHEMA
from sufficiency.web.data.models import Child, Episode, Uasc


def _fields(model: type) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if f.name != "id"}  # type: ignore[attr-defined]


def test_children_model_mirrors_schema() -> None:
    assert _fields(Child) == {c.lower() for c in CHILDREN_SCHEMA} | {"return_year"}


def test_episodes_model_mirrors_schema() -> None:
    assert _fields(Episode) == {c.lower() for c in EPISODES_SCHEMA}


def test_uasc_model_mirrors_schema() -> None:
    assert _fields(Uasc) == {c.lower() for c in UASC_SCHEMA} | {"return_year"}


def test_register_models_mirror_register_schemas() -> None:
    from sufficiency.ingest.registers import REGISTERS
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    for name, model in EDITABLE_REGISTERS.items():
        assert set(model.columns) == set(REGISTERS[name].column_names), name
        assert set(model.columns) <= {f.name for f in model._meta.concrete_fields}, name
