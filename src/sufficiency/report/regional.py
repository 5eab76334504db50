"""The regional sufficiency statement (issue 21): a regional run laid out as a statement.

``regional_statement`` turns a ``region.analysis.RegionalRun`` into the council statement's
``StatementData`` (sections of tables and paragraphs), so the same renderers write its HTML,
PDF, XLSX and JSON (``report.output.write_statement``). Nothing is computed here but the layout
and the regional disclosure step: the needs analysis comes protected by the run (one system of
every council and the region, ``region.needs``); the placement types its region column hides
are hidden in the market, forecast, gap and block contract (``report.protect.hide_categories``
and ``hide_gap``); where children live is protected per council against its total and what its
own outputs hide (``protected_borders``). ``published_run`` is the run's JSON protected the
same way (``sufficiency region --json``). In
publish mode the homes are shown by type only (no provider, no home), and ``check_regional``
is the gate: no small count of children in any table or in the text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.disclosure import (
    SUPPRESSED,
    is_number,
    is_small,
    is_suppressed,
    secondary_suppress,
    threshold_text,
)
from sufficiency.disclosure.audit import DisclosureError, Exposure
from sufficiency.disclosure.linear import protect_sums
from sufficiency.measures.catalogue import Measure
from sufficiency.report.model import Block, Cell, CellKind, Row, Section, StatementData, Table
from sufficiency.report.protect import (
    hide_categories,
    hide_gap,
    prose_exposures,
    scenarios_to_withhold,
)
from sufficiency.report.sections.blocks import paragraph, round1, table_block, year_label
from sufficiency.report.sections.definitions import definition_records

if TYPE_CHECKING:
    from sufficiency.region.analysis import RegionalRun

Mode = Literal["publish", "internal"]
#: The region's column in the side-by-side tables.
REGION_COLUMN = "Region"
#: Where a council's children live, as the table's columns (``region.market.across_borders``).
BORDER_COLUMNS = ("Own area", "Other member councils", "Outside the region", "Not known")


def _type_title(t: str) -> str:
    return PLACEMENT_TYPE_TITLES.get(t, t)


def hidden_types(need: Mapping[str, float], total: Any, small_max: int) -> frozenset[str]:
    """Placement types whose regional count of children is small, plus (the types summing to
    the published total) the next smallest while exactly one is hidden."""
    values: dict[str, Any] = {
        t: SUPPRESSED if is_small(round(n), small_max) else round(n) for t, n in need.items()
    }
    values["_total"] = total

    def hide(key: str) -> None:
        values[key] = SUPPRESSED

    secondary_suppress([(list(need), ["_total"])], values.__getitem__, hide)
    return frozenset(t for t in need if is_suppressed(values[t]))


def _kind(m: Measure | None) -> CellKind:
    if m is None:
        return "number"
    return "rate" if m.unit == "rate" else "money" if m.unit == "money" else "count"


def _part(value: Any, key: str) -> Any:
    """One key of a breakdown or share; a value withheld whole (``"c"``, None) stands for each."""
    return value.get(key) if isinstance(value, Mapping) else value


def _ref(code: str | None, mid: str, at: dt.date, *keys: str) -> str:
    path = ".".join((mid, *keys))
    return f"{code + ':' if code else ''}{path}@{at.isoformat()}"


def needs_section(run: RegionalRun, info: Mapping[str, Measure]) -> Section:
    """Every headline measure per council side by side and for the region."""
    at = run.at
    codes = list(run.councils)
    columns = ["Measure", *(run.councils[c] for c in codes), REGION_COLUMN]
    measures = run.measures.to_json()["measures"]
    rows: list[Row] = []
    breakdowns: list[Block] = []
    for mid, row in measures.items():
        m = info.get(mid)
        title = m.title if m is not None else mid
        values = [*(row["councils"][c] for c in codes), row["region"]]
        owners = [*codes, None]
        maps = [v for v in values if isinstance(v, Mapping)]
        if maps and all("pct" in v for v in maps):
            for key, kind, suffix in (("count", "count", "children"), ("pct", "pct", "%")):
                cells = [
                    Cell(_part(v, key), kind, ref=_ref(o, mid, at, key))  # type: ignore[arg-type]
                    for v, o in zip(values, owners, strict=True)
                ]
                rows.append(Row(f"{title} ({suffix})", cells))
        elif maps:
            keys = list(maps[-1])
            body = [
                Row(
                    _type_title(k) if mid == "cla_by_placement_type" else k.replace("_", " "),
                    [
                        Cell(_part(v, k), "count", ref=_ref(o, mid, at, k))
                        for v, o in zip(values, owners, strict=True)
                    ],
                )
                for k in keys
                if any(_part(v, k) != 0 for v in values)
            ]
            breakdowns.append(
                table_block(
                    Table(f"region-{mid}", title, ["", *columns[1:]], body, definitions=[mid])
                )
            )
        elif all(v is None or isinstance(v, int | float | str) for v in values):
            cells = [
                Cell(v, _kind(m), ref=_ref(o, mid, at)) for v, o in zip(values, owners, strict=True)
            ]
            rows.append(Row(title, cells))
    headline = Table(
        "region-headline",
        f"Headline measures on {at:%-d %B %Y}",
        columns,
        rows,
        caption="Each member council and the region as a whole.",
        definitions=list(measures),
    )
    note = (
        "Counts, breakdowns and shares' parts of the region are the sums of its councils'; rates "
        "per 10,000 are recomputed from the summed counts and populations. Suppression is chosen "
        "for the councils and the region together, so no hidden figure can be worked out from "
        "the region less the other councils."
    )
    return Section(
        "regional_needs",
        "Regional needs analysis",
        [paragraph(note), table_block(headline), *breakdowns],
        part=True,
    )


def market_hidden_types(run: RegionalRun, small_max: int) -> frozenset[str]:
    """Placement types whose regional count of children the run's needs analysis hides (its
    ``cla_by_placement_type`` region column, protected with every council's): the market,
    forecast, gap and block contract hide them too, so a figure reads the same everywhere. A run
    without that measure hides the small ones and the next smallest (``hidden_types``)."""
    return _hidden_in(run, None, small_max)


def _hidden_in(run: RegionalRun, code: str | None, small_max: int) -> frozenset[str]:
    """The placement types the needs analysis hides in a council's column (``code``) or the
    region's."""
    measures = run.measures.to_json()["measures"]
    need = dict(run.looked_after) or {
        t: r["need"] for t, r in (run.market.get("capacity_against_need") or {}).items()
    }
    if "cla_by_placement_type" not in measures:
        return hidden_types(need, measures.get("cla_count", {}).get("region"), small_max)
    row = measures["cla_by_placement_type"]
    column = row["region"] if code is None else row["councils"].get(code)
    if not isinstance(column, Mapping):  # withheld whole
        return frozenset(need)
    return frozenset(t for t, v in column.items() if is_suppressed(v))


