"""One register column, declared once: its kind, whether it is required, its allowed values or
range, its length limit and its help text. Everything that reads, checks, stores, edits or writes
a register column (ingest, the Dataset, the web models and forms, the codec, synth, the docs)
asks this declaration rather than keeping its own copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from sufficiency.dates import same_day

Kind = Literal[
    "text",
    "id",
    "integer",
    "decimal",
    "date",
    "month",
    "yes_no",
    "enum",
    "enum_list",
    "text_list",
    "postcode",
    "urn",
    "council",
]

#: Kinds held as text in a typed frame (and as text in the database).
TEXT_KINDS: frozenset[str] = frozenset({"text", "id", "enum", "postcode", "urn", "council"})
#: Kinds held as a list of text (``;``-separated in a file).
LIST_KINDS: frozenset[str] = frozenset({"enum_list", "text_list"})
#: Kinds held as numbers.
NUMBER_KINDS: frozenset[str] = frozenset({"integer", "decimal"})

#: The longest value of each text-like kind unless the column says otherwise.
DEFAULT_LENGTH: Mapping[str, int] = {
    "text": 200,
    "id": 40,
    "postcode": 8,
    "urn": 10,
    "council": 9,
    "enum_list": 400,
    "text_list": 400,
}

_DTYPES: Mapping[str, pl.DataType] = {
    "text": pl.Utf8(),
    "id": pl.Utf8(),
    "integer": pl.Int64(),
    "decimal": pl.Float64(),
    "date": pl.Date(),
    "month": pl.Date(),
    "yes_no": pl.Boolean(),
    "enum": pl.Utf8(),
    "enum_list": pl.List(pl.Utf8),
    "text_list": pl.List(pl.Utf8),
    "postcode": pl.Utf8(),
    "urn": pl.Utf8(),
    "council": pl.Utf8(),
}


def _number(value: float) -> str:
    """A range bound as people write it (``0``, ``2026``, ``1,000,000``, ``0.5``)."""
    if not float(value).is_integer():
        return f"{value:,}"
    return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))


@dataclass(frozen=True)
class DateSpan:
    """The dates a date or month column can plausibly hold: from 1 January ``since`` to ``ahead``
    years after the day the value is checked (0: not after today). Anything else reads as a date
    but is a mistyped one (an approval in 2099, a rating in 1900)."""

    since: int
    ahead: int = 0

    def bounds(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The first and last plausible date, checked on ``today``."""
        return dt.date(self.since, 1, 1), same_day(today.year + self.ahead, today)

    def text(self) -> str:
        """The range in words, the same every day (docs, messages)."""
        if self.ahead == 0:
            return f"from {self.since} to today"
        years = "1 year" if self.ahead == 1 else f"{self.ahead} years"
        return f"from {self.since} to {years} after today"


#: Dates of something that has happened (an approval, a deregistration): carers and adopters
#: may have been approved decades ago.
PAST = DateSpan(1950)
#: Past events of the records a service keeps now (a rating, a referral, an assessment).
RECENT = DateSpan(1990)
#: A planned opening, closure or contract start may be a few years ahead.
PLANNED = DateSpan(1950, 5)
#: A vacancy, a referral's need, a placement or a programme starting soon.
SOON = DateSpan(1990, 2)
#: A due date, a target date or a contract's end.
TARGETS = DateSpan(1990, 30)


@dataclass(frozen=True)
class Column:
    """One register column. ``required``: every row needs a value (so the column must be there);
    ``column_required``: the column must be there, blanks allowed. ``low``/``high`` bound numbers
    (inclusive); ``max_length`` bounds text; ``values`` are an enumeration's allowed values."""

    name: str
    kind: Kind
    required: bool = False
    column_required: bool = False
    values: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    low: float | None = None
    high: float | None = None
    length: int | None = None
    help: str = ""
    #: The dates a date or month column can plausibly hold (None for other kinds).
    span: DateSpan | None = None
    #: A decimal column of pounds: at most two decimals, so ``7.078`` is a thousands dot.
    money: bool = False

    @property
    def must_be_present(self) -> bool:
        """Whether a file without this column is refused."""
        return self.required or self.column_required

    @property
    def dtype(self) -> pl.DataType:
        """The Polars dtype of the column in a typed register frame."""
        return _DTYPES[self.kind]

    @property
    def max_length(self) -> int | None:
        """The longest text the column holds (None for numbers, dates and yes/no)."""
        if self.length is not None:
            return self.length
        if self.kind == "enum":
            return max(len(v) for v in self.values)
        return DEFAULT_LENGTH.get(self.kind)

    def label(self, value: str) -> str:
        """How an allowed value is shown to people (web choices)."""
        return self.labels.get(value, value.replace("_", " ").capitalize())

    def range_text(self) -> str:
        """The allowed range of a number as words ('' when unbounded)."""
        if self.low is not None and self.high is not None:
            return f"from {_number(self.low)} to {_number(self.high)}"
        if self.low is not None:
            return f"of {_number(self.low)} or more"
        if self.high is not None:
            return f"of {_number(self.high)} or less"
        return ""

    def expected(self) -> str:
        """What a valid cell looks like, for problem messages, form help and the docs."""
        bounded = f" {self.range_text()}" if self.range_text() else ""
        if self.kind == "integer":
            return f"a whole number{bounded}"
        if self.kind == "decimal":
            return f"a number{bounded}"
        if self.kind == "date":
            return "a date, dd/mm/yyyy or yyyy-mm-dd"
        if self.kind == "month":
            return "a month, yyyy-mm"
        if self.kind == "yes_no":
            return "yes or no"
        if self.kind == "enum":
            return f"one of {', '.join(self.values)}"
        if self.kind == "enum_list":
            return f"';'-separated values from {', '.join(self.values)}"
        if self.kind == "text_list":
            return "';'-separated values"
        if self.kind == "postcode":
            return "a postcode (full, sector or district), e.g. HR1 2HX"
        if self.kind == "urn":
            return "an Ofsted URN (letters and digits), e.g. SC123456"
        if self.kind == "council":
            return (
                "an English council's ONS code, current or former: E06, E08, E09 or E10 and six "
                "digits, e.g. E06000019 (blank: the council of the home's postcode)"
            )
        if self.kind == "id":
            return f"an identifier of up to {self.max_length} characters"
        return f"text of up to {self.max_length} characters"


