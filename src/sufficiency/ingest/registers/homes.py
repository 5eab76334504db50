"""The council a home of the homes register is in: its ``local_authority``, else the council of
its postcode, looked up as a placement's PL_POST gives its pl_la (``geo.resolve_postcodes``: a
full postcode exactly, a sector or district by the council holding most of it).

One rule for ingest, which warns when a home's code is not its postcode's council, and for the
supply measures, which count the homes in the council's area by it.
"""

from __future__ import annotations

import polars as pl

from sufficiency.geo.authorities import SUCCESSOR_CODES, same_council
from sufficiency.ingest.problems import Problem

#: The column :func:`with_councils` adds.
COUNCIL = "council"


def _located(postcodes: pl.Series) -> pl.DataFrame:
    """postcode -> upper_la and precision of the postcodes the directory locates."""
    from sufficiency.geo import resolve_postcodes

    wanted = postcodes.drop_nulls().unique().to_list()
    if not wanted:
        return pl.DataFrame(schema={"postcode": pl.Utf8, "upper_la": pl.Utf8, "precision": pl.Utf8})
    return resolve_postcodes(wanted).select("postcode", "upper_la", "precision")


def agrees(given: str, located: str) -> bool:
    """The code ``given`` names the council the postcode is in (``located``, as the directory
    has it today): the same council, a former code of it, or a council split into it."""
    return located in same_council(given) or given in same_council(located)


def home_council(given: str | None, located: str | None) -> str | None:
    """The council a home is counted in: ``given`` (its local_authority), else the postcode's;
    a former council split into several (Cumbria) is the one of them the postcode is in."""
    if given is None:
        return located
    split = len(SUCCESSOR_CODES.get(given, ())) > 1
    if located is not None and split and agrees(given, located):
        return located
    return given


def with_councils(homes: pl.DataFrame) -> pl.DataFrame:
    """``homes`` with :data:`COUNCIL`, the council each is counted in (:func:`home_council`)."""
    if "postcode" not in homes.columns:
        return homes.with_columns(pl.col("local_authority").alias(COUNCIL))
    located = _located(homes.get_column("postcode"))
    pairs = (
        homes.select("local_authority", "postcode")
        .unique()
        .join(located.select("postcode", "upper_la"), on="postcode", how="left")
    )
    councils = pairs.with_columns(
        pl.Series(
            COUNCIL,
            [home_council(g, p) for g, p in pairs.select("local_authority", "upper_la").rows()],
            dtype=pl.Utf8,
        )
    ).drop("upper_la")
    return homes.join(
        councils, on=["local_authority", "postcode"], how="left", nulls_equal=True
    ).select(*homes.columns, COUNCIL)


def _name(code: str) -> str | None:
    """A council's name (None for a code the DfE's list does not have: a Welsh council's)."""
    from sufficiency.published.areas import UnknownArea, resolve_la

    try:
        return resolve_la(code).name
    except UnknownArea:
        return None


def council_problems(homes: pl.DataFrame, file: str, row: str) -> list[Problem]:
    """Warnings for homes whose local_authority is not the council of their full postcode (a
    sector or district may straddle councils): one of the two is mistyped, and the home is
    counted by its local_authority. ``row`` is the column of spreadsheet row numbers."""
    given = homes.filter(pl.col("local_authority").is_not_null() & pl.col("postcode").is_not_null())
    if not given.height:
        return []
    located = _located(given.get_column("postcode")).filter(pl.col("precision") == "postcode")
    out: list[Problem] = []
    checked = given.join(located, on="postcode", how="inner").sort(row)
    for r, code, postcode, la in checked.select(
        row, "local_authority", "postcode", "upper_la"
    ).rows():
        if la is None or agrees(code, la):
            continue
        out.append(
            Problem(
                "warning",
                "register_council_postcode",
                file,
                int(r),
                "local_authority",
                code,
                f"local_authority {code}{f' ({_name(code)})' if _name(code) else ''} is not the "
                f"council of the home's postcode {postcode} ({la}"
                f"{f', {_name(la)}' if _name(la) else ''}): one of them is "
                f"mistyped; the home is counted in {code} (give the right code, or leave "
                "local_authority blank to take the postcode's)",
            )
        )
    return out
