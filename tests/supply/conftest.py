"""Fixtures for supply tests: a profile and small builders of Datasets and registers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.ingest.registers import parse_register
from sufficiency.profile import LAProfile

STAFFS = "E10000028"
#: The ``reg`` fixture's type: a register's rows read as its CSV would be.
Reg = Callable[[str, list[dict[str, object]]], pl.DataFrame]
#: The ``make_ds`` fixture's type: a Dataset from episodes, children and registers.
MakeDs = Callable[..., Dataset]


@pytest.fixture
def profile() -> LAProfile:
    return LAProfile(name="Testshire", code=STAFFS, region="West Midlands")


def register(name: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """Parse hand-written rows (values as text) through the real register parser."""
    raw = pl.DataFrame(
        [{k: (None if v is None else str(v)) for k, v in r.items()} for r in rows],
        infer_schema_length=None,
    )
    frame, problems = parse_register(name, raw.select(pl.all().cast(pl.Utf8)), f"{name}.csv")
    assert [p for p in problems if p.severity == "error"] == []
    return frame


@pytest.fixture
def make_ds(profile: LAProfile) -> Callable[..., Dataset]:
    def build(
        episodes: list[dict[str, object]] | None = None,
        registers: dict[str, pl.DataFrame] | None = None,
        returns: tuple[int, ...] = (2023,),
    ) -> Dataset:
        eps = pl.DataFrame(episodes, infer_schema_length=None) if episodes else None
        children = None
        if episodes:
            ids = sorted({str(e["CHILD"]) for e in episodes})
            children = pl.DataFrame(
                {"CHILD": ids, "SEX": ["M"] * len(ids), "DOB": ["2010-01-01"] * len(ids)}
            )
        return Dataset.from_frames(
            profile, children=children, episodes=eps, registers=registers or {}, returns=returns
        )

    return build


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    folder = tmp_path / "registers"
    folder.mkdir()

    def put(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return put


@pytest.fixture
def reg() -> Callable[[str, list[dict[str, object]]], pl.DataFrame]:
    """The ``register`` builder as a fixture (test modules cannot import conftest)."""
    return register
