"""Checks across one return's tables: one header row per child, every child known to the header,
births before care, and episodes that cover the header's children.

Each table has been checked on its own (``checks.check_table``); these checks need two tables
at once. Frames carry ``_row`` and ``_file`` (where each row came from).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import polars as pl

from sufficiency.dates import age_expr, same_day, year_end
from sufficiency.ingest.checks import day_text, return_label
from sufficiency.ingest.copied_returns import ReturnRows
from sufficiency.ingest.episode_sequence import closed_at_year_end
from sufficiency.ingest.merge import report_by_file
from sufficiency.ingest.problems import Problem, Severity, capped, listed, shown
from sufficiency.ingest.readers import FILE, ROW
from sufficiency.ingest.tables import OUTCOME_TABLES, TABLES, TableSpec

#: The share of the header's children (other than those only in OC2, OC3 or AD1) that a
#: return's episodes must cover; fewer means the episodes are cut short or from another extract.
COVERAGE = 0.9


def one_row_per_child(header: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """One header row per child across the return's header files: different dates of birth
    for one child are an error; any other repeat keeps the later row, with a warning."""
    rows = header.with_row_index("__i")
    repeated = rows.filter(pl.col("CHILD").is_not_null() & pl.col("CHILD").is_duplicated())
    if repeated.height == 0:
        return header, []
    first = repeated.group_by("CHILD", maintain_order=True).agg(
        pl.col("DOB").drop_nulls().first().alias("__dob0"),
        pl.col(ROW).filter(pl.col("DOB").is_not_null()).first().alias("__row0"),
        pl.col(FILE).filter(pl.col("DOB").is_not_null()).first().cast(pl.Utf8).alias("__file0"),
    )
    clash = (
        repeated.join(first, on="CHILD", how="left", maintain_order="left")
        .filter(pl.col("DOB").is_not_null() & (pl.col("DOB") != pl.col("__dob0")))
        .with_columns(day_text("DOB").alias("v"), day_text("__dob0").alias("__was"))
    )
    problems = capped(
        [
            Problem(
                "error",
                "conflicting_dob",
                str(r[FILE]),
                int(r[ROW]),
                "DOB",
                r["v"],
                f"child {shown(str(r['CHILD']))} has DOB {r['v']} here but {r['__was']} in "
                f"{r['__file0']} row {r['__row0']}: a child has one date of birth; correct the "
                "wrong one",
            )
            for r in clash.iter_rows(named=True)
        ]
    )
    conflicted = clash.get_column("CHILD").unique().implode()
    earlier = repeated.filter(
        ~pl.col("CHILD").is_in(conflicted) & ~pl.col("CHILD").is_last_distinct()
    )
    problems += report_by_file(
        earlier,
        "warning",
        "duplicate_child",
        "CHILD",
        "child {v} appears more than once in the header: the later row is used",
    )
    dropped = earlier.get_column("__i").implode()
    return rows.filter(~pl.col("__i").is_in(dropped)).drop("__i"), problems


def _unknown_children(
    tables: dict[str, pl.DataFrame], known: pl.Series, year: int
) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Rows of the optional tables for children in no header: named (count and ids), left out."""
    problems: list[Problem] = []
    out = dict(tables)
    for name, frame in tables.items():
        if name in ("header", "episodes"):
            continue
        unknown = pl.col("CHILD").is_not_null() & ~pl.col("CHILD").is_in(known.implode())
        stray = frame.filter(unknown)
        if stray.height == 0:
            continue
        for (file,), part in stray.group_by(FILE, maintain_order=True):
            n = part.height
            ids = listed(part.get_column("CHILD").unique(maintain_order=True))
            rows, them = (
                ("1 row is for a child", "it is")
                if n == 1
                else (
                    f"{n} rows are for children",
                    "they are",
                )
            )
            problems.append(
                Problem(
                    "warning",
                    "rows_for_unknown_children",
                    str(file),
                    None,
                    "CHILD",
                    None,
                    f"{rows} in no header of the {return_label(year)} return ({ids}): "
                    f"{them} left out",
                )
            )
        out[name] = frame.filter(~unknown)
    return out, problems


