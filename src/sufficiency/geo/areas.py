"""Real postcodes of an area: inside a council, outside a set of councils, and its neighbours.

The synthetic council draws its homes and placements from these, and ``neighbouring_las`` gives a
geographic guess at the neighbours la.toml lists.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sufficiency.geo.authorities import current_codes
from sufficiency.geo.directory import all_letters, directory_for
from sufficiency.geo.distance import distance_miles_expr
from sufficiency.geo.postcodes import display_postcode


def _spread(frame: pl.DataFrame, limit: int | None) -> pl.DataFrame:
    """Up to ``limit`` rows evenly spaced through ``frame`` (sorted), so a sample covers the
    whole area rather than its first district. Deterministic."""
    if limit is None or limit >= frame.height:
        return frame
    if limit <= 0:
        return frame.head(0)
    step = frame.height / limit
    return frame[[int(i * step) for i in range(limit)]]


def postcodes_in_la(la_code: str, limit: int | None = None) -> pl.DataFrame:
    """Real postcodes inside an upper-tier LA, sorted: postcode, easting, northing.

    ``limit`` picks that many spread evenly across the sorted list. Loads every letter once
    per process (about half a second), then filters.
    """
    codes = list(current_codes(la_code))
    inside = (
        directory_for(all_letters())
        .filter(pl.col("upper_la").is_in(codes) & pl.col("easting").is_not_null())
        .sort("key")
        .select(display_postcode(pl.col("key")).alias("postcode"), "easting", "northing")
    )
    return _spread(inside, limit)


def postcodes_outside(
    la_codes: Sequence[str],
    limit: int | None = None,
    *,
    england_only: bool = True,
    min_miles_from: tuple[int, int] | None = None,
    min_miles: float = 0.0,
) -> pl.DataFrame:
    """Real postcodes outside the given upper-tier LAs (for distant placements), sorted:
    postcode, easting, northing, upper_la.

    ``england_only`` keeps English LAs; ``min_miles_from`` (easting, northing) with ``min_miles``
    keeps postcodes at least that many (DfE-rounded) miles from a point. ``limit`` spreads the
    sample evenly across the sorted list.
    """
    codes = [c for code in la_codes for c in current_codes(code)]
    rows = directory_for(all_letters()).filter(
        pl.col("upper_la").is_not_null()
        & ~pl.col("upper_la").is_in(codes)
        & pl.col("easting").is_not_null()
    )
    if england_only:
        rows = rows.filter(pl.col("upper_la").str.starts_with("E"))
    if min_miles_from is not None:
        e, n = min_miles_from
        rows = rows.filter(
            distance_miles_expr("easting", "northing", pl.lit(e), pl.lit(n)) >= min_miles
        )
    out = rows.sort("key").select(
        display_postcode(pl.col("key")).alias("postcode"), "easting", "northing", "upper_la"
    )
    return _spread(out, limit)


def neighbouring_las(la_code: str, within_km: float = 2.0) -> list[str]:
    """Upper-tier LAs with a postcode within ``within_km`` of one in ``la_code`` (sorted):
    a geographic guess at the council's neighbours for la.toml."""
    directory = directory_for(all_letters()).filter(
        pl.col("upper_la").is_not_null() & pl.col("easting").is_not_null()
    )
    size = max(int(within_km * 1000), 1)
    codes = list(current_codes(la_code))
    cells = directory.with_columns(
        (pl.col("easting") // size).alias("cx"), (pl.col("northing") // size).alias("cy")
    )
    own = cells.filter(pl.col("upper_la").is_in(codes)).select("cx", "cy").unique()
    near = pl.concat(
        [
            own.with_columns(pl.col("cx") + dx, pl.col("cy") + dy)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        ]
    ).unique()
    others = cells.filter(~pl.col("upper_la").is_in(codes)).join(near, on=["cx", "cy"])
    return sorted(others.get_column("upper_la").unique().to_list())
