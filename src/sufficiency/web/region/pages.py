"""What the regional pages show, from the library: the regional statement's own tables (its
needs analysis with the regional disclosure control, and its market), the members' offered
vacancies, and a referral matched across the region. Laid out as plain dicts (cells' display
text and CSV values), cached per region version and data version (``web.page_cache``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.matching.referral import Referral
from sufficiency.report.model import (
    Cell,
    Row,
    StatementData,
    Table,
    download_value,
    fmt_value,
)
from sufficiency.web import page_cache
from sufficiency.web.region.source import Loaded

if TYPE_CHECKING:
    from sufficiency.region.analysis import RegionalRun

#: The published statement's market tables the market page shows (homes by URN is the internal
#: statement's: provider-level prices, for the regional team only).
MARKET_TABLES = ("region-homes-by-type", "region-capacity", "region-borders")
HOMES_BY_URN = "region-homes"
#: Numeric cell kinds (right-aligned).
NUMERIC = frozenset({"count", "pct", "rate", "money", "number", "miles"})


def table_dict(table: Table) -> dict[str, Any]:
    """A statement table as the page and its CSV download show it."""
    return {
        "id": table.id,
        "title": table.title,
        "caption": table.caption,
        "columns": list(table.columns),
        "headers": [
            {
                "text": h,
                "numeric": i > 0 and any(r.cells[i - 1].kind in NUMERIC for r in table.rows),
            }
            for i, h in enumerate(table.columns)
        ],
        "rows": [
            {
                "header": row.header,
                "total": row.total,
                "cells": [
                    {
                        "text": fmt_value(c),
                        "ref": c.ref or "",
                        "numeric": c.kind in NUMERIC,
                        "suppressed": c.suppressed,
                        "csv": download_value(c),
                    }
                    for c in row.cells
                ],
            }
            for row in table.rows
        ],
    }


def _section_tables(data: StatementData, section: str) -> list[Table]:
    return [t for s in data.sections if s.id == section for t in s.tables()]


def _published(loaded: Loaded, forecast: bool) -> tuple[RegionalRun, StatementData, int] | str:
    """The loaded region's protected run (with the outlook when ``forecast``), its published
    regional statement and threshold; or why there is none."""
    from sufficiency.disclosure.audit import DisclosureError
    from sufficiency.region.analysis import analyse, threshold
    from sufficiency.report.public import public_catalogue
    from sufficiency.report.regional import regional_statement
    from sufficiency.report.sources import catalogue_info

    region = loaded.region
    small = threshold(region)
    try:
        run = analyse(region, suppress=True, forecast=forecast)
    except DisclosureError as exc:
        return f"No safe suppression of the region's figures exists: {exc}"
    except ValueError as exc:  # a member's returns the forecast cannot use
        return f"The region's figures cannot be made: {exc}"
    published = regional_statement(run, "publish", small, public_catalogue(catalogue_info()))
    return run, published, small


def _compute(loaded: Loaded) -> dict[str, Any]:
    from sufficiency.report.regional import regional_statement
    from sufficiency.report.sources import catalogue_info

    found = _published(loaded, forecast=False)
    if isinstance(found, str):
        return {"error": found}
    run, published, small = found
    internal = regional_statement(run, "internal", small, catalogue_info())
    market = [t for t in _section_tables(published, "regional_market") if t.id in MARKET_TABLES]
    market += [t for t in _section_tables(internal, "regional_market") if t.id == HOMES_BY_URN]
    return {
        "error": "",
        "at": run.at,
        "threshold": small,
        "needs": [table_dict(t) for t in _section_tables(published, "regional_needs")],
        "market": [table_dict(t) for t in market],
    }


def region_tables(loaded: Loaded) -> dict[str, Any]:
    """The needs and market tables of the loaded region (computed once per version)."""
    return page_cache.cached(("region tables", loaded.version), lambda: _compute(loaded))


def summary(loaded: Loaded) -> dict[str, Any]:
    """The region's name, members (name, source, what each offers the pool), date, threshold."""
    from sufficiency.region.analysis import default_date, threshold

    region = loaded.region
    return {
        "name": region.config.name,
        "at": default_date(region),
        "threshold": threshold(region),
        "members": [
            {
                "code": m.code,
                "name": region.councils[m.code].profile.name,
                "source": "share" if m.share is not None else "data folder",
                "pool": ", ".join(k.replace("_", " ") for k in m.pool) or "nothing",
            }
            for m in region.config.members
        ],
    }


#: The vacancy pool's columns: heading and the register column shown.
POOL_COLUMNS = (
    ("Vacancy", "vacancy_id"),
    ("Provider kind", "provider_kind"),
    ("Placement type", "placement_type"),
    ("Places", "places"),
    ("Available from", "available_from"),
    ("Ages", "ages"),
    ("Postcode sector", "postcode"),
    ("Contract", "contract"),
    ("Weekly cost", "weekly_cost"),
)


