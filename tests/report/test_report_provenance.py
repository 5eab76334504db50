"""Provenance: the same data gives the same hash; any change to it gives another."""

from __future__ import annotations

import dataclasses
from typing import Any

from sufficiency.measures.comparators import Comparator
from sufficiency.report.provenance import _data_hash, comparators_vintage, data_hash, provenance


def test_the_data_hash_is_stable_and_sees_a_changed_register(council_factory: Any) -> None:
    ds = council_factory()
    first = data_hash(ds)
    assert first == data_hash(council_factory()) and len(first) == 64
    costs = ds.registers["costs"]
    changed = dataclasses.replace(
        ds, registers={**ds.registers, "costs": costs.head(costs.height - 1)}
    )
    assert data_hash(changed) != first
    edited = dataclasses.replace(ds, narrative={**ds.narrative, "foreword": "A word."})
    assert data_hash(edited) != first


def test_the_data_hash_is_remembered_per_dataset(council_factory: Any) -> None:
    """Worked out once per Dataset: the remembered hash is the fresh one, and a Dataset with a
    changed register (a new object) is hashed again, not given the first one's."""
    ds = council_factory()
    first = data_hash(ds)
    assert data_hash(ds) == first == _data_hash(ds)
    costs = ds.registers["costs"]
    changed = dataclasses.replace(ds, registers={**ds.registers, "costs": costs.head(1)})
    assert data_hash(changed) == _data_hash(changed) != first
    assert data_hash(ds) == first


def test_provenance_names_version_comparators_and_mode(council_factory: Any) -> None:
    marks = [
        Comparator("cla_count", 2023, "england", 70.0, "DfE LAIT"),
        Comparator("cla_count", 2024, "region", 71.0, "DfE CLA"),
    ]
    assert comparators_vintage(marks) == {"latest_year": 2024, "sources": ["DfE CLA", "DfE LAIT"]}
    record = provenance(council_factory(), marks, "internal")
    assert record["mode"] == "internal" and record["version"] not in ("", None)
    assert set(record) == {"data_sha256", "product", "version", "comparators", "mode"}
