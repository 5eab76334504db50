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
from sufficiency.region.outlook import summed
from sufficiency.region.shared import publication_at
from sufficiency.supply.capacity import capacity_by_year
from sufficiency.supply.gap import compute_gap, looked_after_by_type


def _priced_children(councils: Mapping[str, Dataset], at: dt.date) -> pl.DataFrame | None:
    """One row per child placed in a home with a URN on ``at``: council, URN, the child's own
    placement type and its weekly price (``unit_costs``: the URN's fee, else the provider's, else
    the type's). None when no member placed a child in a home with a URN."""
    year = financial_year(at)
    rows: list[pl.DataFrame] = []
    for code, ds in councils.items():
        placed = placements_on(ds, at).filter(pl.col("URN").is_not_null())
        if placed.height == 0:
            continue
        frame = placed.select(pl.col("URN").alias("urn"), "placement_type").join(
            urn_providers(ds), on="urn", how="left"
        )
        priced = cost_placements(frame, ds.register("costs"), year)
        rows.append(
            priced.select(
                pl.lit(code).alias("council"),
                pl.col("urn").cast(pl.Utf8),
                "placement_type",
                pl.col("weekly_cost").cast(pl.Float64),
            )
        )
    return pl.concat(rows) if rows else None


def homes_by_urn(councils: Mapping[str, Dataset], at: dt.date) -> list[dict[str, Any]]:
    """Every home (URN) a member council had a child in on ``at``: which councils, how many
    children each, at what weekly price (``unit_costs``: the URN's fee, else provider's, else
    the type's), its children's commonest placement type and its children by their own type,
    busiest first."""
    every = _priced_children(councils, at)
    if every is None:
        return []
    names: dict[str, str] = {}
    for ds in councils.values():
        homes = ds.register("homes")
        if homes is not None:
            for urn, name in homes.select("urn", "name").iter_rows():
                if urn and name:
                    names.setdefault(str(urn), str(name))
    out: list[dict[str, Any]] = []
    for (urn,), group in every.group_by(["urn"]):
        users = {
            str(c): {
                "children": int(n),
                "weekly_cost": None if w is None else round(float(w), 2),
            }
            for c, n, w in group.group_by("council")
            .agg(pl.len(), pl.col("weekly_cost").mean())
            .sort("council")
            .iter_rows()
        }
        types = group.group_by("placement_type").agg(pl.len()).sort("placement_type")
        by_type = {str(t): int(n) for t, n in types.iter_rows()}
        commonest = max(sorted(by_type), key=lambda t: by_type[t])
        out.append(
            {
                "urn": str(urn),
                "name": names.get(str(urn)),
                "placement_type": commonest,
                "councils": users,
                "children": group.height,
                "children_by_type": by_type,
            }
        )
    out.sort(key=lambda r: (-int(r["children"]), str(r["urn"])))
    return out


def looked_after_in_region(councils: Mapping[str, Dataset], at: dt.date) -> dict[str, float]:
    """Children looked after on ``at`` by placement type (every type), the members summed
    (``supply.gap.looked_after_by_type``)."""
    need: dict[str, float] = {}
    for ds in councils.values():
        for t, n in looked_after_by_type(ds, at).items():
            need[t] = need.get(t, 0.0) + n
    return dict(sorted(need.items()))


def capacity_against_need(
    councils: Mapping[str, Dataset], at: dt.date
) -> dict[str, dict[str, float]]:
    """Children looked after on ``at`` by placement type against the region's in-house and
    block-contracted capacity (``supply.capacity``) at the same 31 March, for the types the
    sufficiency gap covers (``supply.gap.compute_gap``: the commissioned types with need or
    capacity; a council buys no places of family and friends care or placed with parents)."""
    need = looked_after_in_region(councils, at)
    capacity = summed(
        [capacity_by_year(ds.registers, [at.year], ds.last_date) for ds in councils.values()]
    )
    gap = compute_gap({at.year: need}, capacity)
    return {
        t: {
            "need": cell.need,
            "capacity": round(cell.capacity, 1),
            "shortfall": round(cell.shortfall, 1),
        }
        for t, cell in sorted(gap.years[0].by_type.items())
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
    """Children in the region's homes (by URN) grouped by each child's own placement type: homes
    with a child of the type, those homes with children of the type from more than one member
    council, the children, and their mean weekly price (no provider named: the published form
    of the regional market). A home holding two types (a fostering service's in-house and
    family and friends carers) counts under each."""
    every = _priced_children(councils, at)
    if every is None:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for (t,), group in every.group_by(["placement_type"]):
        homes = group.group_by("urn").agg(pl.col("council").n_unique().alias("councils"))
        price = group.get_column("weekly_cost").mean()
        out[str(t)] = {
            "homes": homes.height,
            "shared": int((homes.get_column("councils") > 1).sum()),
            "children": group.height,
            "weekly_cost": None if price is None else round(float(price), 2),  # type: ignore[arg-type]
        }
    return dict(sorted(out.items()))
