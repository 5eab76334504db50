"""Whether the returns are the council's own: most children looked after came into care from
homes in their council, so when most children's home postcodes (HOME_POST) lie in another
council, la.toml names another council than the returns do (a profile copied from another
council, or another council's return): every placement would read as outside the council. And
a council split up since cannot have made a return after its last year.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sufficiency.geo.authorities import same_council
from sufficiency.geo.lookup import resolve_normalised
from sufficiency.ingest.checks import return_label
from sufficiency.ingest.problems import Problem

#: Children with a located home postcode needed before the share is judged.
MIN_LOCATED = 20
#: The share of them at home in the council or its neighbours below which it is named.
MIN_SHARE = 0.5
#: Episode rows looked at, at most: beyond it a fixed sample of children (the share is what is
#: judged; every child of a million episodes took 0.4 s, a third of the whole ingest).
SAMPLE_ROWS = 40_000


def _name(code: str) -> str:
    """A council's name and code (the code alone when it is not an English council)."""
    from sufficiency.published.areas import UnknownArea, resolve_la

    try:
        return f"{resolve_la(code).name} ({code})"
    except UnknownArea:
        return code


def homes_elsewhere(
    la_code: str, neighbours: Sequence[str], episodes: pl.DataFrame, file: str
) -> list[Problem]:
    """The warning when fewer than half the children (of MIN_LOCATED or more whose latest
    HOME_POST is located) were at home in ``la_code`` or its neighbours, or more were at home
    in one other council than in ``la_code`` (a neighbour's code given), naming the council
    most of them were in. ``episodes``: CHILD and HOME_POST (canonical postcodes)."""
    if "HOME_POST" not in episodes.columns or episodes.height == 0:
        return []
    rows = episodes.lazy().select("CHILD", "HOME_POST").drop_nulls()
    sampled = episodes.height > SAMPLE_ROWS
    if sampled:  # the same children every time: those whose id hashes to a multiple of step
        step = -(-episodes.height // SAMPLE_ROWS)
        rows = rows.filter(pl.col("CHILD").hash(seed=0) % step == 0)
    homes = rows.unique("CHILD", keep="last", maintain_order=True).collect()
    located = resolve_normalised(homes.get_column("HOME_POST").unique())  # canonical
    if located.height == 0:
        return []
    councils = homes.join(
        located.select(pl.col("postcode").alias("HOME_POST"), "upper_la"), on="HOME_POST"
    ).get_column("upper_la")
    if councils.len() < MIN_LOCATED:
        return []
    # the council and its neighbours under every code that names them (a former county's code
    # names the unitary that replaced it, whose code its postcodes carry)
    codes = [c for code in (la_code, *neighbours) for c in same_council(code)]
    own = int(councils.is_in(codes).sum())
    most = councils.value_counts(sort=True).row(0)
    itself = int(councils.is_in(same_council(la_code)).sum())
    n, known = (
        councils.len(),
        f"{' sampled' if sampled else ''} whose home postcode (HOME_POST) is known",
    )
    if own < MIN_SHARE * n:
        said = (
            f"only {own:,} of the {n:,} children{known} lived in {_name(la_code)} or its "
            f"neighbours; {most[1]:,} lived in {_name(str(most[0]))}"
        )
    elif most[0] not in same_council(la_code) and most[1] > itself:
        # a neighbour's code given (the council itself then among its neighbours)
        said = (
            f"{most[1]:,} of the {n:,} children{known} lived in {_name(str(most[0]))}, and "
            f"{itself:,} in {_name(la_code)}, la.toml's council"
        )
    else:
        return []
    return [
        Problem.whole_file(
            "warning",
            "homes_elsewhere",
            file,
            f"{said}: is la.toml's code that of the council these returns are from? Every "
            "placement is banded inside, neighbouring or distant from la.toml's council",
        )
    ]


def returns_after_split(la_code: str, years: Sequence[int]) -> list[Problem]:
    """The error when la.toml names a council abolished into others (Cumbria into Cumberland and
    Westmorland and Furness, Bournemouth into BCP) but returns are of years after its last: they
    are a successor's, and every comparator would be the old council's last published year (its
    own figure 'z'). A council recoded whole (North Yorkshire's county code) is not one."""
    from sufficiency.published.areas import UnknownArea, former_council, resolve_la

    try:
        la = resolve_la(la_code)
    except UnknownArea:
        return []
    if la.code != la_code or la.last_year is None:
        return []  # a council recoded whole publishes on under its new code
    later = sorted(y for y in years if y > la.last_year)
    if not later:
        return []
    which = f"the {return_label(later[0])} return" + (" and later ones" if len(later) > 1 else "")
    return [
        Problem(
            "error",
            "council_split",
            "la.toml",
            None,
            "code",
            la_code,
            f"code: {former_council(la_code)}; {which} cannot be its: give the code of the "
            "council these returns are from",
        )
    ]
