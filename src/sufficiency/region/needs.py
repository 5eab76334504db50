"""The regional needs analysis (issue 21): every measure per council side by side and for the
region, with disclosure control over the whole output.

Each council's measures come from ``measures.compute`` on its (shared) Dataset; the region's
from ``region.combine``. Disclosure control is the measures' own: one system of linear relations
(``measures.identities.measure_system``) for each council and for the region, the identity
``region = sum of councils`` for every additive figure, primary suppression of small child
counts at the region's threshold (the highest of its councils'), then the further suppressions
``disclosure.linear.protect`` chooses so the attacker audit finds nothing, applied to each
column by ``measures.suppression.apply_protection``.

A council publishes its own figures too (its statement, its dashboard), with suppressions of its
own. Where its share says what they are (``region.shared.Publication``), the figures it hides
are hidden in its column here and the figures it shows are known to the reader, so that the
regional output set beside a council's own gives nothing away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sufficiency.dataset import Dataset
from sufficiency.disclosure.linear import Relation, System, protect
from sufficiency.forecast.api import each_council
from sufficiency.measures import compute, load_catalogue
from sufficiency.measures.catalogue import to_jsonable
from sufficiency.measures.identities import SUMS, measure_system, ref, split
from sufficiency.measures.outside import agreeing
from sufficiency.measures.suppression import (
    CORE,
    PUBLISHED_BY_DFE,
    Protection,
    apply_protection,
    table_of,
)
from sufficiency.region.combine import additive, combine
from sufficiency.region.shared import Publication, publication_at
from sufficiency.results import Result

#: The measures a regional run shows unless told others (``--measure``): the headline needs
#: analysis; disclosure control of the whole catalogue across many councils takes minutes.
HEADLINE: tuple[str, ...] = (
    "cla_count",
    "cla_rate_per_10k",
    "starts",
    "starts_rate_per_10k",
    "ceased",
    "cla_by_age_band",
    "cla_by_sex",
    "cla_by_placement_type",
    "cla_by_location",
    "placed_over_20_miles",
    "stability_three_plus",
    "stability_long_term",
    "uasc_count",
)
#: The column of the region in the side-by-side output.
REGION = "region"


@dataclass(frozen=True)
class RegionalMeasures:
    """Measures at one date: each council's and the region's, by measure id."""

    at: dt.date
    councils: dict[str, dict[str, Result]]
    region: dict[str, Result]
    suppressed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "suppressed": self.suppressed,
            "measures": {
                mid: {
                    REGION: to_jsonable(self.region[mid]),
                    "councils": {c: to_jsonable(r[mid]) for c, r in self.councils.items()},
                }
                for mid in self.region
            },
        }


def _measures_of(ds: Dataset, at: dt.date, ids: list[str] | None) -> dict[str, Result]:
    return dict(compute(ds, at, ids).values)


def council_measures(
    datasets: Mapping[str, Dataset],
    at: dt.date,
    ids: list[str] | None = None,
    scheduler: str | None = None,
) -> dict[str, dict[str, Result]]:
    """Every council's unsuppressed results at ``at`` (on a dask.distributed cluster when
    ``scheduler`` is its address: one task per council, the same code; ``each_council``)."""
    return each_council(_measures_of, datasets, scheduler, at, ids)


def regional_results(
    datasets: Mapping[str, Dataset], by_council: Mapping[str, Mapping[str, Result]], at: dt.date
) -> dict[str, Result]:
    """The region's result of every measure the councils have."""
    catalogue = load_catalogue()
    codes = list(by_council)
    populations = [datasets[c].population_under_18(at.year) for c in codes]
    ids = list(next(iter(by_council.values()))) if by_council else []
    out: dict[str, Result] = {}
    for mid in ids:
        m = catalogue.get(mid)
        parts = [by_council[c][mid] for c in codes]
        base = m.based_on if m is not None else ""
        counts = [by_council[c].get(base) for c in codes] if base else []
        out[mid] = combine(m, parts, populations, counts)
    return out


def _rename(reference: str, prefix: str) -> str:
    if reference.startswith("rest:"):
        return f"rest:{prefix}{reference[5:]}"
    return f"{prefix}{reference}"


def _merge(target: System, part: System, prefix: str) -> None:
    """Add ``part``'s figures and relations to ``target`` under ``prefix``."""
    for r, v in part.vars.items():
        target.add_var(_rename(r, prefix), v)
    target.relations += [
        replace(rel, terms=tuple((_rename(r, prefix), a) for r, a in rel.terms))
        for rel in part.relations
    ]
    target.sensitive |= {_rename(r, prefix) for r in part.sensitive}
    target.derived.update(
        {
            _rename(r, prefix): tuple(_rename(b, prefix) for b in bs)
            for r, bs in part.derived.items()
        }
    )


def _prefix(code: str) -> str:
    return f"{code}:"


def _own_outputs(
    system: System, published: Mapping[str, Publication], at: dt.date
) -> tuple[set[str], dict[str, float]]:
    """The figures of each council's column its own outputs hide (and every figure of a measure
    they withhold), and those they show with the value they show (``agreeing``: a figure the
    region works out otherwise, from a month of birth, is another figure)."""
    hidden: set[str] = set()
    shown: dict[str, float] = {}
    withheld: set[str] = set()
    for code, publication in published.items():
        prefix = _prefix(code)
        for reference, value in publication.figures.items():
            if value is None:
                hidden.add(prefix + reference)
            else:
                shown[prefix + reference] = value
        withheld |= {f"{prefix}{mid}@{at.isoformat()}" for mid in publication.withheld}
    hidden |= {r for r in system.vars if table_of(r) in withheld}
    return hidden & set(system.vars), agreeing(system, shown).known


def context_ids(shown: Iterable[str], published: Mapping[str, Publication]) -> list[str]:
    """The measures the councils' own outputs publish that a definition (``SUMS``) ties to a
    measure of ``shown``: known to the regional protection, never shown by it. Without them a
    council's published DfE placement groups, summed, were the region's, less the region's
    placement types shown here: a hidden type."""
    wanted = set(shown)
    linked: set[str] = set()
    for line in SUMS:
        mids = {pattern.split(".")[0] for pattern in (*line.total, *line.parts)}
        if mids & wanted:
            linked |= mids
    their = {split(r)[0] for p in published.values() for r in p.figures}
    their |= {mid for p in published.values() for mid in p.withheld}
    return sorted((linked - wanted) & their)


def protect_region(
    by_council: Mapping[str, Mapping[str, Result]],
    region: Mapping[str, Result],
    at: dt.date,
    small_max: int,
    published: Mapping[str, Publication] | None = None,
    context: tuple[Mapping[str, Mapping[str, Result]], Mapping[str, Result]] | None = None,
) -> tuple[dict[str, dict[str, Result]], dict[str, Result]]:
    """The councils' and the region's results with one choice of suppressions for all; with
    ``published``, each council's own outputs of ``at`` (by council): what they hide is hidden in
    the council's column, what they show is known. ``context`` (by council, and the region's)
    are results of measures the output does not show (``context_ids``): known to the system,
    never shown, the councils' own published figures of them known to the reader."""
    council_context, region_context = context or ({}, {})
    every = {**region_context, **region}
    system = measure_system({at: every})
    for code, results in by_council.items():
        mine = {**council_context.get(code, {}), **results}
        _merge(system, measure_system({at: mine}), _prefix(code))
    # a context figure is never shown, and is not this output's to protect: a small one that
    # the councils' own outputs give away is theirs (each is protected there); what matters
    # here is what it lets a reader work out of the figures this output hides
    unseen = {f"{mid}@{at.isoformat()}" for mid in region_context if mid not in region}
    for r, var in list(system.vars.items()):
        if table_of(r.split(":", 1)[-1]) in unseen:
            kind = "number" if var.kind == "children" else var.kind
            system.vars[r] = replace(var, shown=False, kind=kind)
    for mid, result in every.items():
        if not additive(None, result):
            continue
        for path, _, _ in result.leaves():
            total = ref(mid, path, at)
            parts = [_prefix(c) + ref(mid, path, at) for c in by_council]
            if total in system.vars and all(p in system.vars for p in parts):
                system.relate(Relation.equal([total], parts, label=f"region {mid}"))
    own_hidden, own_shown = _own_outputs(system, published or {}, at)
    own_hidden = {r for r in own_hidden if system.vars[r].shown}
    primary = frozenset(system.follow(system.small(small_max) | own_hidden))
    prefixes = ["", *(_prefix(c) for c in by_council)]
    dfe = [(mid, pre) for mid in PUBLISHED_BY_DFE for pre in prefixes]
    core = [(mid, pre) for mid in CORE for pre in prefixes]
    choice = protect(
        system,
        primary,
        small_max,
        keep=(
            {r for mid, pre in dfe if (r := pre + ref(mid, (), at)) in system.vars} | set(own_shown)
        )
        - primary,
        group=table_of,
        keep_groups={f"{pre}{mid}@{at.isoformat()}" for mid, pre in core},
        # a figure a council shows at its own, lower threshold is hidden here and still known
        known=own_shown,
    )

    def applied(results: Mapping[str, Result], prefix: str) -> dict[str, Result]:
        hidden = frozenset(r.removeprefix(prefix) for r in choice.hidden if r.startswith(prefix))
        withheld = frozenset(
            w.removeprefix(prefix) for w in choice.withheld if w.startswith(prefix)
        )
        protection = Protection(
            choice.system, hidden, primary, small_max=small_max, withheld=withheld
        )
        return apply_protection({at: results}, protection)[at]

    regional = {r for r in choice.hidden if not any(r.startswith(_prefix(c)) for c in by_council)}
    region_protection = Protection(
        choice.system,
        frozenset(regional),
        primary,
        small_max=small_max,
        withheld=frozenset(
            w for w in choice.withheld if not any(w.startswith(_prefix(c)) for c in by_council)
        ),
    )
    councils = {c: applied(r, _prefix(c)) for c, r in by_council.items()}
    return councils, apply_protection({at: region}, region_protection)[at]


def regional_measures(
    datasets: Mapping[str, Dataset],
    at: dt.date,
    ids: list[str] | None = None,
    suppress: bool = True,
    small_max: int | None = None,
    scheduler: str | None = None,
) -> RegionalMeasures:
    """Every measure per council and for the region at ``at``, protected unless told not to
    (each council's measures on ``scheduler``'s cluster when given)."""
    by_council = council_measures(datasets, at, ids, scheduler)
    region = regional_results(datasets, by_council, at)
    if not suppress:
        return RegionalMeasures(at, by_council, region, suppressed=False)
    threshold = small_max or max(ds.profile.small_count_max for ds in datasets.values())
    published = {
        code: publication
        for code, ds in datasets.items()
        if (publication := publication_at(ds, at)) is not None
    }
    extra = context_ids(region, published)
    context = None
    if extra:
        council_context = council_measures(datasets, at, extra, scheduler)
        context = (council_context, regional_results(datasets, council_context, at))
    councils, protected = protect_region(by_council, region, at, threshold, published, context)
    return RegionalMeasures(at, councils, protected, suppressed=True)
