"""The disclosure step of the statement: every publish-mode output passes through it.

``protect_statement`` chooses what the statement suppresses, across all its tables at once: the
measures of every year it shows (``measures.suppression.protect_years``: small child counts,
the bed nights, spend and costs tied to them, and the further cells that stop a reader working
them out), the provider market by sector instead of by name, and the forecast and gap rows of
every placement type whose count is hidden (plus further rows where a total would give one
away). ``audit_statement`` is the gate: before anything is written it reads the finished
``StatementData`` as a reader would (every number in every table and in the JSON), and
``check_statement`` refuses the output with a ``DisclosureError`` when a small count is shown or
a hidden one can be worked out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sufficiency.disclosure import SMALL_MAX, SUPPRESSED, is_number, is_suppressed
from sufficiency.disclosure.audit import DisclosureError, Exposure, audit
from sufficiency.disclosure.linear import Relation, System, Var, protect
from sufficiency.disclosure.text import small_counts, small_counts_marked_up
from sufficiency.forecast.streams import without_streams
from sufficiency.measures.catalogue import one_run
from sufficiency.measures.identities import Years, alias, canonical, ref, split
from sufficiency.measures.suppression import (
    Protection,
    apply_protection,
    protect_years,
    table_of,
)
from sufficiency.report.providers import (
    MARKET,
    by_sector,
    names_among,
    provider_names,
    provider_sectors,
)
from sufficiency.report.render import render_markdown
from sufficiency.results import Result

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset
    from sufficiency.forecast.scenarios import Scenario
    from sufficiency.report.model import StatementData, Table

#: Forecast and gap figures of a hidden placement type that stay (they count no children).
GAP_KEPT = ("capacity",)
#: The gap's figures of a placement type that are its weekly cost or made with it, and the
#: year's total of them.
GAP_COSTS = ("weekly_cost", "shortfall_cost")
GAP_TOTAL_COST = "total_shortfall_cost"

#: Where the JSON ``extras`` of a publish-mode statement may hold numbers (a path's keys; ``*``
#: any one key, ``[]`` a list's items, a last ``**`` anything below) and what protects them.
#: The gate refuses a number anywhere else: a figure added to the JSON cannot pass without its
#: protection (the gap's demand streams printed the UASC and DoLS counts the statement hid).
EXTRAS_FIGURES: dict[str, str] = {
    "benchmarks.**": "the DfE's published figures of England, the region and the neighbours",
    "weekly_costs.**": "money: the average weekly costs of the placement types shown",
    "forecast.horizon_months": "a setting",
    "forecast.simulations": "a setting",
    **{
        f"forecast.scenarios.*.{part}.**": "the forecast: a hidden placement type's figures "
        "are c (hide_categories), the rest audited as a system (forecast_system)"
        for part in ("at_horizon", "monthly", "yearly", "costs", "trajectory", "targets")
    },
    "gap.years.**": "the gap: a hidden placement type's need and shortfall are c, and the "
    "costs of a type whose weekly cost is hidden (hide_gap)",
    "scenario_gaps.*.years.**": "a scenario's gap, hidden as the baseline's (hide_gap)",
}


@dataclass
class StatementProtection:
    """What the statement hides and the truth the gate audits it against (never written)."""

    protection: Protection
    #: Every shown year's results with the suppressions applied (what the statement lays out).
    years: dict[dt.date, dict[str, Result]]
    #: The raw results by date (the truth behind the figures).
    raw: dict[dt.date, dict[str, Result]]
    forecast: dict[str, Any] | None
    gap: dict[str, Any] | None
    #: Placement types whose forecast and gap figures are hidden.
    categories: frozenset[str]
    #: The forecast's figures as a system (``forecast.<type>@<date>``, ``forecast_costs...``).
    forecast_system: System
    forecast_hidden: frozenset[str]
    provider_names: frozenset[str] = frozenset()
    small_max: int = SMALL_MAX
    known: dict[str, float] = field(default_factory=dict)
    #: Placement types whose average weekly cost is hidden: the forecast's and gap's costs of
    #: them are too (a cost over the expected children gave the weekly cost back).
    costs_hidden: frozenset[str] = frozenset()


def protect_statement(
    ds: Dataset,
    years: Mapping[dt.date, Mapping[str, Result]],
    *,
    context: Mapping[dt.date, Mapping[str, Result]] | None = None,
    forecast: Mapping[str, Any] | None = None,
    gap: Mapping[str, Any] | None = None,
    known: Mapping[str, float] | None = None,
) -> StatementProtection:
    """Decide every suppression of a publish-mode statement (see the module docstring)."""
    small_max = ds.profile.small_count_max
    protection, protected, shown = protect_measures(ds, years, context=context, known=known)
    current = max(shown)
    hidden_types = {
        split(r)[1][0]
        for r in protection.hidden
        if r.startswith("cla_by_placement_type.") and split(r)[2] == current
    }
    system = forecast_system(forecast)
    primary = {
        r
        for r, v in system.vars.items()
        if _category(r) in hidden_types and v.value != 0 and not r.startswith("forecast.total")
    }
    system.sensitive |= primary
    chosen = protect(system, primary, small_max).hidden if primary else frozenset()
    categories = frozenset({c for r in chosen if (c := _category(r)) is not None} | hidden_types)
    final = frozenset(r for r in system.vars if _category(r) in categories)
    costs_hidden = _hidden_keys(protected[current].get("average_weekly_cost_by_type"))
    return StatementProtection(
        protection=protection,
        years=protected,
        raw={at: dict(r) for at, r in shown.items()},
        forecast=hide_costs(hide_categories(without_streams(forecast), categories), costs_hidden),
        gap=hide_gap(gap, categories, costs_hidden),
        categories=categories,
        forecast_system=system,
        forecast_hidden=final,
        provider_names=frozenset(provider_names(ds)),
        small_max=small_max,
        # what a reader has besides: the earlier statements', the DfE's, and ``known`` as given
        known={**protection.known, **(known or {})},
        costs_hidden=costs_hidden,
    )


def _hidden_keys(result: Result | None) -> frozenset[str]:
    """The keys of a breakdown whose figures are hidden."""
    if result is None:
        return frozenset()
    return frozenset(path[0] for path, value, _ in result.leaves() if value == SUPPRESSED)


def protect_measures(
    ds: Dataset,
    years: Mapping[dt.date, Mapping[str, Result]],
    *,
    context: Mapping[dt.date, Mapping[str, Result]] | None = None,
    known: Mapping[str, float] | None = None,
) -> tuple[Protection, dict[dt.date, dict[str, Result]], dict[dt.date, dict[str, Result]]]:
    """The statement's measures protected: the protection, the protected results and the
    results as published before suppression (the provider market by sector). The viewer's
    dashboard shows the same, so a reader of both learns nothing more; an earlier year's
    figures are shown as that year's own statement shows them (``earlier_statements``)."""
    sectors = provider_sectors(ds)
    shown: dict[dt.date, dict[str, Result]] = {
        at: {mid: (by_sector(r, sectors) if mid == MARKET else r) for mid, r in results.items()}
        for at, results in years.items()
    }
    before = earlier_statements(ds, shown)
    around: dict[dt.date, dict[str, Result]] = {at: dict(r) for at, r in before.results.items()}
    for at, results in (context or {}).items():
        for mid, result in results.items():
            around.setdefault(at, {}).setdefault(mid, result)
    protection = protect_years(
        shown,
        ds.profile.small_count_max,
        context=around,
        known={**before.known, **(known or {})},
        extra_hidden=before.hidden,
        la_code=ds.profile.code,
    )
    return protection, apply_protection(shown, protection), shown