def check_children(
    tables: dict[str, pl.DataFrame], year: int
) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """The return's children across its tables (header and episodes both with rows), the
    dates of its optional tables (``dates_in_year``), and its episodes closed with X1 at the
    year's end (``closed_at_year_end``: read as open)."""
    dated = dates_in_year(tables, year)
    if "episodes" in tables:
        episodes, closed = closed_at_year_end(tables["episodes"], year)
        tables, dated = {**tables, "episodes": episodes}, dated + closed
    header, eps = tables.get("header"), tables.get("episodes")
    if header is None or eps is None or header.height == 0 or eps.height == 0:
        return tables, dated
    # The episodes' children once, each with its first DECOM (one pass over the episodes; the
    # checks below then work on children, not on episode rows), joined once to the header's
    # rows: children with no header row, header children with no episode, and their DOBs.
    # Lazy: Polars' streaming engine groups, joins and finds distinct values several times
    # faster than eager calls (the rows come in no particular order: nothing below needs one).
    known_q = header.lazy().select(pl.col("CHILD").drop_nulls().unique())
    children_q = (
        eps.lazy()
        .filter(pl.col("CHILD").is_not_null())
        .group_by("CHILD")
        .agg(pl.col("DECOM").min().alias("__first"), pl.lit(True).alias("__in_eps"))
        .join(
            header.lazy()
            .select("CHILD", "DOB", pl.lit(True).alias("__in_header"))
            .filter(pl.col("CHILD").is_not_null()),
            on="CHILD",
            how="full",
            coalesce=True,
        )
    )
    known_frame, children = pl.collect_all([known_q, children_q])
    known = known_frame.get_column("CHILD")
    orphans = children.filter(pl.col("__in_header").is_null()).get_column("CHILD")
    problems = dated + report_by_file(
        eps.filter(pl.col("CHILD").is_in(orphans.implode())) if orphans.len() else eps.clear(),
        "error",
        "child_not_in_header",
        "CHILD",
        "child {v} has episodes but no row in this return's header: every child needs a header "
        "row (SEX, DOB, ETHNIC)",
    )
    tables, stray = _unknown_children(tables, known, year)
    problems += stray + _before_birth(tables, header)
    problems += _born_after_care(header, children, year)
    no_episode = children.filter(pl.col("__in_eps").is_null()).get_column("CHILD").unique()
    problems += _coverage(tables, known, no_episode, year)
    return tables, problems


#: The age on a first DECOM that only a mistyped date gives: a child is looked after only
#: before their 18th birthday, and no one in a return is 25 (a care leaver's support ends then).
#: 18 to 24 is left to the DfE's rules (``--dfe-rules``).
MISTYPED_AGE = 25


def _born_after_care(header: pl.DataFrame, children: pl.DataFrame, year: int) -> list[Problem]:
    """A date of birth after the child's first DECOM (a DOB after the year is named already), or
    so early that the child was MISTYPED_AGE or older when that episode began (a mistyped year,
    1901 for 2011, would count the child as 16 or over without a word).

    ``children``: each child of the episodes with ``__first``, its earliest DECOM, beside its
    header rows' DOBs. A child has an episode before a DOB exactly when its earliest one is.
    """
    problems: list[Problem] = []
    for code, rule, message in (
        (
            "dob_after_decom",
            (pl.col("__first") < pl.col("DOB")) & (pl.col("DOB") <= year_end(year)),
            "DOB {v} is after the child's first DECOM ({d}) in this return: a child cannot be "
            "looked after before being born; check both dates",
        ),
        (
            "dob_too_early",
            # (a DECOM after the year is named by itself: decom_after_collection_year)
            (age_expr("__first") >= MISTYPED_AGE) & (pl.col("__first") <= year_end(year)),
            f"DOB {{v}} makes the child {MISTYPED_AGE} or older on their first DECOM ({{d}}) in "
            "this return: a child is looked after only before their 18th birthday, so one of "
            "the dates is mistyped; check both",
        ),
    ):
        found = children.filter(rule).select("CHILD", "__first").unique("CHILD")
        if found.height == 0:
            continue
        bad = header.join(found, on="CHILD", how="inner", maintain_order="left").with_columns(
            day_text("DOB").alias("v"), day_text("__first").alias("__d")
        )
        problems += report_by_file(
            bad, "error", code, "DOB", message, value_col="v", detail_col="__d"
        )
    return problems


