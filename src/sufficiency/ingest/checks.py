"""Vectorised checks of one return's tables: columns, dates, codes, canonical values, duplicates.

Every check is a Polars expression over the whole column (no Python loop per row); only the
first few offending rows of each kind become Problem records (plus one "N more" summary), so a
million bad rows cost the same as one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

import polars as pl

from sufficiency.codes import (
    FIRST_CODE_YEAR,
    LEGACY_CODES,
    NO_PROVIDER_PLACE,
    SEX_TO_CANONICAL,
    code_lists,
    sex_is_numeric,
)
from sufficiency.dates import date_from_text, year_end
from sufficiency.geo.directory import directory_rows
from sufficiency.geo.postcodes import FULL_RE, normalise_postcode
from sufficiency.ingest.problems import LIMIT, Problem, Severity, capped, shown
from sufficiency.ingest.readers import ROW, copy_of
from sufficiency.ingest.tables import CHILD_MAX, EPISODES, UASC, UPN_RE, TableSpec
from sufficiency.schema.kinds import URN_RE

#: A number as Excel shows it in scientific notation (``1.00E+06``): the digits are lost.
_SCIENTIFIC = r"^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$"
#: Postcode shapes: a full postcode (canonical form, one space), its sector, its district.
_POSTCODE = r"^(?:[A-Z]{1,2}[0-9][0-9A-Z]?(?: [0-9](?:[A-Z]{2})?)?|GIR 0AA)$"
#: A full postcode inside other text ("HR4 0AY.", "HR7 4NX (HOME)"), with or without its space.
_POSTCODE_IN_TEXT = r"\b[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}\b"


def return_label(year: int) -> str:
    """``2023`` -> ``2022-23`` (the collection year as the DfE writes it)."""
    return f"{year - 1}-{year % 100:02d}"


def day_text(col: str | pl.Expr) -> pl.Expr:
    """A date column as a message quotes it (dd/mm/yyyy, as the DfE's guidance writes dates)."""
    return (pl.col(col) if isinstance(col, str) else col).dt.strftime("%d/%m/%Y")


def report(
    bad: pl.DataFrame,
    severity: Severity,
    code: str,
    file: str,
    column: str | None,
    message: str,
    value_col: str | None = None,
    summary: str | None = None,
    detail_col: str | None = None,
) -> list[Problem]:
    """Problems for the rows of ``bad`` (columns ``_row`` and ``value_col``), capped at LIMIT.

    ``message`` is a template: ``{v}`` is replaced by the row's value, ``{d}`` by the row's
    ``detail_col`` (another column the message quotes), each cut to ``problems.VALUE_SHOWN``.
    """
    if bad.height == 0:
        return []
    vc = value_col or column
    has_value = vc is not None and vc in bad.columns
    cols = [ROW, vc if vc is not None and has_value else ROW, detail_col or ROW]
    out = []
    for rec in (
        bad.head(LIMIT).select(pl.col(c).alias(f"c{i}") for i, c in enumerate(cols)).iter_rows()
    ):
        value = None if not has_value or rec[1] is None else shown(str(rec[1]))
        row = None if rec[0] is None else int(rec[0])
        detail = "" if detail_col is None or rec[2] is None else shown(str(rec[2]))
        text = message.format(v=value, d=detail)
        out.append(Problem(severity, code, file, row, column, value, text))
    if bad.height > LIMIT:
        more = bad.height - LIMIT
        out.append(
            Problem(
                severity,
                code,
                file,
                None,
                column,
                None,
                f"{more} more row(s) like the above" + (f": {summary}" if summary else ""),
            )
        )
    return out


@dataclass
class Checked:
    """A table after its checks: typed frame (with ``_row``) and the problems found."""

    frame: pl.DataFrame | None
    problems: list[Problem]


def check_table(
    spec: TableSpec, frame: pl.DataFrame, file: str, year: int, header_row: int = 1
) -> Checked:
    """Check one table of the return ending 31 March ``year`` and cast it to canonical form."""
    problems: list[Problem] = []
    present = [c for c in frame.columns if c != ROW]
    copies = [(c, base) for c in present if (base := copy_of(c)) in spec.columns]
    problems += _repeated_columns(frame, copies, file, header_row)
    missing = [c for c in spec.required if c not in present]
    for col in missing:
        problems.append(
            Problem(
                "error",
                "missing_column",
                file,
                header_row,
                col,
                None,
                f"the {spec.name} table needs a column named {col}; found columns: "
                + ", ".join(copy_of(c) or c for c in present),
            )
        )
    if missing:
        return Checked(None, problems)
    # a repeated one is named once, at its first copy; a file of thousands, the first few
    problems += capped(
        [
            Problem(
                "warning",
                "extra_column",
                file,
                header_row,
                col,
                None,
                f"column {col or '(blank)'} is not part of the {spec.name} table "
                f"(expected {', '.join(spec.columns)}): it is ignored",
            )
            for col in present
            if col not in spec.columns and copy_of(col) is None
        ]
    )
    optional_missing = [c for c in spec.columns if c not in present]
    for col in optional_missing:
        problems.append(
            Problem(
                "warning",
                "missing_optional_column",
                file,
                header_row,
                col,
                None,
                f"the {spec.name} table has no {col} column: it is read as blank",
            )
        )
    frame = frame.select(
        ROW,
        *[pl.col(c) if c in present else pl.lit(None, pl.Utf8).alias(c) for c in spec.columns],
    )

    # Exact duplicate rows: keep the first, warn about the others. (Episodes: found in the
    # merge, where rows are sorted by CHILD and DECOM anyway.)
    dup = None if spec is EPISODES else _repeats(frame, list(spec.columns), keep="first")
    if dup is not None:
        problems += report(
            frame.filter(dup),
            "warning",
            "duplicate_row",
            file,
            None,
            "this row repeats an earlier row exactly: the copy is dropped",
        )
        frame = frame.filter(~dup)

    # CHILD must be present; stray spaces around it are dropped.
    if frame.select(pl.col("CHILD").str.contains(r"^\s|\s$").any()).item():
        child = pl.col("CHILD").str.strip_chars()
        frame = frame.with_columns(pl.when(child == "").then(None).otherwise(child).alias("CHILD"))
    blank_child = frame.filter(pl.col("CHILD").is_null())
    problems += report(
        blank_child,
        "error",
        "missing_child_id",
        file,
        "CHILD",
        "CHILD is blank: every row needs the child's identifier",
    )
    problems += report(
        frame.filter(pl.col("CHILD").str.contains(_SCIENTIFIC)),
        "error",
        "excel_scientific_id",
        file,
        "CHILD",
        "CHILD {v!r} is a number Excel has shown in scientific notation: the real identifier "
        "is lost, so one child can become two (or two one); format the CHILD column as text in "
        "the spreadsheet and export the table again",
    )

    problems += report(
        frame.filter(pl.col("CHILD").str.len_chars() > CHILD_MAX),
        "error",
        "child_id_too_long",
        file,
        "CHILD",
        f"CHILD {{v!r}} is longer than {CHILD_MAX} characters: expected the child's identifier "
        "(a short code), not a name or a note",
    )

    # Distinct values of every checked column, computed together (in parallel) up front.
    lists = code_lists(year)
    checked = [c for c in frame.columns if c in spec.dates or c in lists or c in _CANONICAL]
    distinct = _all_distinct(frame, checked)
    if "URN" in distinct:
        mangled = distinct["URN"].filter(pl.col("URN").str.strip_chars().str.contains(_SCIENTIFIC))
        problems += report(
            _rows_with(frame, "URN", mangled.get_column("URN")),
            "error",
            "excel_scientific_id",
            file,
            "URN",
            "URN {v!r} is a number Excel has shown in scientific notation: the home's real URN is "
            "lost, so the placement would be matched to no home or the wrong one; format the URN "
            "column as text in the spreadsheet and export the table again",
        )
    problems += _check_blanks(spec, frame, file, year, distinct)
    frame, date_problems = _check_dates(spec, frame, file, distinct, year)
    problems += date_problems
    frame, code_problems = _check_codes(spec, frame, file, year, distinct)
    problems += code_problems
    frame, value_problems = _canonical_values(frame, file, distinct)
    problems += value_problems

    if spec is EPISODES:
        frame, ep_problems = _check_episodes(frame, file, year)
        problems += ep_problems
    return Checked(frame, problems)


def _repeated_columns(
    frame: pl.DataFrame, copies: list[tuple[str, str]], file: str, header_row: int
) -> list[Problem]:
    """A table column the header names more than once: when every copy holds the first one's
    values (spaces aside), a warning and the first is read; where they differ, an error for
    each such row: which of them holds the column cannot be known."""
    problems: list[Problem] = []
    for copy, col in copies:  # (PLACE#2, PLACE)
        differ = frame.filter(
            ~pl.col(col).str.strip_chars().eq_missing(pl.col(copy).str.strip_chars())
        )
        if differ.height == 0:
            problems.append(
                Problem(
                    "warning",
                    "repeated_column",
                    file,
                    header_row,
                    col,
                    None,
                    f"the header names column {col} more than once, each with the same values "
                    "in every row: the first is read",
                )
            )
            continue
        both = pl.concat_str(_quoted(col), pl.lit(" in the first, "), _quoted(copy))
        problems += report(
            differ.with_columns(both.alias("__both")),
            "error",
            "repeated_column",
            file,
            col,
            f"the header names column {col} more than once, and here they differ: {{d}} in "
            f"another, so which holds {col} cannot be known; keep one {col} column",
            detail_col="__both",
            summary=f"the {col} columns differ",
        )
    return problems


def _quoted(col: str) -> pl.Expr:
    """A cell as a message quotes it: 'U1', or (blank)."""
    return (
        pl.when(pl.col(col).is_null())
        .then(pl.lit("(blank)"))
        .otherwise(pl.lit("'") + pl.col(col) + pl.lit("'"))
    )


def _blank_rows(col: str, distinct: dict[str, pl.DataFrame]) -> pl.Expr:
    """Rows whose ``col`` is blank (null, or only spaces: found among its distinct values)."""
    spaces = distinct[col].filter(pl.col(col).str.strip_chars() == "").get_column(col)
    return pl.col(col).is_null() | pl.col(col).is_in(spaces.implode())


def _check_blanks(
    spec: TableSpec, frame: pl.DataFrame, file: str, year: int, distinct: dict[str, pl.DataFrame]
) -> list[Problem]:
    """Coded cells that may not be blank: the table's ``not_blank`` columns, and an episode's
    PLACE_PROVIDER unless its placement takes none (DfE rule 178)."""
    lists = code_lists(year)
    what = "every episode" if spec is EPISODES else f"every {spec.name} row"
    problems: list[Problem] = []
    for col in spec.not_blank:
        problems += report(
            frame.filter(_blank_rows(col, distinct)),
            "error",
            "missing_code",
            file,
            col,
            f"{col} is blank: {what} needs one (expected one of {', '.join(sorted(lists[col]))})",
        )
    if spec is EPISODES:
        place = pl.col("PLACE").str.strip_chars().str.to_uppercase()
        no_provider = frame.filter(_blank_rows("PLACE_PROVIDER", distinct))
        needs = no_provider.filter(
            pl.col("PLACE").is_not_null() & (place != "") & ~place.is_in(NO_PROVIDER_PLACE)
        ).with_columns(place.alias("__place"))
        problems += report(
            needs,
            "error",
            "missing_code",
            file,
            "PLACE_PROVIDER",
            "PLACE_PROVIDER is blank, but placement {d} needs a provider (only "
            + ", ".join(NO_PROVIDER_PLACE)
            + " have none, DfE rule 178): expected one of "
            + ", ".join(sorted(lists["PLACE_PROVIDER"])),
            detail_col="__place",
        )
        # an ended episode without its reason would count the child as leaving for "other"
        # reasons (or as moving on, X1), whichever it was
        # (a DEC that is not a date is named by itself: bad_date)
        no_reason = frame.filter(_blank_rows("REC", distinct))
        ended = no_reason.filter(date_from_text(pl.col("DEC")).is_not_null())
        problems += report(
            ended.with_columns(pl.col("DEC").str.strip_chars().alias("__dec")),
            "error",
            "missing_code",
            file,
            "REC",
            "REC is blank, but the episode ended (DEC {d}): an ended episode needs the reason "
            "it ended (X1 when another episode follows); expected one of "
            + ", ".join(sorted(lists["REC"])),
            detail_col="__dec",
        )
        # a reason without its date: read as the open episode it says it is (as the peer's
        # demand model reads it, whose sample returns are full of them), and said
        open_ = frame.filter(_blank_rows("DEC", distinct) & ~_blank_rows("REC", distinct))
        problems += report(
            open_.with_columns(pl.col("REC").str.strip_chars().alias("__rec")),
            "warning",
            "missing_date",
            file,
            "DEC",
            "DEC is blank, but the episode has the reason it ended (REC {d}): read as still "
            "open, so the child counts as looked after and not as ceased; give the date it "
            "ended (dd/mm/yyyy), or leave REC blank if the episode is open (the DfE's rules "
            "refuse a reason without its date)",
            detail_col="__rec",
        )
    return problems


#: Free-text columns read in a canonical form (postcodes, URN, MOTHER, UPN).
#: The columns of postcodes (looked up in the ONS directory when full).
POSTCODE_COLUMNS = ("HOME_POST", "PL_POST")
_CANONICAL = (*POSTCODE_COLUMNS, "URN", "MOTHER", "UPN")


def _all_distinct(frame: pl.DataFrame, cols: list[str]) -> dict[str, pl.DataFrame]:
    """The distinct non-null values of each column (checks run on these, not on every row)."""
    if not cols:
        return {}
    lists = frame.select(pl.col(c).unique().implode() for c in cols)
    return {
        c: lists.get_column(c).explode().to_frame(c).filter(pl.col(c).is_not_null()) for c in cols
    }


def _rows_with(frame: pl.DataFrame, col: str, values: pl.Series) -> pl.DataFrame:
    """Rows of ``frame`` whose ``col`` is one of ``values`` (in file order)."""
    if values.len() == 0:
        return frame.clear()
    return frame.filter(pl.col(col).is_in(values.implode()))


def _repeats(frame: pl.DataFrame, cols: list[str], keep: str) -> pl.Series | None:
    """Mask of rows repeating another row on ``cols`` (all but the first/last), or None.

    Row hashes find candidates quickly; candidates are then compared exactly.
    """
    hashes = frame.select(cols).hash_rows()
    if hashes.n_unique() == hashes.len():
        return None  # all rows differ (the common case, found without a hash table of flags)
    candidates = hashes.is_duplicated()
    if not candidates.any():
        return None
    key = pl.struct(cols)
    repeat = ~(key.is_first_distinct() if keep == "first" else key.is_last_distinct())
    exact = frame.filter(candidates).select(ROW, repeat.alias("r")).filter(pl.col("r"))
    if exact.height == 0:
        return None
    return frame.get_column(ROW).is_in(exact.get_column(ROW).implode())


def _check_dates(
    spec: TableSpec,
    frame: pl.DataFrame,
    file: str,
    distinct: dict[str, pl.DataFrame],
    year: int,
) -> tuple[pl.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    required = {"DOB", "DECOM", "DUC"} & set(spec.required)
    replacements = []
    for col in (c for c in spec.dates if c in frame.columns):
        key = col in spec.strict_dates
        values = distinct[col].with_columns(
            date_from_text(pl.col(col)).alias("d"),
            (pl.col(col).str.strip_chars() == "").alias("blank"),
        )
        bad_values = values.filter(pl.col("d").is_null() & ~pl.col("blank")).get_column(col)
        problems += report(
            _rows_with(frame, col, bad_values),
            "error" if key else "warning",
            "bad_date",
            file,
            col,
            f"{col} {{v!r}} is not a date: expected dd/mm/yyyy (or yyyy-mm-dd)"
            + ("" if key else "; the value is dropped"),
        )
        if col in required:
            blank_values = values.filter(pl.col("blank")).get_column(col)
            blank = frame.filter(pl.col(col).is_null() | pl.col(col).is_in(blank_values.implode()))
            problems += report(
                blank, "error", "bad_date", file, col, f"{col} is blank: expected a date dd/mm/yyyy"
            )
        replacements.append(
            pl.col(col)
            .replace_strict(values.get_column(col), values.get_column("d"), default=None)
            .cast(pl.Date)
            .alias(col)
        )
    if replacements:
        frame = frame.with_columns(replacements)
    if "DOB" in spec.key_dates:
        end = year_end(year)
        problems += report(
            frame.filter(pl.col("DOB") > end).with_columns(day_text("DOB").alias("v")),
            "error",
            "dob_in_future",
            file,
            "DOB",
            f"DOB {{v}} is after {end:%d/%m/%Y}, the end of the {return_label(year)} collection "
            "year: a child in this return must have been born by then",
            value_col="v",
        )
    return frame, problems


def _check_codes(
    spec: TableSpec,
    frame: pl.DataFrame,
    file: str,
    year: int,
    distinct: dict[str, pl.DataFrame],
) -> tuple[pl.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    lists = code_lists(year)
    label = return_label(year)
    numeric_sex = sex_is_numeric(year)
    replacements = []
    for col in (c for c in frame.columns if c in lists):
        allowed = sorted(lists[col])
        blank_checked = col in ("SEX", "ETHNIC") and spec is not UASC
        if (
            not (col == "SEX" and numeric_sex)
            and distinct[col].get_column(col).is_in(allowed).all()
        ):
            # every value is a code as written (the common case): nothing to name or replace
            if blank_checked:
                problems += _blank_codes(frame.filter(pl.col(col).is_null()), file, col, allowed)
            continue
        canon = pl.col(col).str.strip_chars().str.to_uppercase()
        if col == "SEX" and numeric_sex:
            canon = canon.str.replace(r"^(\d)\.0+$", "$1")
        values = distinct[col].with_columns(canon.alias("c"))
        values = values.with_columns(pl.col("c").is_in(allowed).alias("ok"))
        unknown = values.filter(~pl.col("ok") & (pl.col("c") != "")).get_column(col)
        if col in LEGACY_CODES and year < FIRST_CODE_YEAR:
            legacy = ~pl.col("ok") & pl.col("c").str.contains(LEGACY_CODES[col])
            problems += report(
                _rows_with(frame, col, values.filter(legacy).get_column(col)),
                "warning",
                "legacy_code",
                file,
                col,
                f"{col} {{v!r}} is not in the {return_label(FIRST_CODE_YEAR)} code list (the "
                f"earliest DfE list held), but returns before {return_label(FIRST_CODE_YEAR)} "
                "used older codes: the value is kept",
            )
            values = values.with_columns(pl.col("ok") | legacy)
            unknown = values.filter(~pl.col("ok") & (pl.col("c") != "")).get_column(col)
        problems += report(
            _rows_with(frame, col, unknown),
            "error",
            "unknown_code",
            file,
            col,
            f"{col} {{v!r}} is not a valid code in the {label} return; "
            f"expected one of {', '.join(allowed)}",
        )
        odd = values.filter(
            pl.col("ok") & (pl.col("c") != pl.col(col)) & pl.col("c").is_in(allowed)
        ).get_column(col)
        problems += report(
            _rows_with(frame, col, odd),
            "warning",
            "non_canonical_value",
            file,
            col,
            f"{col} {{v!r}} is read as the code it spells (codes are upper case, without "
            "spaces or decimals)",
        )
        if blank_checked:
            blank_values = values.filter(pl.col("c") == "").get_column(col)
            blank = frame.filter(pl.col(col).is_null() | pl.col(col).is_in(blank_values.implode()))
            problems += _blank_codes(blank, file, col, allowed)
        final = pl.when(pl.col("ok")).then(pl.col("c")).otherwise(None)
        if col == "SEX" and numeric_sex:
            final = final.replace_strict(SEX_TO_CANONICAL, default=None, return_dtype=pl.Utf8)
        values = values.with_columns(final.alias("final"))
        changed = values.select((pl.col("final") != pl.col(col)).fill_null(True).any()).item()
        if changed:
            replacements.append(
                pl.col(col)
                .replace_strict(values.get_column(col), values.get_column("final"), default=None)
                .cast(pl.Utf8)
                .alias(col)
            )
    if replacements:
        frame = frame.with_columns(replacements)
    return frame, problems


def _blank_codes(blank: pl.DataFrame, file: str, col: str, allowed: list[str]) -> list[Problem]:
    """The warnings for rows whose SEX or ETHNIC is blank."""
    return report(
        blank,
        "warning",
        "missing_value",
        file,
        col,
        f"{col} is blank: expected one of {', '.join(allowed)}",
    )


#: Canonical values kept only in an allowed shape ("c": the value in canonical form), and the
#: warning for one that is not ({v}: the value as written).
_KEPT_IF: dict[str, tuple[pl.Expr, str]] = {
    "MOTHER": (
        pl.col("c").is_in(["0", "1"]),
        "MOTHER {v!r} is not 1 (is a mother) or 0 (is not): the value is dropped",
    ),
    "UPN": (
        pl.col("c").str.contains(UPN_RE),
        "UPN {v!r} is not a UPN (a letter, 11 digits and a letter or digit, e.g. A123456789012; "
        "UN1 to UN5 when the child has none): the value is dropped",
    ),
    "URN": (  # the registers' rule: letters and digits (SC123456, 123456)
        pl.col("c").str.contains(URN_RE),
        "URN {v!r} is not an Ofsted URN (letters and digits, e.g. SC123456): the value is "
        "dropped, so this placement matches no home",
    ),
}


def _canonical_values(
    frame: pl.DataFrame, file: str, distinct: dict[str, pl.DataFrame]
) -> tuple[pl.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    fixes: dict[str, tuple[pl.Expr, str]] = {}
    for col in POSTCODE_COLUMNS:
        if col in frame.columns:
            fixes[col] = (
                normalise_postcode(col),
                "postcodes are upper case with one space; one inside other text is taken from it",
            )
    if "URN" in frame.columns:
        s = pl.col("URN").str.strip_chars().str.to_uppercase()
        fixes["URN"] = (s.str.replace(r"^(\d+)\.0+$", "$1"), "URNs are whole numbers or XXXXXXX")
    if "MOTHER" in frame.columns:
        s = pl.col("MOTHER").str.strip_chars()
        fixes["MOTHER"] = (s.str.replace(r"^([01])\.0+$", "$1"), "MOTHER is 1 or 0")
    if "UPN" in frame.columns:
        fixes["UPN"] = (pl.col("UPN").str.strip_chars().str.to_uppercase(), "UPNs are upper case")
    replacements = []
    for col, (expr, rule) in fixes.items():
        values = distinct[col].with_columns(expr.alias("c"))
        values = values.with_columns(
            pl.when(pl.col("c") == "").then(None).otherwise(pl.col("c")).alias("c")
        )
        if col in POSTCODE_COLUMNS:
            # text that holds exactly one full postcode gives it (it read as blank: a child's
            # distance unknown, placed_over_20_miles 137 -> 16 of the demo's 431 with a full stop)
            found = pl.col("c").str.extract_all(_POSTCODE_IN_TEXT)
            one = found.list.first().str.replace(" ", "")
            spaced = one.str.slice(0, one.str.len_chars() - 3) + " " + one.str.slice(-3)
            inside = pl.when(found.list.len() == 1).then(spaced)
            shaped = pl.col("c").str.contains(_POSTCODE)
            values = values.with_columns(
                pl.when(pl.col("c").is_null() | shaped)
                .then(pl.col("c"))
                .otherwise(inside)
                .alias("c"),
                (pl.col("c").is_not_null() & ~shaped).alias("__odd"),
            )
            wrong = values.filter(pl.col("__odd") & pl.col("c").is_null())
            problems += report(
                _rows_with(frame, col, wrong.get_column(col)),
                "warning",
                "bad_postcode",
                file,
                col,
                f"{col} {{v!r}} is not a postcode (expected a full postcode such as B1 1AA, or "
                "its sector or district): it is read as blank, so this placement's distance "
                "and location are unknown",
                summary=f"{col} read as blank",
            )
            values = values.with_columns(
                pl.when(pl.col("c").str.contains(_POSTCODE)).then(pl.col("c")).otherwise(None)
            )
            problems += _unknown_postcodes(frame, col, values, file)
        if col in _KEPT_IF:  # a value of no allowed shape is named and dropped
            valid, message = _KEPT_IF[col]
            wrong = values.filter(pl.col("c").is_not_null() & ~valid)
            problems += report(
                _rows_with(frame, col, wrong.get_column(col)),
                "warning",
                "bad_value",
                file,
                col,
                message,
            )
            values = values.with_columns(pl.when(valid).then(pl.col("c")).otherwise(None))
        odd = values.filter(pl.col("c").is_not_null() & (pl.col(col) != pl.col("c")))
        problems += report(
            _rows_with(frame, col, odd.get_column(col)),
            "warning",
            "non_canonical_value",
            file,
            col,
            f"{col} {{v!r}} is read in canonical form ({rule})",
        )
        changed = values.select((pl.col("c") != pl.col(col)).fill_null(True).any()).item()
        if changed:
            replacements.append(
                pl.col(col)
                .replace_strict(values.get_column(col), values.get_column("c"), default=None)
                .cast(pl.Utf8)
                .alias(col)
            )
    if replacements:
        frame = frame.with_columns(replacements)
    return frame, problems


def prefetch_postcodes(frames: Iterable[pl.DataFrame]) -> None:
    """Read the postcode directory's rows for the full postcodes these tables (as read, before
    their checks) hold, in one pass: each table's ``_unknown_postcodes`` then finds them read
    already, instead of reading the directory once for each (a tenth of a second each time
    when the postcodes start with many letters). Only a warm-up: a value read otherwise by the
    checks is looked up then."""
    values = [  # a sheet's column names are the DfE's already (``readers``)
        frame.lazy().select(pl.col(c).cast(pl.String).unique().alias("value"))
        for frame in frames
        for c in POSTCODE_COLUMNS
        if c in frame.columns
    ]
    if not values:
        return
    wanted = (
        pl.concat(values)
        .unique()
        .select(normalise_postcode("value").str.replace_all(" ", "", literal=True))
        .collect()
        .to_series()
    )
    try:
        directory_rows(wanted.filter(wanted.str.contains(FULL_RE)))
    except RuntimeError:  # the postcode package is not installed: nothing to read
        return


def _unknown_postcodes(
    frame: pl.DataFrame, col: str, values: pl.DataFrame, file: str
) -> list[Problem]:
    """Warnings for full postcodes (``c``: each distinct value's canonical form) that the ONS
    postcode directory does not hold: well formed, yet no place (a typo, or invented), so the
    distance is unknown without a word. The directory's rows read here are kept for the
    Dataset's own look-up (``geo.directory``); none are read without the directory."""
    key = pl.col("c").str.replace_all(" ", "", literal=True)
    full = values.filter(key.str.contains(FULL_RE)).with_columns(key.alias("__key"))
    if full.height == 0:
        return []
    try:
        known = directory_rows(full.get_column("__key")).get_column("key")
    except RuntimeError:  # the postcode package is not installed: nothing can be looked up
        return []
    unknown = full.filter(~pl.col("__key").is_in(known.implode())).get_column(col)
    return report(
        _rows_with(frame, col, unknown),
        "warning",
        "unknown_postcode",
        file,
        col,
        f"{col} {{v!r}} is not in the ONS postcode directory: the distance for this placement "
        "is unknown (is the postcode mistyped?)",
        summary=f"{col} not in the ONS postcode directory",
    )


def _check_episodes(
    frame: pl.DataFrame, file: str, year: int
) -> tuple[pl.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    end = dt.date(year, 3, 31)
    before = frame.filter(pl.col("DEC") < pl.col("DECOM"))
    problems += report(
        before.with_columns(day_text("DEC").alias("v")),
        "error",
        "dec_before_decom",
        file,
        "DEC",
        "DEC {v} is before DECOM: an episode must end on or after the day it starts",
        value_col="v",
    )
    for far, after in (
        (False, frame.filter((pl.col("DEC") > end) & (pl.col("DEC") <= year_end(year + 1)))),
        (True, frame.filter(pl.col("DEC") > year_end(year + 1))),
    ):
        problems += report(
            after.with_columns(day_text("DEC").alias("v")),
            "warning",
            "dec_after_collection_year",
            file,
            "DEC",
            _dec_after_message(year, latest=False, far=far),
            value_col="v",
        )
    return frame, problems


def _dec_after_message(year: int, *, latest: bool, far: bool) -> str:
    """What ``dec_after_collection_year`` says ({v}: the DEC): kept in a return a later one
    replaces; an error in the latest return, which nothing replaces. A DEC after the next year
    too (``far``) is no return's date: most likely a placeholder for an open episode."""
    end = year_end(year)
    where = (
        f"DEC {{v}} is after the end of the {return_label(year)} collection year ({end:%d/%m/%Y})"
    )
    if far:
        where += (
            " and of the year after it, as no return's DEC can be: a placeholder for no end "
            f"date? leave DEC blank for an episode still open on {end:%d/%m/%Y}"
        )
    if not latest:
        return where + ": the date is kept (a later return holding the same episode replaces it)"
    return (
        f"{where}, and no later return is loaded to replace it: the child would be counted as "
        f"leaving care on a day that has not come; correct the DEC (blank if the episode was "
        f"still open on {end:%d/%m/%Y})"
    )


def _far(dec: str, year: int) -> bool:
    """True when ``dec`` (dd/mm/yyyy, as the problem quotes it) is after the year following
    ``year``'s."""
    day = dt.datetime.strptime(dec, "%d/%m/%Y").date()
    return day > year_end(year + 1)


def no_later_return(problems: list[Problem], year: int) -> list[Problem]:
    """The latest return's problems, its ``dec_after_collection_year`` warnings made errors: no
    later return replaces those DECs, so each would end an episode on a day still to come."""
    return [
        replace(
            p,
            severity="error",
            message=p.message
            if p.value is None
            else _dec_after_message(year, latest=True, far=_far(p.value, year)).format(v=p.value),
        )
        if p.code == "dec_after_collection_year"
        else p
        for p in problems
    ]