@dataclass
class Earlier:
    """What the council's statements of the earlier years shown already publish: their own
    year's measures, the figures they print and the figures they hide (or withhold)."""

    results: dict[dt.date, dict[str, Result]] = field(default_factory=dict)
    known: dict[str, float] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)


def earlier_statements(ds: Dataset, years: Mapping[dt.date, Mapping[str, Result]]) -> Earlier:
    """The published statements of the years before the latest of ``years`` (every 31 March
    among them with a return): a reader holds them beside this output, so a figure one of them
    hides is hidden here too, and one it prints is known (hiding it protects nothing). A year
    whose statement could not be protected published nothing."""
    out = Earlier()
    last = max(years, default=None)
    here = {
        canonical(ref(mid, path, at), years)
        for at, results in years.items()
        for mid, result in results.items()
        for path, _, _ in result.leaves()
    }
    with one_run():  # the earlier statements share the measures of each year they show
        published_by = {
            at: statement_publication(ds, at.year)
            for at in sorted(years)
            if at != last and (at.month, at.day) == (3, 31) and at.year in ds.returns
        }
    for at, published in published_by.items():
        if published is None:
            continue
        protection, results = published
        out.results[at] = {  # a measure it withholds is not shown: no figure of it is known
            mid: r
            for mid, r in results[at].items()
            if f"{mid}@{at.isoformat()}" not in protection.withheld
        }
        # a withheld figure is not shown at all: only this output's showing of it is hidden
        withheld = {r for r in here if table_of(r) in protection.withheld}
        out.hidden |= protection.hidden | withheld
        for r, var in protection.system.vars.items():
            if var.shown and r not in out.hidden and not r.startswith("rest:"):
                out.known.setdefault(r, var.value)
    out.known = {r: v for r, v in out.known.items() if r not in out.hidden}
    return out


