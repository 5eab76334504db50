"""Small-number suppression of measure results (DESIGN.md; the DfE's own convention).

Two levels. ``suppress_results`` is the quick one for a single date (the ``measures`` command):
each typed result hides its own small child counts and what is built on them
(``Result.suppressed``); across measures a rate, share or average ``based_on`` a suppressed
count is hidden with it, a trend point is hidden when its count is, and so is the change into
and out of it, and a benchmark's council figure is hidden when the measure's is.

``protect_years`` is the one every published output uses: the results of all its dates as one
system of linear relations (``measures.identities``), primary suppression of child counts from 1
to the council's threshold and of the bed nights, spend and costs tied to them, then the further
suppressions ``disclosure.linear.protect`` chooses so the attacker audit finds nothing, applied
to every result (and every alias of a hidden figure: its trend points, its benchmark, its year
in ``spend_by_year``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sufficiency.codes import PLACEMENT_TYPES
from sufficiency.disclosure import SMALL_MAX, SUPPRESSED, is_number, is_small
from sufficiency.disclosure.audit import outside_floor
from sufficiency.disclosure.linear import System, protect
from sufficiency.measures.catalogue import CATALOGUE, Measure
from sufficiency.measures.identities import (
    DERIVED,
    Years,
    alias,
    canonical,
    measure_system,
    ref,
    split,
)
from sufficiency.measures.outside import agreeing, dfe_published
from sufficiency.results import Missing, Number, Path, Record, Result, Share

#: The measure giving children, nights and spend by provider (by sector when published).
MARKET = "supply_provider_market"

#: Nights in a year: what one child placed all year adds to bed nights.
NIGHTS_PER_CHILD = 365


def suppress_result(value: Result, measure: Measure | None, small_max: int = SMALL_MAX) -> Result:
    """One measure's result with its own small counts hidden (measures declared
    ``suppress=False`` count no children and are left as they are, unless they hold
    ``child_keys`` or are shares: a share's count is always of children)."""
    if (
        measure is not None
        and not measure.suppress
        and not measure.child_keys
        and not isinstance(value, Share)
    ):
        return value
    return value.suppressed(small_max)


def _trends(
    value: Record, out: Mapping[str, Result], cat: Mapping[str, Measure], small_max: int
) -> Record:
    fields: dict[str, Any] = {}
    for mid, series in value.fields.items():
        m = cat.get(mid)
        base = fields.get(m.based_on) if m is not None and m.based_on else None
        new: dict[str, Any] = {}
        prev_hidden = False
        for year, point in series.items():
            v = point.get("value")
            hide = bool(
                m is not None and m.suppress and m.unit == "count" and is_small(v, small_max)
            )
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


def _based_on(out: dict[str, Result], cat: Mapping[str, Measure]) -> None:
    """A rate, share or average on a hidden count is hidden with it."""
    for mid, value in list(out.items()):
        m = cat.get(mid)
        if m is None or not m.based_on or m.based_on not in out:
            continue
        if out[m.based_on].hidden and isinstance(value, Share | Number):
            out[mid] = value.hide()


def _derived(out: dict[str, Result]) -> None:
    """A figure worked out from another measure's hidden figure is hidden with it (``DERIVED``)."""
    for mid, starts, (source_id, name) in DERIVED:
        holder, source = out.get(mid), out.get(source_id)
        if holder is None or source is None:
            continue
        keys = {p[0] for p, v, _ in source.leaves() if p[1:] == (name,) and v == SUPPRESSED}
        paths = {p for p, _, _ in holder.leaves() if len(p) == 2 and p[0] in keys}
        paths = {p for p in paths if p[1].startswith(starts)}
        if paths:
            out[mid] = holder.hiding(paths)


def suppress_results(
    values: Mapping[str, Result],
    catalogue: Mapping[str, Measure] | None = None,
    small_max: int = SMALL_MAX,
) -> dict[str, Result]:
    """Every measure result suppressed, together (results of one reference date)."""
    cat = CATALOGUE if catalogue is None else catalogue
    out = {mid: suppress_result(v, cat.get(mid), small_max) for mid, v in values.items()}
    _based_on(out, cat)
    _derived(out)
    if isinstance(out.get("trends"), Record):
        out["trends"] = _trends(out["trends"], out, cat, small_max)  # type: ignore[arg-type]
    if isinstance(out.get("benchmarks"), Record):
        out["benchmarks"] = _benchmarks(out["benchmarks"], out, cat)  # type: ignore[arg-type]
    return out


# ----------------------------------------------------------------- whole outputs (all dates)
@dataclass
class Protection:
    """The disclosure control of one output's measures: its system, what is hidden and why."""

    system: System
    hidden: frozenset[str]
    primary: frozenset[str]
    small_max: int = SMALL_MAX
    #: Measures (``measure@date``) not shown at all: no suppression could protect them.
    withheld: frozenset[str] = frozenset()
    #: Figures a reader knows from elsewhere (previous statement, DfE files), by reference.
    known: dict[str, float] = field(default_factory=dict)

    def is_hidden(self, reference: str, years: Years) -> bool:
        """True when the figure (or the figure it stands for) is suppressed or withheld."""
        target = canonical(reference, years)
        return (
            reference in self.hidden or target in self.hidden or table_of(target) in self.withheld
        )

    @property
    def secondary(self) -> frozenset[str]:
        """The suppressions added so that nothing can be worked out."""
        return self.hidden - self.primary


