"""``docs/registers.md``, generated from the register declarations so the two cannot drift.

Regenerate with ``python -m sufficiency.ingest.registers.docs docs/registers.md`` (a test checks
the file is current).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sufficiency.schema import REGISTERS, Column
from sufficiency.schema.registers import WEEKLY_COST_TOP

INTRO = """# Registers

Registers live in `DATA/registers/` as CSV (UTF-8, UTF-16 or Windows-1252; comma-separated, or
`;`, tab or `|` when the header row uses it) or XLSX (the first sheet holding its header, a
visible sheet before a hidden one), with a header row. The file
name is the register name (`carers.csv`, `homes.xlsx`, ...). Column names are matched ignoring
case, with spaces or hyphens read as underscores. Dates are dd/mm/yyyy or yyyy-mm-dd (a time
after it is ignored), with four-digit years from 1900 to 2100 (`31/03/26` is not a date); months
yyyy-mm (or mm/yyyy, or a date); yes/no columns also accept true/false, y/n and 1/0; lists are
`;`-separated (or `,`-separated when a cell holds no `;`); numbers may carry `£` and commas between thousands (`1,050.50`), but no other
comma: a decimal comma (`520,50`, as European-set Excel writes numbers) is an error, never read
as 52050; in a column of pounds, a dot before three final digits (`7.078`, a thousands dot) is an
error too, never read as £7.08. Enumerations are matched ignoring case, with spaces or hyphens
read as underscores (`Requires improvement` = `requires_improvement`).