def _before_birth(tables: dict[str, pl.DataFrame], header: pl.DataFrame) -> list[Problem]:
    """The optional tables' dates that cannot come before the child's birth
    (``TableSpec.after_birth``) but do: errors, the header's DOB (else the row's own) quoted."""
    dobs = header.select("CHILD", pl.col("DOB").alias("__dob")).unique("CHILD", keep="last")
    problems: list[Problem] = []
    for name, frame in tables.items():
        spec = TABLES.get(name)
        cols = [c for c in spec.after_birth if frame.schema.get(c) == pl.Date] if spec else []
        if not cols or frame.height == 0:
            continue
        own = [pl.col("DOB")] if frame.schema.get("DOB") == pl.Date else []
        born = frame.join(dobs, on="CHILD", how="left", maintain_order="left").with_columns(
            pl.coalesce(pl.col("__dob"), *own).alias("__born")
        )
        for col in cols:
            problems += report_by_file(
                born.filter(pl.col(col) < pl.col("__born")).with_columns(
                    day_text(col).alias("__v"), day_text("__born").alias("__d")
                ),
                "error",
                "date_before_birth",
                col,
                f"{col} {{v}} is before the child's DOB ({{d}}): nothing this row records can "
                f"happen before the child is born, and read so the row is wrong (a UASC status "
                f"ceased before birth leaves the child out of the UASC counts); correct the date",
                value_col="__v",
                detail_col="__d",
            )
    return problems


def dates_in_year(tables: dict[str, pl.DataFrame], year: int) -> list[Problem]:
    """The optional tables' dates outside the return's year (``TableSpec.in_year`` and
    ``kept``): an event measures count after the collection year is an error (an AD1 match
    typed 2099 counted ~9,000 days to match, as a DECOM after the year is named), another date
    after it a warning (as a DEC is); a date MISTYPED_AGE years or more before the year's end,
    before any child of the return was born (the rule of ``dob_too_early``), an error; and
    their pairs out of order (``_dates_in_order``)."""
    end = year_end(year)
    earliest = same_day(year - MISTYPED_AGE, end)
    problems: list[Problem] = []
    for name, frame in tables.items():
        spec = TABLES.get(name)
        if spec is None or frame.height == 0:
            continue
        for col in (*spec.in_year, *spec.kept):
            if frame.schema.get(col) != pl.Date:
                continue
            late: Severity = "error" if col in spec.in_year else "warning"
            for severity, code, rule, message in (
                (
                    late,
                    "date_after_collection_year",
                    pl.col(col) > end,
                    f"{col} {{v}} is after {end:%d/%m/%Y}, the end of the {return_label(year)} "
                    "collection year: "
                    + (
                        "an event of this return happens in its year; correct the date"
                        if late == "error"
                        else "the date is kept"
                    ),
                ),
                (
                    "error",
                    "date_too_early",
                    pl.col(col) < earliest,
                    f"{col} {{v}} is before {earliest:%d/%m/%Y}, before any child looked after "
                    f"in the {return_label(year)} return was born: a mistyped year; correct "
                    "the date",
                ),
            ):
                bad = frame.filter(rule)
                if bad.height:
                    problems += report_by_file(
                        bad.with_columns(day_text(col).alias("__v")),
                        severity,
                        code,
                        col,
                        message,
                        value_col="__v",
                    )
        problems += _dates_in_order(spec, frame, earliest, end)
    return problems


