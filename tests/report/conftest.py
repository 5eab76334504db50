"""A small hand-built synthetic council for the statement tests (no real child data).

``make_council`` builds a Dataset with three returns (2022-2024), real postcodes inside
Herefordshire, in a neighbouring council and far away (so distances and location bands are
real), a chosen number of unaccompanied asylum-seeking children, and optionally registers and
narrative. Everything is deterministic (seeded).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from sufficiency.dataset import Dataset
from sufficiency.profile import LAProfile

# the helper modules beside the tests (chart_samples) import by name
sys.path.insert(0, str(Path(__file__).resolve().parent))

HOME = ["HR2 0HN", "HR4 0BE", "HR6 0YH", "HR8 9JY"]
NEIGHBOUR = ["SY1 9EU", "SY7 0JQ"]
DISTANT = ["NE1 1AA", "NE3 1BY", "NE5 3BP"]
PLACES = [
    ("U4", "PR1"),
    ("U4", "PR1"),
    ("U5", "PR1"),
    ("U1", "PR1"),
    ("U4", "PR4"),
    ("U6", "PR4"),
    ("K2", "PR4"),
    ("K2", "PR1"),
    ("H5", "PR4"),
    ("P1", "PR1"),
    ("R3", "PR4"),
    ("A3", "PR1"),
]
ETHNIC = ["WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "AOTH", "BAFR", "WIRI"]


def _fy(d: dt.date) -> int:
    return d.year + 1 if d.month >= 4 else d.year


def build_frames(n_children: int, uasc: int, seed: int) -> dict[str, pl.DataFrame]:
    """Children, episodes and UASC rows for a council of ``n_children`` plus ``uasc`` UASC."""
    rng = random.Random(seed)
    children: list[dict[str, Any]] = []
    episodes: list[dict[str, Any]] = []
    end_of_data = dt.date(2024, 3, 31)
    for i in range(n_children):
        cid = f"C{i:04d}"
        dob = dt.date(2006, 4, 1) + dt.timedelta(days=rng.randrange(0, 17 * 365))
        children.append(
            {
                "CHILD": cid,
                "SEX": rng.choice("MF"),
                "DOB": dob.isoformat(),
                "ETHNIC": rng.choice(ETHNIC),
            }
        )
        start = max(
            dob + dt.timedelta(days=30),
            dt.date(2020, 4, 1) + dt.timedelta(days=rng.randrange(0, 4 * 365 - 60)),
        )
        if start >= end_of_data:
            start = end_of_data - dt.timedelta(days=40)
        home = rng.choice(HOME)
        n_pl = rng.choice([1, 1, 1, 2, 2, 3, 4])
        day = start
        for k in range(n_pl):
            place, provider = rng.choice(PLACES)
            r = rng.random()
            pl_post = rng.choice(HOME if r < 0.6 else NEIGHBOUR if r < 0.8 else DISTANT)
            length = rng.randrange(40, 600)
            dec: dt.date | None = day + dt.timedelta(days=length)
            last = k == n_pl - 1
            if dec is not None and dec > end_of_data:
                dec = None
            rec = None
            if dec is not None:
                rec = rng.choice(["E11", "E4A", "E13", "E41"]) if last else "X1"
            elif not last:
                last = True
            episodes.append(
                {
                    "CHILD": cid,
                    "DECOM": day.isoformat(),
                    "RNE": "S" if k == 0 else "P",
                    "LS": "C2" if i % 17 else "V2",
                    "CIN": "N1",
                    "PLACE": place,
                    "PLACE_PROVIDER": provider,
                    "DEC": dec.isoformat() if dec else None,
                    "REC": rec,
                    "REASON_PLACE_CHANGE": None if k == 0 else "CARPL",
                    "HOME_POST": home,
                    "PL_POST": pl_post,
                    "URN": "SC000001" if place == "K2" else None,
                    "return_year": min(2024, _fy(dec)) if dec else 2024,
                }
            )
            if dec is None or last:
                break
            day = dec
    uasc_rows = []
    for j in range(uasc):
        cid = f"U{j:03d}"
        dob = dt.date(2006, 9, 1) + dt.timedelta(days=40 * j)
        children.append({"CHILD": cid, "SEX": "M", "DOB": dob.isoformat(), "ETHNIC": "AOTH"})
        episodes.append(
            {
                "CHILD": cid,
                "DECOM": "2023-09-01",
                "RNE": "S",
                "LS": "C2",
                "CIN": "N8",
                "PLACE": "H5",
                "PLACE_PROVIDER": "PR4",
                "DEC": None,
                "REC": None,
                "REASON_PLACE_CHANGE": None,
                "HOME_POST": HOME[0],
                "PL_POST": HOME[1],
                "URN": None,
                "return_year": 2024,
            }
        )
        duc = dob.replace(year=dob.year + 18)  # UASC status ends at 18
        uasc_rows.append({"CHILD": cid, "SEX": "M", "DOB": dob.isoformat(), "DUC": duc.isoformat()})
    return {
        "children": pl.DataFrame(children),
        "episodes": pl.DataFrame(
            episodes,
            schema_overrides={
                "DEC": pl.Utf8,
                "REC": pl.Utf8,
                "REASON_PLACE_CHANGE": pl.Utf8,
                "URN": pl.Utf8,
            },
        ),
        "uasc": pl.DataFrame(
            uasc_rows, schema={"CHILD": pl.Utf8, "SEX": pl.Utf8, "DOB": pl.Utf8, "DUC": pl.Utf8}
        ),
    }


def _register(name: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    from sufficiency.ingest.registers import parse_register

    raw = pl.DataFrame([{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows])
    frame, problems = parse_register(name, raw, f"registers/{name}.csv")
    errors = [p for p in problems if p.severity == "error"]
    assert not errors, errors
    return frame


def build_registers() -> dict[str, pl.DataFrame]:
    """Costs, benchmarks, actions, targets, carers, homes and recruitment for the test council."""
    costs = []
    base = {
        "in_house_fostering": 450,
        "ifa": 980,
        "external_residential": 4900,
        "supported_accommodation": 1400,
        "in_house_residential": 3600,
    }
    for t, w in base.items():
        for k, y in enumerate(range(2020, 2025)):
            costs.append({"placement_type": t, "year": y, "weekly_cost": round(w * (1 + 0.08 * k))})
    bench = []
    for y in (2022, 2023, 2024):
        bench += [
            {
                "measure_id": "cla_rate_per_10k",
                "year": y,
                "area": "england",
                "value": 70 + y - 2022,
                "source": "DfE CLA 2024",
            },
            {
                "measure_id": "cla_rate_per_10k",
                "year": y,
                "area": "statistical_neighbours",
                "value": 80.5,
                "source": "DfE CLA 2024",
            },
            {
                "measure_id": "stability_three_plus",
                "year": y,
                "area": "statistical_neighbours",
                "value": 9.8,
                "source": "DfE CLA 2024",
            },
            {
                "measure_id": "stability_three_plus",
                "year": y,
                "area": "england",
                "value": 10.0,
                "source": "DfE CLA 2024",
            },
        ]
    actions = [
        {
            "action_id": "A1",
            "area": "Fostering",
            "activity": "Recruit 10 more foster households",
            "expected_impact": "More children fostered in county",
            "owner": "Head of Fostering",
            "due": "2025-03-31",
            "status": "on track",
        },
        {
            "action_id": "A2",
            "area": "Residential",
            "activity": "Open a two-bed in-house home",
            "expected_impact": "Fewer children placed at a distance",
            "owner": "Commissioning",
            "due": "2025-09-30",
            "status": "not started",
        },
    ]
    targets = [
        {
            "measure_id": "stability_three_plus",
            "baseline_date": "2023-03-31",
            "baseline": 12.0,
            "target": 9.0,
            "target_date": "2025-03-31",
            "direction": "down",
        },
        {
            "measure_id": "cla_rate_per_10k",
            "baseline_date": "2023-03-31",
            "baseline": 10.0,
            "target": 5.0,
            "target_date": "2026-03-31",
            "direction": "down",
        },
    ]
    carers = [
        {
            "household_id": f"H{k:02d}",
            "status": "approved" if k < 9 else "deregistered",
            "approval_types": "mainstream",
            "approved_date": f"{2015 + k % 8}-06-01",
            "deregistered_date": "2023-10-01" if k >= 9 else None,
            "places": 1 + k % 3,
            "occupied": k % 2,
            "age_min": 0,
            "age_max": 17,
            "siblings": 0,
            "postcode": HOME[k % 4],
        }
        for k in range(11)
    ]
    homes = [
        {
            "urn": f"SC00000{k}",
            "name": f"Home {k}",
            "provider": "Council" if k < 2 else "Acme",
            "sector": "local_authority" if k < 2 else "private",
            "local_authority": "E06000019",
            "postcode": HOME[k % 4],
            "places": 2 + k,
            "rating": ["good", "outstanding", "requires_improvement", "good"][k],
            "in_house": "true" if k < 2 else "false",
        }
        for k in range(4)
    ]
    recruitment = [
        {
            "month": f"{y}-{m:02d}",
            "enquiries": 10 + m,
            "applications": 3,
            "assessments_started": 2,
            "approvals": 1 if m % 3 == 0 else 0,
            "deregistrations": 1 if m % 4 == 0 else 0,
        }
        for y in (2023, 2024)
        for m in range(1, 13)
        if (y, m) <= (2024, 3)
    ]
    return {
        **supply_registers(),
        "costs": _register("costs", costs),
        "benchmarks": _register("benchmarks", bench),
        "actions": _register("actions", actions),
        "targets": _register("targets", targets),
        "carers": _register("carers", carers),
        "homes": _register("homes", homes),
        "recruitment": _register("recruitment", recruitment),
        "population": _register(
            "population",
            [
                {
                    "year": y,
                    "population_under_18": p,
                    "ethnicity_white_pct": 91.5,
                    "ethnicity_mixed_pct": 3.5,
                    "ethnicity_asian_pct": 2.5,
                    "ethnicity_black_pct": 1.0,
                    "ethnicity_other_pct": 1.5,
                }
                for y, p in ((2022, 36000), (2023, 36200), (2024, 36500))
            ],
        ),
    }


def supply_registers() -> dict[str, pl.DataFrame]:
    """Supported accommodation, referrals and their outcomes: what a publishable statement
    needs besides (hand-made: two providers, six referrals, five placed)."""
    supported = [
        {
            "provider": "Step Up Ltd",
            "urn": "SC900001",
            "postcode": HOME[0],
            "units": 6,
            "occupied": 4,
            "uasc_only": "no",
            "registered_date": "2023-10-28",
        },
        {
            "provider": "Next Steps",
            "urn": "SC900002",
            "postcode": NEIGHBOUR[0],
            "units": 4,
            "occupied": 2,
            "uasc_only": "yes",
            "registered_date": "2023-11-15",
        },
    ]
    types = [
        "in_house_fostering",
        "ifa",
        "in_house_fostering",
        "external_residential",
        "ifa",
        "supported_accommodation",
    ]
    referrals = [
        {
            "referral_id": f"R{k}",
            "age": 6 + 2 * k,
            "sex": "MF"[k % 2],
            "home_postcode": HOME[k % 4],
            "needed_by": f"2024-0{1 + k % 3}-15",
            "urgency": "later",
            "siblings": k % 2,
            "requested_type": t,
            "referred_date": f"2023-{6 + k:02d}-01",
        }
        for k, t in enumerate(types)
    ]
    outcomes = [
        {
            "referral_id": f"R{k}",
            "offered": "yes",
            "accepted": "yes" if k < 5 else "no",
            "placed_date": f"2023-{7 + k:02d}-10" if k < 5 else None,
            "placed_type": (types[k] if k != 1 else "external_residential") if k < 5 else None,
            "decline_reason": None if k < 5 else "too far",
            "siblings_together": "yes",
            "placed_postcode": HOME[k % 4] if k < 5 else None,
        }
        for k in range(len(types))
    ]
    return {
        "supported_accommodation": _register("supported_accommodation", supported),
        "referrals": _register("referrals", referrals),
        "outcomes": _register("outcomes", outcomes),
    }


def oc3_frame(children: pl.DataFrame) -> pl.DataFrame:
    """OC3 rows for 2024: the council's children aged 17 at 31 March 2024 plus former ones
    aged 18-21 (hand-made answers: in touch, housed, most in education or work)."""
    dob = pl.col("DOB").str.to_date()
    seventeen = children.filter(
        (dob <= dt.date(2007, 3, 31)) & ~pl.col("CHILD").str.starts_with("U")
    )
    rows = [{"CHILD": c, "DOB": d} for c, d in seventeen.select("CHILD", "DOB").iter_rows()]
    rows += [
        {"CHILD": f"L{k:03d}", "DOB": dt.date(2002 + k % 4, 1 + k % 12, 10).isoformat()}
        for k in range(24)
    ]
    activity = ["F1", "F2", "G4", "F1", "G5", "F2"]
    accom = ["B1", "B2", "E1", "B1", "X2", "T1"]
    return pl.DataFrame(
        [
            {
                **r,
                "IN_TOUCH": "YES",
                "ACTIV": activity[k % 6],
                "ACCOM": accom[k % 6],
                "return_year": 2024,
            }
            for k, r in enumerate(rows)
        ]
    )


PROFILE = LAProfile(
    name="Testshire Council",
    code="E06000019",
    region="West Midlands",
    neighbours=("E06000051", "E10000034"),
    population_under_18={2022: 36000, 2023: 36200, 2024: 36500},
)


#: The council's approval (``narrative/sign_off.md``): a publishable statement needs it.
SIGN_OFF = (
    "Agreed by the Corporate Parenting Board.\n\n"
    "Approved by: Director of Children's Services\nApproved on: 2024-06-30\n"
    "Next review: 2025-06-30\n"
)


def make_council(
    n_children: int = 90,
    uasc: int = 8,
    seed: int = 7,
    registers: bool = True,
    narrative: dict[str, str] | None = None,
) -> Dataset:
    """The test council as a Dataset."""
    frames = build_frames(n_children, uasc, seed)
    return Dataset.from_frames(
        PROFILE,
        children=frames["children"],
        episodes=frames["episodes"],
        uasc=frames["uasc"],
        tables={"oc3": oc3_frame(frames["children"])} if registers else {},
        registers=build_registers() if registers else {},
        narrative={"sign_off": SIGN_OFF, **(narrative or {})},
        returns=(2022, 2023, 2024),
    )


@pytest.fixture(scope="session")
def council() -> Dataset:
    return make_council(
        narrative={
            "introduction": "Our council **cares**.\n\n<script>alert(1)</script>\n\n<!-- generated -->",
            "placements": "# Where children live\n\nMost children live close to home.",
        }
    )


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("statement")


MakeCouncil = Callable[..., Dataset]


@pytest.fixture(scope="session")
def council_factory() -> MakeCouncil:
    """``make_council`` for tests that need a council of their own shape."""
    return make_council


@pytest.fixture(scope="session")
def published(council: Dataset, out_dir: Path) -> Path:
    """The publish-mode statement of the test council, all four files (rendered once)."""
    from sufficiency.report.build import build_statement
    from sufficiency.report.output import write_statement

    folder = out_dir / "publish"
    write_statement(build_statement(council, 2024, "publish"), folder)
    return folder


@pytest.fixture(scope="session")
def internal(council: Dataset, out_dir: Path) -> Path:
    """The internal-mode statement (no PDF, to keep the suite fast)."""
    from sufficiency.report.build import build_statement
    from sufficiency.report.output import write_statement

    folder = out_dir / "internal"
    write_statement(build_statement(council, 2024, "internal"), folder, pdf=False)
    return folder


def write_data_folder(
    root: Path, n_children: int = 60, uasc: int = 3, registers: bool = True
) -> Path:
    """The test council as a DATA folder: la.toml, one SSDA903 return per year (OC3 in 2024),
    narrative and, when ``registers``, every register a publishable statement needs."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "la.toml").write_text(PROFILE.to_toml())
    frames = build_frames(n_children, uasc, 7)
    eps = frames["episodes"].with_columns(
        pl.col("DECOM").str.to_date(), pl.col("DEC").str.to_date()
    )
    for y in (2022, 2023, 2024):
        start, end = dt.date(y - 1, 4, 1), dt.date(y, 3, 31)
        e = eps.filter(
            (pl.col("DECOM") <= end) & (pl.col("DEC").is_null() | (pl.col("DEC") >= start))
        )
        after = pl.col("DEC") > end
        e = e.with_columns(
            pl.when(after).then(None).otherwise(pl.col("DEC")).alias("DEC"),
            pl.when(after | pl.col("DEC").is_null())
            .then(None)
            .otherwise(pl.col("REC"))
            .alias("REC"),
        )
        kids = e.get_column("CHILD").unique().to_list()
        header = (
            frames["children"]
            .filter(pl.col("CHILD").is_in(kids))
            .with_columns(
                pl.col("DOB").str.to_date().dt.strftime("%d/%m/%Y"),
                pl.col("SEX").replace({"M": "1", "F": "2"}),
            )
        )
        folder = root / "ssda903" / str(y)
        folder.mkdir(parents=True, exist_ok=True)
        header.write_csv(folder / "header.csv")
        e.drop("return_year").with_columns(
            pl.col("DECOM").dt.strftime("%d/%m/%Y"), pl.col("DEC").dt.strftime("%d/%m/%Y")
        ).write_csv(folder / "episodes.csv")
        if y == 2024 and uasc:
            frames["uasc"].with_columns(
                pl.col("DOB").str.to_date().dt.strftime("%d/%m/%Y"),
                pl.col("DUC").str.to_date().dt.strftime("%d/%m/%Y"),
                pl.lit("1").alias("SEX"),
            ).write_csv(folder / "uasc.csv")
    if registers:
        from sufficiency.ingest.registers.codec import write_register

        oc3_frame(frames["children"]).drop("return_year").with_columns(
            pl.col("DOB").str.to_date().dt.strftime("%d/%m/%Y")
        ).write_csv(root / "ssda903" / "2024" / "oc3.csv")
        (root / "registers").mkdir(exist_ok=True)
        for name, frame in build_registers().items():
            write_register(name, frame, root / "registers" / f"{name}.csv")
    (root / "narrative").mkdir(exist_ok=True)
    (root / "narrative" / "introduction.md").write_text("Written by the council's analysts.\n")
    (root / "narrative" / "sign_off.md").write_text(SIGN_OFF)
    return root


@pytest.fixture(scope="session")
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data_folder(tmp_path_factory.mktemp("council") / "DATA")
