"""Days since 1970-01-01: the simulation's unit of time, and its conversions to dates and text."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from sufficiency.dates import year_end

EPOCH = dt.date(1970, 1, 1)
#: Days in an average year (for drawing lengths of stay and ages, not for age rules).
YEAR = 365.25


def days(d: dt.date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def return_year(year: int) -> tuple[int, int]:
    """First and last day of the collection (financial) year ending 31 March ``year``."""
    return days(year_end(year - 1)) + 1, days(year_end(year))


def date_of(day: int) -> dt.date:
    """The date ``day`` days after 1970-01-01."""
    return EPOCH + dt.timedelta(days=int(day))


def iso_date(day: int | None) -> str | None:
    """Days since epoch -> ISO date, as registers hold it (None or negative -> None)."""
    if day is None or day < 0:
        return None
    return date_of(day).isoformat()


def as_date(day: str | pl.Expr) -> pl.Expr:
    """Days-since-epoch column as a Date expression (null stays null)."""
    e = pl.col(day) if isinstance(day, str) else day
    return e.cast(pl.Int32).cast(pl.Date)


def dmy(col: str | pl.Expr) -> pl.Expr:
    """Days-since-epoch column -> dd/mm/yyyy, as returns hold it (null stays null)."""
    return as_date(col).dt.strftime("%d/%m/%Y")


def add_years_expr(day: pl.Expr, years: int) -> pl.Expr:
    """Days-since-epoch expression plus whole calendar years (29 Feb -> 28 Feb)."""
    return as_date(day).dt.offset_by(f"{years}y").cast(pl.Int32).cast(pl.Int64)


def add_years(day: np.ndarray, years: int) -> np.ndarray:
    """``add_years_expr`` over an array of days since epoch."""
    s = pl.Series("d", day, dtype=pl.Int32)
    out: np.ndarray = s.to_frame().select(add_years_expr(pl.col("d"), years)).to_series().to_numpy()
    return out
