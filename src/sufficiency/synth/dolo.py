"""The deprivation-of-liberty orders (DoLO) table of one synthetic return (issue 19).

About one children's-home placement (K2) in twelve is made under an order: chosen by a stable
checksum of the child, the placement's start and the seed, so the same placement carries the
same order in every return it is in. The order starts a week into the placement (the day it
starts when the placement is shorter) and ends when the placement does; a return lists the
orders open in its year, with the end left blank while the placement goes on (the DfE rules
700-710: dates valid and ordered, within the collection year, ended when care ends).
"""

from __future__ import annotations

import zlib

import polars as pl

from sufficiency.dates import year_end

#: One K2 placement in this many is under a deprivation-of-liberty order.
ONE_IN = 12
#: Days into the placement the order is made.
DAYS_IN = 7


def _chosen(seed: int, child: str, decom: str) -> bool:
    return zlib.crc32(f"{seed}:{child}:{decom}".encode()) % ONE_IN == 0


def dolo_table(
    header: pl.DataFrame, episodes: pl.DataFrame, seed: int, year: int | None = None
) -> pl.DataFrame:
    """CHILD, DOB, DOLO_START, DOLO_END of one return from its own header and episodes (DfE
    string frames, dd/mm/yyyy); with the return's ``year``, an order made after it (a placement
    starting in its last week) is left to the next return."""
    k2 = episodes.filter(pl.col("PLACE") == "K2").select(
        pl.col("CHILD", "DECOM", "DEC").cast(pl.Utf8)
    )
    keep = [
        _chosen(seed, c, d)
        for c, d in zip(k2["CHILD"].to_list(), k2["DECOM"].to_list(), strict=True)
    ]
    start = pl.col("DECOM").str.to_date("%d/%m/%Y")
    end = pl.col("DEC").str.to_date("%d/%m/%Y")
    made = pl.min_horizontal(
        start + pl.duration(days=DAYS_IN), end.fill_null(start + pl.duration(days=DAYS_IN))
    )
    in_year = pl.lit(True) if year is None else made <= year_end(year)
    return (
        k2.filter(pl.Series(keep, dtype=pl.Boolean))
        .filter(in_year)
        .join(header.select("CHILD", "DOB"), on="CHILD", how="left")
        .sort("CHILD", "DECOM")
        .select(
            "CHILD",
            "DOB",
            made.dt.strftime("%d/%m/%Y").alias("DOLO_START"),
            pl.col("DEC").alias("DOLO_END"),
        )
    )
