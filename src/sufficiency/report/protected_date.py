"""One date's measures as a published output shows them: the same suppressions whichever output
a reader takes them from, so that putting two outputs side by side gives nothing away.

For 31 March of a year with a return they are the publish-mode statement's figures for that
year (and the viewer's dashboard's): its measures and the trend measures of the years before,
protected together (``protect.protect_measures``). Another date's measures are protected
together on their own (a viewer never sees such a date; an analyst's export may).

``publication`` is what a council's share carries to its region of these: the region hides in
the council's column what the council's own outputs hide (``region.needs.protect_region``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sufficiency.dataset import Dataset
from sufficiency.measures.suppression import Protection
from sufficiency.region.shared import Publication
from sufficiency.results import Result


def protected_results(ds: Dataset, at: dt.date) -> dict[str, Result]:
    """Every catalogue measure of ``at``, protected as published (small counts of children
    suppressed at the council's threshold, further figures where arithmetic would reveal them,
    providers by sector). Raises ``DisclosureError`` when no suppression protects them."""
    return _protected(ds, at)[1]


def _protected(ds: Dataset, at: dt.date) -> tuple[Protection, dict[str, Result]]:
    from sufficiency.report.build import CONTEXT_IDS, statement_inputs
    from sufficiency.report.protect import protect_measures
    from sufficiency.report.sources import measure_results

    if (at.month, at.day) == (3, 31) and at.year in ds.returns:
        shown, context = statement_inputs(ds, at.year)
    else:  # the earlier days its figures name, to know which costs are tied to a few children
        results = measure_results(ds, at)
        shown = {at: results}
        context = {d: measure_results(ds, d, list(CONTEXT_IDS)) for d in earlier_days(results, at)}
    protection, protected, _ = protect_measures(ds, shown, context=context)
    return protection, protected[at]


def earlier_days(results: Mapping[str, Result], at: dt.date) -> set[dt.date]:
    """The earlier dates whose figures ``results`` of ``at`` show (a trend point, a year of
    spend): the same day of earlier years."""
    from sufficiency.measures.identities import alias, split

    out = set()
    for mid, result in results.items():
        for path, _, _ in result.leaves():
            found = alias(mid, path, at, results)
            if found is not None and (day := split(found[0])[2]) < at:
                out.add(day)
    return out


def publication(ds: Dataset) -> dict[dt.date, Publication]:
    """What the council's own outputs publish at each 31 March with a return (its statement's
    and dashboard's figures, None where hidden, and the measures withheld whole). A date no
    suppression protects is left out: nothing of it is published."""
    from sufficiency.disclosure import is_suppressed
    from sufficiency.disclosure.audit import DisclosureError
    from sufficiency.measures.identities import ref

    out: dict[dt.date, Publication] = {}
    for year in ds.returns:
        at = dt.date(year, 3, 31)
        try:
            protection, results = _protected(ds, at)
        except DisclosureError:
            continue
        figures: dict[str, float | None] = {}
        for mid, result in results.items():
            for path, value, _ in result.leaves():
                if is_suppressed(value):
                    figures[ref(mid, path, at)] = None
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    figures[ref(mid, path, at)] = float(value)
        suffix = f"@{at.isoformat()}"
        withheld = frozenset(
            t.removesuffix(suffix) for t in protection.withheld if t.endswith(suffix)
        )
        out[at] = Publication(figures, withheld)
    return out