def statement_publication(
    ds: Dataset, year: int
) -> tuple[Protection, dict[dt.date, dict[str, Result]]] | None:
    """The protection of the council's statement (and the viewer's dashboard) for ``year`` and
    the results it is made from, worked out once per Dataset; None when no suppression protects
    it (nothing of it is published)."""
    from sufficiency.measures.common import memo

    def build() -> tuple[Protection, dict[dt.date, dict[str, Result]]] | None:
        from sufficiency.report.build import statement_inputs

        shown, context = statement_inputs(ds, year)
        try:
            protection, _, raw = protect_measures(ds, shown, context=context)
        except DisclosureError:
            return None
        return protection, raw

    return memo(ds, _publication_key(year), build)


def _publication_key(year: int) -> tuple[str, int]:
    return ("statement publication", year)


def publication_known(ds: Dataset, year: int) -> bool:
    """Whether ``statement_publication(ds, year)`` is worked out already (and so every earlier
    year's it reads)."""
    from sufficiency.measures.common import memoised

    return memoised(ds, _publication_key(year))


# ------------------------------------------------------------------------------- forecast
def _category(reference: str) -> str | None:
    name = reference.partition("@")[0]
    head, _, cat = name.partition(".")
    if head in ("forecast", "forecast_costs") and cat != "total":
        return cat
    return None


