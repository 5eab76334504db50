"""Checking and typing one register given as text cells, by its declaration (``sufficiency.schema``).

Pure (no I/O) and the same for CSV, XLSX and a web form's row, so each names a bad value in the
same words: the file, the row as a spreadsheet shows it (header = row 1), the column, the value
and what was expected. Errors: a missing required column, a blank required value, a value that
does not read as its kind or is outside its range, an unknown enumeration value, a repeated key
(or value of a column unique when given), a copied row, a row breaking a cross-field rule.
Warnings: extra columns (kept as text), a value jumping from one year to the next, several rows
of one year (``steady``), a value above the top of its kind's typical range (``CEILINGS``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

import polars as pl

from sufficiency.ingest.problems import Problem
from sufficiency.schema import REGISTERS, Column, RegisterSchema
from sufficiency.schema.columns import LIST_KINDS, NUMBER_KINDS
from sufficiency.schema.kinds import canonical_name, checks, clean, number, parse
from sufficiency.schema.registers import CEILINGS
from sufficiency.schema.rules import Ceiling, Steady

#: The column holding each row's spreadsheet row number (added when the frame has none).
ROW = "__row"
#: The prefix of the typed value's column beside each declared column's text while checking.
TYPED = "__typed:"
#: Most problems of one kind reported per column before a single "and N more" summary.
MAX_PROBLEMS_PER_COLUMN = 50


def duplicate_names(names: Iterable[str], file: str) -> list[Problem]:
    """Errors for column names given more than once."""
    twice = sorted(n for n, k in Counter(names).items() if k > 1)
    return [
        Problem(
            "error",
            "register_duplicate_column",
            file,
            1,
            n,
            None,
            f"column '{n}' appears more than once",
        )
        for n in twice
    ]


def parse_register(name: str, raw: pl.DataFrame, file: str) -> tuple[pl.DataFrame, list[Problem]]:
    """Check and type register ``name`` given as text cells (column names as written; an
    optional ``__row`` column of spreadsheet row numbers, else rows count from 2).

    The typed frame has every declared column (a missing optional one as nulls) in declared
    order, then any extra columns as text; a cell that fails a check is null in it.
    """
    typed, problems = parse_register_rows(name, raw, file)
    return typed.drop(ROW, strict=False), problems


def parse_register_rows(
    name: str, raw: pl.DataFrame, file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """:func:`parse_register` with each row's spreadsheet row number kept (column ``__row``),
    for checks that name rows after the typing (a home's council against its postcode)."""
    schema = REGISTERS[name]
    if ROW not in raw.columns:
        raw = raw.with_row_index(ROW, offset=2)
    renames = {
        c: schema.aliases.get(canonical_name(c), canonical_name(c)) for c in raw.columns if c != ROW
    }
    dupes = duplicate_names(renames.values(), file)
    if dupes:
        return schema.empty(), dupes
    frame = (
        raw.rename(renames)
        .with_columns(clean(pl.col(c).cast(pl.Utf8)) for c in renames.values())
        .with_columns(pl.col(ROW).cast(pl.Int64))
    )
    problems = _extra_columns(schema, list(renames.values()), file)
    frame, totals = _without_totals(frame, list(renames.values()), file, schema)
    problems += totals
    lists = [c.name for c in schema.columns if c.kind in LIST_KINDS and c.name in frame.columns]
    frame = frame.with_columns(list_text(pl.col(c)) for c in lists)
    missing = [c for c in schema.columns if c.must_be_present and c.name not in frame.columns]
    problems += [
        Problem(
            "error",
            "register_missing_column",
            file,
            None,
            c.name,
            None,
            f"required column '{c.name}' is missing (expected {c.expected()})",
        )
        for c in missing
    ]
    if missing:
        return schema.empty(), problems
    given = [c for c in schema.columns if c.name in frame.columns]
    # each cell read once: the checks look at the typed value beside the text
    frame = frame.with_columns(parse(c, pl.col(c.name)).alias(_typed(c)) for c in given)
    problems += _cell_problems(frame, given, file)
    declared = set(schema.column_names)
    typed = frame.select(
        ROW,
        *[
            pl.col(_typed(c)).alias(c.name)
            if c.name in frame.columns
            else pl.lit(None, dtype=c.dtype).alias(c.name)
            for c in schema.columns
        ],
        *[
            pl.col(x)
            for x in frame.columns
            if x not in declared and x != ROW and not x.startswith(TYPED)
        ],
    )
    problems += _duplicate_keys(typed, schema, file)
    problems += _broken_rules(typed, schema, file)
    steady = unsteady(typed, schema.steady, file)
    problems += steady
    problems += implausible(typed, CEILINGS.get(name, ()), file, steady)
    return typed, problems


def list_text(src: pl.Expr) -> pl.Expr:
    """A list cell's text with its items ';'-separated: a cell with no ';' may separate them with
    commas (``sibling_group, disability``, as people write lists), read as ';'; with a ';', a
    comma is part of its item (``autism, ADHD; sibling group``: two items). The one rule for
    every list read (registers, forms, referrals)."""
    return (
        pl.when(src.str.contains(";", literal=True))
        .then(src)
        .otherwise(src.str.replace_all(",", ";", literal=True))
    )


#: A cell that says its row is a total: "Total", "Totals:", "Grand total", "Subtotal", "Sub
#: total", "Sub-total", "Overall total", "Sum", and a label that ends in one ("In-area
#: subtotal", "Subtotal (Herefordshire providers)").
_TOTAL = (
    r"(?i)^((grand|sub|overall)?[\s-]*(totals?|sum)\s*:?)$"
    r"|^[\w\s-]*\b(sub)?totals?\b\s*(\(.*\))?\s*:?$"
)
#: A cell that begins as a total's label does ("Total units", "TOTAL SUPPORTED ACCOMMODATION",
#: "All providers"), or is "All", "Overall" or "Summary"; a name may too ("Total Care Ltd"), and
#: another column may say "All", so only with the row's numbers.
_TOTAL_LEAD = (
    r"(?i)^((grand|sub|overall)?[\s-]*(totals?|sum)\b|all\s+\w+s\b|(all|overall|summary)\s*:?$)"
)
#: The fewest other rows a row must sum for its numbers alone to mark it a total (with two, a
#: provider of 5 places beside providers of 2 and 3 was taken for their total).
_TOTAL_MIN_ROWS = 3


def _without_totals(
    frame: pl.DataFrame, columns: list[str], file: str, schema: RegisterSchema
) -> tuple[pl.DataFrame, list[Problem]]:
    """The register without the totals rows a spreadsheet adds under its rows, each named: a
    supported accommodation register's read as one more provider of 120 units, a homes
    register's as a home of 120 places. A totals row has a cell saying so ("Total", "Sub
    total", "Sum"), or its numbers are the sums of the other rows' (:func:`_summing_rows`)."""
    labelled = pl.any_horizontal(pl.col(c).str.contains(_TOTAL).fill_null(False) for c in columns)
    found = frame.filter(labelled).select(ROW, *columns)
    problems = [
        _totals_problem(file, int(row[ROW]), f"'{_label_cell(row, columns, _TOTAL)}' says so")
        for row in found.iter_rows(named=True)
    ]
    rest = frame.filter(~labelled)
    summing = _summing_rows(rest, columns, schema)
    for row, numbers in summing.items():
        problems.append(
            _totals_problem(
                file,
                row,
                f"its {numbers} are the sums of the other {rest.height - 1} rows'",
            )
        )
    rest = rest.filter(~pl.col(ROW).is_in(list(summing)))
    return rest, sorted(problems, key=lambda p: p.row or 0)


def _summing_rows(
    frame: pl.DataFrame, columns: list[str], schema: RegisterSchema
) -> dict[int, str]:
    """The rows (by ``ROW``, with their numeric columns named) with a cell that starts as a
    total's label does ("Total units", "All providers") and whose every number given equals its
    column's sum over the other rows (at least :data:`_TOTAL_MIN_ROWS` of them; one number not
    0). The label alone is not enough (a provider "Total Care Ltd"), nor are the sums (a small
    register's 1, 1 and 2 places); a totals row with no label leaves its name blank, an error."""
    numeric = [c.name for c in schema.columns if c.kind in NUMBER_KINDS and c.name in columns]
    if frame.height < _TOTAL_MIN_ROWS + 1 or not numeric:
        return {}
    values = frame.select(ROW, *[number(pl.col(c)).alias(c) for c in numeric])
    sums = values.select(pl.col(numeric).sum()).row(0, named=True)
    given = pl.any_horizontal(pl.col(c).is_not_null() & (pl.col(c) != 0) for c in numeric)
    equal = pl.all_horizontal(
        pl.col(c).is_null() | ((pl.col(c) * 2 - sums[c]).abs() < 1e-6) for c in numeric
    )
    labelled = pl.any_horizontal(
        pl.col(c).str.contains(_TOTAL_LEAD).fill_null(False) for c in columns
    )
    summing = values.filter(given & equal).get_column(ROW)
    rows = frame.filter(pl.col(ROW).is_in(summing.to_list()) & labelled).get_column(ROW)
    return {
        int(row[ROW]): " and ".join(c for c in numeric if row[c] is not None)
        for row in values.filter(pl.col(ROW).is_in(rows.to_list())).iter_rows(named=True)
    }


def _label_cell(row: dict[str, object], columns: list[str], pattern: str) -> str:
    """The first of a row's cells matching ``pattern`` (a totals label), as written."""
    return next(
        str(row[c]) for c in columns if row[c] is not None and re.search(pattern, str(row[c]))
    )


def _totals_problem(file: str, row: int, why: str) -> Problem:
    """The warning naming a totals row left out, and why it reads as one."""
    return Problem(
        "warning",
        "register_totals_row",
        file,
        row,
        None,
        None,
        f"a totals row ({why}): not read, as the rows it sums are (it would count as one "
        "more); delete it from the register",
    )


def _extra_columns(schema: RegisterSchema, names: list[str], file: str) -> list[Problem]:
    known = ", ".join(schema.column_names)
    return [
        Problem(
            "warning",
            "register_extra_column",
            file,
            1,
            c,
            None,
            f"column '{c}' is not part of the {schema.name} register; kept as text. "
            f"Known columns: {known}",
        )
        for c in names
        if c not in schema.column_names
    ]


def _typed(col: Column) -> str:
    return f"{TYPED}{col.name}"


def _flags(col: Column) -> list[tuple[str, pl.Expr, str, pl.Expr, str]]:
    """(code, broken, what, shown, expected) for each thing a cell of ``col`` may get wrong: a
    blank required cell, then each declared check (a cell is named for the first it fails)."""
    src = pl.col(col.name)
    out: list[tuple[str, pl.Expr, str, pl.Expr, str]] = []
    if col.required:
        out.append(("register_blank_value", src.is_null(), "", src, col.expected()))
    for check in checks(col, src, pl.col(_typed(col))):
        broken = src.is_not_null() & check.broken.fill_null(False)
        shown = check.shown if check.shown is not None else src
        expected = check.expected or col.expected()
        out.append((check.code, broken, check.what, shown, expected))
    return out


def _cell_problems(frame: pl.DataFrame, columns: list[Column], file: str) -> list[Problem]:
    """Problems of single cells, per column in declared order: every check is worked out once,
    in one pass; a cell is flagged for the first check of its column it fails; and only the
    flags that fire are looked at row by row."""
    flags = [(col, *flag) for col in columns for flag in _flags(col)]
    if not flags:
        return []
    broken = frame.select(ROW, *[b.alias(f"__b{i}") for i, (_, _, b, _, _, _) in enumerate(flags)])
    marked = broken.select(
        ROW,
        *[
            pl.all_horizontal(
                pl.col(f"__b{i}"),
                *[~pl.col(f"__b{j}") for j in range(i) if flags[j][0] is flags[i][0]],
            ).alias(f"__f{i}")
            for i in range(len(flags))
        ],
    )
    fired = marked.select(pl.col(f"__f{i}").any() for i in range(len(flags))).row(0)
    out: list[Problem] = []
    for i, (col, code, _, what, shown, expected) in enumerate(flags):
        if not fired[i]:
            continue
        bad = frame.filter(marked.get_column(f"__f{i}")).select(ROW, shown.alias("__shown"))
        if code == "register_blank_value":
            found = (
                Problem(
                    "error",
                    code,
                    file,
                    int(r),
                    col.name,
                    None,
                    f"{col.name} must not be blank (expected {expected})",
                )
                for r, _ in bad.iter_rows()
            )
        else:
            found = (
                Problem(
                    "error",
                    code,
                    file,
                    int(r),
                    col.name,
                    v,
                    f"{col.name}: {what} '{v}' (expected {expected})",
                )
                for r, v in bad.iter_rows()
            )
        out += _capped(found, bad.height, file, col.name)
    return out


def _capped(
    problems: Iterator[Problem] | Iterable[Problem], total: int, file: str, column: str
) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_COLUMN problems, then one summary error."""
    out: list[Problem] = []
    for p in problems:
        if len(out) == MAX_PROBLEMS_PER_COLUMN:
            out.append(
                Problem(
                    "error",
                    p.code,
                    file,
                    None,
                    column,
                    None,
                    f"... and {total - MAX_PROBLEMS_PER_COLUMN} more rows with the "
                    f"same problem in column {column}",
                )
            )
            break
        out.append(p)
    return out


def _text(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def repeated_message(columns: tuple[str, ...], shown: str) -> str:
    """What a value repeating another row's key (or column unique when given) says, in a file's
    problem and in the web's row form alike."""
    label = "+".join(columns)
    return f"{label} '{shown}' appears more than once (expected one row per {label})"


def _duplicate_keys(typed: pl.DataFrame, schema: RegisterSchema, file: str) -> list[Problem]:
    """Errors for rows repeating an earlier row's key or value of a column unique when given (a
    blank repeats freely; the first occurrence is not named); in a register with no key, first
    rows repeating an earlier row in every declared column (a copy would be counted twice: a
    supported accommodation provider's units, a referral's offer), named once, as a copy."""
    out = [] if schema.key else _duplicate_rows(typed, schema, file)
    if not schema.key and schema.unique:
        typed = typed.filter(pl.struct(list(schema.column_names)).is_first_distinct())
    for key in schema.unique_keys:
        out += _repeated(typed, key, file)
    return out


def _repeated(typed: pl.DataFrame, key: tuple[str, ...], file: str) -> list[Problem]:
    """Errors for rows whose ``key`` columns, none blank, repeat an earlier row's, text ignoring
    case (``FC00001`` and ``fc00001`` are one household); a repeat in other letters names the
    row it repeats."""
    folded = pl.struct([_folded(typed, k) for k in key])
    dup = typed.with_columns(
        pl.col(ROW).first().over(folded).alias("__first_row"),
        pl.struct(list(key)).first().over(folded).alias("__first"),
    ).filter(
        folded.is_first_distinct().not_() & pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    )
    label = "+".join(key)
    rows = [
        (int(row[ROW]), _shown(row, key), _shown(row["__first"], key), row["__first_row"])
        for row in dup.iter_rows(named=True)
    ]
    return _capped(
        (
            Problem(
                "error",
                "register_duplicate_id",
                file,
                r,
                label,
                v,
                repeated_message(key, v)
                + ("" if v == first else f": row {f} has '{first}', the same ignoring case"),
            )
            for r, v, first, f in rows
        ),
        len(rows),
        file,
        label,
    )


def _folded(typed: pl.DataFrame, column: str) -> pl.Expr:
    """A key column as compared for repeats: text in lower case, other kinds as they are."""
    col = pl.col(column)
    return col.str.to_lowercase() if typed.schema[column] == pl.Utf8 else col


def _shown(row: dict[str, object], key: tuple[str, ...]) -> str:
    """A row's ``key`` values as a problem shows them."""
    return ", ".join(_text(row[k]) for k in key)


def _duplicate_rows(typed: pl.DataFrame, schema: RegisterSchema, file: str) -> list[Problem]:
    """Errors for rows repeating an earlier row in every declared column, each naming the row
    it copies (for a register with no key)."""
    row = pl.struct(list(schema.column_names))
    named = typed.with_columns(pl.col(ROW).first().over(row).alias("__first_row")).filter(
        ~row.is_first_distinct()
    )
    return _capped(
        (
            Problem(
                "error",
                "register_duplicate_row",
                file,
                int(r),
                None,
                None,
                f"this row repeats row {f} in every column: a copy would be counted twice; "
                "remove one (or make the rows differ)",
            )
            for r, f in named.select(ROW, "__first_row").sort(ROW).iter_rows()
        ),
        named.height,
        file,
        "(row)",
    )


def _broken_rules(typed: pl.DataFrame, schema: RegisterSchema, file: str) -> list[Problem]:
    """Errors for rows breaking a cross-field rule of the declaration, each named at the rule's
    column (a blank date a status needs, the lesser of two values out of order)."""
    out: list[Problem] = []
    for rule in schema.rules:
        bad = typed.filter(rule.broken()).select(ROW, *rule.columns)
        expected = schema.column(rule.column).expected()
        out += _capped(
            (
                Problem(
                    "error",
                    rule.code,
                    file,
                    int(row[ROW]),
                    rule.column,
                    None if row[rule.column] is None else _text(row[rule.column]),
                    rule.explain(row, expected),
                )
                for row in bad.iter_rows(named=True)
            ),
            bad.height,
            file,
            rule.column,
        )
    return out


def unsteady(typed: pl.DataFrame, rules: Iterable[Steady], file: str) -> list[Problem]:
    """Warnings for rows whose value jumps by more than a rule's factor from the year before
    alike in the rule's ``by`` columns (the mean of that year's rows, as they are read; each
    row of the later year judged and named), and, for a rule with ``repeated``, one warning
    for several rows of one year alike in ``by`` (named at the last, naming each: they are
    averaged). A year is never compared with itself. ``typed`` needs ``ROW`` (null: no row to
    name) and the rules' columns (la.toml's population is checked so too)."""
    out: list[Problem] = []
    for rule in rules:
        keys = list(rule.by) or ["__all"]
        given = typed.filter(
            pl.col(rule.year).is_not_null() & pl.col(rule.value).is_not_null()
        ).with_columns(pl.lit(0).alias("__all"))
        years = (
            given.group_by([*keys, rule.year])
            .agg(pl.col(rule.value).mean().alias("__mean"))
            .sort(rule.year)
            .with_columns(
                pl.col("__mean").shift(1).over(keys).alias("__before"),
                pl.col(rule.year).shift(1).over(keys).alias("__year_before"),
            )
        )
        paired = given.join(
            years.drop("__mean"), on=[*keys, rule.year], how="left", nulls_equal=True
        )
        bad = paired.filter(rule.jumped()).sort(ROW)
        out += [
            Problem(
                "warning",
                rule.code,
                file,
                None if row[ROW] is None else int(row[ROW]),
                rule.value,
                _text(row[rule.value]),
                rule.message(
                    (row["__year_before"], row["__before"]),
                    (row[rule.year], row[rule.value]),
                    _group(row, rule.by),
                ),
            )
            for row in bad.iter_rows(named=True)
        ]
        if rule.repeated:
            out += _repeated_years(given, rule, keys, file)
    return out


def _group(row: dict[str, object], by: Iterable[str]) -> str:
    """A row's values of the ``by`` columns given, as a warning names its group."""
    return ", ".join(str(row[b]) for b in by if row[b] is not None)


def _repeated_years(given: pl.DataFrame, rule: Steady, keys: list[str], file: str) -> list[Problem]:
    """The ``repeated`` warnings of ``rule``: several rows of one year alike in ``keys``."""
    groups = (
        given.sort(ROW)
        .group_by([*keys, rule.year], maintain_order=True)
        .agg(pl.col(ROW), pl.col(rule.value))
        .filter(pl.col(ROW).list.len() > 1)
    )
    out = [
        Problem(
            "warning",
            rule.repeated,
            file,
            row[ROW][-1],
            rule.value,
            _text(row[rule.value][-1]),
            rule.repeated_message(row[rule.year], row[ROW], row[rule.value], _group(row, rule.by)),
        )
        for row in groups.iter_rows(named=True)
        if None not in row[ROW]
    ]
    return sorted(out, key=lambda p: p.row or 0)


def implausible(
    typed: pl.DataFrame, rules: Iterable[Ceiling], file: str, named: Iterable[Problem] = ()
) -> list[Problem]:
    """Warnings for rows above the most a row of their kind typically holds (``Ceiling``), one
    for each group of rows alike in the rule's ``by``, at its first such row; rows ``named``
    already by a warning on the same column (a jump from the year before) are left to it."""
    out: list[Problem] = []
    for rule in rules:
        seen = [p.row for p in named if p.column == rule.value and p.row is not None]
        most = pl.col(rule.of).replace_strict(
            dict(rule.most), default=None, return_dtype=pl.Float64
        )
        over = (
            typed.filter((pl.col(rule.value) > most).fill_null(False) & ~pl.col(ROW).is_in(seen))
            .sort(ROW)
            .with_columns(pl.lit(0).alias("__all"))
        )
        groups = over.group_by(list(rule.by) or ["__all"], maintain_order=True).agg(
            pl.col(ROW).first().alias("__first_row"),
            pl.col(rule.year).first().alias("__first_year"),
            pl.col(rule.value).first().alias("__first"),
            pl.col(rule.value).max().alias("__top"),
            pl.len().alias("__n"),
            pl.col(rule.of).first().alias("__kind"),
        )
        out += [
            Problem(
                "warning",
                rule.code,
                file,
                None if row["__first_row"] is None else int(row["__first_row"]),
                rule.value,
                _text(row["__first"]),
                rule.message(
                    str(row["__kind"]),
                    _group(row, rule.by),
                    (row["__first_year"], row["__first"]),
                    int(row["__n"]) - 1,
                    float(row["__top"]),
                ),
            )
            for row in groups.iter_rows(named=True)
        ]
    return sorted(out, key=lambda p: p.row or 0)
