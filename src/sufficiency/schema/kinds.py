"""What each column kind means as Polars expressions: reading a cell's text into a typed value,
the checks a cell must pass (each with its stable problem code) and writing a typed value back as
canonical text (ISO dates, yyyy-mm months, yes/no, ``;``-joined lists).

One home for these rules: ingest checks files with them, the web forms check a row with them
(through ingest), the Dataset conforms hand-made frames with them and the codec writes with them,
so a value reads, checks and writes the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import polars as pl

from sufficiency.codes import ONS_RECODED
from sufficiency.dates import date_from_text
from sufficiency.geo.postcodes import DISTRICT_RE, FULL_RE, SECTOR_RE, normalise_postcode
from sufficiency.schema.columns import Column, DateSpan

#: A leading apostrophe that an export put before a formula-like cell (sufficiency.cells).
FORMULA_GUARD = r"^'([=+\-@\t\r])"
#: Control characters no text of a register means (tab, line ends kept).
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
#: What Excel makes of a long numeric id (1000000 -> 1.00E+06).
SCIENTIFIC = r"^[0-9]+(\.[0-9]+)?[eE][+\-]?[0-9]+$"
URN_RE = r"^[A-Z0-9]{1,10}$"  # letters and digits only: SC123456, 123456
#: A number written with commas between its thousands (after '£' and spaces are dropped).
_GROUPED = r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
#: A month as yyyy-mm (or yyyy-m).
_YEAR_MONTH = r"^(\d{4})-(\d{1,2})$"
_TRUE = ("yes", "y", "true", "t", "1")
_FALSE = ("no", "n", "false", "f", "0")


#: Spaces and hyphens in a name, read as one underscore (``canonical_name``).
_NAME_GAPS = r"[\s\-]+"


def canonical_name(value: str) -> str:
    """A column name or enumeration value as declared: trimmed, lower case, spaces and hyphens
    as underscores (``Approval Types`` -> ``approval_types``)."""
    return re.sub(_NAME_GAPS, "_", value.strip().lower())


def clean(src: pl.Expr) -> pl.Expr:
    """Cell text as a value: control characters (a vertical tab or U+0001 pasted from Excel,
    invisible, and an error in the statement's HTML) as spaces, trimmed, an export's
    formula-guard apostrophe removed, blank null."""
    text = src.str.replace_all(CONTROL, " ").str.strip_chars()
    return text.str.replace(FORMULA_GUARD, "${1}").replace("", None).cast(pl.Utf8)


def _stray_comma(src: pl.Expr) -> pl.Expr:
    """True for cell text with a comma that does not separate thousands (``520,50``,
    ``1.520,00``: a decimal comma, as European-set Excel writes numbers): dropping it would read
    another number."""
    text = src.str.replace_all(r"[£\s]", "")
    return text.str.contains(",", literal=True) & ~text.str.contains(_GROUPED)


#: Money written with a dot before exactly three final digits (after '£', spaces and commas are
#: dropped): ``7.078``, ``12.500``, ``1.234.567``. Pounds have at most two decimals, so this is a
#: European thousands dot; read as a decimal it would be £7.08, a thousandth of the amount.
_THOUSANDS_DOT = r"\.\d{3}$"


def _thousands_dot(src: pl.Expr) -> pl.Expr:
    """True for money cell text whose dot separates thousands (:data:`_THOUSANDS_DOT`)."""
    return src.str.replace_all(r"[£,\s]", "").str.contains(_THOUSANDS_DOT)


def number(src: pl.Expr) -> pl.Expr:
    """Cell text as a float ('£', spaces and commas between thousands ignored); null when not a
    number (a comma elsewhere included: :func:`_stray_comma`)."""
    value = src.str.replace_all(r"[£,\s]", "").cast(pl.Float64, strict=False)
    return pl.when(~_stray_comma(src)).then(value)


def _outside(col: Column, value: pl.Expr) -> pl.Expr:
    low = pl.lit(False) if col.low is None else value < col.low
    high = pl.lit(False) if col.high is None else value > col.high
    return low | high


def canonical_name_expr(src: pl.Expr) -> pl.Expr:
    """:func:`canonical_name` as an expression (``src`` is already trimmed)."""
    return src.str.to_lowercase().str.replace_all(_NAME_GAPS, "_")


def _enum_key(src: pl.Expr, col: Column) -> pl.Expr:
    mapping = {canonical_name(v): v for v in col.values}
    return canonical_name_expr(src).replace_strict(mapping, default=None, return_dtype=pl.Utf8)


def _items(src: pl.Expr) -> pl.Expr:
    return src.str.split(";").list.eval(pl.element().str.strip_chars().filter(pl.element() != ""))


def _postcode(src: pl.Expr) -> pl.Expr:
    norm = normalise_postcode(src)
    shaped = (
        norm.str.replace_all(" ", "", literal=True).str.contains(FULL_RE)
        | norm.str.contains(SECTOR_RE)
        | norm.str.contains(DISTRICT_RE)
    )
    return pl.when(shaped).then(norm)


@cache
def council_codes() -> tuple[str, ...]:
    """Every English council's ONS code, current or former, and the postcode directory's code of
    a council the ONS recoded: the codes ``published.areas.resolve_la`` knows a council by, so
    the codes la.toml's ``code`` is checked against (``ingest.profile_file``). All have the
    shape E06, E08, E09 or E10 and six digits."""
    from sufficiency.published.areas import all_las

    codes = {c for la in all_las() for c in (la.code, *la.former_codes)}
    return tuple(sorted(codes | {ons for ons, dfe in ONS_RECODED.items() if dfe in codes}))


def _council(src: pl.Expr) -> pl.Expr:
    """A council code as written (``e06000019``, `` E06000019 ``) in upper case without spaces;
    null when no council has it."""
    tidy = src.str.to_uppercase().str.replace_all(r"\s", "")
    return pl.when(tidy.is_in(council_codes())).then(tidy)


def parse(col: Column, src: pl.Expr) -> pl.Expr:
    """The typed value of cleaned cell text ``src`` (see :func:`clean`): null when the cell is
    blank or fails any of :func:`checks`."""
    kind = col.kind
    if kind in ("integer", "decimal"):
        n = number(src)
        ok = n.is_finite() & ~_outside(col, n)
        for check in _separator_checks(col, src):
            ok = ok & ~check.broken.fill_null(False)
        if kind == "integer":
            return pl.when(ok & (n == n.round(0))).then(n).cast(pl.Int64)
        return pl.when(ok).then(n)
    if kind == "date":
        return date_from_text(src)
    if kind == "month":  # yyyy-mm, mm/yyyy, or a date (its month)
        return pl.coalesce(
            pl.when(src.str.contains(_YEAR_MONTH)).then(
                date_from_text(src.str.replace(_YEAR_MONTH, "01/${2}/${1}"))
            ),
            pl.when(src.str.contains(r"^\d{1,2}/\d{4}$")).then(date_from_text("01/" + src)),
            date_from_text(src).dt.truncate("1mo"),
        )
    if kind == "yes_no":
        low = src.str.to_lowercase()
        return pl.when(low.is_in(_TRUE)).then(True).when(low.is_in(_FALSE)).then(False)
    if kind == "enum":
        return _enum_key(src, col)
    if kind in ("enum_list", "text_list"):
        items = _items(src)
        if kind == "enum_list":
            mapping = {canonical_name(v): v for v in col.values}
            items = items.list.eval(
                canonical_name_expr(pl.element()).replace_strict(
                    mapping, default=None, return_dtype=pl.Utf8
                )
            )
        return pl.when(items.list.len() > 0).then(items)
    if kind == "postcode":
        return _postcode(src)
    if kind == "urn":
        tidy = src.str.to_uppercase().str.replace_all(r"\s", "")
        return pl.when(tidy.str.contains(URN_RE)).then(tidy)
    if kind == "council":
        return _council(src)
    return src


@dataclass(frozen=True)
class Check:
    """One thing a non-blank cell must satisfy: rows where ``broken`` is true get a problem
    ``code`` saying ``what`` is wrong, showing ``shown`` (the cell text unless given)."""

    code: str
    broken: pl.Expr
    what: str
    shown: pl.Expr | None = None
    #: What a valid cell looks like, when not the column's ``expected()``.
    expected: str | None = None


def _separator_checks(col: Column, src: pl.Expr) -> list[Check]:
    """The checks that a number's separators read as written: no decimal comma (any number),
    no thousands dot (money). Dropping or reading either would give another number silently."""
    out = [
        Check(
            "register_bad_number",
            _stray_comma(src),
            "a comma that does not separate thousands (a decimal comma?)",
        )
    ]
    if col.money:
        out.append(
            Check(
                "register_bad_number",
                _thousands_dot(src),
                "a dot before three digits (a thousands separator?)",
                expected="pounds with at most two decimals, e.g. 7078 or 7078.00 for £7,078; "
                + col.expected(),
            )
        )
    return out


def checks(col: Column, src: pl.Expr, value: pl.Expr | None = None) -> list[Check]:
    """The checks of a non-blank cleaned cell ``src``, in order: a cell is named for the first
    it fails. ``value`` is ``parse(col, src)`` when the caller has it worked out already (a
    register's typed column), so that a date is not read again for each of its checks."""
    kind = col.kind
    value = parse(col, src) if value is None else value
    out: list[Check] = []
    if kind in ("integer", "decimal"):
        out += _separator_checks(col, src)
    if kind == "integer":
        n = number(src)
        whole = n.is_not_null() & n.is_finite() & (n == n.round(0))
        out.append(Check("register_bad_number", ~whole.fill_null(False), "not a whole number"))
        out.append(Check("register_out_of_range", _outside(col, n), "outside the allowed range"))
    elif kind == "decimal":
        n = number(src)
        out.append(Check("register_bad_number", n.is_null(), "not a number"))
        out.append(Check("register_bad_number", ~n.is_finite(), "not a finite number"))
        out.append(Check("register_out_of_range", _outside(col, n), "outside the allowed range"))
    elif kind in ("date", "month"):
        out.append(Check("register_bad_date", value.is_null(), f"not a {kind}"))
        if col.span is not None:
            out.append(_plausible(col.span, kind, value))
    elif kind == "yes_no":
        out.append(Check("register_bad_value", value.is_null(), "not yes/no"))
    elif kind == "enum":
        out.append(Check("register_unknown_value", value.is_null(), "unknown value"))
    elif kind == "enum_list":
        mapped = _items(src).list.eval(
            pl.element().filter(
                canonical_name_expr(pl.element())
                .is_in([canonical_name(v) for v in col.values])
                .not_()
            )
        )
        out.append(
            Check(
                "register_unknown_value",
                mapped.list.len() > 0,
                "unknown value",
                mapped.list.join("; "),
            )
        )
    elif kind == "postcode":
        out.append(Check("register_bad_postcode", value.is_null(), "not a postcode"))
    elif kind == "urn":
        out.append(Check("register_bad_urn", value.is_null(), "not an Ofsted URN"))
    elif kind == "council":
        out.append(Check("register_unknown_council", value.is_null(), "not a council's code"))
    elif kind == "id":
        out.append(
            Check(
                "register_bad_id",
                src.str.contains(SCIENTIFIC),
                "a number Excel has turned into scientific notation",
            )
        )
    longest = col.max_length
    if longest is not None and kind in ("text", "id", "enum_list", "text_list"):
        out.append(
            Check(
                "register_too_long",
                src.str.len_chars() > longest,
                f"longer than {longest} characters",
                src.str.slice(0, 30) + "...",
            )
        )
    return out


def _plausible(span: DateSpan, kind: str, value: pl.Expr) -> Check:
    """The check that a date (or month, as its first day) is within ``span``, checked today."""
    first, last = span.bounds(dt.date.today())
    shown = "%m/%Y" if kind == "month" else "%d/%m/%Y"
    return Check(
        "register_out_of_range",
        (value < first) | (value > last),
        f"a {kind} outside the plausible range",
        expected=f"a {kind} {span.text()}, {first:{shown}} to {last:{shown}}",
    )


def to_text(col: Column, value: pl.Expr) -> pl.Expr:
    """A typed value as canonical text (null stays null): ISO dates, yyyy-mm months, yes/no,
    ``;``-joined lists, numbers as Polars writes them (shortest text that reads back equal)."""
    kind = col.kind
    if kind == "date":
        return value.dt.strftime("%Y-%m-%d")
    if kind == "month":
        return value.dt.strftime("%Y-%m")
    if kind == "yes_no":
        return pl.when(value).then(pl.lit("yes")).when(value.not_()).then(pl.lit("no"))
    if kind in ("enum_list", "text_list"):
        return value.list.join(";")
    return value.cast(pl.Utf8)