# ------------------------------------------------------------------ declaring columns briefly
def text(name: str, *, required: bool = False, length: int | None = None, help: str = "") -> Column:
    """Free text (stripped; up to ``length`` characters, 200 by default)."""
    return Column(name, "text", required=required, length=length, help=help)


def ident(
    name: str, *, required: bool = False, length: int | None = None, help: str = ""
) -> Column:
    """An identifier: text (up to 40 characters unless ``length``) that Excel must not have
    turned into a number in scientific notation."""
    return Column(name, "id", required=required, length=length, help=help)


def integer(
    name: str,
    low: int,
    high: int,
    *,
    required: bool = False,
    column_required: bool = False,
    help: str = "",
) -> Column:
    """A whole number from ``low`` to ``high`` (inclusive)."""
    return Column(
        name,
        "integer",
        required=required,
        column_required=column_required,
        low=low,
        high=high,
        help=help,
    )


def decimal(
    name: str, low: float, high: float, *, required: bool = False, help: str = ""
) -> Column:
    """A finite number from ``low`` to ``high`` (inclusive); '£' and thousands commas allowed."""
    return Column(name, "decimal", required=required, low=low, high=high, help=help)


def money(name: str, low: float, high: float, *, required: bool = False, help: str = "") -> Column:
    """An amount in pounds from ``low`` to ``high``: a :func:`decimal` that also refuses a dot
    followed by exactly three digits (``7.078``: a European thousands dot, not pence)."""
    return Column(name, "decimal", required=required, low=low, high=high, help=help, money=True)


def date(name: str, *, required: bool = False, span: DateSpan = PAST, help: str = "") -> Column:
    """A calendar date (ISO or dd/mm/yyyy in a file, ISO when written) within ``span`` (by
    default a past event's: from 1950 to today)."""
    return Column(name, "date", required=required, help=help, span=span)


def month(name: str, *, required: bool = False, span: DateSpan = PAST, help: str = "") -> Column:
    """A calendar month (yyyy-mm), held as its first day, within ``span``."""
    return Column(name, "month", required=required, help=help, span=span)


def yes_no(name: str, *, required: bool = False, help: str = "") -> Column:
    """Yes or no (true/false, y/n, 1/0 also read; written yes/no)."""
    return Column(name, "yes_no", required=required, help=help)


def enum(
    name: str,
    values: Sequence[str],
    *,
    required: bool = False,
    labels: Mapping[str, str] | None = None,
    help: str = "",
) -> Column:
    """One of ``values`` (matched ignoring case, spaces or hyphens read as underscores)."""
    return Column(
        name, "enum", required=required, values=tuple(values), labels=dict(labels or {}), help=help
    )


def enum_list(
    name: str,
    values: Sequence[str],
    *,
    column_required: bool = False,
    labels: Mapping[str, str] | None = None,
    help: str = "",
) -> Column:
    """Several of ``values``, ``;``-separated."""
    return Column(
        name,
        "enum_list",
        column_required=column_required,
        values=tuple(values),
        labels=dict(labels or {}),
        help=help,
    )


def text_list(name: str, *, help: str = "") -> Column:
    """Several free-text items, ``;``-separated."""
    return Column(name, "text_list", help=help)


def postcode(name: str, *, help: str = "") -> Column:
    """A UK postcode, full (HR1 2HX), sector (HR1 2) or district (HR1)."""
    return Column(name, "postcode", help=help)


def urn(name: str, *, required: bool = False, help: str = "") -> Column:
    """An Ofsted unique reference number (SC123456)."""
    return Column(name, "urn", required=required, help=help)


def council(name: str, *, help: str = "") -> Column:
    """An English council's ONS upper-tier code (E06000019), read in upper case and checked
    against the councils la.toml's code is checked against (``kinds.council_codes``)."""
    return Column(name, "council", help=help)
