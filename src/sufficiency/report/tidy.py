"""Tables with nothing to show are left out of every output of the statement.

A table whose every cell is blank or zero ("Sibling groups 0 of 0") tells a reader nothing and
costs a page; a suppressed cell (``[c]``) is something (a small number), so it stays.
"""

from __future__ import annotations

from sufficiency.report.model import Cell, Section, Table


def _shows_something(cell: Cell) -> bool:
    value = cell.value
    if value is None or value == "":
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0
    return True


def is_empty(table: Table) -> bool:
    """True when no cell of the table shows a figure, a suppressed figure or text."""
    return not any(_shows_something(c) for row in table.rows for c in row.cells)


def drop_empty_tables(sections: list[Section]) -> None:
    """Leave out the tables with nothing to show (``is_empty``), in place."""
    for section in sections:
        section.blocks = [b for b in section.blocks if b.table is None or not is_empty(b.table)]
