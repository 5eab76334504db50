"""The weekly cost of a placement: one rule for spend, the gap, home-finding and the forecast.

registers/costs has rows of placement_type, year (the year the financial year ends),
weekly_cost and optionally urn (one home's fee) or provider (one provider's fee). ``RULE`` says
how a weekly cost is read from it; every analysis that prices a placement calls this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from sufficiency.measures.common import memo
from sufficiency.schema.provider_names import one_spelling, provider_key

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset

#: The rule, as the measure definitions and docs quote it.
RULE = (
    "Weekly costs come from registers/costs. The cost for financial year Y is read from the "
    "latest year at or before Y that the register gives (when it gives only later years, the "
    "earliest of them); several rows for the same year are averaged. A placement type's weekly "
    "cost is its own rows (no urn or provider); a type with no such row in any year takes the "
    "average of its per-home (urn or provider) rows. A placement is costed at its home's URN "
    "row, else its provider's row for its placement type (provider by URN from the homes and "
    "supported accommodation registers; provider names compared ignoring case and spacing), "
    "else its placement type's weekly cost."
)

#: The working column of a provider's name as matched (:func:`provider_key`).
_KEY = "__provider_key"

#: Weeks in a year of a weekly cost (the gap's shortfall cost and home-finding's yearly
#: difference are weekly cost x 52).
WEEKS_PER_YEAR = 52


def cost_rows(costs: pl.DataFrame | None) -> pl.DataFrame | None:
    """The costs register's rows (placement_type, year, weekly_cost, urn, provider, typed by
    the register's declaration); rows without a year or cost are dropped; None when no row is
    usable."""
    if costs is None or not costs.height:
        return None
    rows = costs.select("placement_type", "year", "weekly_cost", "urn", "provider").filter(
        pl.col("placement_type").is_not_null()
        & pl.col("year").is_not_null()
        & pl.col("weekly_cost").is_not_null()
    )
    return rows if rows.height else None


def _nearest(rows: pl.DataFrame, keys: list[str], year: int) -> pl.DataFrame:
    """Per key: ``priced_year`` (the latest year <= ``year``, else the earliest) and the mean
    ``weekly_cost`` of the key's rows in it."""
    y = pl.col("year")
    picked = rows.group_by(keys).agg(
        pl.coalesce(y.filter(y <= year).max(), y.min()).alias("priced_year")
    )
    return (
        rows.join(picked, on=keys)
        .filter(y == pl.col("priced_year"))
        .group_by([*keys, "priced_year"])
        .agg(pl.col("weekly_cost").mean())
        .sort(keys)
    )


def priced_as(rows: pl.DataFrame, year: int) -> int:
    """A financial year priced exactly as ``year`` is from the register ``rows`` (``cost_rows``):
    the latest register year at or before ``year`` (no row lies between them), else the year
    before the earliest. Years with the same one are priced once."""
    years = [int(y) for y in rows.get_column("year").unique().to_list()]
    return max((y for y in years if y <= year), default=min(years) - 1)


def type_costs(costs: pl.DataFrame | None, year: int) -> pl.DataFrame:
    """One row per placement type the register prices: placement_type, priced_year (the
    register year used) and weekly_cost for financial year ``year`` (see ``RULE``)."""
    rows = cost_rows(costs)
    if rows is None:
        return pl.DataFrame(
            schema={"placement_type": pl.Utf8, "priced_year": pl.Int64, "weekly_cost": pl.Float64}
        )
    general = rows.filter(pl.col("urn").is_null() & pl.col("provider").is_null())
    priced = general.get_column("placement_type").unique().to_list()
    per_home = rows.filter(~pl.col("placement_type").is_in(priced))
    return _nearest(pl.concat([general, per_home]), ["placement_type"], year)


def costs_by_type(costs: pl.DataFrame | None, year: int) -> dict[str, float]:
    """Weekly cost of each placement type the register prices, for financial year ``year``."""
    return {
        str(t): float(c)
        for t, c in type_costs(costs, year).select("placement_type", "weekly_cost").iter_rows()
    }


def weekly_costs(ds: Dataset, year: int) -> dict[str, float]:
    """``costs_by_type`` of the Dataset's costs register (memoised per Dataset and year)."""
    return dict(memo(ds, ("weekly_costs", year), lambda: costs_by_type(ds.register("costs"), year)))


def weekly_cost(ds: Dataset, placement_type: str, year: int) -> float | None:
    """The weekly cost of ``placement_type`` in financial year ``year`` (None when unpriced)."""
    return weekly_costs(ds, year).get(placement_type)


def urn_providers(ds: Dataset) -> pl.DataFrame:
    """URN -> provider from the homes register, then the supported accommodation register;
    a provider written in other case or spacing by another row is one provider, named as the
    homes register (else supported accommodation) first writes it (:func:`one_spelling`)."""
    parts = []
    for name in ("homes", "supported_accommodation"):
        reg = ds.register(name)
        if reg is not None and {"urn", "provider"} <= set(reg.columns):
            parts.append(reg.select("urn", "provider"))
    if not parts:
        return pl.DataFrame(schema={"urn": pl.Utf8, "provider": pl.Utf8})
    named = pl.concat(parts).filter(pl.col("urn").is_not_null())
    return named.with_columns(one_spelling()).unique("urn", keep="first", maintain_order=True)


def cost_placements(frame: pl.DataFrame, costs: pl.DataFrame | None, year: int) -> pl.DataFrame:
    """``frame`` (placement_type, urn, provider) with ``weekly_cost`` for financial year
    ``year``: its URN's row, else its provider's row for its type, else its type's cost (null
    when none applies)."""
    rows = cost_rows(costs)
    if rows is None:
        return frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("weekly_cost"))
    by_urn = _nearest(rows.filter(pl.col("urn").is_not_null()), ["urn"], year)
    by_provider = _nearest(
        rows.filter(pl.col("urn").is_null() & pl.col("provider").is_not_null()).with_columns(
            provider_key().alias(_KEY)
        ),
        ["placement_type", _KEY],
        year,
    )
    by_type = type_costs(costs, year)
    return (
        frame.join(
            by_urn.select("urn", pl.col("weekly_cost").alias("_urn")),
            on="urn",
            how="left",
        )
        .with_columns(provider_key().alias(_KEY))
        .join(
            by_provider.select("placement_type", _KEY, pl.col("weekly_cost").alias("_provider")),
            on=["placement_type", _KEY],
            how="left",
        )
        .join(
            by_type.select("placement_type", pl.col("weekly_cost").alias("_type")),
            on="placement_type",
            how="left",
        )
        .with_columns(pl.coalesce("_urn", "_provider", "_type").alias("weekly_cost"))
        .drop("_urn", "_provider", "_type", _KEY)
    )
