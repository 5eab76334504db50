"""Supply measures in the catalogue (theme ``supply``): carers, recruitment, homes, market.

Each measure reads registers through ``ds.register(name)`` and returns None when the register
it needs was not supplied. Dates follow DESIGN.md: a placement is open on D when start <= D and
(end blank or end > D); the period is the year ending on the reference date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from sufficiency.dates import financial_year
from sufficiency.geo.authorities import in_council
from sufficiency.ingest.registers.homes import COUNCIL, with_councils
from sufficiency.measures.catalogue import Share, Value, measure
from sufficiency.measures.common import placements_on
from sufficiency.measures.unit_costs import cost_rows, urn_providers
from sufficiency.schema.provider_names import one_spelling, provider_key
from sufficiency.supply import carers as cr
from sufficiency.supply.capacity import contracts_active_on, homes_open_on

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.measures.catalogue import Period

THEME = "supply"
#: The working column of a provider's name as registers are matched on it (``provider_key``).
_KEY = "__provider_key"
CHILDRENS_HOME_TYPES = ("in_house_residential", "external_residential")
EXTERNAL_TYPES = (
    "ifa",
    "other_public_fostering",
    "external_residential",
    "secure",
    "supported_accommodation",
    "residential_school",
    "parent_and_child",
)


def _now(ds: Dataset, period: Period) -> bool:
    """True when ``period`` ends at the data's end: a register's occupancy columns describe the
    day it was exported, not an earlier year."""
    return period.end >= ds.last_date


def _placements(ds: Dataset) -> pl.DataFrame:
    """Placements of children looked after (agreed short breaks excluded)."""
    return ds.placements.filter(~pl.col("short_break").fill_null(False))


def _with_provider(ds: Dataset, frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``provider`` (``unit_costs.urn_providers`` by URN; 'in_house' for PR1)."""
    lookup = urn_providers(ds).rename({"urn": "URN"})
    frame = frame.join(lookup, on="URN", how="left")
    return frame.with_columns(
        pl.when(pl.col("PLACE_PROVIDER") == "PR1")
        .then(pl.lit("in_house"))
        .otherwise(pl.col("provider"))
        .alias("provider")
    )


def children_in_homes(ds: Dataset, day: dt.date) -> pl.DataFrame:
    """Placements in children's homes (K2/R1) open on ``day``: one per child placed then."""
    return placements_on(ds, day).filter(pl.col("placement_type").is_in(CHILDRENS_HOME_TYPES))


