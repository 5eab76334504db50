"""Small-number suppression of measure results (DESIGN.md; the DfE's own convention).

Each typed result hides its own small child counts and what is built on them
(``Result.suppressed``, with the rules of ``sufficiency.disclosure``). Across measures: a rate,
share or average ``based_on`` a suppressed count is hidden with it; a trend point is hidden
when its count (or the count its measure is built on) is, and so is the change into and out of
it; a benchmark row's council figure is hidden when the measure's is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sufficiency.disclosure import SUPPRESSED, is_small
from sufficiency.measures.catalogue import CATALOGUE, Measure
from sufficiency.results import Number, Record, Result, Share


def suppress_result(value: Result, measure: Measure | None) -> Result:
    """One measure's result with its own small counts hidden (measures declared
    ``suppress=False`` count no children and are left as they are, unless they hold
    ``child_keys``)."""
    if measure is not None and not measure.suppress and not measure.child_keys:
        return value
    return value.suppressed()


def _trends(value: Record, out: Mapping[str, Result], cat: Mapping[str, Measure]) -> Record:
    fields: dict[str, Any] = {}
    for mid, series in value.fields.items():
        m = cat.get(mid)
        base = fields.get(m.based_on) if m is not None and m.based_on else None
        new: dict[str, Any] = {}
        prev_hidden = False
        for year, point in series.items():
            v = point.get("value")
            hide = bool(m is not None and m.suppress and m.unit == "count" and is_small(v))
            if base is not None and year in base and base[year].get("value") == SUPPRESSED:
                hide = True
            point = dict(point)
            if hide:
                point["value"] = SUPPRESSED
            if hide or prev_hidden:
                point["change"] = None if point.get("change") is None else SUPPRESSED
            new[year] = point
            prev_hidden = hide
        fields[mid] = new
    return Record(fields, unit=value.unit)


def _benchmarks(value: Record, out: Mapping[str, Result], cat: Mapping[str, Measure]) -> Record:
    fields: dict[str, Any] = {}
    for mid, row in value.fields.items():
        row = dict(row)
        m = cat.get(mid)
        base = m.based_on if m is not None else ""
        if (mid in out and out[mid].hidden) or (base and base in out and out[base].hidden):
            row["la"] = SUPPRESSED
        fields[mid] = row
    return Record(fields, unit=value.unit)


def suppress_results(
    values: Mapping[str, Result], catalogue: Mapping[str, Measure] | None = None
) -> dict[str, Result]:
    """Every measure result suppressed, together (results of one reference date)."""
    cat = CATALOGUE if catalogue is None else catalogue
    out = {mid: suppress_result(v, cat.get(mid)) for mid, v in values.items()}
    for mid, value in list(out.items()):
        m = cat.get(mid)
        if m is None or not m.based_on or m.based_on not in out:
            continue
        if out[m.based_on].hidden and isinstance(value, Share | Number):
            out[mid] = value.hide()
    if isinstance(out.get("trends"), Record):
        out["trends"] = _trends(out["trends"], out, cat)  # type: ignore[arg-type]
    if isinstance(out.get("benchmarks"), Record):
        out["benchmarks"] = _benchmarks(out["benchmarks"], out, cat)  # type: ignore[arg-type]
    return out
