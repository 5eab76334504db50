"""What a reader knows ties the measures together: their figures as one system of linear
relations (``disclosure.linear.System``), for disclosure control across every published table.

Every figure of every typed result becomes a variable named by its reference
(``measure.key@YYYY-MM-DD``, the statement's ``data-ref``); the same quantity under another name
(a trend point, a benchmark's council figure, a year of ``spend_by_year``) is the same variable.
The relations are the definitions the catalogue publishes: breakdowns sum to their totals,
DfE placement groups are sums of placement types, a share's count and the rest make its
denominator, a change is this year less last year. Each is kept only when the data satisfies it
(a relation the data breaks gives a reader nothing). ``SUMS`` lists them; a line there is
"the total = the sum of the parts" (``rest``: the parts are only some of the total, and the rest
is itself a count of children a reader could derive; a rest of none is taken as known, since a
reader who assumes the parts are all of it, as they usually are, would be right).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sufficiency.codes import COMMISSIONED_TYPES
from sufficiency.dates import same_day
from sufficiency.disclosure import is_number
from sufficiency.disclosure.linear import INF, Relation, System, Var
from sufficiency.measures.common import DFE_AGE_BANDS, FINE_AGE_BANDS
from sufficiency.results import Breakdown, Count, Path, Result, Role, Share

Years = Mapping[dt.date, Mapping[str, Result]]


@dataclass(frozen=True)
class Sum:
    """total = sum(parts) (+ a rest that counts children when ``rest``). A pattern is
    ``measure.key.key``: ``*`` matches every key there, ``{k}`` every key and names it, so
    ``cla_by_placement_type.{k}`` = ``placement_type_by_location.{k}.*`` is one line per type."""

    total: tuple[str, ...]
    parts: tuple[str, ...]
    rest: bool = False
    #: Each figure is rounded to within this (money to the pound: 0.5), so the sum only holds
    #: to the rounding of all its figures.
    rounding: float = 0.0
    #: When the data makes it hold, if only in some councils' data (blank: in every council's)
    when: str = ""


def _s(
    total: str | tuple[str, ...],
    *parts: str,
    rest: bool = False,
    rounding: float = 0.0,
    when: str = "",
) -> Sum:
    return Sum((total,) if isinstance(total, str) else total, parts, rest, rounding, when)


def _finer_bands(coarse: str, fine: str) -> tuple[Sum, ...]:
    """Each of ``coarse``'s DfE age bands is the sum of ``fine``'s bands inside it (10-15 is
    10-12 and 13-15; under 1 is under 1)."""

    def inside(lo: int, hi: int | None, band: tuple[str, int, int | None]) -> bool:
        return band[1] >= lo and (hi is None or (band[2] is not None and band[2] <= hi))

    return tuple(
        _s(f"{coarse}.{name}", *(f"{fine}.{b[0]}" for b in FINE_AGE_BANDS if inside(lo, hi, b)))
        for name, lo, hi in DFE_AGE_BANDS
    )


#: The definitions (measures' own docs, DESIGN.md) that tie measures of one date together.
SUMS: tuple[Sum, ...] = (
    # the wider duty (issue 19): disabled children, EHCPs, care leavers to 25, plans, short breaks
    _s("disabled_cla.count", "disabled_cla_by_placement_type.*"),
    _s("ehcp_cla.count", "ehcp_cla_by_need.*"),
    _s("care_leavers_by_age.{k}", "care_leavers_by_age_to_25.{k}"),
    _s("care_leavers_22_25_support.total", "care_leavers_22_25_accommodation.*"),
    _s(
        "care_leavers_22_25_support.total",
        *(f"care_leavers_by_age_to_25.{a}" for a in (22, 23, 24, 25)),
    ),
    _s("reunification_outcomes.total", "permanence_plans_by_type.reunification.children"),
    _s(
        "reunification_outcomes.total",
        *(
            f"reunification_outcomes.{k}"
            for k in ("left_care", "placed_with_parents", "foster_care", "other_placement")
        ),
        "reunification_outcomes.not_in_returns",
    ),
    # a plan's children still looked after are those the returns place on the date
    _s(
        "permanence_plans_by_type.reunification.looked_after",
        "reunification_outcomes.placed_with_parents",
        "reunification_outcomes.foster_care",
        "reunification_outcomes.other_placement",
    ),
    # a plan achieved has ended the child's care; one still looked after has not
    *(
        _s(
            f"permanence_plans_by_type.{plan}.children",
            f"permanence_plans_by_type.{plan}.achieved",
            f"permanence_plans_by_type.{plan}.looked_after",
            rest=True,
        )
        for plan in ("adoption", "sgo", "cao", "reunification")
    ),
    # home finding: the children placed in the year from a referral (those whose referral
    # named the kind of placement wanted, by kind wanted and kind made, are some of them)
    _s("matched_first_time.denominator", "requested_vs_placed.*.*", rest=True),
    _s("requested_foster_placed_residential", "requested_vs_placed.foster.residential"),
    _s("matched_first_time.denominator", "placed_locally.denominator", rest=True),
    _s("supply_spot_share.denominator", "supply_framework_share.denominator"),
    # registers counting the council's children: the young people living in its supported
    # accommodation, and (its occupied column blank) the carers' occupied places, which are
    # then the children in in-house fostering; kept where the data gives the same number
    _s("cla_by_placement_type.supported_accommodation", "supply_supported_accommodation.occupied"),
    _s(
        "cla_by_placement_type.in_house_fostering",
        "supply_carer_utilisation.count",
        when="the carers register's occupied column is blank",
    ),
    *(
        _s(
            f"short_breaks_demand_supply.{{k}}.{f}_assessed",
            f"short_breaks_demand_supply.{{k}}.{f}_agreed",
            f"short_breaks_demand_supply.{{k}}.{f}_unmet",
        )
        for f in ("children", "nights")
    ),
    # demand streams and forecasts (issue 19): the same children under another name, and each
    # stream's year (start + entries = exits + end)
    _s("uasc_forecast.end", "uasc_count"),
    _s("uasc_forecast.entries", "uasc_arrivals"),
    *(
        _s((f"{m}.start", f"{m}.entries"), f"{m}.exits", f"{m}.end")
        for m in ("uasc_forecast", "dolo_orders")
    ),
    _s(
        "short_break_nights_forecast.{k}.children_assessed",
        "short_breaks_demand_supply.{k}.children_assessed",
    ),
    _s("adoption_children_waiting.children_waiting", "adoption_plan_waiting"),
    # every breakdown of the children looked after on the date adds up to them
    *(
        _s("cla_count", f"{m}.*")
        for m in (
            "cla_by_age_band",
            "cla_by_fine_age_band",
            "cla_by_sex",
            "cla_by_ethnicity",
            "cla_by_legal_status",
            "cla_by_category_of_need",
            "cla_by_placement_type",
            "cla_by_national_placement_group",
            "cla_by_provider",
            "cla_by_location",
            "cla_by_distance_band",
            "duration_in_care",
        )
    ),
    _s("cla_count", "cla_by_provider.*", rest=True),
    *_finer_bands("cla_by_age_band", "cla_by_fine_age_band"),
    # placement type x location: its margins are the placement types and the locations
    _s("cla_by_placement_type.{k}", "placement_type_by_location.{k}.*"),
    _s("cla_by_location.{k}", "placement_type_by_location.*.{k}"),
    # DfE placement groups (PLACE codes) against the council's placement types (PLACE x provider)
    _s("cla_by_national_placement_group.foster_placements", "fostering_share.count"),
    _s(
        "cla_by_national_placement_group.foster_placements",
        "cla_by_placement_type.in_house_fostering",
        "cla_by_placement_type.family_and_friends",
        "cla_by_placement_type.ifa",
        "cla_by_placement_type.other_public_fostering",
        rest=True,
    ),
    _s(
        "cla_by_national_placement_group.placed_with_parents",
        "cla_by_placement_type.placed_with_parents",
    ),
    _s(
        "cla_by_national_placement_group.placed_for_adoption",
        "cla_by_placement_type.placed_for_adoption",
    ),
    _s(
        "cla_by_national_placement_group.residential_schools",
        "cla_by_placement_type.residential_school",
    ),
    _s(
        "cla_by_national_placement_group.independent_and_supported_living",
        "cla_by_placement_type.supported_accommodation",
        "cla_by_placement_type.independent_living",
    ),
    _s(
        (
            "cla_by_national_placement_group.secure_and_childrens_homes",
            "cla_by_national_placement_group.other_residential_settings",
        ),
        "cla_by_placement_type.secure",
        "cla_by_placement_type.in_house_residential",
        "cla_by_placement_type.external_residential",
        "cla_by_placement_type.health",
        "cla_by_placement_type.parent_and_child",
        "cla_by_placement_type.custody",
        rest=True,
    ),
    _s(
        "cla_by_national_placement_group.secure_and_childrens_homes",
        "cla_by_placement_type.secure",
        rest=True,
    ),
    _s(
        "cla_by_national_placement_group.secure_and_childrens_homes",
        "cla_by_placement_type.secure",
        "cla_by_placement_type.in_house_residential",
        "cla_by_placement_type.external_residential",
        rest=True,
    ),
    _s(
        "cla_by_national_placement_group.other_placements",
        "cla_by_placement_type.residential_employment",
        rest=True,
    ),
    _s(
        "supply_homes_in_area.children_in_homes",
        "cla_by_placement_type.in_house_residential",
        "cla_by_placement_type.external_residential",
    ),
    _s(
        "supply_homes_in_area.children_in_homes",
        "cla_by_placement_type.in_house_residential",
        "cla_by_placement_type.external_residential",
        "cla_by_placement_type.secure",
    ),
    _s("childrens_home_inside_share.count", "supply_homes_in_area.children_placed_inside"),
    _s("childrens_home_inside_share.denominator", "supply_homes_in_area.children_in_homes"),
    _s("supply_homes_good_or_outstanding.denominator", "supply_homes_in_area.children_in_homes"),
    _s(
        "supply_homes_in_area.children_in_homes",
        "supply_homes_in_area.children_placed_inside",
        rest=True,
    ),
    # shares of all children looked after
    *(
        _s(f"{m}.denominator", "cla_count")
        for m in (
            "uasc_share",
            "fostering_share",
            "placed_outside_la",
            "stability_three_plus",
            "cla_white_british",
            "disabled_cla",
            "ehcp_cla",
            "placed_over_20_miles_outside_la",
        )
    ),
    _s("uasc_share.count", "uasc_count"),
    _s("uasc_count", "uasc_by_age.*"),
    _s("in_house_fostering_share.denominator", "fostering_share.count"),
    _s(
        "in_house_fostering_share.count",
        "cla_by_placement_type.in_house_fostering",
        rest=True,
    ),
    _s(
        "in_house_fostering_share.count",
        "cla_by_placement_type.in_house_fostering",
        "cla_by_placement_type.family_and_friends",
        rest=True,
    ),
    _s("cla_by_ethnicity.white", "cla_white_british.count", rest=True),
    # location and distance
    _s("placed_outside_la.count", "cla_by_location.neighbouring", "cla_by_location.distant"),
    _s("placed_over_100_miles.count", "cla_by_distance_band.100_plus"),
    _s(
        "placed_over_20_miles.count",
        "cla_by_distance_band.over_20_under_100",
        "cla_by_distance_band.100_plus",
    ),
    # children whose distance is not known count in the DfE-style shares' denominators (issue
    # 13); the known-distance shares leave them out: 31 looked after less 27 known are 4 unknown
    _s("cla_count", "placed_over_20_miles.denominator"),
    _s("placed_over_100_miles.denominator", "placed_over_20_miles.denominator"),
    _s("cla_count", "distance_known.denominator"),
    _s(
        "cla_count",
        "placed_over_20_miles_known_distance.denominator",
        "cla_by_distance_band.unknown",
    ),
    _s("placed_over_20_miles_known_distance.denominator", "distance_known.count"),
    _s(
        "placed_over_100_miles_known_distance.denominator",
        "placed_over_20_miles_known_distance.denominator",
    ),
    _s("placed_over_20_miles_known_distance.count", "placed_over_20_miles.count"),
    _s("placed_over_100_miles_known_distance.count", "placed_over_100_miles.count"),
    _s("cla_by_location.distant", "distant_by_age_band.*"),
    # flows in the year
    _s("starts", "starts_by_age_band.*"),
    _s("starts", "uasc_arrivals", rest=True),
    _s("ceased", "reasons_for_leaving.*"),
    _s("ceased", "ceased_by_duration.*"),
    _s("ceased", "ceased_aged_18", rest=True),
    _s("placement_moves", "reasons_for_placement_change.*"),
    _s("adoptions", "reasons_for_leaving.adopted"),
    _s("adoptions", "adoption_a1_days.children"),
    _s("adoptions", "adoption_a2_days.children"),
    _s("adoptions", "adoption_a10_days.children"),  # A10 is A1 adjusted: the same children
    _s("adoption_a1_days.three_year_children", "adoption_a10_days.three_year_children"),
    _s("special_guardianship_orders", "reasons_for_leaving.special_guardianship"),
    # care leavers
    _s(
        "care_leavers_in_touch.denominator",
        "care_leavers_by_age.19",
        "care_leavers_by_age.20",
        "care_leavers_by_age.21",
    ),
    *(
        _s(f"{m}.denominator", "care_leavers_in_touch.denominator")
        for m in (
            "care_leavers_suitable_accommodation",
            "care_leavers_eet",
            "care_leavers_neet",
        )
    ),
    _s(
        "care_leavers_in_touch.denominator",
        "care_leavers_eet.count",
        "care_leavers_neet.count",
        rest=True,
    ),
    # bed nights and spend (magnitudes, protected with the children they are about)
    _s("bed_nights_total", "bed_nights_by_placement_type.*"),
    _s("spend_total", "spend_by_placement_type.*", rounding=0.5),
    # the provider market covers the external and in-house placement types
    *(
        _s(
            f"supply_provider_market.*.{column}",
            *(f"{measure}.{t}" for t in COMMISSIONED_TYPES),
        )
        for column, measure in (
            ("nights", "bed_nights_by_placement_type"),
            ("spend", "spend_by_placement_type"),
        )
    ),
    *(
        _s(
            f"supply_provider_market.*.{column}",
            *(f"{measure}.{t}" for t in COMMISSIONED_TYPES),
            rounding=0.5,
        )
        for column, measure in (("spend", "spend_by_placement_type"),)
    ),
    # the council's own row (PR1) holds its in-house fostering and children's homes, and any
    # other commissioned placement it provides itself (the rest)
    *(
        _s(
            f"supply_provider_market.in_house.{column}",
            f"{measure}.in_house_fostering",
            f"{measure}.in_house_residential",
            rest=True,
            rounding=rounding,
        )
        for column, measure, rounding in (
            ("nights", "bed_nights_by_placement_type", 0.0),
            ("spend", "spend_by_placement_type", 0.5),  # each to the pound
        )
    ),
)

#: Figures worked out from another measure's figure of the same key (scaled by a published
#: ratio, or less a figure shown), hidden whenever it is: (the measure holding them by key, the
#: names they start with there, the measure and name of the figure they come from). The
#: short-break forecast's nights are this year's nights assessed (the demand table's, hidden
#: with the children agreed and unmet beside them) grown with the population.
DERIVED: tuple[tuple[str, tuple[str, ...], tuple[str, str]], ...] = (
    (
        "short_break_nights_forecast",
        ("nights_assessed", "demand_", "shortfall_"),
        ("short_breaks_demand_supply", "nights_assessed"),
    ),
)

#: A figure that is another's a year before: a demand stream's count at the start of the year
#: is its count at the end of the year before.
PREVIOUS: tuple[tuple[str, str], ...] = (
    ("uasc_forecast.start", "uasc_count"),
    ("uasc_forecast.start", "uasc_forecast.end"),
    ("dolo_orders.start", "dolo_orders.end"),
)

#: Stock and flow: children looked after at one year end are those of the year before, plus
#: those who started, less those who ceased (kept only where the data satisfies it exactly).
FLOWS = (("cla_count", "starts", "ceased"),)


def ref(measure_id: str, path: Iterable[str], at: dt.date) -> str:
    """A figure's reference, as the statement's ``data-ref``: ``measure.key.key@YYYY-MM-DD``."""
    return ".".join((measure_id, *path)) + _at(at)


@functools.lru_cache(maxsize=1024)
def _at(day: dt.date) -> str:
    return "@" + day.isoformat()


@functools.lru_cache(maxsize=65536)
def split(reference: str) -> tuple[str, Path, dt.date]:
    """The measure id, path and date of a reference (remembered: the disclosure step splits
    the same references many times)."""
    name, _, day = reference.rpartition("@")
    mid, *path = name.split(".")
    return mid, tuple(path), dt.date.fromisoformat(day)


def _kind(role: Role) -> str | None:
    return {"children": "children", "number": "number", "money": "number"}.get(role)


def alias(
    measure_id: str, path: Path, at: dt.date, results: Mapping[str, Result]
) -> tuple[str, str | None] | None:
    """The reference another result's figure stands for (a trend point is that year's measure,
    a benchmark's council figure is the measure's own, the adoption scorecard's three-year count
    is its indicator's), and its kind; None when the figure is its own."""
    if measure_id == "trends" and len(path) == 3 and path[2] == "value":
        target = results.get(path[0])
        kind = "children" if isinstance(target, Count) and target.children else None
        return ref(path[0], (), same_day(int(path[1]), at)), kind
    if measure_id == "benchmarks" and len(path) == 2 and path[1] == "la":
        target = results.get(path[0])
        if isinstance(target, Share):
            return ref(path[0], ("pct",), at), None
        kind = "children" if isinstance(target, Count) and target.children else None
        return ref(path[0], (), at), kind
    if measure_id == "adoption_scorecard" and len(path) == 2 and path[1] == "three_year_children":
        # the scorecard prints each indicator's three-year count again
        return ref(f"adoption_{path[0].lower()}_days", (path[1],), at), "children"
    if measure_id == "spend_by_year" and len(path) >= 2 and path[1] != "change":
        year = same_day(int(path[0]), at)
        if path[1] == "spend":
            return ref("spend_total", (), year), "number"
        if path[1] == "average_weekly_cost" and len(path) == 3:
            return ref("average_weekly_cost_by_type", (path[2],), year), "number"
    return None


def figures(results: Mapping[str, Result], at: dt.date) -> dict[str, tuple[Any, Role]]:
    """Every figure of one date's results by its own reference (before aliases)."""
    return {
        ref(mid, path, at): (value, role)
        for mid, result in results.items()
        for path, value, role in result.leaves()
    }


def canonical(reference: str, years: Years) -> str:
    """The reference a figure stands for (itself unless it is an alias)."""
    mid, path, at = split(reference)
    found = alias(mid, path, at, years.get(at, {}))
    return found[0] if found else reference


def measure_system(years: Years) -> System:
    """The figures of every date's results and every relation between them that holds."""
    system = System()
    aliases: list[tuple[tuple[str, str | None], Any]] = []
    for at, results in sorted(years.items()):
        for reference, (value, role) in figures(results, at).items():
            mid, path, _ = split(reference)
            found = alias(mid, path, at, results)
            if found is not None:
                aliases.append((found, value))
                continue
            kind = _kind(role)
            if kind is None or not is_number(value):
                continue
            system.add_var(reference, Var(float(value), kind, lower=0.0 if value >= 0 else -INF))  # type: ignore[arg-type]
    for (target, kind), value in aliases:  # aliases only a trend holds (earlier years)
        if kind and is_number(value) and target not in system.vars:
            system.add_var(target, Var(float(value), kind, shown=True))  # type: ignore[arg-type]
    for at, results in sorted(years.items()):
        _relations(system, at, results)
    _changes(system, years)
    _flows(system, years)
    _previous_year(system, years)
    _windows(system, years)
    return system


def _expand(pattern: str, at: dt.date, results: Mapping[str, Result], key: str | None) -> list[str]:
    """The references a pattern names among the results (``{k}`` set to ``key``)."""
    mid, *parts = pattern.split(".")
    result = results.get(mid)
    if result is None:
        return []
    want = tuple(key if p == "{k}" and key is not None else p for p in parts)
    return [ref(mid, path, at) for path in result.numbers_at(want)]


def _keys(pattern: str, results: Mapping[str, Result]) -> list[str]:
    """The keys ``{k}`` takes in a pattern."""
    mid, *parts = pattern.split(".")
    result = results.get(mid)
    if result is None or "{k}" not in parts:
        return []
    i = parts.index("{k}")
    return sorted({path[i] for path, _, _ in result.leaves() if len(path) == len(parts)})


def _relations(system: System, at: dt.date, results: Mapping[str, Result]) -> None:
    for line in SUMS:
        templated = [p for p in (*line.total, *line.parts) if "{k}" in p]
        keys: list[str | None] = [None]
        if templated:
            keys = [*sorted({k for p in templated for k in _keys(p, results)})]
        for key in keys:  # each pattern expanded once (the checks read the same lists)
            totals = [_expand(p, at, results, key) for p in line.total]
            each = [_expand(p, at, results, key) for p in line.parts]
            total = [r for refs in totals for r in refs]
            parts = [r for refs in each for r in refs]
            if not all(totals) or not parts:
                continue
            if any("*" not in p and not refs for p, refs in zip(line.parts, each, strict=True)):
                continue
            _sum(system, total, parts, line.rest, relation_label(line, key, at), line.rounding)
    for mid, result in results.items():
        if isinstance(result, Share):  # count + the rest = denominator (the rest are children)
            count, den = ref(mid, ("count",), at), ref(mid, ("denominator",), at)
            if count in system.vars and den in system.vars:
                _sum(system, [den], [count], True, f"{mid} count and the rest@{at}")
        cells = dict(((p, v) for p, v, _ in result.leaves()))
        # a breakdown with its own total (a record's "total" is not the sum of its other keys:
        # care leavers in touch and suitably housed are the same young people counted twice)
        if isinstance(result, Breakdown) and ("total",) in cells and len(cells) > 1:
            parts = [ref(mid, p, at) for p in cells if p != ("total",) and len(p) == 1]
            _sum(system, [ref(mid, ("total",), at)], parts, False, f"{mid} total@{at}")


def relation_label(line: Sum, key: str | None, at: dt.date) -> str:
    """The label of ``line``'s relation for ``key`` at ``at`` (``{k}`` filled in)."""
    name = " + ".join(line.total).replace("{k}", key or "")
    return f"{name} = sum of {', '.join(line.parts).replace('{k}', key or '')}@{at}"


def _sum(
    system: System,
    total: list[str],
    parts: list[str],
    rest: bool,
    label: str,
    rounding: float = 0.0,
) -> None:
    if any(r not in system.vars for r in (*total, *parts)):
        return
    line = Relation.equal(total, parts, label)
    slack = rounding * len(line.terms)  # figures rounded each: the sum holds to within this
    if not rest:
        system.relate(Relation(line.terms, -slack, slack, label))
        return
    remainder = sum(system.vars[r].value for r in total) - sum(system.vars[r].value for r in parts)
    # the rest of a count of children is one a reader could derive; of nights or spend, a figure
    children = all(system.vars[r].kind == "children" for r in (*total, *parts))
    if remainder < -slack or (children and not float(remainder).is_integer()):
        return
    if remainder <= slack:  # a reader taking the rest to be none (the common case) would be right
        system.relate(Relation(line.terms, -slack, slack, label))
        return
    name = "rest:" + label
    system.add_var(name, Var(remainder, "children" if children else "number", shown=False))
    system.relate(Relation.equal(total, [*parts, name], label))


def _changes(system: System, years: Years) -> None:
    """A published change is this year's figure less the year before's."""
    for at, results in sorted(years.items()):
        trends = results["trends"].to_json() if "trends" in results else None
        for mid, result in results.items():
            if mid not in ("trends", "spend_by_year"):
                continue
            for path, value, _ in result.leaves():
                if is_number(value):
                    _change(system, mid, path, at, value, trends)


def _change(system: System, mid: str, path: Path, at: dt.date, value: Any, trends: Any) -> None:
    """A published change (a trend's, or spend by year's) tied to the two years it is between."""
    if mid == "trends" and len(path) == 3 and path[2] == "change":
        year = int(path[1])
        cur = ref(path[0], (), same_day(year, at))
        prev = _previous(trends, path[0], year, at)
    elif mid == "spend_by_year" and len(path) == 2 and path[1] == "change":
        year = int(path[0])
        cur = ref("spend_total", (), same_day(year, at))
        prev = ref("spend_total", (), same_day(year - 1, at))
    else:
        return
    if prev is None or cur not in system.vars or prev not in system.vars:
        return
    reference = ref(mid, path, at)
    # a change may go either way: a reader who does not see it does not know its sign
    system.vars[reference] = Var(float(value), "number", lower=-INF)
    system.derived[reference] = (cur, prev)
    system.relate(Relation.equal([reference, prev], [cur], f"{reference} = change"))


def _previous(trends: Any, mid: str, year: int, at: dt.date) -> str | None:
    series = trends.get(mid) if isinstance(trends, Mapping) else None
    if not isinstance(series, Mapping):
        return None
    earlier = [int(y) for y in series if re.fullmatch(r"\d{4}", str(y)) and int(y) < year]
    return ref(mid, (), same_day(max(earlier), at)) if earlier else None


#: A three-year figure counts the children of the year ending on the date and of the two before.
WINDOWS = (("three_year_children", "children", 3),)


def _one_figure() -> dict[str, tuple[str, ...]]:
    """Figures ``SUMS`` declares the same figure under other names (a sum of one part and no
    rest: ``adoption_a1_days.children`` is ``adoptions``), each name to the others."""
    out: dict[str, tuple[str, ...]] = {}
    for line in SUMS:
        names = (*line.total, *line.parts)
        if len(names) == 2 and not line.rest and not any("*" in n or "{" in n for n in names):
            for a, b in (names, names[::-1]):
                out[a] = (*out.get(a, ()), b)
    return out


#: ``_one_figure``: a window's earlier year is known by whichever name an output shows it.
SAME_FIGURE = _one_figure()


def _known_as(reference: str, system: System) -> str:
    """The reference the system holds for the figure ``reference`` names: itself, or the same
    figure under another name on the same day (a trend shows an earlier year's adoptions, a
    three-year window names that year's adoption_a1_days.children)."""
    if reference in system.vars:
        return reference
    name, _, day = reference.rpartition("@")
    found = (f"{other}@{day}" for other in SAME_FIGURE.get(name, ()))
    return next((r for r in found if r in system.vars), reference)


def _windows(system: System, years: Years) -> None:
    """A three-year count (the adoption scorecard's) is the sum of the three years' own counts.
    A year before the output's first is a count of children a reader can only derive, one
    figure in every window it is in (worked out from a window where it is the only one)."""
    for whole, part, span in WINDOWS:
        lines: list[tuple[str, list[str], str]] = []
        for at, results in sorted(years.items()):
            for mid, result in results.items():
                cells = {path for path, _, _ in result.leaves()}
                if (whole,) in cells and (part,) in cells:
                    parts = [
                        _known_as(ref(mid, (part,), same_day(at.year - k, at)), system)
                        for k in range(span)
                    ]
                    label = f"{mid}.{whole} = its {span} years' {part}@{at}"
                    lines.append((ref(mid, (whole,), at), parts, label))
        derived: dict[str, float] = {}
        found = True
        while found:
            found = False
            for total, parts, _ in lines:
                missing = [r for r in parts if r not in system.vars and r not in derived]
                if len(missing) == 1 and total in system.vars:
                    rest = system.vars[total].value - sum(
                        system.vars[r].value if r in system.vars else derived[r]
                        for r in parts
                        if r != missing[0]
                    )
                    derived[missing[0]] = rest
                    found = True
        for r, value in derived.items():
            if value >= 0 and float(value).is_integer():
                system.add_var(r, Var(value, "children", shown=False))
        for total, parts, label in lines:
            known = [r for r in parts if r in system.vars]
            _sum(system, [total], known, len(known) < span, label)


def _flows(system: System, years: Years) -> None:
    dates = sorted(years)
    for stock, inflow, outflow in FLOWS:
        for prev, cur in itertools.pairwise(dates):
            refs = [
                ref(stock, (), cur),
                ref(stock, (), prev),
                ref(inflow, (), cur),
                ref(outflow, (), cur),
            ]
            if all(r in system.vars for r in refs):
                system.relate(
                    Relation.equal([refs[0], refs[3]], [refs[1], refs[2]], f"{stock} flow@{cur}")
                )


def _previous_year(system: System, years: Years) -> None:
    """``PREVIOUS``: a figure on one date is the other's on the same day a year before."""
    for at in sorted(years):
        before = same_day(at.year - 1, at)
        for mine, theirs in PREVIOUS:
            now = ref(*_measure_path(mine), at)
            then = ref(*_measure_path(theirs), before)
            if now in system.vars and then in system.vars:
                system.relate(
                    Relation.equal([now], [then], f"{mine}@{at} = {theirs} a year before")
                )


def _measure_path(pattern: str) -> tuple[str, Path]:
    mid, *path = pattern.split(".")
    return mid, tuple(path)
