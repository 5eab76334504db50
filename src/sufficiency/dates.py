"""Date rules every layer shares (DESIGN.md "Dates"), each written once.

Looked after on D: DECOM <= D and DEC blank or DEC > D (a child whose episode ends on D has left
by D). Age on D: completed years (a 16th birthday on D makes the child 16). The financial year
runs 1 April to 31 March and is named by the year it ends.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

#: The years a date read from a file may have: a two-digit year (``31/03/26``) or a mistyped one
#: (``0202``, ``3026``) is not a date.
FIRST_YEAR, LAST_YEAR = 1900, 2100
#: The time of day a spreadsheet writes after a date-time cell's date (``27/03/2023 00:00``,
#: ``2023-03-27T00:00:00``): hh:mm, hh:mm:ss or with fractions of a second; dropped before
#: the date is read, in either form.
_TIME = r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"
#: yyyy-mm-dd, the whole text once a time after it is dropped.
_ISO = r"^\d{4}-\d{2}-\d{2}$"


def date_from_text(text: pl.Expr) -> pl.Expr:
    """A date written in a return or register: dd/mm/yyyy or yyyy-mm-dd (a time after it is
    ignored), the whole text and nothing else, in years FIRST_YEAR to LAST_YEAR; null when it
    is not one. The one reading of dates from files: ingest names every non-null text that
    gives null."""
    s = text.str.strip_chars().str.replace(_TIME, "")
    parsed = pl.coalesce(
        # dd/mm/yyyy, as the returns have it (a one-digit day or month too): the format must
        # take the whole text, and a two-digit year reads as year 26, outside the years below
        s.str.to_date("%d/%m/%Y", strict=False),
        pl.when(s.str.contains(_ISO)).then(s.str.to_date("%Y-%m-%d", strict=False)),
    )
    year = parsed.dt.year()
    return pl.when((year >= FIRST_YEAR) & (year <= LAST_YEAR)).then(parsed)


def date_in_text(text: str) -> dt.date | None:
    """One written date read by :func:`date_from_text` (a form's or a referral's field)."""
    value = pl.select(date_from_text(pl.lit(text, dtype=pl.Utf8))).item()
    return value if isinstance(value, dt.date) else None


def open_on(d: dt.date, start: str = "DECOM", end: str = "DEC") -> pl.Expr:
    """True for rows open on ``d``: started on or before it and not ended on or before it."""
    return (pl.col(start) <= d) & (pl.col(end).is_null() | (pl.col(end) > d))


def open_during(first: dt.date, last: dt.date, start: str = "DECOM", end: str = "DEC") -> pl.Expr:
    """True for rows open for at least one night of ``first``..``last`` (inclusive): started on
    or before ``last`` and not ended on or before ``first``."""
    return (pl.col(start) <= last) & (pl.col(end).is_null() | (pl.col(end) > first))


def looked_after_during(
    first: dt.date, last: dt.date, start: str = "DECOM", end: str = "DEC"
) -> pl.Expr:
    """True for rows with any day of ``first``..``last`` (inclusive), the leaving day included:
    the DfE's "looked after at any time during the year" (a child who left on 1 April left in
    that year)."""
    return (pl.col(start) <= last) & (pl.col(end).is_null() | (pl.col(end) >= first))


def age_expr(on: dt.date | str, dob: str = "DOB") -> pl.Expr:
    """Age in completed years on ``on`` (a date, or the name of a date column for a day that
    differs by row); a child whose birthday is that day has reached it."""

    def month_day(col: pl.Expr) -> pl.Expr:
        return col.dt.month().cast(pl.Int32) * 100 + col.dt.day().cast(pl.Int32)

    birth = pl.col(dob)
    day = pl.col(on) if isinstance(on, str) else pl.lit(on, dtype=pl.Date)
    not_yet = (month_day(birth) > month_day(day)).cast(pl.Int32)
    return day.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32) - not_yet


def age_on(dob: dt.date, on: dt.date) -> int:
    """Age in completed years on ``on`` (the scalar twin of ``age_expr``)."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def financial_year(d: dt.date) -> int:
    """The year that ends the financial year (1 April - 31 March) containing ``d``."""
    return d.year if d.month <= 3 else d.year + 1


def financial_year_expr(column: str | pl.Expr) -> pl.Expr:
    """``financial_year`` of a date column, as an Int32 expression."""
    col = pl.col(column) if isinstance(column, str) else column
    return col.dt.year().cast(pl.Int32) + (col.dt.month() >= 4).cast(pl.Int32)


def year_end(year: int) -> dt.date:
    """31 March of ``year``: the end of the financial year and of the return named ``year``."""
    return dt.date(year, 3, 31)


def last_ended_year(today: dt.date | None = None) -> int:
    """The latest year whose return can be made: its 31 March has passed (on 31 March itself,
    the year before's)."""
    today = today or dt.date.today()
    return today.year if today > year_end(today.year) else today.year - 1


def same_day(year: int, at: dt.date) -> dt.date:
    """``at`` moved to ``year`` (29 February becomes 28 February)."""
    try:
        return at.replace(year=year)
    except ValueError:
        return dt.date(year, at.month, 28)


def months_before(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    y, m = divmod(d.year * 12 + (d.month - 1) - months, 12)
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover
