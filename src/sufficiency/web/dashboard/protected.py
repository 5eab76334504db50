"""What a viewer may see of the dashboard: every filter a viewer can choose, protected together.

A viewer chooses one filter at a time (UASC or not, or an age band at 31 March) and a year
ending 31 March. For a year, every such view of every measure is one system of
linear relations: each view's own (``measures.identities``), and between views the ones a
reader gets by comparing them (all children = UASC + the rest = the sum over age bands). Small counts are suppressed in
every view, further figures where a difference of views or a total would give one away
(``measures.suppression``, ``disclosure.linear.protect``), and a table that no suppression can
protect is withheld from that view with a message. Providers are shown by sector.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sufficiency.codes import AGE_BANDS
from sufficiency.disclosure.linear import Relation, System, protect
from sufficiency.measures.identities import measure_system
from sufficiency.measures.suppression import (
    PUBLISHED_BY_DFE,
    Protection,
    apply_protection,
    magnitudes,
    table_of,
)
from sufficiency.report.providers import MARKET, by_sector, provider_sectors
from sufficiency.results import Missing, Result

log = logging.getLogger("sufficiency.web.disclosure")

#: Every view a viewer can ask for: no filter, or exactly one of UASC or an age band (a
#: placement type, or two filters at once, cut children into groups too small to show; those
#: views are for analysts).
VIEWS: tuple[tuple[str, str], ...] = (
    ("", ""),
    *(("uasc", v) for v in ("yes", "no")),
    *(("age_band", a) for a in AGE_BANDS),
)
#: The filters a viewer may use.
VIEWER_FILTERS = ("age_band", "uasc")
#: Views whose figures add up to the unfiltered one (every child is in one of them).
PARTITIONS = ("uasc", "age_band")


def view_key(name: str, value: str) -> str:
    """A view's name: ``all`` or ``filter=value``."""
    return f"{name}={value}" if name else "all"


def viewer_view(filters: Mapping[str, str]) -> tuple[str, str]:
    """The one filter a viewer's request is shown with (the first chosen of age band and UASC,
    in the form's order); no filter when none is."""
    for name in VIEWER_FILTERS:
        if filters.get(name):
            return name, filters[name]
    return "", ""


@dataclass
class ViewerYear:
    """One year's protected measures for every view a viewer can choose."""

    results: dict[str, dict[str, Result]]
    withheld: dict[str, set[str]] = field(default_factory=dict)


def _prefix(view: str, reference: str) -> str:
    return f"{view}|{reference}"


def _group(reference: str) -> str | None:
    view, _, rest = reference.partition("|")
    table = table_of(rest)
    return None if table is None else f"{view}|{table}"


def protect_views(
    raw: Mapping[str, Mapping[str, Result]], at: dt.date, small_max: int
) -> tuple[dict[str, Protection], set[str]]:
    """Choose the suppressions of every view of one date together: each view's protection and
    the tables withheld (``view|measure@date``)."""
    system = System()
    primary: set[str] = set()
    for view, results in raw.items():
        sub = measure_system({at: results})
        linked = magnitudes(sub, {at: results}, small_max)
        for r, v in sub.vars.items():
            system.add_var(_prefix(view, r), v)
        system.relations += [
            Relation(tuple((_prefix(view, x), a) for x, a in rel.terms), rel.lo, rel.hi, rel.label)
            for rel in sub.relations
        ]
        system.sensitive |= {_prefix(view, r) for r in sub.sensitive}
        system.derived.update(
            {_prefix(view, r): tuple(_prefix(view, b) for b in bs) for r, bs in sub.derived.items()}
        )
        primary |= {_prefix(view, r) for r in sub.small(small_max) | linked}
    _between_views(system, raw)
    keep = {_prefix("all", f"{m}@{at.isoformat()}") for m in PUBLISHED_BY_DFE} & set(system.vars)
    keep_groups = {f"{v}|{m}@{at.isoformat()}" for v in raw for m in ("cla_count",)}
    choice = protect(system, primary, small_max, keep=keep, group=_group, keep_groups=keep_groups)
    out: dict[str, Protection] = {}
    for view in raw:
        head = f"{view}|"
        hidden = frozenset(r[len(head) :] for r in choice.hidden if r.startswith(head))
        withheld = frozenset(g[len(head) :] for g in choice.withheld if g.startswith(head))
        out[view] = Protection(
            choice.system, hidden, frozenset(), small_max=small_max, withheld=withheld
        )
    return out, set(choice.withheld)


def _between_views(system: System, raw: Mapping[str, Mapping[str, Result]]) -> None:
    """What comparing views tells a reader: each figure of the unfiltered view is the sum of
    the same figure over a filter's values. Kept only where the data satisfies it (a figure of
    the registers, the same in every view, is not a sum)."""
    names = {r.partition("|")[2] for r in system.vars if r.startswith("all|")}
    for dim in PARTITIONS:
        views = [view_key(n, v) for n, v in VIEWS if n == dim and view_key(n, v) in raw]
        for r in sorted(names):
            parts = [_prefix(v, r) for v in views]
            if views and all(p in system.vars for p in parts):
                system.relate(Relation.equal([_prefix("all", r)], parts, f"{r}: sum over {dim}"))


def viewer_year(ds: Any, year: int, ids: list[str] | None = None) -> ViewerYear:
    """Compute every view of a year and protect them together (the slow part of a viewer's
    first visit for a year; the dashboard caches it per data revision)."""
    from sufficiency.measures import compute
    from sufficiency.web.dashboard.filters import filter_dataset

    at = dt.date(year, 3, 31)
    sectors = provider_sectors(ds)
    raw: dict[str, dict[str, Result]] = {}
    for name, value in VIEWS:
        filtered = filter_dataset(ds, at, **({name: value} if name else {}))
        results = dict(compute(filtered, at, ids=ids).values)
        if MARKET in results:
            results[MARKET] = by_sector(results[MARKET], sectors)
        raw[view_key(name, value)] = results
    protections, withheld = protect_views(raw, at, ds.profile.small_count_max)
    out = ViewerYear(results={}, withheld={})
    for view, results in raw.items():
        protection = protections[view]
        out.results[view] = apply_protection({at: results}, protection)[at]
        out.withheld[view] = {g.partition("@")[0] for g in protection.withheld}
    for g in sorted(withheld):
        log.warning("dashboard table withheld from viewers: %s (no suppression protects it)", g)
    return out


def is_withheld(result: Result | None) -> bool:
    """True for a measure a viewer's view withholds."""
    return isinstance(result, Missing) and result.reason.startswith("withheld")
