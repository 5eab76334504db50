"""Small-number suppression over measures JSON (DESIGN.md; the DfE's own convention).

Primary: any published count of children from 1 to 4 becomes ``"c"`` (``[c]`` in text), and so
does any percentage, rate or average built on one. Secondary: where a total is published (a
breakdown always sums to a published total - e.g. ``cla_by_age_band`` to ``cla_count``), a
single suppressed cell could be recovered by subtraction, so the next smallest non-zero cell of
that breakdown (row or column of a table) is suppressed too, repeated until no row or column
holds exactly one suppressed cell. Zeros are shown. Pure: takes and returns plain JSON.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sufficiency.measures.catalogue import CATALOGUE, Measure

C = "c"
TEXT_C = "[c]"
#: Units whose plain numbers are never counts of children.
_UNSUPPRESSED_UNITS = ("money", "rate", "number", "days")


def is_small(value: Any) -> bool:
    """True for a count that must not be published: an integer from 1 to 4."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4


def _is_share(value: Any) -> bool:
    return isinstance(value, dict) and {"count", "denominator", "pct"} <= set(value)


def _is_days(value: Any) -> bool:
    return isinstance(value, dict) and "average" in value and "children" in value


def _is_flat_counts(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value.values())
    )


def _is_table(value: Any) -> bool:
    return (
        isinstance(value, dict) and bool(value) and all(_is_flat_counts(v) for v in value.values())
    )


def _secondary(cells: list[tuple[Any, Any]], grid: dict[Any, Any]) -> bool:
    """Given the (row, col) cells of one line that sums to a published total, suppress the next
    smallest non-zero cell when exactly one is suppressed. Returns True when it changed one."""

    def get(cell: tuple[Any, Any]) -> Any:
        r, c = cell
        return grid[r] if c is None else grid[r][c]

    hidden = [cell for cell in cells if get(cell) == C]
    if len(hidden) != 1:
        return False
    shown = [cell for cell in cells if isinstance(get(cell), int) and get(cell) > 0]
    if not shown:
        return False
    r, c = min(shown, key=get)
    if c is None:
        grid[r] = C
    else:
        grid[r][c] = C
    return True


def suppress_counts(value: dict[str, Any]) -> dict[str, Any]:
    """Primary and secondary suppression of one breakdown (a ``total`` key is the total)."""
    out = {k: (C if is_small(v) else v) for k, v in value.items()}
    cells = [(k, None) for k in out if k != "total"]
    _secondary(cells, out)
    return out


def suppress_table(value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Primary suppression of every cell, then secondary along rows and columns to a fixpoint."""
    out = {r: {c: (C if is_small(v) else v) for c, v in row.items()} for r, row in value.items()}
    columns: list[str] = []
    for row in out.values():
        columns += [c for c in row if c not in columns]
    changed = True
    while changed:
        changed = False
        for r, row in out.items():
            changed |= _secondary([(r, c) for c in row], out)
        for c in columns:
            changed |= _secondary([(r, c) for r in out if c in out[r]], out)
    return out


def suppress_share(value: dict[str, Any]) -> dict[str, Any]:
    """A share whose count or denominator is 1-4 loses its count and percentage."""
    out = dict(value)
    if is_small(out.get("count")) or is_small(out.get("denominator")):
        out["count"] = C
        out["pct"] = C
    if is_small(out.get("denominator")):
        out["denominator"] = C
    return out


def suppress_days(value: dict[str, Any]) -> dict[str, Any]:
    """An average over 1-4 children is suppressed with its count (and the 3-year one alike)."""
    out = dict(value)
    for avg, n in (("average", "children"), ("three_year_average", "three_year_children")):
        if is_small(out.get(n)):
            out[n] = C
            out[avg] = C
    return out


def suppress_record(
    value: dict[str, Any], child_keys: tuple[str, ...], derived_keys: tuple[str, ...]
) -> dict[str, Any]:
    """A record of mixed figures: its counts of children 1-4 become "c", and so does every
    figure derived from them (shares, ratios) once any is suppressed."""
    out = dict(value)
    hidden = False
    for key in child_keys:
        if is_small(out.get(key)):
            out[key] = C
            hidden = True
    if hidden:
        for key in derived_keys:
            if key in out and out[key] is not None:
                out[key] = C
    return out


def suppress_value(value: Any, measure: Measure | None) -> Any:
    """Suppress one measure value according to its shape (and unit when known)."""
    unit = measure.unit if measure is not None else None
    if measure is not None and measure.child_keys and isinstance(value, dict):
        return suppress_record(value, measure.child_keys, measure.derived_keys)
    if measure is not None and not measure.suppress:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return C if unit not in _UNSUPPRESSED_UNITS and is_small(value) else value
    if _is_share(value):
        return suppress_share(value)
    if _is_days(value):
        return suppress_days(value)
    if _is_flat_counts(value):
        return suppress_counts(value)
    if _is_table(value):
        return suppress_table(value)
    return value


def _hidden(value: Any) -> bool:
    """True when a (suppressed) measure value hides its headline number."""
    return value == C or (isinstance(value, dict) and value.get("pct") == C)


def _suppress_trends(value: dict[str, Any], catalogue: Mapping[str, Measure]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mid, series in value.items():
        m = catalogue.get(mid)
        base = out.get(m.based_on) if m is not None and m.based_on else None
        new: dict[str, Any] = {}
        prev_hidden = False
        for year, point in series.items():
            v = point.get("value")
            hide = False
            if m is not None and m.suppress and m.unit == "count" and is_small(v):
                hide = True
            if base is not None and year in base and base[year].get("value") == C:
                hide = True
            point = dict(point)
            if hide:
                point["value"] = C
            if hide or prev_hidden:
                point["change"] = None if point.get("change") is None else C
            new[year] = point
            prev_hidden = hide
        out[mid] = new
    return out


def suppress_measures(
    measures: Mapping[str, Any], catalogue: Mapping[str, Measure] | None = None
) -> dict[str, Any]:
    """Suppress every measure value of a ``measures`` mapping (JSON values, ids as keys)."""
    cat = CATALOGUE if catalogue is None else catalogue
    out = {mid: suppress_value(copy.deepcopy(v), cat.get(mid)) for mid, v in measures.items()}
    # Rates, shares and averages built on a suppressed count.
    for mid in list(out):
        m = cat.get(mid)
        if m is None or not m.based_on or m.based_on not in out:
            continue
        if out[m.based_on] == C:
            if _is_share(out[mid]):
                out[mid] = {**out[mid], "count": C, "denominator": C, "pct": C}
            elif out[mid] is not None:
                out[mid] = C
    if isinstance(out.get("trends"), dict):
        out["trends"] = _suppress_trends(out["trends"], cat)
    if isinstance(out.get("benchmarks"), dict):
        bench = {}
        for mid, row in out["benchmarks"].items():
            row = dict(row)
            m = cat.get(mid)
            base = m.based_on if m is not None else ""
            if (mid in out and _hidden(out[mid])) or (base and base in out and _hidden(out[base])):
                row["la"] = C
            bench[mid] = row
        out["benchmarks"] = bench
    return out


def suppress(
    doc: Mapping[str, Any], catalogue: Mapping[str, Measure] | None = None
) -> dict[str, Any]:
    """Suppress a whole ``measures --json`` document (other keys are copied unchanged)."""
    out = {k: copy.deepcopy(v) for k, v in doc.items() if k != "measures"}
    out["measures"] = suppress_measures(doc.get("measures", {}), catalogue)
    return out
