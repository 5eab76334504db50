"""Builders for the seed-table reproductions: datasets made child by child, in plain rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.measures import compute, load_catalogue, results_json
from sufficiency.profile import LAProfile

EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip


def dob_for_age(age: int, at: dt.date, days_before_birthday: int = 100) -> str:
    """A date of birth giving ``age`` completed years on ``at`` (the next birthday is
    ``days_before_birthday`` days after ``at``, so the age is not on an edge)."""
    next_birthday = at + dt.timedelta(days=days_before_birthday)
    year = next_birthday.year - age - 1
    day = min(next_birthday.day, 28) if next_birthday.month == 2 else next_birthday.day
    return dt.date(year, next_birthday.month, day).isoformat()


class Builder:
    """Collects header, episode, UASC and OC3 rows; ``dataset()`` makes the Dataset."""

    def __init__(self) -> None:
        self.children: list[dict[str, Any]] = []
        self.episodes: list[dict[str, Any]] = []
        self.uasc: list[dict[str, Any]] = []
        self.oc3: list[dict[str, Any]] = []
        self._n = 0

    def child(self, dob: str, sex: str = "M", ethnic: str = "WBRI") -> str:
        self._n += 1
        cid = f"C{self._n:05d}"
        self.children.append({"CHILD": cid, "SEX": sex, "DOB": dob, "ETHNIC": ethnic})
        return cid

    def episode(self, cid: str, decom: str, dec: str | None = None, **kw: Any) -> None:
        row: dict[str, Any] = {
            "CHILD": cid, "DECOM": decom, "RNE": "S", "LS": "C2", "CIN": "N1",
            "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": dec,
            "REC": None if dec is None else "E4A",
        }  # fmt: skip
        row.update(kw)
        self.episodes.append(row)

    def spell(
        self,
        cid: str,
        moves: list[tuple[str, str, str]],
        end: str | None = None,
        rec: str = "E4A",
        **kw: Any,
    ) -> None:
        """Consecutive episodes: ``moves`` are (DECOM, RNE, PLACE); each ends where the next
        starts (REC X1); the last ends on ``end`` with ``rec`` (or stays open)."""
        for i, (decom, rne, place) in enumerate(moves):
            last = i == len(moves) - 1
            dec = end if last else moves[i + 1][0]
            self.episode(cid, decom, dec, RNE=rne, PLACE=place,
                         REC=(rec if last and end else None if last else "X1"), **kw)  # fmt: skip

    def dataset(self, code: str = "E06000019", population: dict[int, int] | None = None) -> Dataset:
        profile = LAProfile(name="Seed council", code=code, population_under_18=population or {})
        eps = pl.DataFrame(
            [{c: e.get(c) for c in EPISODE_COLUMNS} for e in self.episodes],
            schema={c: pl.Utf8 for c in EPISODE_COLUMNS},
        )
        tables = {}
        if self.oc3:
            tables["oc3"] = pl.DataFrame(self.oc3, schema={
                "CHILD": pl.Utf8, "DOB": pl.Utf8, "IN_TOUCH": pl.Utf8, "ACTIV": pl.Utf8,
                "ACCOM": pl.Utf8})  # fmt: skip
        return Dataset.from_frames(
            profile,
            children=pl.DataFrame(
                self.children,
                schema={"CHILD": pl.Utf8, "SEX": pl.Utf8, "DOB": pl.Utf8, "ETHNIC": pl.Utf8},
            ),
            episodes=eps,
            uasc=(
                pl.DataFrame(
                    self.uasc,
                    schema={"CHILD": pl.Utf8, "SEX": pl.Utf8, "DOB": pl.Utf8, "DUC": pl.Utf8},
                )
                if self.uasc
                else None
            ),
            tables=tables,
            returns=(),
        )


def measures_json(ds: Dataset, at: dt.date, ids: list[str]) -> dict[str, Any]:
    """``measures --json`` values (suppression off: the seed figures are internal counts)."""
    doc = results_json(compute(ds, at, ids), suppress=False)
    assert doc["at"] == at.isoformat()
    return dict(doc["measures"])


class Kit:
    Builder = Builder
    dob_for_age = staticmethod(dob_for_age)
    measures_json = staticmethod(measures_json)


@pytest.fixture(scope="session")
def seed() -> type[Kit]:
    load_catalogue()
    return Kit