def protected_borders(run: RegionalRun, small_max: int | None) -> dict[str, dict[str, Any]]:
    """Where each council's children live as published (``region.market.across_borders`` and
    the members together): protected, with ``small_max``, as one system of the row's sums and
    the council's children looked after (``disclosure.linear.protect``: nothing can be worked
    out), hiding besides what the council's own outputs hide (its own area, not known)."""
    from sufficiency.region.market import OWN_FIGURES

    measures = run.measures.to_json()["measures"]
    totals = measures.get("cla_count", {}).get("councils", {})
    out: dict[str, dict[str, Any]] = {}
    for code, row in run.market["across_borders"].items():
        # the needs tables beside it print some of the row's figures (its own area is its
        # children placed inside its area): those are known, never the complement of another
        printed = {
            key: _council_figure(measures, figure, code) for key, figure in OWN_FIGURES.items()
        }
        members = {f"member:{m}": n for m, n in row["other_members"].items()}
        values: dict[str, int] = {
            "own_area": row["own_area"],
            "other_members_total": sum(members.values()),
            "within_region": row["within_region"],
            "outside_region": row["outside_region"],
            "unknown": row["unknown"],
            "all": row["within_region"] + row["outside_region"] + row["unknown"],
            **members,
        }
        hidden: frozenset[str] = frozenset()
        if small_max is not None:
            forced = run.hidden_by_councils.get(code, frozenset())
            known = frozenset(k for k, v in printed.items() if is_number(v) and v == values[k])
            hidden = _borders_hidden(values, totals.get(code), forced, small_max, known)

        def shown(
            key: str, hidden: frozenset[str] = hidden, values: dict[str, int] = values
        ) -> Any:
            return SUPPRESSED if key in hidden else values[key]

        out[code] = {
            "own_area": shown("own_area"),
            "other_members": {m: shown(f"member:{m}") for m in row["other_members"]},
            "other_members_total": shown("other_members_total"),
            "within_region": shown("within_region"),
            "outside_region": shown("outside_region"),
            "unknown": shown("unknown"),
        }
    return out


