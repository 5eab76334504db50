"""What the regional pages show, from the library: the regional statement's own tables (its
needs analysis with the regional disclosure control, and its market), the members' offered
vacancies, and a referral matched across the region. Laid out as plain dicts (cells' display
text and CSV values), cached per region version and data version (``web.page_cache``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.matching.referral import Referral
from sufficiency.report.model import StatementData, Table, download_value, fmt_value
from sufficiency.report.regional_forecast import council_forecast_tables
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
        published = regional_statement(run, "publish", small, public_catalogue(catalogue_info()))
    except DisclosureError as exc:
        return f"No safe suppression of the region's figures exists: {exc}"
    except ValueError as exc:  # a member's returns the forecast cannot use
        return f"The region's figures cannot be made: {exc}"
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


def _compute_outlook(loaded: Loaded) -> dict[str, Any]:
    found = _published(loaded, forecast=True)
    if isinstance(found, str):
        return {"error": found}
    run, published, small = found
    assert run.outlook is not None  # forecast=True
    outlook = run.outlook.to_json()
    counts = run.measures.to_json()["measures"].get("cla_by_placement_type", {})
    hidden = frozenset(published.extras["hidden_types"])
    forecasts = council_forecast_tables(outlook, run.councils, hidden, counts)
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