def _dates_in_order(
    spec: TableSpec, frame: pl.DataFrame, earliest: dt.date, end: dt.date
) -> list[Problem]:
    """Errors for rows whose later date (``TableSpec.ordered``) is before the earlier one, as
    the registers' ``register_date_order``: read so, an interval counts negative days (A2
    clipped them to 0) and an order ending before it starts counts as in force. A row with
    either date outside ``earliest``..``end`` is named for that date alone (a mistyped year)."""
    problems: list[Problem] = []
    for first, then, why in spec.ordered:
        if frame.schema.get(first) != pl.Date or frame.schema.get(then) != pl.Date:
            continue
        inside = pl.col(first).is_between(earliest, end) & pl.col(then).is_between(earliest, end)
        problems += report_by_file(
            frame.filter(inside & (pl.col(then) < pl.col(first))).with_columns(
                day_text(then).alias("__v"), day_text(first).alias("__d")
            ),
            "error",
            "date_order",
            then,
            f"{then} {{v}} is before {first} ({{d}}) in this row: {why}; check both dates "
            "(are the columns swapped?)",
            value_col="__v",
            detail_col="__d",
        )
    return problems


def _children_in(tables: dict[str, pl.DataFrame], names: Iterable[str]) -> pl.Series:
    """The distinct children found in the named tables (those the return has)."""
    found = [tables[n].get_column("CHILD").drop_nulls() for n in names if n in tables]
    return pl.concat(found).unique() if found else pl.Series("CHILD", [], pl.Utf8)


def _coverage(
    tables: dict[str, pl.DataFrame], known: pl.Series, no_episode: pl.Series, year: int
) -> list[Problem]:
    """Header children in no other table (warnings), and episodes covering too few (error).

    ``known``: the header's distinct children; ``no_episode``: those with no episode."""
    header, eps = tables["header"], tables["episodes"]
    others = _children_in(tables, (n for n in tables if n not in ("header", "episodes")))
    only_header = no_episode.filter(~no_episode.is_in(others.implode()))
    problems = report_by_file(
        header.filter(pl.col("CHILD").is_in(only_header.implode()))
        if only_header.len()
        else header.clear(),
        "warning",
        "child_only_in_header",
        "CHILD",
        "child {v} is in the header but in no other table of this return (no episode, OC2, OC3 "
        "or AD1 row)",
    )
    outcome_only = no_episode.is_in(_children_in(tables, OUTCOME_TABLES).implode())
    expected = known.len() - int(outcome_only.sum())
    covered = known.len() - no_episode.len()
    if expected and covered < COVERAGE * expected:
        missing = no_episode.filter(~outcome_only).sort()
        # Without OC2, OC3 or AD1 tables, children with no episode may be care leavers or
        # adopted children those tables would list: named, but the load goes on.
        has_outcomes = any(n in tables for n in OUTCOME_TABLES)
        problems.append(
            Problem(
                "error" if has_outcomes else "warning",
                "episodes_incomplete",
                str(eps.get_column(FILE)[0]),
                None,
                None,
                None,
                f"the episodes cover {covered} of the {expected} children in the header "
                f"({100 * covered // expected}%; children found only in OC2, OC3 or AD1 are "
                f"not counted): expected {COVERAGE:.0%} or more in the {return_label(year)} "
                "return; is the episodes table cut short, or from another extract?"
                + (
                    ""
                    if has_outcomes
                    else " (this return has no OC2, OC3 or AD1 table, so some of them may be "
                    "care leavers or adopted children)"
                )
                + f" Children with no episode: {listed(missing)}",
            )
        )
    return problems