def homes_inside(ds: Dataset, homes: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """The homes register's homes open on ``day`` inside the council's area: by their
    local_authority, else their postcode's council (``ingest.registers.homes``)."""
    open_ = with_councils(homes_open_on(homes, day))
    return open_.filter(in_council(COUNCIL, ds.profile.code)).drop(COUNCIL)


def placed_inside_area(ds: Dataset, homes: pl.DataFrame, day: dt.date) -> pl.Expr:
    """A placement is in a home inside the area: its URN is a home open inside it on ``day``,
    else (a URN of no home open then) its placement's local authority (pl_la) is the council."""
    inside_urns = homes_inside(ds, homes, day).get_column("urn").to_list()
    known_urns = homes_open_on(homes, day).get_column("urn").to_list()
    return pl.col("URN").is_in(inside_urns) | (
        ~pl.col("URN").is_in(known_urns).fill_null(False) & in_council("pl_la", ds.profile.code)
    )


def rated_good(homes: pl.DataFrame) -> pl.Expr:
    """A placement is in a home whose latest Ofsted rating is good or outstanding (by URN)."""
    good = homes.filter(pl.col("rating").is_in(["good", "outstanding"])).get_column("urn")
    return pl.col("URN").is_in(good.to_list())


# ------------------------------------------------------------------------------ carers
@measure(
    "supply_carer_households",
    title="Approved foster carer households",
    theme=THEME,
    unit="count",
    suppress=False,
    source="carers register",
    definition="In-house foster carer households approved at the end of the period "
    "(approved on or before the date, not deregistered by it; Reg 24 and households in "
    "assessment excluded).",
)
def carer_households(ds: Dataset, period: Period) -> Value:
    carers = ds.register("carers")
    return None if carers is None else cr.households_and_places(carers, period.end)[0]


@measure(
    "supply_carer_places",
    title="Approved foster care places",
    theme=THEME,
    unit="count",
    suppress=False,
    source="carers register",
    definition="Approved places (children) of the households counted in supply_carer_households.",
)
def carer_places(ds: Dataset, period: Period) -> Value:
    carers = ds.register("carers")
    return None if carers is None else cr.households_and_places(carers, period.end)[1]


@measure(
    "supply_carer_net_change",
    title="Foster carer households: net gain or loss",
    theme=THEME,
    unit="counts",
    suppress=False,
    source="carers register",
    keys=("start", "approvals", "deregistrations", "end", "net"),
    definition="Approved households at the start and end of the financial year ending at "
    "the period end, approvals and deregistrations in it, and the net change (Hertfordshire: "
    "'net loss of 20 foster carers for 2023/24'). An approval is a household whose "
    "approved_date falls in the year (not in assessment or under Reg 24); a deregistration "
    "one whose deregistered_date falls in it, on or after its approval. Every approved "
    "household counts, connected persons (kinship) included; the recruitment register counts "
    "mainstream recruitment only, and supply_recruitment_funnel reconciles the two.",
)
def carer_net_change(ds: Dataset, period: Period) -> Value:
    carers = ds.register("carers")
    if carers is None:
        return None
    nc = cr.net_change(carers, financial_year(period.end))
    return {k: v for k, v in nc.to_json().items() if k != "year"}


@measure(
    "supply_carer_utilisation",
    title="Foster carer utilisation",
    theme=THEME,
    unit="share",
    source="carers register",
    definition="Occupied places as a share of approved places of approved households at the "
    "period end (occupied from the register's occupied column, which describes the day the "
    "register was exported, so at the data's last 31 March only; otherwise, or when it is "
    "blank throughout, children in in-house fostering placements at the date).",
)
def carer_utilisation(ds: Dataset, period: Period) -> Value:
    carers = ds.register("carers")
    if carers is None:
        return None
    on = cr.approved_on(carers, period.end)
    places = int(on.get_column("places").fill_null(0).sum())
    occ_col = on.get_column("occupied")
    if occ_col.null_count() < on.height and _now(ds, period):  # the register's: now
        occupied = int(occ_col.fill_null(0).sum())
    else:
        occupied = (
            placements_on(ds, period.end)
            .filter(pl.col("placement_type") == "in_house_fostering")
            .height
        )
    return Share(occupied, places)


@measure(
    "supply_carers_by_approval_type",
    title="Approved households by approval type",
    theme=THEME,
    unit="counts",
    suppress=False,
    source="carers register",
    definition="Approved households at the period end with each approval type (a household "
    "with several types counts under each).",
)
def carers_by_approval_type(ds: Dataset, period: Period) -> Value:
    carers = ds.register("carers")
    if carers is None:
        return None
    from sufficiency.ingest.registers import APPROVAL_TYPES

    on = cr.approved_on(carers, period.end).explode("approval_types")
    counts = dict(on.group_by("approval_types").len().iter_rows())
    return {t: int(counts.get(t, 0)) for t in APPROVAL_TYPES}


@measure(
    "supply_reg24",
    title="Regulation 24 temporary approvals and 16-week clocks",
    theme=THEME,
    unit="counts",
    suppress=False,
    source="carers register",
    keys=("open", "within_16_weeks", "over_16_weeks", "started"),
    definition="Connected-person (Reg 24) arrangements open at the period end, split by "
    "whether the 16-week temporary approval has run out, and those started in the period.",
)
def reg24(ds: Dataset, period: Period) -> Value:
    carers = ds.register("carers")
    if carers is None:
        return None
    out: dict[str, int] = dict(cr.reg24_clocks(carers, period.end))
    out["started"] = carers.filter(
        (pl.col("status") == "reg24") & pl.col("reg24_start").is_between(period.start, period.end)
    ).height
    return out


# ------------------------------------------------------------------------------ recruitment
@measure(
    "supply_recruitment_funnel",
    title="Fostering recruitment funnel",
    theme=THEME,
    unit="number",
    suppress=False,
    source="recruitment and carers registers",
    definition="Enquiries, applications, assessments started, approvals and deregistrations "
    "in the months of the period (recruitment register), with each stage as a percentage of "
    "enquiries (Staffordshire: enquiries vs starters). Reconciled with the carers register "
    "over the same months: carers_register_approvals and carers_register_deregistrations "
    "count households as supply_carer_net_change does; of them, the connected-person ones "
    "(approved only as kinship carers, assessed for a particular child rather than "
    "recruited) and the mainstream ones (every other household, short-break carers "
    "included), which are what the recruitment register reports. approvals_difference and "
    "deregistrations_difference are the recruitment register's figure minus the carers "
    "register's mainstream figure: 0 when the registers agree (null without a carers "
    "register).",
)
def recruitment_funnel(ds: Dataset, period: Period) -> Value:
    rec = ds.register("recruitment")
    if rec is None:
        return None
    first = dt.date(period.start.year, period.start.month, 1)
    rows = rec.filter(pl.col("month").is_between(first, period.end))
    totals = {
        s: int(rows.get_column(s).fill_null(0).sum())
        for s in (*cr.FUNNEL_STAGES, "deregistrations")
    }
    enq = totals["enquiries"]
    out: dict[str, int | float | None] = {"months": rows.height, **totals}
    for s in cr.FUNNEL_STAGES[1:]:
        out[f"{s}_per_enquiry_pct"] = round(100.0 * totals[s] / enq, 1) if enq else None
    carers = ds.register("carers")
    flows = None if carers is None else cr.register_flows(carers, first, period.end)
    for flow in ("approvals", "deregistrations"):
        counts = None if flows is None else flows[flow]
        out[f"carers_register_{flow}"] = None if counts is None else counts[0]
        out[f"carers_register_connected_person_{flow}"] = None if counts is None else counts[1]
        out[f"carers_register_mainstream_{flow}"] = None if counts is None else counts[2]
        out[f"{flow}_difference"] = None if counts is None else totals[flow] - counts[2]
    return out


@measure(
    "supply_recruitment_lag",
    title="Enquiry-to-approval lag",
    theme=THEME,
    unit="number",
    suppress=False,
    source="carers and recruitment registers",
    definition="Months from first enquiry to approval for households approved in the period "
    "(carers register enquiry_date), and the lag that best fits the monthly recruitment "
    "series (approvals ~ rate x enquiries k months earlier).",
)
def recruitment_lag(ds: Dataset, period: Period) -> Value:
    carers = ds.register("carers")
    rec = ds.register("recruitment")
    if carers is None and rec is None:
        return None
    out: dict[str, object] = {}
    if carers is not None:
        approved = cr.approvals_between(carers, period.start, period.end)
        out["households"] = cr.lag_distribution(approved)
    if rec is not None:
        lag, rate = cr.estimate_lag(rec.filter(pl.col("month") <= period.end))
        out["series_lag_months"] = lag
        out["series_conversion"] = round(rate, 4)
    return out


# ------------------------------------------------------------------------------ homes
@measure(
    "supply_homes_in_area",
    title="Children's homes in the area vs children placed in them",
    theme=THEME,
    unit="number",
    child_keys=("children_in_homes", "children_placed_inside"),
    derived_keys=("beds_per_child", "share_placed_inside_pct"),
    source="homes register, SSDA903",
    definition="Open children's homes and registered beds inside the council's area (by the "
    "home's local_authority, else the council of its postcode) at the "
    "period end, this council's children in children's homes (K2/R1) then, how many of them "
    "are in homes inside the area (URN in the homes register, else placement postcode), "
    "beds per child and the share placed inside (Staffordshire: 3.5x the beds, 36% used).",
)
def homes_in_area(ds: Dataset, period: Period) -> Value:
    homes = ds.register("homes")
    if homes is None:
        return None
    day = period.end
    inside = homes_inside(ds, homes, day)
    beds = int(inside.get_column("places").fill_null(0).sum())
    children = children_in_homes(ds, day)
    placed_inside = children.filter(placed_inside_area(ds, homes, day)).height
    n = children.height
    return {
        "homes": inside.height,
        "beds": beds,
        "children_in_homes": n,
        "children_placed_inside": placed_inside,
        "beds_per_child": round(beds / n, 1) if n else None,
        "share_placed_inside_pct": round(100.0 * placed_inside / n, 1) if n else None,
    }


@measure(
    "supply_homes_good_or_outstanding",
    title="Children in children's homes rated good or outstanding",
    theme=THEME,
    unit="share",
    source="homes register, SSDA903",
    definition="Children in children's home placements (K2/R1) at the period end whose home "
    "(by URN) has a latest Ofsted rating of good or outstanding, out of all children in "
    "children's homes then (homes not in the register count as not rated).",
)
def homes_good_or_outstanding(ds: Dataset, period: Period) -> Value:
    homes = ds.register("homes")
    if homes is None:
        return None
    children = children_in_homes(ds, period.end)
    return Share(children.filter(rated_good(homes)).height, children.height)


@measure(
    "supply_supported_accommodation",
    title="Supported accommodation units",
    theme=THEME,
    unit="counts",
    suppress=False,
    source="supported_accommodation register",
    keys=("providers", "units", "occupied"),
    child_keys=("occupied",),
    definition="Providers, units and occupied units in the supported accommodation register "
    "(occupied: the young people living there, a count of children, on the day the register "
    "was exported: blank for an earlier year).",
)
def supported_accommodation(ds: Dataset, period: Period) -> Value:
    sa = ds.register("supported_accommodation")
    if sa is None:
        return None
    sa = sa.filter(pl.col("registered_date").is_null() | (pl.col("registered_date") <= period.end))
    return {
        "providers": sa.select(provider_key().n_unique()).item(),
        "units": int(sa.get_column("units").fill_null(0).sum()),
        # the register's young people are those living there now: an earlier year's statement
        # printed them, this year's hidden count, beside a year they do not describe
        "occupied": int(sa.get_column("occupied").fill_null(0).sum()) if _now(ds, period) else None,
    }


# ------------------------------------------------------------------------------ contracts, market
@measure(
    "supply_block_contract_utilisation",
    title="Block contract utilisation",
    theme=THEME,
    unit="share",
    suppress=False,
    source="contracts and homes registers, SSDA903",
    definition="Children placed at the period end with a block-contracted provider (names "
    "compared ignoring case and spacing) in the contract's placement type (up to the places reserved), as a share of block places "
    "reserved by contracts active then.",
)
def block_contract_utilisation(ds: Dataset, period: Period) -> Value:
    contracts = ds.register("contracts")
    if contracts is None:
        return None
    day = period.end
    block = contracts_active_on(contracts, day).filter(pl.col("kind") == "block")
    placed = _with_provider(ds, placements_on(ds, day))
    counts = placed.group_by(provider_key().alias(_KEY), "placement_type").agg(
        pl.col("CHILD").n_unique().alias("children")
    )
    joined = block.with_columns(provider_key().alias(_KEY)).join(
        counts, on=[_KEY, "placement_type"], how="left"
    )
    used = joined.select(
        pl.min_horizontal(pl.col("children").fill_null(0), pl.col("places")).sum()
    ).item()
    return Share(int(used or 0), int(block.get_column("places").fill_null(0).sum()))


@measure(
    "supply_adopters_waiting",
    title="Approved adopters waiting",
    theme=THEME,
    unit="count",
    suppress=False,
    source="adopters register",
    definition="Adopter households approved by the period end and not yet matched, placed "
    "or withdrawn by then.",
)
def adopters_waiting(ds: Dataset, period: Period) -> Value:
    adopters = ds.register("adopters")
    if adopters is None:
        return None
    day = period.end

    def after(col: str) -> pl.Expr:
        return pl.col(col).is_null() | (pl.col(col) > day)

    return adopters.filter(
        (pl.col("approved_date") <= day)
        & after("matched_date")
        & after("placed_date")
        & after("withdrawn_date")
    ).height


@measure(
    "supply_provider_market",
    title="Spend and children by provider",
    theme=THEME,
    unit="table",
    source="homes, supported_accommodation and costs registers, SSDA903",
    definition="For each provider (by URN; 'in_house' for the council's own; 'unknown' "
    "otherwise) of external and in-house placements: children placed during the period, "
    "nights in the period and spend (nights x weekly cost / 7, each placement costed as "
    "spend_by_placement_type states).",
)
def provider_market(ds: Dataset, period: Period) -> Value:
    table = (
        market_placements(ds, period)
        .group_by("provider")
        .agg(
            pl.col("CHILD").n_unique().alias("children"),
            pl.col("nights").sum(),
            pl.col("spend").sum().round(0).alias("spend"),
        )
        .sort("spend", "provider", descending=[True, False])
    )
    return {
        str(p): {"children": int(c), "nights": int(n), "spend": int(s)}
        for p, c, n, s in table.iter_rows()
    }


def market_placements(ds: Dataset, period: Period) -> pl.DataFrame:
    """The costed nights in ``period`` of external and in-house placements with their
    ``provider`` ('unknown' when none is known): CHILD, provider, nights, spend."""
    from sufficiency.measures.costs import costed_nights
    from sufficiency.measures.placements import bed_nights

    nights = costed_nights(ds, period)
    if nights is None:  # no costs register: children and nights only
        nights = (
            bed_nights(ds, period)
            .filter(~pl.col("short_break"))
            .select(
                "CHILD", "placement_type", "PLACE_PROVIDER", pl.col("URN").alias("urn"), "nights"
            )
            .with_columns(pl.lit(None, dtype=pl.Float64).alias("spend"))
        )
    frame = nights.filter(
        pl.col("placement_type").is_in(
            [*EXTERNAL_TYPES, "in_house_fostering", "in_house_residential"]
        )
    ).select("CHILD", "PLACE_PROVIDER", pl.col("urn").alias("URN"), "nights", "spend")
    return _with_provider(ds, frame).with_columns(pl.col("provider").fill_null("unknown"))


@measure(
    "supply_average_fees",
    title="Average weekly fees by provider and year",
    theme=THEME,
    unit="table",
    suppress=False,
    source="costs register",
    definition="Mean weekly_cost of the costs register rows naming a provider (or a home "
    "whose provider is in the homes or supported accommodation register), by provider and "
    "financial year.",
)
def average_fees(ds: Dataset, period: Period) -> Value:
    costs = ds.register("costs")
    if costs is None:
        return None
    rows = cost_rows(costs)
    if rows is None:
        return {}
    # a provider is named as the homes or supported accommodation register writes it
    spellings = (
        urn_providers(ds)
        .select(provider_key().alias(_KEY), pl.col("provider").alias("known"))
        .unique(_KEY, keep="first", maintain_order=True)
    )
    fees = (
        rows.join(urn_providers(ds).rename({"provider": "hp"}), on="urn", how="left")
        .with_columns(pl.coalesce("provider", "hp").alias("provider"))
        .filter(pl.col("provider").is_not_null())
        .with_columns(provider_key().alias(_KEY))
        .join(spellings, on=_KEY, how="left")
        .with_columns(pl.coalesce("known", "provider").alias("provider"))
        .with_columns(one_spelling())
        .group_by("provider", "year")
        .agg(pl.col("weekly_cost").mean())
        .sort("provider", "year")
    )
    out: dict[str, dict[str, float]] = {}
    for p, y, c in fees.iter_rows():
        out.setdefault(str(p), {})[str(y)] = round(float(c), 2)
    return out


@measure(
    "supply_spot_share",
    title="Placements spot-purchased",
    theme=THEME,
    unit="share",
    source="contracts, homes registers, SSDA903",
    definition="External placements (IFA, external children's homes, supported "
    "accommodation, secure, residential school, parent and child, other public fostering) "
    "starting in the period bought neither under a block contract with their provider for "
    "that placement type nor through a framework contract for that placement type (a "
    "framework is a route to many providers), each active at the start, out of all such "
    "placements starting in the period.",
)
def spot_share(ds: Dataset, period: Period) -> Value:
    routes = placement_routes(ds, period)
    if routes is None:
        return None
    return Share(int((routes.get_column("route") == "spot").sum()), routes.height)


@measure(
    "supply_framework_share",
    title="Placements bought through a framework",
    theme=THEME,
    unit="share",
    source="contracts, homes registers, SSDA903",
    definition="External placements starting in the period bought through a framework "
    "contract for their placement type active at the start (and not under a block contract "
    "with their provider), out of all external placements starting in the period.",
)
def framework_share(ds: Dataset, period: Period) -> Value:
    routes = placement_routes(ds, period)
    if routes is None:
        return None
    return Share(int((routes.get_column("route") == "framework").sum()), routes.height)


def placement_routes(ds: Dataset, period: Period) -> pl.DataFrame | None:
    """External placements starting in ``period`` with how each was bought: ``block`` (a block
    contract with its provider for its type), else ``framework`` (a framework contract for its
    type), else ``spot``; None without a contracts register."""
    contracts = ds.register("contracts")
    if contracts is None:
        return None
    starts = _with_provider(
        ds,
        _placements(ds).filter(
            pl.col("start").is_between(period.start, period.end)
            & pl.col("placement_type").is_in(EXTERNAL_TYPES)
            & ~pl.col("temporary").fill_null(False)
        ),
    ).with_row_index("__i")
    active = (pl.col("c_start").is_null() | (pl.col("c_start") <= pl.col("start"))) & (
        pl.col("c_end").is_null() | (pl.col("c_end") >= pl.col("start"))
    )
    deals = contracts.select(
        "kind",
        provider_key().alias(_KEY),
        "placement_type",
        pl.col("start").alias("c_start"),
        pl.col("end").alias("c_end"),
    )
    block = set(
        starts.with_columns(provider_key().alias(_KEY))
        .join(deals.filter(pl.col("kind") == "block"), on=[_KEY, "placement_type"])
        .filter(active)
        .get_column("__i")
        .to_list()
    )
    framework = set(
        starts.join(deals.filter(pl.col("kind") == "framework").drop(_KEY), on="placement_type")
        .filter(active)
        .get_column("__i")
        .to_list()
    )
    route = (
        pl.when(pl.col("__i").is_in(list(block)))
        .then(pl.lit("block"))
        .when(pl.col("__i").is_in(list(framework)))
        .then(pl.lit("framework"))
        .otherwise(pl.lit("spot"))
    )
    return starts.with_columns(route.alias("route"))