def baseline(forecast: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The baseline scenario of a forecast's JSON (the one the statement shows)."""
    scenarios: Mapping[str, Any] = (forecast or {}).get("scenarios") or {}
    scen: Any = scenarios.get("baseline") or next(iter(scenarios.values()), {})
    return scen if isinstance(scen, Mapping) else {}


def forecast_system(forecast: Mapping[str, Any] | None) -> System:
    """The statement's forecast figures (expected children by type at each year end, costs by
    type and financial year) and their totals, as magnitudes (one child each; a child's cost)."""
    system = System()
    scen = baseline(forecast)
    for point in scen.get("yearly") or []:
        day = str(point.get("date", ""))[:10]
        cats = point.get("by_category") or {}
        total = (point.get("total") or {}).get("mean")
        parts = []
        for cat, v in cats.items():
            mean = v.get("mean") if isinstance(v, Mapping) else None
            if is_number(mean):
                r = f"forecast.{cat}@{day}"
                system.add_var(r, Var(float(mean), "magnitude", scale=1.0))  # type: ignore[arg-type]
                parts.append(r)
        if is_number(total) and parts:
            system.add_var(f"forecast.total@{day}", Var(float(total), "magnitude"))  # type: ignore[arg-type]
            _relate_rounded(system, [f"forecast.total@{day}"], parts)
    for year in (scen.get("costs") or {}).get("by_year") or []:
        day = f"{year.get('year')}-03-31"
        by_type = year.get("by_type") or {}
        parts = []
        for t, v in by_type.items():
            if is_number(v):
                mean = _mean_at(scen, int(year.get("year", 0)), t)
                scale = float(v) / mean if mean else 1.0
                r = f"forecast_costs.{t}@{day}"
                system.add_var(r, Var(float(v), "magnitude", scale=max(scale, 1.0)))
                parts.append(r)
        if is_number(year.get("total")) and parts:
            system.add_var(f"forecast_costs.total@{day}", Var(float(year["total"]), "magnitude"))
            _relate_rounded(system, [f"forecast_costs.total@{day}"], parts)
    return system


def _mean_at(scen: Mapping[str, Any], year: int, cat: str) -> float:
    for point in scen.get("yearly") or []:
        if str(point.get("date", ""))[:4] == str(year):
            v: Any = ((point.get("by_category") or {}).get(cat) or {}).get("mean")
            return float(v) if is_number(v) else 0.0
    return 0.0


def _relate_rounded(system: System, total: list[str], parts: list[str]) -> None:
    """total = sum of parts, to the rounding a reader sees (one decimal place each)."""
    slack = 0.05 * (len(parts) + 1)
    base = Relation.equal(total, parts)
    system.relate(Relation(base.terms, -slack, slack, f"{total[0]} = sum of types"))


def hide_categories(
    data: Mapping[str, Any] | None, categories: Iterable[str]
) -> dict[str, Any] | None:
    """The forecast's JSON with every figure of the hidden placement types as ``"c"``, and no
    text quoting one (a scenario's warnings gave a hidden type's expected children)."""
    if data is None:
        return None
    cats = set(categories)

    def walk(value: Any, hide: bool) -> Any:
        if isinstance(value, Mapping):
            return {k: walk(v, hide or k in cats) for k, v in value.items()}
        if isinstance(value, list):  # a warning quoting a hidden type's figures is left out
            return [walk(v, hide) for v in value if not _tells_of(v, cats)]
        if _tells_of(value, cats):
            return SUPPRESSED
        return SUPPRESSED if hide and is_number(value) else value

    return walk(data, False)  # type: ignore[no-any-return]


#: Why a scenario's figures are not shown (the statement's JSON and tables say it).
SCENARIO_WITHHELD = (
    "Figures not shown: the scenario changes the children of a placement type too few to "
    "publish, or of an age bracket, so its difference from the baseline would give their number."
)


def scenarios_to_withhold(scenarios: Iterable[Scenario], categories: Collection[str]) -> list[str]:
    """The scenarios whose figures would give a hidden type's children (``categories``) or a
    type's children of an age away (``Scenario.acts_on_counts``): eight planned moves from a
    type of five took the five, and the receiving type's, or the total's, scenario less its
    baseline was five."""
    return [s.name for s in scenarios if s.acts_on_counts(categories)]


def withhold_scenarios(
    forecast: Mapping[str, Any], gaps: Mapping[str, Any], names: Collection[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The forecast's JSON and the scenarios' gaps with every figure of scenarios ``names``
    as ``"c"`` and their warnings left out (``scenarios_to_withhold``)."""

    def hidden(value: Any, key: str = "") -> Any:
        if isinstance(value, Mapping):
            return {k: hidden(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [hidden(v) for v in value if not isinstance(v, str)]
        return SUPPRESSED if is_number(value) and key not in ("year", "month") else value

    out = dict(forecast)
    scenarios = dict(out.get("scenarios") or {})
    for name in names:
        if isinstance(scenarios.get(name), Mapping):
            scenarios[name] = {**hidden(scenarios[name]), "withheld": SCENARIO_WITHHELD}
    out["scenarios"] = scenarios
    every = {t for g in gaps.values() for y in (g or {}).get("years") or [] for t in y["by_type"]}
    shown = {n: (hide_gap(g, every, every) if n in names else g) for n, g in gaps.items()}
    return out, shown


def hide_gap(
    data: Mapping[str, Any] | None, categories: Iterable[str], costs: Iterable[str] = ()
) -> dict[str, Any] | None:
    """The gap's JSON with the need, shortfall and costs of hidden placement types as ``"c"``
    (their capacity, homes counted from the registers, stays), and the costs of the types
    whose weekly cost is hidden (``costs``)."""
    if data is None:
        return None
    cats, priced = set(categories), set(costs)
    out = json.loads(json.dumps(data, default=str))
    for year in out.get("years") or []:
        hidden = costed = False
        for t, row in (year.get("by_type") or {}).items():
            if not isinstance(row, dict):
                continue
            for k, v in row.items():
                if is_number(v) and (
                    (t in cats and k not in GAP_KEPT) or (t in priced and k in GAP_COSTS)
                ):
                    row[k] = SUPPRESSED
                    hidden, costed = hidden or t in cats, True
        alone = (
            sum(r.get(GAP_COSTS[1]) == SUPPRESSED for r in year.get("by_type", {}).values()) == 1
        )
        if costed and alone and is_number(year.get(GAP_TOTAL_COST)):  # less the types shown
            year[GAP_TOTAL_COST] = SUPPRESSED
        if hidden:  # a year's totals less the types shown would give the hidden types away
            for k, v in year.items():
                if k != "year" and is_number(v):
                    year[k] = SUPPRESSED
    if isinstance(out.get("headlines"), list):  # sentences naming a hidden type's figures
        out["headlines"] = [
            h
            for h in out["headlines"]
            if not _names_any(str(h), cats) and not (_names_any(str(h), priced) and "£" in str(h))
        ]
    # the demand streams' own counts: the statement shows them as the protected measures
    # (uasc_forecast, dolo_orders), as it does the forecast's (without_streams)
    out.pop("streams", None)
    return out  # type: ignore[no-any-return]


def hide_costs(data: Mapping[str, Any] | None, types: Iterable[str]) -> dict[str, Any] | None:
    """The forecast's JSON with each scenario's yearly costs of ``types`` (whose weekly cost is
    hidden) as ``"c"``, and the year's total cost when it would give the one hidden back (less
    the types shown; of two or more hidden, it gives only their sum)."""
    if data is None:
        return None
    priced = set(types)
    out = json.loads(json.dumps(data, default=str))
    for scenario in (out.get("scenarios") or {}).values():
        costs = scenario.get("costs") if isinstance(scenario, dict) else None
        for year in (costs or {}).get("by_year") or []:
            by_type = year.get("by_type") or {}
            hidden = [t for t in priced if is_number(by_type.get(t)) and by_type[t] != 0]
            for t in hidden:
                by_type[t] = SUPPRESSED
            alone = sum(v == SUPPRESSED for v in by_type.values()) == 1
            if hidden and alone and is_number(year.get("total")):
                year["total"] = SUPPRESSED
    return out  # type: ignore[no-any-return]


def _names_any(text: str, categories: Iterable[str]) -> bool:
    """True when ``text`` names one of the placement types (by its id, as a word)."""
    return any(re.search(rf"\b{re.escape(c)}\b", text) for c in categories)


def _tells_of(value: Any, categories: Iterable[str]) -> bool:
    """True for text with a figure in it that names one of the placement types."""
    return (
        isinstance(value, str) and bool(re.search(r"\d", value)) and _names_any(value, categories)
    )


# ------------------------------------------------------------------------------------ gate
def flatten(value: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf of a JSON value with its key path, but those inside lists (``leaves``)."""
    return ((path, leaf) for path, leaf in leaves(value) if LIST_ITEM not in path)


#: How ``leaves`` names a list's items in a path.
LIST_ITEM = "[]"


def leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf of a JSON value with its path, a list's items under ``LIST_ITEM``."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from leaves(v, (*path, str(k)))
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v, (*path, LIST_ITEM))
    else:
        yield path, value


def _declared(path: tuple[str, ...], pattern: str) -> bool:
    """True when ``path`` is one ``pattern`` of ``EXTRAS_FIGURES`` declares."""
    keys = pattern.split(".")
    if keys[-1] == "**":
        keys, path = keys[:-1], path[: len(keys) - 1]
    return len(keys) == len(path) and all(k in ("*", p) for k, p in zip(keys, path, strict=True))


def _undeclared(extras: Mapping[str, Any]) -> list[Exposure]:
    """Every number of the JSON's extras outside the places ``EXTRAS_FIGURES`` declares."""
    return [
        Exposure(f"extras.{'.'.join(path)}", leaf, leaf, leaf, "undeclared")
        for path, leaf in leaves(extras)
        if is_number(leaf) and not any(_declared(path, p) for p in EXTRAS_FIGURES)
    ]


@dataclass
class Reading:
    """What a reader sees of the figures: numbers by reference, and the ``[c]``s."""

    numbers: dict[str, float] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    pcts: dict[str, float] = field(default_factory=dict)

    def see(self, reference: str, value: Any) -> None:
        if is_suppressed(value):
            self.hidden.add(reference)
        elif is_number(value):
            self.numbers.setdefault(reference, float(value))


def read_statement(data: StatementData, record: StatementProtection) -> Reading:
    """Every figure the statement shows (tables and JSON), by the reference it stands for."""
    reading = Reading()
    raw = record.raw
    for block in data.measures.values():
        at = dt.date.fromisoformat(str(block["at"]))
        for mid, value in (block.get("measures") or {}).items():
            for path, leaf in flatten(value):
                _see(reading, mid, path, at, leaf, raw)
    for table in data.tables():
        for row in table.rows:
            for cell in row.cells:
                if cell.ref and "@" in cell.ref:
                    mid, path, at = split(cell.ref)
                    _see(reading, mid, path, at, cell.value, raw)
    return reading


def _see(
    reading: Reading, mid: str, path: tuple[str, ...], at: dt.date, value: Any, raw: Years
) -> None:
    results = raw.get(at, {})
    target = alias(mid, path, at, results)
    reference = target[0] if target else ref(mid, path, at)
    if reference.partition("@")[0].endswith(".pct"):
        if is_number(value):
            reading.pcts.setdefault(reference, float(value))
        return
    reading.see(reference, value)


def audit_statement(data: StatementData, record: StatementProtection) -> list[Exposure]:
    """The gate: every small child count the statement shows, every figure of a hidden
    placement type it shows, every provider named, and every hidden figure a reader can work
    out from all of it (``disclosure.audit``)."""
    found: list[Exposure] = []
    reading = read_statement(data, record)
    system = record.protection.system
    k = record.small_max
    for r, v in reading.numbers.items():
        var = system.vars.get(r)
        if var is not None and var.kind == "children" and 1 <= var.value <= k:
            found.append(Exposure(r, v, v, var.value, "children"))
    found += _forecast_shown(data, record) + _undeclared(data.extras)
    found += [
        Exposure(f"provider name {n!r}", 0, 0, 0, "name")
        for n in sorted(names_among(_names_shown(data), record.provider_names))
    ]
    if found:
        return found
    shown = set(reading.numbers) | reading.hidden
    seen = System(
        vars={r: (v if r in shown else replace(v, shown=False)) for r, v in system.vars.items()},
        relations=list(system.relations),
        sensitive=set(system.sensitive),
        floor=dict(system.floor),
    )
    for relation in _pct_relations(reading, system) + _table_margins(data, system):
        seen.relate(relation)
    hidden = {r for r in reading.hidden - set(reading.numbers) if r in seen.vars}
    found += audit(seen, hidden, k, known=record.known)
    fc = record.forecast_system
    found += audit(fc, {r for r in record.forecast_hidden if r in fc.vars}, k)
    return found


def _names_shown(data: StatementData) -> set[str]:
    """Every row header of the statement's tables and every key of the provider market."""
    names = {row.header for table in data.tables() for row in table.rows}
    for block in data.measures.values():
        market = (block.get("measures") or {}).get(MARKET)
        if isinstance(market, Mapping):
            names |= {str(k) for k in market}
    return names


def _forecast_shown(data: StatementData, record: StatementProtection) -> list[Exposure]:
    """Numbers of a hidden placement type in the forecast and gap (tables and JSON)."""
    out = []
    for name in ("forecast", "gap"):
        value = data.extras.get(name)
        for path, leaf in leaves(value):
            cats = [p for p in path if p in record.categories]
            if cats and is_number(leaf) and not (name == "gap" and path[-1] in GAP_KEPT):
                out.append(Exposure(f"{name}:{'.'.join(path)}", leaf, leaf, leaf, "magnitude"))
            if _tells_of(leaf, record.categories):
                out.append(Exposure(f"{name}:{'.'.join(path)}: {leaf!r}", 0, 0, 0, "magnitude"))
        for item in (value or {}).get("headlines") or [] if isinstance(value, Mapping) else []:
            if re.search(r"\d", str(item)) and _names_any(str(item), record.categories):
                out.append(Exposure(f"{name} headline {item!r}", 0, 0, 0, "magnitude"))
    for table in data.tables():
        for row in table.rows:
            for cell in row.cells:
                cat = _category(cell.ref or "")
                if cat in record.categories and is_number(cell.value):
                    out.append(Exposure(cell.ref or "", 0, 0, 0, "magnitude"))
    return out


def _pct_relations(reading: Reading, system: System) -> list[Relation]:
    """A shown percentage of a share: 100 x count is within half a tenth of pct x denominator."""
    out = []
    for r, p in reading.pcts.items():
        name, _, day = r.partition("@")
        base = name[: -len(".pct")]
        count, den = f"{base}.count@{day}", f"{base}.denominator@{day}"
        if count in system.vars and den in system.vars:
            out.append(Relation(((count, 100.0), (den, -(p + 0.05))), -1e18, 0.0, f"{r} (at most)"))
            out.append(Relation(((count, 100.0), (den, -(p - 0.05))), 0.0, 1e18, f"{r} (at least)"))
    return out


def _table_margins(data: StatementData, system: System) -> list[Relation]:
    """Additive tables: each count column's rows sum to its total row (when every cell names
    a figure), as a reader of the table would add them up."""
    out = []
    for table in data.tables():
        if table.additive:
            out += _margins(table, system)
    return out


def _margins(table: Table, system: System) -> list[Relation]:
    body = [r for r in table.rows if not r.total]
    totals = [r for r in table.rows if r.total]
    out = []
    for total in totals:
        for j, cell in enumerate(total.cells):
            if cell.kind != "count" or not cell.ref:
                continue
            parts = [r.cells[j].ref for r in body if j < len(r.cells)]
            if all(p and p in system.vars for p in parts) and cell.ref in system.vars:
                out.append(
                    Relation.equal([cell.ref], [p for p in parts if p], f"{table.id} margin")
                )
    return out


def prose_exposures(data: StatementData, small_max: int) -> list[Exposure]:
    """Small counts of children written in the statement's text: the council's narrative
    (its Markdown as written and as printed), generated paragraphs and lists, the key
    messages, and the words in tables (registers' text) (``disclosure.text``)."""
    found = small_counts("\n".join(data.key_messages), "key messages", small_max)
    for section in data.sections:
        for block in section.blocks:
            where, text = f"section '{section.title}'", "\n".join([block.text, *block.items])
            if block.kind == "narrative":
                html = render_markdown(block.text)
                found += small_counts_marked_up(text, html, where, small_max)
            elif block.kind in ("paragraph", "messages"):
                found += small_counts(text, where, small_max)
            if block.table is not None:
                found += small_counts(_table_text(block.table), where, small_max)
    return [Exposure(str(f), f.count, f.count, f.count, "text") for f in found]


def _table_text(table: Table) -> str:
    """A table's words, one cell a line: its title, notes and the text of its cells (an action
    plan's activities, a register's notes), which the council writes as it likes."""
    cells = [c.value for row in table.rows for c in row.cells if isinstance(c.value, str)]
    return "\n".join(
        [table.title, table.caption, *table.notes, *(r.header for r in table.rows), *cells]
    )


def check_statement(data: StatementData) -> None:
    """Refuse a publish-mode statement the gate fails (or one built without its disclosure
    record): raises ``DisclosureError`` naming what could be worked out."""
    if data.mode != "publish":
        return
    record = data.disclosure
    if not isinstance(record, StatementProtection):
        raise DisclosureError([], what="statement (built without the disclosure step)")
    found = audit_statement(data, record) + prose_exposures(data, record.small_max)
    if found:
        raise DisclosureError(found, what=f"{data.la_name} statement {data.year_label}")