#: How a spreadsheet or a script changes a CHILD id, each with its problem code and words:
#: the zeros it drops (``01000003`` -> ``1000003``), the apostrophe an export puts before an id
#: to keep it text (``'1000003``), the ``.0`` of an id written as a decimal (``1000003.0``),
#: the commas of a number format (``1,000,003``), the letter case a system or script changes
#: (``C1000003`` in one return, ``c1000003`` in another).
_ID_CHANGES = (
    (
        "child_id_zeros",
        "leading zeros",
        "a spreadsheet drops the zeros when it opens a CSV file",
    ),
    (
        "child_id_mangled",
        "a leading apostrophe, a trailing .0, thousands commas, letter case or Excel's text "
        'formula (="1000003")',
        "an apostrophe is how an export keeps an id as text, .0 how a script writes a number "
        "as a decimal, commas how a spreadsheet's number format shows it, a change of case "
        'how one system or script writes ids another writes otherwise, and ="..." how a '
        "spreadsheet is told to keep a number as text",
    ),
)


def zero_padded_ids(returns: Sequence[ReturnRows]) -> list[Problem]:
    """The errors for children whose CHILD differs between returns only by leading zeros
    (``01000003`` in one, ``1000003`` in another), a leading apostrophe (``'1000003``), a
    trailing ``.0`` (``1000003.0``), thousands commas (``1,000,003``) or letter case
    (``C1000003``, ``c1000003``): read as two children, each would seem to leave care and start
    again."""
    return _id_changes(returns)


def _id_changes(returns: Sequence[ReturnRows]) -> list[Problem]:
    """The errors of ``zero_padded_ids``: ids of two returns that one change makes one."""
    if len(returns) < 2:
        return []
    child = pl.col("CHILD")
    key = (
        child.str.replace(r'^="(.*)"$', "$1")  # Excel's text formula, ="1000003"
        .str.strip_chars_start("'")
        .str.replace(r"\.0+$", "")
        .str.replace_all(",", "", literal=True)
        .str.strip_chars_start("0")
        .str.to_uppercase()
    )
    # each return's ids once (a child has many episodes), so the keys are worked out on ids,
    # not rows: ids written in lower case mark every one of them as a possible clash
    ids = pl.concat(
        [
            frame.lazy().with_columns(pl.lit(r.folder).alias("__folder"))
            for r, frame in zip(
                returns,
                pl.collect_all([r.episodes.lazy().select("CHILD").unique() for r in returns]),
                strict=True,
            )
        ]
    )
    clash = (
        ids.with_columns(key.alias("__key"))
        .filter(child.n_unique().over("__key") > 1)
        # ids differing only in case in one return are two children of a system that tells
        # case apart (T9ab1 and T9AB1, both written so every year): a spreadsheet changes no
        # case (zeros it drops in some rows of a file pieced together: those stay named)
        .with_columns(
            (
                (child.n_unique().over("__key", "__folder") > 1)
                & (child.str.to_uppercase().n_unique().over("__key", "__folder") == 1)
            ).alias("__cased")
        )
        .filter(~pl.col("__cased").any().over("__key"))
        .with_columns(
            # a clash of zeros alone, or one that stays when only the zeros are dropped (an
            # apostrophe, a .0, a comma or letter case takes part in it)
            (child.str.strip_chars_start("0").n_unique().over("__key") > 1).alias("__mangled")
        )
        .sort("__key", "__folder", "CHILD")
        .collect()
    )
    problems = []
    for (code, what, why), part in zip(
        _ID_CHANGES,
        (clash.filter(~pl.col("__mangled")), clash.filter(pl.col("__mangled"))),
        strict=True,
    ):
        if part.height == 0:
            continue
        # each spelling once, with the returns that hold it (not once for each return)
        spelt = (
            part.group_by("__key", "CHILD", maintain_order=True)
            .agg(pl.col("__folder").str.join(", "))
            .group_by("__key", maintain_order=True)
            .agg((child + pl.lit(" in ") + pl.col("__folder")).str.join(" and "))
        )
        examples = "; ".join(spelt.get_column("CHILD").head(3))
        problems.append(
            Problem.whole_file(
                "error",
                code,
                ", ".join(sorted(set(part.get_column("__folder")))),
                f"{spelt.height} children's CHILD is written in ways that differ only by "
                f"{what} ({examples}), so each would be read as two children, one leaving care and "
                f"another starting: {why}; export the returns again with CHILD kept as text",
            )
        )
    return problems