Exports (the web's CSV and XLSX downloads, `synth`) write the same canonical form: ISO dates,
yyyy-mm months, `yes`/`no`, `;`-joined lists, every declared column in order; text that a
spreadsheet would run as a formula starts with an apostrophe, which reading removes.

Errors (the load stops, exit 1), each naming the file, the row as a spreadsheet shows it (header
= row 1), the column, the value and what was expected:

| code | what |
|---|---|
| `register_unreadable` | not a CSV or XLSX file (binary, damaged, a web page a browser saved instead of the file, a zip archive to unzip) |
| `long_row` | a row has more cells than the header names columns (as in a return) |
| `header_not_first` | lines above the header hold values like a row of the register (they would be lost): put the header first (as in a return) |
| `truncated_row` | the file ends in a row with too few cells and no line end: it was cut off (as in a return) |
| `register_unnamed_column` | a column has values but no name in the header |
| `register_duplicate_column` | a column name is given twice |
| `register_duplicate_file` | a register is given twice (`.csv` and `.xlsx`) |
| `register_missing_column` | a required column is missing |
| `register_blank_value` | a value that must be filled is blank, or a date its row's status needs (a `deregistered` carer's `deregistered_date`) |
| `register_bad_number` | not a (whole) number, not finite (NaN, inf), with a comma that does not separate thousands, or pounds with a thousands dot (`7.078`) |
| `population_disagrees` | a year's under-18 population given differently by `population` and la.toml |
| `register_out_of_range` | a number outside the column's range, or a date outside the dates it can plausibly hold (the table's range: an approval in 2099 or 1900 reads as a date but is mistyped) |
| `register_bad_date` | not a date or month |
| `register_bad_value` | not yes/no |
| `register_unknown_value` | a value (or list item) not in the column's allowed values |
| `register_bad_postcode` | not a postcode (full, sector or district) |
| `register_bad_urn` | not an Ofsted URN |
| `register_unknown_council` | not an English council's ONS code, current or former, as la.toml's `code` is checked (read in upper case, spaces dropped: `e06000019` is `E06000019`; a district's code, a name or `E6000019` is refused) |
| `register_bad_id` | an id Excel has turned into scientific notation (`1.00E+06`) |
| `register_too_long` | text longer than the column holds |
| `formula_without_value`, `excel_error`, `merged_cells` | an XLSX cell reads blank: a formula never calculated, an Excel error value (`#N/A`, `#REF!`), or merged cells (as in a return) |
| `percent_cell` | an XLSX number formatted as a percentage (shows 50%, holds 0.5, which is what would be read): type the number as the column means it, e.g. a target of 70 for 70 per cent |
| `register_duplicate_id` | a key that must be unique, or a value of a column unique when given, appears again (text ignoring case: `FC00001` and `fc00001` are one id) |
| `register_duplicate_row` | in a register with no key, a row repeats an earlier row in every column (a copy would be counted twice) |
| `register_age_range` | `age_min` above `age_max` |
| `register_over_capacity` | more occupied than there are places |
| `register_date_order` | two dates out of order |

Warnings: `register_unknown` (a file that is not a register), `register_extra_column` (kept as
text), `register_blank` (a blank file: the register is treated as not supplied),
`register_no_rows` (a header line but no rows: read as the council having none, so every
count from the register is 0; if it has any, the file lost its rows: export it again),
`register_delimiter` (columns separated by something other than commas; read that way; a first
line `sep=;`, as Excel writes it, names the separator and is not the header),
`header_not_first` (a title or blank lines above the header, the first line among the top 20
naming a column the register needs: skipped, rows numbered as a spreadsheet shows them),
`short_row` and `blank_row` (as in a return: missing cells read as blank; blank rows skipped),
`repeated_header` (a row repeating the header line, as when two files are joined: skipped),
`register_totals_row` (a totals row, as a spreadsheet adds under its rows: skipped, not counted
as one more; a row with a cell holding only `Total`, `Totals`, `Grand total`, `Subtotal`,
`Sub total`, `Overall total` or `Sum`, or with a cell starting as such a label does, `Total
units`, `All providers`, whose every number is the sum of the other rows' (at least two),
which names the columns; a provider named `Total Care Ltd` is a provider),
`register_unknown_children` (permanence plans naming a `child_id` no return holds, or a
disabled children register none of whose ids is a CHILD of the returns: ids from another
system? those rows count for no child),
`register_unknown_reference` (an outcome whose `referral_id` is in no row of the referrals
register: ids changed on export? such an outcome counts for nothing that needs its referral;
a block or spot contract whose `provider` is in no row of the homes or supported accommodation
registers, compared ignoring case and spacing: its places read as unused and its children as
bought spot),
`target_unknown_measure` and `benchmark_unknown_measure` (from `validate`: a target or a
comparator whose `measure_id` is no measure of the catalogue, with the nearest one: a typo would
show the target as not available), `benchmark_out_of_range` (a comparator no measure of its
kind can take: a negative rate or count, a share over 100),
`mixed_encoding` (UTF-8 and Windows-1252 text in one file: each part read as what it is),
`register_copy_name` (a file named as a second download or a copy, `Carers (1).csv` or
`carers - Copy.csv`: read as that register; with the register's own file too, an error),
`register_other_sheets` (an XLSX with values on more than one sheet: only the register's sheet
is read, the first whose top rows hold its header line, a visible sheet before a hidden one, else
the first visible sheet; a hidden sheet left out, an old copy?, is named as hidden),
`register_unknown_entry` (a folder or other entry in `registers/` that is not a file: not read),
`hidden_rows` (rows Excel hides or filters out: read and counted like the others),
`register_cost_jump` (a weekly cost more than 10 times, or under a tenth of, the year before for
the same placement type, home and provider, the year before read as its rows' mean: entered
annual, or in pence?), `register_cost_implausible` (weekly costs of a placement type, home or
provider above the top of the type's typical range, named once at the first such row, a row
already named as a jump left to it: a whole register entered annual, or in pence, never jumps
from year to year; the tops are {tops}), `register_cost_same_year` (several rows for one
placement type, home and provider in one year, each row named: they are averaged, so a
corrected price added below the old one is blended with it; keep one row per type and year),
`register_council_postcode` (a home whose `local_authority` is not the council of its full
postcode: one is mistyped; the home is counted by its `local_authority`; a blank
`local_authority` takes the council of the postcode, as a placement's postcode gives its
council), `population_jump` (an
under-18 population, in `population` or la.toml, more than 20% up or down on the year before: a
digit lost or added?).

`homes` can also be built from Ofsted's published children's homes list (the file the DfE
SSDA903 validator takes as its lookup) with
`sufficiency.ingest.registers.homes_from_ofsted(path, own_la=CODE)`: each home's local
authority becomes the code of the council running children's services there today (a
district's name gives its county), and the council's own homes (PR1) are marked in-house.
"""


def _required(column: Column) -> str:
    if column.required:
        return "yes"
    return "column" if column.column_required else ""


def _kind(column: Column) -> str:
    """What a cell holds, a date's plausible range included."""
    span = f", {column.span.text()}" if column.span is not None else ""
    return column.expected() + span


def _tops() -> str:
    """The costs register's typical tops in words (``£10,000 for in_house_fostering, ...``)."""
    return ", ".join(f"£{top:,.0f} for {kind}" for kind, top in WEEKLY_COST_TOP.items())


def register_docs() -> str:
    """Markdown documentation of every register declaration."""
    lines = [INTRO.replace("{tops}", _tops())]
    for s in REGISTERS.values():
        lines += [f"## {s.name}", "", s.description, ""]
        if s.key:
            lines += [f"One row per `{'+'.join(s.key)}` (must be unique).", ""]
        lines += [
            f"`{u}` must be unique when given (blank allowed on any number of rows).\n"
            for u in s.unique
        ]
        if s.rules:
            lines += ["Each row: " + "; ".join(r.describe() for r in s.rules) + ".", ""]
        if s.aliases:
            lines += [
                "Also accepted: "
                + ", ".join(f"`{a}` for `{c}`" for a, c in s.aliases.items())
                + ".",
                "",
            ]
        lines += ["| column | required | kind / allowed values | notes |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {_required(c)} | {_kind(c)} | {c.help} |" for c in s.columns]
        lines.append("")
    lines.append(
        "`required`: yes = every row needs a value; column = the column must be there, "
        "blanks allowed."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Write the docs to the path given (``docs/registers.md``), or print them."""
    args = sys.argv[1:] if argv is None else argv
    text = register_docs() + "\n"
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
