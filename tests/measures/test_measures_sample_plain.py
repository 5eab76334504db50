"""The catalogue on the cs-demand-model sample returns against an independent plain-Python
count (csv module, written from the DfE definitions, no code shared with the measures).

The sample's folders are named by the year the return STARTS (2017 = 2017-18). The merge policy
(docs/measures.md): each return is the authority for its own year, so every date and every event
is read from the one return whose 1 April - 31 March holds it, that return's rows alone (the
latest row per CHILD and DECOM; an episode overlapping or left open before the next is cut at
the next DECOM). Definitions used here, as the DfE's SSDA903 publications use them:
- looked after on D: an episode with DECOM <= D and DEC blank or > D, not under V3/V4;
- started in the year: an episode with RNE S in the year, not V3/V4 (child counted once);
- ceased in the year: an episode with DEC in the year and REC other than X1, not V3/V4;
- 3+ placements: of children looked after on D, those with 3 or more counted episodes: the one
  open on the year's first day plus each starting in the year with RNE S/P/B/T/U, temporary
  placements (T0-T4) and V3/V4 episodes never counted, nor a move to adoption with the current
  foster carers (A3, A5).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sufficiency.ingest import load_data
from sufficiency.measures import compute
from sufficiency.results import to_json

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = next(
    (ROOT / ".peer-venvs" / "demand" / "lib").glob(
        "python3*/site-packages/cs_demand_model_samples/v1.zip"
    )
)
DATES = ("2018-03-31", "2019-03-31", "2019-09-30", "2020-03-31", "2021-03-31", "2022-03-31")
SHORT = {"V3", "V4"}


def _d(text: str) -> dt.date | None:
    text = text.strip()
    return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None


def _year(day: dt.date) -> int:
    """The return (named by the year it ends) whose 1 April - 31 March holds ``day``."""
    return day.year + (day.month >= 4)


def _read() -> tuple[dict[int, dict[str, list[dict[str, Any]]]], dict[str, Any], dict[str, Any]]:
    """Each return's episodes by child (repaired within the return), headers and UASC rows by
    child (the latest return's row)."""
    returns: dict[int, dict[str, list[dict[str, Any]]]] = {}
    headers: dict[str, dict[str, str]] = {}
    uasc: dict[str, Any] = {}
    with zipfile.ZipFile(SAMPLES) as zf:
        starts = sorted({n.split("/")[0] for n in zf.namelist() if n.endswith(".csv")})
        for folder in starts:

            def rows(name: str, folder: str = folder) -> list[dict[str, str]]:
                text = zf.read(f"{folder}/{name}").decode("utf-8-sig")
                return list(csv.DictReader(io.StringIO(text)))

            episodes: dict[tuple[str, dt.date], dict[str, Any]] = {}
            for row in rows("episodes.csv"):
                ep: dict[str, Any] = dict(row)
                ep["DECOM"], ep["DEC"] = _d(row["DECOM"]), _d(row["DEC"])
                episodes[(row["CHILD"], ep["DECOM"])] = ep
            by_child: dict[str, list[dict[str, Any]]] = {}
            for key in sorted(episodes):
                by_child.setdefault(key[0], []).append(episodes[key])
            for eps in by_child.values():
                for cur, nxt in itertools.pairwise(eps):
                    if cur["DEC"] is None or cur["DEC"] > nxt["DECOM"]:
                        cur["DEC"] = nxt["DECOM"]
            returns[int(folder) + 1] = by_child
            for row in rows("header.csv"):
                headers[row["CHILD"]] = row
            for row in rows("uasc.csv"):
                uasc[row["CHILD"]] = _d(row["DUC"])
    return returns, headers, uasc


def _type(place: str, provider: str) -> str:
    if place in ("U4", "U5", "U6"):
        return {
            "PR1": "in_house_fostering",
            "PR2": "other_public_fostering",
            "PR3": "other_public_fostering",
            "PR4": "ifa",
            "PR5": "ifa",
        }.get(provider, "other")
    if place in ("U1", "U2", "U3"):
        return "family_and_friends"
    if place in ("K2", "R1"):
        if provider == "PR1":
            return "in_house_residential"
        return "external_residential" if provider in ("PR2", "PR3", "PR4", "PR5") else "other"
    simple = {
        "K1": "secure", "H5": "supported_accommodation", "K3": "supported_accommodation",
        "P2": "independent_living", "S1": "residential_school", "R3": "parent_and_child",
        "P1": "placed_with_parents", "A3": "placed_for_adoption", "A4": "placed_for_adoption",
        "A5": "placed_for_adoption", "A6": "placed_for_adoption", "R2": "health",
        "R5": "custody", "P3": "residential_employment",
    }  # fmt: skip
    return simple.get(place, "other")


def _band(age: int) -> str:
    if age < 1:
        return "under_1"
    if age <= 4:
        return "1_to_4"
    if age <= 9:
        return "5_to_9"
    return "10_to_15" if age <= 15 else "16_plus"


def _plain(at: dt.date) -> dict[str, Any]:
    returns, headers, uasc = _read()
    first = at.replace(year=at.year - 1) + dt.timedelta(days=1)

    def episodes(day: dt.date) -> dict[str, list[dict[str, Any]]]:
        return returns.get(_year(day), {})

    cla: dict[str, dict[str, Any]] = {}
    for child, eps in episodes(at).items():
        for ep in eps:
            if ep["DECOM"] <= at and (ep["DEC"] is None or ep["DEC"] > at):
                cla[child] = ep
    cla = {c: ep for c, ep in cla.items() if ep["LS"] not in SHORT}
    starts: set[str] = set()
    ceased: set[str] = set()
    moves: Counter[str] = Counter()
    for child, eps in episodes(first).items():  # the placement open on the first day
        for ep in eps:
            if ep["LS"] in SHORT or ep["PLACE"] in ("T0", "T1", "T2", "T3", "T4"):
                continue
            moves[child] += ep["DECOM"] <= first and (ep["DEC"] is None or ep["DEC"] > first)
    for year in sorted({_year(first), _year(at)}):
        for child, eps in returns.get(year, {}).items():
            for ep in eps:
                if ep["LS"] in SHORT:
                    continue
                start, dec = ep["DECOM"], ep["DEC"]
                if first <= start <= at and _year(start) == year:
                    if ep["RNE"] == "S":
                        starts.add(child)
                    adoption_with_carers = ep["PLACE"] in ("A3", "A5") and ep["RNE"] != "S"
                    temporary = ep["PLACE"] in ("T0", "T1", "T2", "T3", "T4")
                    if (
                        start > first
                        and ep["RNE"] in ("S", "P", "B", "T", "U")
                        and not (adoption_with_carers or temporary)
                    ):
                        moves[child] += 1
                ends = dec is not None and first <= dec <= at and _year(dec) == year
                if ends and ep["REC"] not in ("X1", ""):
                    ceased.add(child)
    three_plus = sum(1 for child in cla if moves[child] >= 3)

    def age(child: str) -> int:
        dob = _d(headers[child]["DOB"])
        assert dob is not None
        return at.year - dob.year - ((dob.month, dob.day) > (at.month, at.day))

    bands = Counter(_band(age(c)) for c in cla)
    types = Counter(_type(ep["PLACE"], ep["PLACE_PROVIDER"]) for ep in cla.values())
    return {
        "cla_count": len(cla),
        "starts": len(starts),
        "ceased": len(ceased),
        "cla_by_age_band": {
            b: bands[b] for b in ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_plus")
        },
        "cla_by_placement_type": dict(types),
        "stability_three_plus": (three_plus, len(cla)),
        "uasc_count": sum(1 for c in cla if c in uasc and (uasc[c] is None or uasc[c] > at)),
    }


@pytest.fixture(scope="module")
def sample_ds(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("plain")
    with zipfile.ZipFile(SAMPLES) as zf:
        for name in zf.namelist():
            if name.endswith(".csv"):
                folder, file = name.split("/")
                out = root / "ssda903" / str(int(folder) + 1) / file
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(name))
    (root / "la.toml").write_text('name = "Sample"\ncode = "E06000019"\nneighbours = []\n')
    result = load_data(root)
    assert result.dataset is not None
    return result.dataset


@pytest.mark.slow
@pytest.mark.parametrize("at", DATES)
def test_sample_counts_agree_with_plain_python(sample_ds: Any, at: str) -> None:
    date = dt.date.fromisoformat(at)
    expected = _plain(date)
    got = to_json(compute(sample_ds, date, list(expected)).values)
    types = {k: v for k, v in got["cla_by_placement_type"].items() if v}
    assert got["cla_count"] == expected["cla_count"]
    assert got["starts"] == expected["starts"]
    assert got["ceased"] == expected["ceased"]
    assert got["cla_by_age_band"] == expected["cla_by_age_band"]
    assert types == expected["cla_by_placement_type"]
    share = got["stability_three_plus"]
    assert (share["count"], share["denominator"]) == expected["stability_three_plus"]
    assert got["uasc_count"] == expected["uasc_count"]


def test_sample_at_31_march_2019_is_what_the_2018_19_return_says(sample_ds: Any) -> None:
    # The case: the 2019-20 return places 243 children on 31 March 2019 (79 of them in
    # no 2018-19 episode); merged latest-wins, 286 were counted. The 2018-19 return says 195.
    got = compute(sample_ds, dt.date(2019, 3, 31), ["cla_count", "starts", "ceased"]).values
    assert to_json(got) == {"cla_count": 195, "starts": 13, "ceased": 183}