def _triples(results: Mapping[str, Result], at: dt.date) -> list[tuple[str, str, str, str]]:
    """(children, bed nights, spend, weekly cost) references of one date that go together: each
    placement type's, each provider market row's, and the totals'."""
    out = [("", ref("bed_nights_total", (), at), ref("spend_total", (), at), "")]
    out += [
        (
            ref("cla_by_placement_type", (t,), at),
            ref("bed_nights_by_placement_type", (t,), at),
            ref("spend_by_placement_type", (t,), at),
            ref("average_weekly_cost_by_type", (t,), at),
        )
        for t in PLACEMENT_TYPES
    ]
    market = results.get(MARKET)
    if market is not None:
        rows = {path[0] for path, _, _ in market.leaves() if len(path) == 2}
        out += [
            (
                ref(MARKET, (r, "children"), at),
                ref(MARKET, (r, "nights"), at),
                ref(MARKET, (r, "spend"), at),
                "",
            )
            for r in sorted(rows)
        ]
    return out


def magnitudes(system: System, years: Years, small_max: int = SMALL_MAX) -> set[str]:
    """Make bed nights and spend magnitudes (one child is a year of nights, a year of its
    spend) and return the ones tied to a small count: the bed nights, spend and average weekly
    cost of a placement type (or a provider market row) on a date where its count of children
    is small, or its nights are no more than the threshold's worth of children placed all year."""
    small = system.small(small_max)
    linked: set[str] = set()
    for at, results in years.items():
        for count, nights, spend, cost in _triples(results, at):
            n = system.vars.get(nights)
            if n is not None:
                system.vars[nights] = replace(n, kind="magnitude", scale=NIGHTS_PER_CHILD)
            s = system.vars.get(spend)
            if s is not None:
                per_child = s.value / n.value * NIGHTS_PER_CHILD if n and n.value else 1.0
                system.vars[spend] = replace(s, kind="magnitude", scale=max(per_child, 1.0))
            few_nights = n is not None and 0 < n.value <= small_max * NIGHTS_PER_CHILD
            if count in small or (count and few_nights):
                linked |= {r for r in (nights, spend, cost) if r in system.vars}
    system.sensitive |= {r for r in linked if system.vars[r].kind == "magnitude"}
    return linked


def protect_years(
    years: Years,
    small_max: int = SMALL_MAX,
    *,
    context: Years | None = None,
    known: Mapping[str, float] | None = None,
    extra: System | None = None,
    extra_hidden: Iterable[str] = (),
    la_code: str = "",
) -> Protection:
    """Choose the suppressions of every figure of ``years`` so that nothing can be worked out.

    ``context`` are results of the same dates the output does not show (an earlier year's
    placement types, to know which of its costs are tied to a small count): known to the
    system, never shown. ``extra`` are further figures of the same output tied to these (with
    ``extra_hidden`` their primary suppressions); ``known`` figures a reader has from elsewhere
    (the previous statement), to which the DfE's published figures for council ``la_code`` are
    added (``measures.outside``).
    """
    merged: dict[dt.date, dict[str, Result]] = {at: dict(r) for at, r in years.items()}
    for at, results in (context or {}).items():
        for mid, result in results.items():
            merged.setdefault(at, {}).setdefault(mid, result)
    system = measure_system(merged)
    aliased = {  # a figure a shown result stands for (a trend point) is shown
        canonical(ref(mid, path, at), years)
        for at, results in years.items()
        for mid, result in results.items()
        for path, _, _ in result.leaves()
    }
    for at, results in (context or {}).items():
        for mid in results:
            if mid in years.get(at, {}):
                continue
            for path, _, _ in results[mid].leaves():
                r = ref(mid, path, at)
                if r in system.vars and r not in aliased:
                    system.vars[r] = replace(system.vars[r], shown=False)
    linked = magnitudes(system, merged, small_max)
    if extra is not None:
        for r, v in extra.vars.items():
            system.add_var(r, v)
        system.relations += extra.relations
        system.sensitive |= extra.sensitive
        system.derived.update(extra.derived)
    small = system.small(small_max) | linked | set(extra_hidden)
    small |= {  # a share's count on a small hidden base, as the output shows it (even a 0)
        r
        for at, results in years.items()
        for mid in _small_base_shares(small, at, results, small_max)
        if (r := ref(mid, ("count",), at)) in system.vars
    }
    primary = frozenset(system.follow(small))
    outside = dfe_published(system, la_code, merged)
    for relation in outside.relations:
        system.relate(relation)
    known_values = {**outside.known, **agreeing(system, known or {}).known}
    system.floor = outside_floor(
        system,
        system.pinned_by(known_values),
        outside.suppressed,
        [r for relation in outside.relations for r, _ in relation.terms],
    )
    always = {r for at in merged for m in PUBLISHED_BY_DFE if (r := ref(m, (), at)) in system.vars}
    choice = protect(
        system,
        primary,
        small_max,
        keep=set(known_values) | always,
        group=table_of,
        keep_groups=_core(merged),
        known=known_values,
    )
    return Protection(
        choice.system,
        choice.hidden,
        primary,
        small_max=small_max,
        known=dict(choice.known),
        withheld=choice.withheld,
    )


