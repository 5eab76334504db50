"""A child's details across returns: the merge takes each child's header row from its latest
return for every year, so a DOB or SEX given otherwise in an earlier return would change that
year's figures without a word (ages, who is under 18, counts by sex), and a detail left blank in
the latest return would lose what an earlier return knew."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from sufficiency.ingest.checks import day_text, return_label
from sufficiency.ingest.problems import LIMIT, Problem, Severity, shown
from sufficiency.ingest.readers import FILE, ROW

#: The child's own details a blank in the latest return takes from the nearest earlier return
#: that gives them (a child has one DOB, sex and ethnicity; MOTHER and UPN may rightly go blank).
_FILLED = ("DOB", "SEX", "ETHNIC")
FILLED_CODE = "detail_from_earlier_return"

#: The header columns compared across returns: severity, code, what the message adds. SEX is
#: compared as read (1 / 2 already M / F), so the DfE's recoding in 2024-25 is no difference.
_DETAILS: dict[str, tuple[Severity, str, str]] = {
    "DOB": (
        "error",
        "dob_differs_across_returns",
        "the latest return's is used for every year; correct whichever is wrong",
    ),
    "SEX": (
        "warning",
        "sex_differs_across_returns",
        "the latest return's is used for every year (counts by sex in earlier years change); "
        "if it was not changed on purpose, correct whichever is wrong",
    ),
}


def details_differ(rows: pl.DataFrame, last: pl.Series) -> list[Problem]:
    """Each child whose DOB or SEX in its latest return (the row used for every year) differs
    from an earlier return's: named at that row, with the nearest earlier return that differs.
    ``rows``: the returns' header rows in year order, one per child in each return; ``last``:
    each child's last row."""
    cols = [c for c in _DETAILS if c in rows.columns]
    narrow = rows.select("CHILD", "return_year", *cols)
    latest = narrow.filter(last & pl.col("CHILD").is_not_null()).select(
        "CHILD", pl.col("return_year").alias("__year"), *[pl.col(c).alias(f"__{c}") for c in cols]
    )
    differs = {c: (pl.col(c) != pl.col(f"__{c}")).fill_null(False) for c in cols}  # both known
    # each earlier row beside its child's latest (one join for both columns), kept if it differs
    paired = (
        narrow.join(latest, on="CHILD", how="inner", maintain_order="left")
        .filter(pl.col("return_year") < pl.col("__year"))
        .filter(pl.any_horizontal(differs.values()))
    )
    problems: list[Problem] = []
    if paired.height == 0:
        return problems
    used = rows.filter(last & pl.col("CHILD").is_in(paired.get_column("CHILD").implode()))
    for col in cols:
        severity, code, advice = _DETAILS[col]
        text = day_text(col) if col == "DOB" else pl.col(col).cast(pl.Utf8)
        # the nearest earlier return that differs (rows are in year order), beside the row used
        earlier = (
            paired.filter(differs[col])
            .filter(pl.col("CHILD").is_last_distinct())
            .select("CHILD", text.alias("__was"), pl.col("return_year").alias("__then"))
        )
        named = used.join(earlier, on="CHILD", how="inner").select(
            FILE, ROW, "CHILD", text.alias("v"), "__was", "return_year", "__then"
        )
        for (file,), part in named.sort(FILE, ROW).group_by(FILE, maintain_order=True):
            problems += _differences(part, severity, code, str(file), col, advice)
    return problems


def _differences(
    part: pl.DataFrame, severity: Severity, code: str, file: str, col: str, advice: str
) -> list[Problem]:
    """One file's differing children (in row order): the first LIMIT named, the rest counted."""
    return _named(
        part,
        severity,
        code,
        file,
        col,
        lambda r: (
            f"CHILD {shown(str(r['CHILD']))}'s {col} is {r['v']} in the "
            f"{return_label(r['return_year'])} return but {r['__was']} in the "
            f"{return_label(r['__then'])} return: {advice}"
        ),
    )


def fill_blank_details(rows: pl.DataFrame, last: pl.Series) -> tuple[pl.DataFrame, list[Problem]]:
    """``rows`` with each child's latest row's blank DOB, SEX or ETHNIC taken from the nearest
    earlier return that gives it, and a warning for each (at the latest row); ``rows`` and
    ``last`` as for :func:`details_differ`."""
    latest = rows.filter(last)
    cols = [c for c in _FILLED if c in rows.columns and latest.get_column(c).null_count()]
    if not cols:
        return rows, []
    known = {
        c: (
            pl.col(c).forward_fill().over("CHILD"),
            pl.when(pl.col(c).is_not_null())
            .then(pl.col("return_year"))
            .forward_fill()
            .over("CHILD"),
        )
        for c in cols
    }
    gaps = {
        c: pl.lit(last) & pl.col(c).is_null() & value.is_not_null()
        for c, (value, _) in known.items()
    }
    marked = rows.with_columns(
        *[gap.alias(f"__gap_{c}") for c, gap in gaps.items()],
        *[value.alias(f"__{c}") for c, (value, _) in known.items()],
        *[year.alias(f"__then_{c}") for c, (_, year) in known.items()],
    )
    problems: list[Problem] = []
    for col in cols:
        part = marked.filter(pl.col(f"__gap_{col}"))
        if part.height == 0:
            continue
        text = pl.col(f"__{col}")
        text = day_text(text) if col == "DOB" else text.cast(pl.Utf8)
        named = part.select(
            FILE, ROW, "CHILD", "return_year", text.alias("v"), pl.col(f"__then_{col}")
        )
        for (file,), one in named.sort(FILE, ROW).group_by(FILE, maintain_order=True):
            problems += _named(
                one,
                "warning",
                FILLED_CODE,
                str(file),
                col,
                _filled_message(col),
            )
    filled = marked.with_columns(
        pl.when(pl.col(f"__gap_{c}")).then(pl.col(f"__{c}")).otherwise(pl.col(c)).alias(c)
        for c in cols
    ).select(rows.columns)
    return filled, problems


def _filled_message(col: str) -> Callable[[dict[str, Any]], str]:
    """The warning for a row whose blank ``col`` is taken from an earlier return."""
    return lambda r: (
        f"CHILD {shown(str(r['CHILD']))}'s {col} is blank in the "
        f"{return_label(r['return_year'])} return: the "
        f"{return_label(r[f'__then_{col}'])} return's {r['v']} is used for every year"
    )


def _named(
    part: pl.DataFrame,
    severity: Severity,
    code: str,
    file: str,
    col: str,
    message: Callable[[dict[str, Any]], str],
) -> list[Problem]:
    """One file's children (in row order), each with ``message``: the first LIMIT named, the
    rest counted."""
    out = [
        Problem(severity, code, file, int(r[ROW]), col, r["v"], message(r))
        for r in part.head(LIMIT).iter_rows(named=True)
    ]
    if part.height > LIMIT:
        more = f"{part.height - LIMIT} more row(s) like the above"
        out.append(Problem(severity, code, file, None, col, None, more))
    return out
