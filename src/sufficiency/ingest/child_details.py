"""A child's details that differ between returns: the merge takes each child's header row from
its latest return for every year, so a DOB or SEX given otherwise in an earlier return would
change that year's figures without a word (ages, who is under 18, counts by sex)."""

from __future__ import annotations

import polars as pl

from sufficiency.ingest.checks import return_label
from sufficiency.ingest.problems import LIMIT, Problem, Severity, shown
from sufficiency.ingest.readers import FILE, ROW

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
        text = pl.col(col).dt.strftime("%d/%m/%Y") if col == "DOB" else pl.col(col).cast(pl.Utf8)
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
    out = [
        Problem(
            severity,
            code,
            file,
            int(r[ROW]),
            col,
            r["v"],
            f"CHILD {shown(str(r['CHILD']))}'s {col} is {r['v']} in the "
            f"{return_label(r['return_year'])} return but {r['__was']} in the "
            f"{return_label(r['__then'])} return: {advice}",
        )
        for r in part.head(LIMIT).iter_rows(named=True)
    ]
    if part.height > LIMIT:
        more = f"{part.height - LIMIT} more row(s) like the above"
        out.append(Problem(severity, code, file, None, col, None, more))
    return out