#: Measures withheld only as the last resort (everything else is measured against them); the
#: DfE's totals are known, so never withheld.
CORE = ("cla_count", "starts", "ceased", "cla_by_placement_type")
#: Totals the DfE publishes for every council each year: never suppressed as a secondary
#: (a reader has them anyway); a small one is still suppressed.
PUBLISHED_BY_DFE = ("cla_count", "starts", "ceased")


def _core(years: Years) -> set[str]:
    return {f"{m}@{at.isoformat()}" for at in years for m in CORE}


def table_of(reference: str) -> str | None:
    """The measure and date a figure belongs to (``measure@date``), what is withheld whole;
    None for a figure no table shows (a remainder)."""
    if reference.startswith("rest:") or "@" not in reference:
        return None
    name, _, day = reference.rpartition("@")
    return f"{name.split('.')[0]}@{day}"


def hide_paths(
    hidden: Collection[str], at: dt.date, years: Years, small_max: int = SMALL_MAX
) -> dict[str, set[Path]]:
    """The paths to hide in each measure of date ``at``: the hidden figures of that date, every
    alias of a hidden figure (trend points and their changes, benchmarks, spend by year), and
    the count of a share on a small hidden base (as ``Share.suppressed`` hides it)."""
    out: dict[str, set[Path]] = {}
    results = years.get(at, {})
    small_bases = _small_base_shares(hidden, at, results, small_max)
    for mid, result in results.items():
        for path, value, _ in result.leaves():
            if not is_number(value):
                continue
            reference = ref(mid, path, at)
            target = alias(mid, path, at, results)
            if reference in hidden or (target is not None and target[0] in hidden):
                out.setdefault(mid, set()).add(path)
        if mid in small_bases:
            out.setdefault(mid, set()).add(("count",))
    for reference in hidden:
        if "@" not in reference or reference.startswith("rest:"):
            continue
        mid, path, day = split(reference)
        if day == at and mid in results:
            out.setdefault(mid, set()).add(path)
    return out


def _small_base_shares(
    hidden: Collection[str], at: dt.date, results: Mapping[str, Result], small_max: int = SMALL_MAX
) -> set[str]:
    """The shares of date ``at`` whose base is a hidden small count: their count is hidden too,
    even 0 (a reader must not learn that none of the few are counted; ``Share.suppressed``)."""
    return {
        mid
        for mid, result in results.items()
        if isinstance(result, Share)
        and ref(mid, ("denominator",), at) in hidden
        and is_small(result.denominator, small_max)
    }


def _withheld_aliases(protection: Protection, at: dt.date, years: Years) -> dict[str, set[Path]]:
    """The paths, by measure, of date ``at``'s figures that stand for a figure of a withheld
    measure (left out with it)."""
    out: dict[str, set[Path]] = {}
    if not protection.withheld:
        return out
    results = years.get(at, {})
    for mid, result in results.items():
        for path, _, _ in result.leaves():
            target = alias(mid, path, at, results)
            if target is not None and table_of(target[0]) in protection.withheld:
                out.setdefault(mid, set()).add(path)
    return out


def apply_protection(
    years: Years,
    protection: Protection,
    catalogue: Mapping[str, Measure] | None = None,
) -> dict[dt.date, dict[str, Result]]:
    """Every date's results with the chosen suppressions applied, and what is built on them
    (rates and shares ``based_on`` a hidden count, the change next to a hidden trend point)."""
    cat = CATALOGUE if catalogue is None else catalogue
    out: dict[dt.date, dict[str, Result]] = {}
    for at, results in years.items():
        paths = hide_paths(protection.hidden, at, years, protection.small_max)
        # another measure's figure printed again where that measure is withheld is left out
        # too (a [c] would tell a reader it is small)
        left_out = _withheld_aliases(protection, at, years)
        done: dict[str, Result] = {}
        for mid, result in results.items():
            if f"{mid}@{at.isoformat()}" in protection.withheld:
                done[mid] = Missing("withheld: too few children to show without revealing them")
                continue
            if mid in paths:
                result = result.hiding(paths[mid])
            if mid in left_out:
                result = result.withholding(left_out[mid])
            done[mid] = result
        _based_on(done, cat)
        _derived(done)
        if isinstance(done.get("trends"), Record):
            done["trends"] = _trends(done["trends"], done, cat, protection.small_max)  # type: ignore[arg-type]
        if isinstance(done.get("benchmarks"), Record):
            done["benchmarks"] = _benchmarks(done["benchmarks"], done, cat)  # type: ignore[arg-type]
        out[at] = done
    return out