def pool_table(loaded: Loaded) -> dict[str, Any]:
    """Every vacancy a member offers the region (``region.pool.offered``), as a page table."""
    from sufficiency.region.pool import offered

    region = loaded.region
    rows: list[dict[str, Any]] = []
    for m in region.config.members:
        frame = offered(region.councils[m.code], m.pool)
        if frame is None:
            continue
        for r in frame.iter_rows(named=True):
            low, high = r.get("age_min"), r.get("age_max")
            shown = {
                **r,
                "placement_type": PLACEMENT_TYPE_TITLES.get(
                    str(r.get("placement_type")), r.get("placement_type")
                ),
                "ages": f"{'' if low is None else low}–{'' if high is None else high}",
                "provider_kind": str(r.get("provider_kind") or "").replace("_", " "),
            }
            values = ["" if shown.get(c) is None else shown[c] for _, c in POOL_COLUMNS]
            cells = [{"text": str(v), "csv": v, "numeric": False, "ref": ""} for v in values[1:]]
            rows.append({"header": str(values[0]), "total": False, "cells": cells})
    columns = [h for h, _ in POOL_COLUMNS]
    return {
        "id": "region-pool",
        "title": f"Vacancies offered to the region ({len(rows)})",
        "caption": "",
        "columns": columns,
        "headers": [{"text": h, "numeric": False} for h in columns],
        "rows": rows,
    }


def match(loaded: Loaded, council: str, referral: Referral) -> dict[str, Any]:
    """The referral of ``council`` matched across the region's pool (``region.pool``): ranked
    options with their reasons, and the excluded vacancies with the rule and reason."""
    from sufficiency.region.pool import match_in_region

    region = loaded.region
    offers = {m.code: m.pool for m in region.config.members}
    result: dict[str, Any] = match_in_region(region.councils, offers, council, referral).to_json(
        top=10
    )
    names = {c: ds.profile.name for c, ds in region.councils.items()}
    for o in result["options"]:
        o["council"] = names.get(str(o["vacancy_id"]).split("/")[0], "")
        o["type_title"] = PLACEMENT_TYPE_TITLES.get(
            o.get("placement_type", ""), o.get("placement_type", "")
        )
    for e in result["excluded"]:
        e["council"] = names.get(str(e["vacancy_id"]).split("/")[0], "")
    return result


def _withheld(value: Any) -> frozenset[str] | None:
    """The placement types a council's (or the region's) protected ``cla_by_placement_type``
    shows as ``[c]``; None when the breakdown is withheld whole."""
    from sufficiency.disclosure import is_suppressed

    if not isinstance(value, dict):
        return None if is_suppressed(value) or value is None else frozenset()
    return frozenset(t for t, v in value.items() if is_suppressed(v))


def _hidden_need(need: dict[str, Any], hide: frozenset[str] | None) -> dict[str, Any]:
    """A need's JSON (year -> type -> expectation) with the types in ``hide`` as ``"c"``
    (every type when ``hide`` is None: the council's breakdown was withheld whole)."""
    from sufficiency.report.protect import hide_categories

    types = {t for by_type in need.values() for t in by_type}
    return hide_categories(need, types if hide is None else hide) or {}


def forecast_tables(
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
    from sufficiency.report.regional import REGION_COLUMN
    from sufficiency.report.sections.blocks import round1

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


def _compute_outlook(loaded: Loaded) -> dict[str, Any]:
    found = _published(loaded, forecast=True)
    if isinstance(found, str):
        return {"error": found}
    run, published, small = found
    assert run.outlook is not None  # forecast=True
    outlook = run.outlook.to_json()
    counts = run.measures.to_json()["measures"].get("cla_by_placement_type", {})
    hidden = frozenset(published.extras["hidden_types"])
    forecasts = forecast_tables(outlook, run.councils, hidden, counts)
    statement = [
        t for t in _section_tables(published, "regional_outlook") if t.id != "region-forecast"
    ]
    return {
        "error": "",
        "at": run.at,
        "threshold": small,
        "years": list(outlook["need"]["region"]),
        "hidden": sorted(hidden),
        "forecast": [table_dict(t) for t in forecasts],
        "gap": [table_dict(t) for t in statement if t.id.startswith("region-gap-")],
        "block": [table_dict(t) for t in statement if t.id == "region-block"],
    }


def outlook_tables(loaded: Loaded) -> dict[str, Any]:
    """The loaded region's forecast need (each council's and the region's), regional gap and
    block contract, as the published regional statement protects them (computed once per
    region version and data version: the forecast takes a while)."""
    return page_cache.cached(("region outlook", loaded.version), lambda: _compute_outlook(loaded))
