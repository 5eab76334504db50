"""The regional outlook's forecast need council by council beside the region's, protected as
the published regional statement protects the region's (``report.regional``): a magnitude tied
to a suppressed count goes with it. Tables of the statement model, for the regional web view."""

from __future__ import annotations

from typing import Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.disclosure import is_suppressed
from sufficiency.report.model import Cell, Row, Table
from sufficiency.report.protect import hide_categories
from sufficiency.report.regional import REGION_COLUMN
from sufficiency.report.sections.blocks import round1


def _withheld(value: Any) -> frozenset[str] | None:
    """The placement types a council's (or the region's) protected ``cla_by_placement_type``
    shows as ``[c]``; None when the breakdown is withheld whole."""
    if not isinstance(value, dict):
        return None if is_suppressed(value) or value is None else frozenset()
    return frozenset(t for t, v in value.items() if is_suppressed(v))


def _hidden_need(need: dict[str, Any], hide: frozenset[str] | None) -> dict[str, Any]:
    """A need's JSON (year -> type -> expectation) with the types in ``hide`` as ``"c"``
    (every type when ``hide`` is None: the council's breakdown was withheld whole)."""
    types = {t for by_type in need.values() for t in by_type}
    return hide_categories(need, types if hide is None else hide) or {}


def council_forecast_tables(
    outlook: dict[str, Any],
    names: dict[str, str],
    hidden: frozenset[str],
    placement_counts: dict[str, Any],
) -> list[Table]:
    """Each council's expected children by placement type and the region's combined need, one
    table per 31 March of the horizon (``regional_outlook(...).to_json()["need"]``, the figures
    to one decimal as there). A magnitude tied to a suppressed count goes with it: a type the
    published statement hides for the region (``report.regional.hidden_types``) is ``[c]`` in
    every column, and a council's type whose count the protected needs analysis shows as ``[c]``
    is ``[c]`` in that council's column (the same pattern of cells, so no hidden expectation can
    be worked out from the region less the other councils)."""
    councils = outlook["need"]["councils"]
    codes = list(councils)
    region_hide = hidden | (_withheld(placement_counts.get("region")) or frozenset())
    columns: dict[str, dict[str, Any]] = {}
    for c in codes:
        own = _withheld(placement_counts.get("councils", {}).get(c))
        columns[c] = _hidden_need(councils[c], None if own is None else own | hidden)
    columns[REGION_COLUMN] = _hidden_need(outlook["need"]["region"], region_hide)
    tables = []
    for year in outlook["need"]["region"]:
        types = sorted({t for need in columns.values() for t in need.get(year, {})})
        rows = [
            Row(
                PLACEMENT_TYPE_TITLES.get(t, t),
                [Cell(round1(need.get(year, {}).get(t)), "number") for need in columns.values()],
            )
            for t in types
            if any(need.get(year, {}).get(t) not in (None, 0, 0.0) for need in columns.values())
        ]
        tables.append(
            Table(
                f"region-forecast-{year}",
                f"Forecast children looked after by placement type, 31 March {year}",
                ["Placement type", *(names.get(c, c) for c in codes), REGION_COLUMN],
                rows,
                caption="Expected numbers (the mean of each council's baseline forecast); the "
                "region's is the sum of its councils' (ranges do not add, so none is given). "
                "A dash: the council's forecast has no such placements.",
            )
        )
    return tables
