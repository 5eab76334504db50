"""One regional market (issue 21): homes by URN across councils, capacity against need, and
children placed across council borders. Internal figures (provider-level: DESIGN.md keeps
provider spend out of published outputs); child counts are the truth, protected by the published
forms (``report.regional``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl

from sufficiency.dataset import Dataset
from sufficiency.dates import financial_year
from sufficiency.measures.common import placements_on
from sufficiency.measures.unit_costs import cost_placements, urn_providers
from sufficiency.region.shared import publication_at
from sufficiency.supply.capacity import capacity_by_year
from sufficiency.supply.gap import looked_after_by_type


def homes_by_urn(councils: Mapping[str, Dataset], at: dt.date) -> list[dict[str, Any]]:
    """Every home (URN) a member council had a child in on ``at``: which councils, how many
    children each, at what weekly price (``unit_costs``: the URN's fee, else provider's, else
    the type's), busiest first."""
    year = financial_year(at)
    rows: list[pl.DataFrame] = []
    names: dict[str, str] = {}
    for code, ds in councils.items():
        placed = placements_on(ds, at).filter(pl.col("URN").is_not_null())
        if placed.height == 0:
            continue
        frame = placed.select(pl.col("URN").alias("urn"), "placement_type").join(
            urn_providers(ds), on="urn", how="left"
        )
        priced = cost_placements(frame, ds.register("costs"), year)
        rows.append(
            priced.group_by("urn")
            .agg(
                pl.len().alias("children"),
                pl.col("weekly_cost").mean().alias("weekly_cost"),
                pl.col("placement_type").mode().first().alias("placement_type"),
            )
            .with_columns(pl.lit(code).alias("council"))
        )
        homes = ds.register("homes")
        if homes is not None:
            for urn, name in homes.select("urn", "name").iter_rows():
                if urn and name:
                    names.setdefault(str(urn), str(name))
    if not rows:
        return []
    every = pl.concat(rows)
    out = []
    for (urn,), group in every.group_by(["urn"]):
        users = {
            str(c): {
                "children": int(n),
                "weekly_cost": None if w is None else round(float(w), 2),
            }
            for c, n, w in group.select("council", "children", "weekly_cost").iter_rows()
        }
        total = int(group.get_column("children").sum())
        out.append(
            {
                "urn": str(urn),
                "name": names.get(str(urn)),
                "placement_type": group.get_column("placement_type")[0],
                "councils": dict(sorted(users.items())),
                "children": total,
                "_order": total,
            }
        )
    out.sort(key=lambda r: (-r["_order"], r["urn"]))
    for r in out:
        del r["_order"]
    return out


def capacity_against_need(
    councils: Mapping[str, Dataset], at: dt.date
) -> dict[str, dict[str, float]]:
    """Children looked after on ``at`` by placement type against the region's in-house and
    block-contracted capacity (``supply.capacity``) at the same 31 March."""
    need: dict[str, float] = {}
    capacity: dict[str, float] = {}
    for ds in councils.values():
        for t, n in looked_after_by_type(ds, at).items():
            need[t] = need.get(t, 0.0) + n
        cap = capacity_by_year(ds.registers, [at.year], ds.last_date).get(at.year, {})
        for t, places in cap.items():
            capacity[t] = capacity.get(t, 0.0) + places
    types = sorted(set(need) | set(capacity))
    return {
        t: {
            "need": need.get(t, 0.0),
            "capacity": round(capacity.get(t, 0.0), 1),
            "shortfall": round(max(need.get(t, 0.0) - capacity.get(t, 0.0), 0.0), 1),
        }
        for t in types
    }


def across_borders(councils: Mapping[str, Dataset], at: dt.date) -> dict[str, dict[str, Any]]:
    """Where each council's children looked after on ``at`` live: in its own area, in another
    member council's (by code), elsewhere outside the region, or not known."""
    members = set(councils)
    out: dict[str, dict[str, Any]] = {}
    for code, ds in councils.items():
        placed = placements_on(ds, at)
        la = placed.get_column("pl_la").to_list()
        own = sum(1 for x in la if x == code)
        others: dict[str, int] = {}
        for x in la:
            if x in members and x != code:
                others[x] = others.get(x, 0) + 1
        outside = sum(1 for x in la if x and x not in members)
        unknown = sum(1 for x in la if not x)
        out[code] = {
            "own_area": own,
            "other_members": dict(sorted(others.items())),
            "within_region": own + sum(others.values()),
            "outside_region": outside,
            "unknown": unknown,
        }
    return out


#: Where-children-live figures of ``across_borders`` that are a council's own published figure:
#: its own area is its children placed inside its area, not known its location not known.
OWN_FIGURES = {"own_area": "cla_by_location.inside", "unknown": "cla_by_location.unknown"}


def hidden_by_councils(councils: Mapping[str, Dataset], at: dt.date) -> dict[str, frozenset[str]]:
    """Which of each council's ``across_borders`` figures its own outputs hide at ``at`` (what its
    share says they publish, ``SharedDataset.published``): the region hides them too."""
    out: dict[str, frozenset[str]] = {}
    for code, ds in councils.items():
        publication = publication_at(ds, at)
        if publication is None:
            continue
        out[code] = frozenset(
            key
            for key, figure in OWN_FIGURES.items()
            if figure.partition(".")[0] in publication.withheld
            or publication.figures.get(f"{figure}@{at.isoformat()}", 0.0) is None
        )
    return out


def homes_by_type(councils: Mapping[str, Dataset], at: dt.date) -> dict[str, dict[str, Any]]:
    """The homes of ``homes_by_urn`` summed by placement type: homes used, homes used by more
    than one member council, children in them, and the children-weighted mean weekly price
    (no provider named: the published form of the regional market)."""
    out: dict[str, dict[str, Any]] = {}
    for home in homes_by_urn(councils, at):
        row = out.setdefault(
            str(home["placement_type"]), {"homes": 0, "shared": 0, "children": 0, "_spend": 0.0}
        )
        row["homes"] += 1
        row["shared"] += int(len(home["councils"]) > 1)
        row["children"] += home["children"]
        for use in home["councils"].values():
            if use["weekly_cost"] is not None:
                row["_spend"] += use["children"] * use["weekly_cost"]
    for row in out.values():
        spend = row.pop("_spend")
        row["weekly_cost"] = round(spend / row["children"], 2) if row["children"] else None
    return dict(sorted(out.items()))