def _council_figure(measures: Mapping[str, Any], figure: str, code: str) -> Any:
    """A council's figure as the regional needs tables print it (``cla_by_location.inside``),
    None when they do not."""
    mid, _, key = figure.partition(".")
    column = measures.get(mid, {}).get("councils", {}).get(code)
    return column.get(key) if isinstance(column, Mapping) else None


def _borders_hidden(
    values: Mapping[str, int],
    total: Any,
    forced: frozenset[str],
    small_max: int,
    printed: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """The figures of one council's row to hide: small counts and ``forced``, and what
    ``protect`` adds; the council's children looked after is known when published and equal,
    and ``printed`` figures are known (the needs tables beside it print them)."""
    known = is_number(total) and total == values["all"]
    members = [k for k in values if k.startswith("member:")]
    sums = [
        ("other_members_total", members),
        ("within_region", ["own_area", "other_members_total"]),
        ("all", ["within_region", "outside_region", "unknown"]),
    ]
    return protect_sums(
        values,
        sums,
        small_max,
        hidden=forced,
        known=[*(["all"] if known else []), *sorted(printed - forced)],
        unshown=[] if known else ["all"],
    )


def _homes_by_type(
    by_type: Mapping[str, Mapping[str, Any]], hidden: frozenset[str]
) -> dict[str, dict[str, Any]]:
    """Homes by type as the published statement shows them: no children in homes by type (the
    needs' count of a type less them gives the type's children in no home with a URN, a count
    no output protects), and no homes of a type the needs hide (as many children at least)."""
    return {
        t: {
            **row,
            "children": SUPPRESSED,
            **({"homes": SUPPRESSED, "shared": SUPPRESSED} if t in hidden else {}),
        }
        for t, row in by_type.items()
    }


def _border_row(row: Mapping[str, Any], total: Any) -> dict[str, Any]:
    """A protected ``protected_borders`` row as the statement's table shows it."""
    return {
        BORDER_COLUMNS[0]: row["own_area"],
        BORDER_COLUMNS[1]: row["other_members_total"],
        BORDER_COLUMNS[2]: row["outside_region"],
        BORDER_COLUMNS[3]: row["unknown"],
        "All": total,
    }


def published_run(run: RegionalRun, small_max: int) -> dict[str, Any]:
    """The run's JSON as published (``sufficiency region --json``, suppressed): its needs as the
    run protected them, and its market and outlook as the regional statement shows them: a
    placement type the needs hide is hidden in capacity against need, every forecast, the gap
    and the block contract; where children live as ``protected_borders``."""
    doc = run.to_json()
    hidden = market_hidden_types(run, small_max)
    market = doc["market"]
    market["capacity_against_need"] = {
        t: {
            k: SUPPRESSED if t in hidden and k in ("need", "shortfall") else v for k, v in r.items()
        }
        for t, r in (market.get("capacity_against_need") or {}).items()
    }
    market["across_borders"] = protected_borders(run, small_max)
    # no home by URN: which councils use a home, at what price, is commercially sensitive, and
    # a council's homes of a type are at least as many children of it (they pinned a member's
    # hidden count)
    market["homes"] = []
    market["homes_by_type"] = _homes_by_type(market["homes_by_type"], hidden)
    outlook = doc.get("outlook")
    if outlook is not None:
        councils = {c: _hidden_in(run, c, small_max) for c in run.councils}
        need = outlook["need"]
        need["region"] = hide_categories(need["region"], hidden)
        need["councils"] = {
            c: hide_categories(v, councils.get(c, hidden)) for c, v in need["councils"].items()
        }
        everywhere = hidden.union(*councils.values())
        outlook["scenarios"] = hide_categories(outlook["scenarios"], everywhere)
        plans = run.outlook.plans if run.outlook is not None else ()
        withheld = set(scenarios_to_withhold(plans, everywhere))
        outlook["scenarios"] = {  # less the baseline, it gave a council's hidden count
            n: (hide_categories(v, {t for y in v.values() for t in y}) if n in withheld else v)
            for n, v in (outlook["scenarios"] or {}).items()
        }
        outlook["gap"] = hide_gap(outlook["gap"], hidden)
        outlook["block_contract"] = hide_block(outlook["block_contract"], hidden)
    return doc


def market_section(
    run: RegionalRun, mode: Mode, hidden: frozenset[str], borders: Mapping[str, Any]
) -> Section:
    """One regional market: homes by type (and, internally, by URN), capacity against need, and
    where each council's children live."""
    market = run.market
    blocks: list[Block] = [
        paragraph(
            "The region's homes are every home (by Ofsted URN) in which a member council had a "
            "child on the date; a home used by more than one member is shared. Weekly prices are "
            "the councils' fees for the home, else the provider's, else the placement type's."
        )
    ]
    by_type = market.get("homes_by_type") or {}
    # children in homes are fewer than the needs' children of the type (some have no URN): the
    # difference is a count no output protects, so only the internal version counts them
    columns = ["Placement type", "Homes", "Shared homes", "Mean weekly price"]
    if mode == "internal":
        columns.insert(3, "Children")
    rows = []
    for t, r in by_type.items():
        kept = mode == "internal" or t not in hidden  # as many children at least
        cells = [
            Cell(r["homes"] if kept else SUPPRESSED, "number"),
            Cell(r["shared"] if kept else SUPPRESSED, "number"),
        ]
        if mode == "internal":
            cells.append(Cell(r["children"], "count"))
        rows.append(Row(_type_title(t), [*cells, Cell(r["weekly_cost"], "money")]))
    blocks.append(
        table_block(
            Table(
                "region-homes-by-type",
                "Homes used by the region's councils, by placement type",
                columns,
                rows,
            )
        )
    )
    if mode == "internal":
        codes = run.councils
        urn_rows = [
            Row(
                f"{h['urn']}{' ' + h['name'] if h['name'] else ''}",
                [
                    Cell(_type_title(str(h["placement_type"])), "text"),
                    Cell(", ".join(codes.get(c, c) for c in h["councils"]), "text"),
                    Cell(h["children"], "count"),
                    Cell(
                        "; ".join(
                            f"{c} £{u['weekly_cost']:,.0f}"
                            for c, u in h["councils"].items()
                            if u["weekly_cost"] is not None
                        ),
                        "text",
                    ),
                ],
            )
            for h in market["homes"]
        ]
        blocks.append(
            table_block(
                Table(
                    "region-homes",
                    "Homes by URN: who uses which, at what price",
                    ["Home", "Type", "Councils", "Children", "Weekly price by council"],
                    urn_rows,
                    caption="Internal: provider-level prices are commercially sensitive.",
                )
            )
        )
    else:
        blocks.append(
            paragraph(
                "Homes are shown by type: provider-level prices stay in the internal version."
            )
        )
    cap_rows = []
    for t, r in (market.get("capacity_against_need") or {}).items():
        secret = t in hidden
        cap_rows.append(
            Row(
                _type_title(t),
                [
                    Cell(SUPPRESSED if secret else round(r["need"]), "count"),
                    Cell(r["capacity"], "number"),
                    Cell(SUPPRESSED if secret else r["shortfall"], "number"),
                ],
            )
        )
    blocks.append(
        table_block(
            Table(
                "region-capacity",
                "Regional capacity against need",
                ["Placement type", "Children looked after", "In-house and block places", "Short"],
                cap_rows,
                caption="Children by placement type on the date against the members' in-house "
                "and block-contracted places at the same 31 March.",
            )
        )
    )
    border_rows = [
        Row(run.councils[c], [Cell(v[k], "count") for k in (*BORDER_COLUMNS, "All")])
        for c, v in borders.items()
    ]
    blocks.append(
        table_block(
            Table(
                "region-borders",
                "Where each council's children live",
                ["Council", *BORDER_COLUMNS, "All"],
                border_rows,
                caption="Children looked after on the date by the council area of their home.",
                additive=True,
            )
        )
    )
    return Section("regional_market", "One regional market", blocks, part=True)


def outlook_section(
    forecast_need: Mapping[str, Any] | None,
    gap: Mapping[str, Any] | None,
    block: Mapping[str, Any] | None,
) -> Section:
    """The region's forecast need by type, the regional gap and the block contract."""
    if forecast_need is None or gap is None:
        return Section(
            "regional_outlook",
            "Regional forecast and gap",
            [paragraph("This statement was produced without the forecast.")],
            status="partial",
        )
    years = list(forecast_need)
    types = sorted({t for y in years for t in forecast_need[y]})
    need_rows = [
        Row(_type_title(t), [Cell(round1(forecast_need[y].get(t)), "number") for y in years])
        for t in types
        if any(forecast_need[y].get(t) not in (0, 0.0, None) for y in years)
    ]
    blocks: list[Block] = [
        paragraph(
            "Each council's baseline forecast of children looked after by placement type; the "
            "region's is the sum of the councils' expected numbers (ranges do not add, so none "
            "is given)."
        ),
        table_block(
            Table(
                "region-forecast",
                "Forecast children looked after by placement type, region",
                ["Placement type", *(f"31 March {y}" for y in years)],
                need_rows,
            )
        ),
    ]
    for y in gap.get("years") or []:
        rows = [
            Row(
                _type_title(t),
                [
                    Cell(round1(r.get("need")), "number"),
                    Cell(round1(r.get("capacity")), "number"),
                    Cell(round1(r.get("shortfall")), "number"),
                    Cell(r.get("shortfall_cost"), "money"),
                ],
            )
            for t, r in (y.get("by_type") or {}).items()
        ]
        rows.append(
            Row(
                "Total",
                [
                    Cell(None, "number"),
                    Cell(None, "number"),
                    Cell(round1(y.get("total_shortfall")), "number"),
                    Cell(y.get("total_shortfall_cost"), "money"),
                ],
                total=True,
            )
        )
        blocks.append(
            table_block(
                Table(
                    f"region-gap-{y['year']}",
                    f"Regional gap, 31 March {y['year']}",
                    ["Placement type", "Need", "Capacity", "Short", "Cost of shortfall"],
                    rows,
                    caption=_gap_caption(y),
                )
            )
        )
    if block is not None:
        t = _type_title(str(block["placement_type"]))
        rows = [
            Row(
                str(y["year"]),
                [
                    Cell(y["shortfall"], "number"),
                    Cell(y["places_used"], "number"),
                    Cell(y["spot_cost"], "money"),
                    Cell(y["block_cost"], "money"),
                    Cell(y["saving"], "money"),
                ],
            )
            for y in block["years"]
        ]
        price = block.get("block_weekly_price")
        blocks.append(
            table_block(
                Table(
                    "region-block",
                    f"A regional block contract of {block['places']} places: {t}",
                    ["Year", "Short", "Places used", "Spot cost", "Block cost", "Saving"],
                    rows,
                    caption=(
                        "Places used are the block's places the gap would fill; the block is paid "
                        "for every place, used or not"
                        + (f", at £{price:,.0f} a week." if is_number(price) else ".")
                    ),
                )
            )
        )
    return Section("regional_outlook", "Regional forecast and gap", blocks, part=True)


def _framework_types(year: Mapping[str, Any]) -> list[str]:
    """The titles of the types a year of the regional gap buys through the members' frameworks."""
    by_type = year.get("by_type") or {}
    return [_type_title(t) for t, r in by_type.items() if r.get("framework")]


def _gap_caption(year: Mapping[str, Any]) -> str:
    """How a year of the regional gap buys its places short: through the members' frameworks
    (``region.outlook.regional_frameworks``), at their mean weekly price, else spot."""
    by_type = year.get("by_type") or {}
    deals = [
        _type_title(t)
        + (
            f" (£{price:,.0f} a week)"
            if is_number(price := r.get("framework_weekly_price"))
            else ""
        )
        for t, r in by_type.items()
        if r.get("framework")
    ]
    if not deals:
        return "Places the region would buy spot, priced by the members' costs."
    return (
        "Places the region would buy through the frameworks every member buys them through: "
        + ", ".join(deals)
        + "; the other types spot, priced by the members' costs."
    )


def _key_messages(
    run: RegionalRun, borders: Mapping[str, Mapping[str, Any]], gap: Mapping[str, Any] | None
) -> list[str]:
    measures = run.measures.to_json()["measures"]
    out = []
    cla = measures.get("cla_count", {}).get("region")
    rate = measures.get("cla_rate_per_10k", {}).get("region")
    if is_number(cla):
        out.append(
            f"{cla:,} children were looked after by the region's {len(run.councils)} councils "
            f"on {run.at:%-d %B %Y}"
            + (f" ({rate:,.1f} per 10,000 children)." if is_number(rate) else ".")
        )
    outside: list[Any] = [v.get(BORDER_COLUMNS[2]) for v in borders.values()]
    if outside and all(is_number(v) for v in outside):  # each 0 or above the threshold
        out.append(f"{sum(int(v) for v in outside):,} of them lived outside the region.")
    years = (gap or {}).get("years") or []
    if years and is_number(years[0].get("total_shortfall")):
        y = years[0]
        cost = y.get("total_shortfall_cost")
        how = "through frameworks or spot" if _framework_types(y) else "spot"
        out.append(
            f"By 31 March {y['year']} the region would buy {y['total_shortfall']:,.1f} places "
            + how
            + (f", at £{cost:,.0f} a year." if is_number(cost) else ".")
        )
    return out


def regional_statement(
    run: RegionalRun, mode: Mode, small_max: int, info: Mapping[str, Measure]
) -> StatementData:
    """The regional statement of ``run`` (``mode`` publish needs a suppressed run)."""
    if mode == "publish" and not run.measures.suppressed:
        raise ValueError("a published regional statement needs suppression (no --no-suppress)")
    measures = run.measures.to_json()
    totals = measures["measures"].get("cla_count", {}).get("councils", {})
    hidden = market_hidden_types(run, small_max) if mode == "publish" else frozenset()
    borders = {
        c: _border_row(row, totals.get(c))
        for c, row in protected_borders(run, small_max if mode == "publish" else None).items()
    }
    outlook = None if run.outlook is None else run.outlook.to_json()
    forecast_need = None if outlook is None else hide_categories(outlook["need"]["region"], hidden)
    gap = None if outlook is None else hide_gap(outlook["gap"], hidden)
    block = None if outlook is None else hide_block(outlook["block_contract"], hidden)
    names = ", ".join(run.councils.values())
    intro = Section(
        "introduction",
        "Introduction",
        [
            paragraph(
                f"{run.name} is a regional care co-operative of {len(run.councils)} councils "
                f"({names}). This is their joint assessment of sufficiency on "
                f"{run.at:%-d %B %Y}, from each council's minimised share of its returns and "
                "registers (pseudonymised, month of birth, postcode sectors)."
            ),
            paragraph(
                f"Counts of children from {threshold_text(small_max)} are suppressed and shown "
                "as [c], with further cells where a total would give one away."
                if mode == "publish"
                else "Internal version: provider-level prices are shown. Do not publish."
            ),
        ],
    )
    sections = [
        intro,
        needs_section(run, info),
        market_section(run, mode, hidden, borders),
        outlook_section(forecast_need, gap, block),
    ]
    used = {d for s in sections for t in s.tables() for d in t.definitions}
    return StatementData(
        la_name=run.name,
        la_code="+".join(run.councils),
        year=run.at.year if (run.at.month, run.at.day) <= (3, 31) else run.at.year + 1,
        period_start=dt.date(run.at.year - 1, 4, 1).isoformat(),
        period_end=run.at.isoformat(),
        mode=mode,
        generated=dt.date.today().isoformat(),
        sections=sections,
        key_messages=_key_messages(run, borders, gap),
        measures={year_label(run.at.year): measures},
        definitions=definition_records({k: m for k, m in info.items() if k in used}),
        extras={
            "councils": run.councils,
            "hidden_types": sorted(hidden),
            "across_borders": borders,
            "forecast_need": forecast_need,
            "gap": gap,
            "block_contract": block,
        },
    )


def hide_block(block: Mapping[str, Any] | None, hidden: frozenset[str]) -> dict[str, Any] | None:
    """The block contract with the figures that count a hidden type's children as ``"c"``
    (its shortfall, the places used, and the spot cost and saving made of them)."""
    if block is None:
        return None
    out = dict(block)
    if block["placement_type"] in hidden:
        secret = ("shortfall", "places_used", "spot_cost", "saving")
        out["years"] = [
            {k: SUPPRESSED if k in secret and is_number(v) else v for k, v in y.items()}
            for y in block["years"]
        ]
    return out


def check_regional(data: StatementData, small_max: int) -> None:
    """The regional gate: refuse a publish-mode statement with a small count of children in a
    table's count cell or in its text (``DisclosureError``)."""
    if data.mode != "publish":
        return
    found = prose_exposures(data, small_max)
    for table in data.tables():
        for row in table.rows:
            for cell in row.cells:
                if cell.kind == "count" and is_small(cell.value, small_max):
                    what = f"{table.title}: {row.header}"
                    n = float(cell.value or 0)
                    found.append(Exposure(what, n, n, n, "children"))
    if found:
        raise DisclosureError(found, what=f"{data.la_name} regional statement")


def regional_check(small_max: int) -> Callable[[StatementData], None]:
    """``check_regional`` at the region's threshold, as ``write_statement``'s ``check``."""
    return partial(check_regional, small_max=small_max)
