"""What a share must never carry: direct identifiers (issue 21: import refuses them).

``find_identifiers(file, frame)`` scans one table of a share, read as text, and names each
direct identifier it finds with file, row (as a spreadsheet shows it: header = row 1), column
and what was expected: a full postcode anywhere, a date of birth that is not the first of its
month, a child / person / household / referral id that is not a pseudonym, a UPN, a column of
people's names. Pure: the share reader (``region.share``) does the file work.
"""

from __future__ import annotations

import polars as pl

from sufficiency.ingest.problems import Problem
from sufficiency.region.minimise import BIRTH_COLUMNS, PERSONAL_IDS, PSEUDONYM_RE

#: Columns that must hold pseudonyms wherever they appear.
ID_COLUMNS: frozenset[str] = frozenset(
    {"CHILD", *(c for cols in PERSONAL_IDS.values() for c in cols)}
)
#: Columns holding people's names (any table); ``name`` is a home's name only in these registers.
NAME_COLUMNS: frozenset[str] = frozenset(
    {
        "forename",
        "surname",
        "first_name",
        "last_name",
        "full_name",
        "given_name",
        "family_name",
        "child_name",
        "name",
    }
)
HOME_NAME_TABLES: frozenset[str] = frozenset({"registers/homes.csv"})
#: A full postcode inside a value (alone, or in a ``;`` list or a ``POSTCODE:MILES`` item).
FULL_POSTCODE_IN = r"(?:^|[;:,\s])[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}(?:$|[;:,\s])"
#: At most this many problems are named per column (the count says how many more).
PER_COLUMN = 5


def _rows(frame: pl.DataFrame, hit: pl.Expr) -> pl.DataFrame:
    return frame.with_row_index("__row", offset=2).filter(hit.fill_null(False))


def _problems(file: str, column: str, hits: pl.DataFrame, code: str, message: str) -> list[Problem]:
    out = [
        Problem("error", code, file, int(row), column, None, message)
        for row in hits.get_column("__row").head(PER_COLUMN).to_list()
    ]
    if hits.height > PER_COLUMN:
        out.append(
            Problem(
                "error",
                code,
                file,
                None,
                column,
                None,
                f"{hits.height - PER_COLUMN} more row(s) like these",
            )
        )
    return out


def _birth_dates(column: str) -> pl.Expr:
    """A date (ISO or dd/mm/yyyy) that is not the first of its month."""
    text = pl.col(column).cast(pl.String).str.strip_chars()
    iso_day = text.str.extract(r"^\d{4}-\d{2}-(\d{2})", 1)
    uk_day = text.str.extract(r"^(\d{1,2})/\d{1,2}/\d{4}", 1)
    day = pl.coalesce(iso_day, uk_day).cast(pl.Int32, strict=False)
    return day.is_not_null() & (day != 1)


def find_identifiers(file: str, frame: pl.DataFrame) -> list[Problem]:
    """Every direct identifier in one table of a share (``frame`` read as text)."""
    problems: list[Problem] = []
    for column in frame.columns:
        text = pl.col(column).cast(pl.String)
        lower = column.lower()
        if lower in NAME_COLUMNS and not (lower == "name" and file in HOME_NAME_TABLES):
            hits = _rows(frame, text.str.strip_chars().str.len_chars() > 0)
            if hits.height:
                problems += _problems(
                    file,
                    column,
                    hits,
                    "share_names",
                    "a column of names: a share carries no one's name (remove the column)",
                )
            continue
        if column == "UPN":
            hits = _rows(frame, text.str.strip_chars().str.len_chars() > 0)
            problems += _problems(
                file,
                column,
                hits,
                "share_upn",
                "a unique pupil number: a share carries no UPN (expected blank)",
            )
            continue
        if column in ID_COLUMNS:
            hits = _rows(frame, text.is_not_null() & ~text.str.contains(PSEUDONYM_RE))
            problems += _problems(
                file,
                column,
                hits,
                "share_raw_id",
                "an id that is not a pseudonym: expected 32 lower-case hex characters "
                "(HMAC-SHA256 under the council's key; `sufficiency region share` makes them)",
            )
        if column in BIRTH_COLUMNS:
            hits = _rows(frame, _birth_dates(column))
            problems += _problems(
                file,
                column,
                hits,
                "share_date_of_birth",
                "a full date of birth: expected the first of the month (month of birth only)",
            )
        if frame.schema[column] == pl.String:
            hits = _rows(frame, text.str.contains(FULL_POSTCODE_IN))
            problems += _problems(
                file,
                column,
                hits,
                "share_full_postcode",
                "a full postcode: expected the postcode sector only (e.g. HR1 2)",
            )
    return problems
