"""One date's measures as a published output shows them: the same suppressions whichever output
a reader takes them from, so that putting two outputs side by side gives nothing away.

They are published for 31 March of a year with a return only: the publish-mode statement's
figures for that year (and the viewer's dashboard's), its measures and the trend measures of the
years before, protected together (``protect.protect_measures``). Another day's figures beside
them give hidden counts away by subtraction, whatever each hides on its own: a year of bed
nights to 30 March less the year to 31 March is the children placed on the night of 31 March this
year less a year before (a hidden 5 of supported accommodation came back as 7 - (2101 - 2099)),
and a figure hidden on one day is printed on the next. Such a day is refused (``NotPublished``).

``publication`` is what a council's share carries to its region of these: the region hides in
the council's column what the council's own outputs hide (``region.needs.protect_region``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sufficiency.dataset import Dataset
from sufficiency.measures.suppression import Protection
from sufficiency.region.shared import Publication
from sufficiency.results import Result


class NotPublished(ValueError):
    """A day whose figures are not published: not 31 March of a year with a return."""


def protected_results(ds: Dataset, at: dt.date) -> dict[str, Result]:
    """Every catalogue measure of ``at``, protected as published (small counts of children
    suppressed at the council's threshold, further figures where arithmetic would reveal them,
    providers by sector). Raises ``NotPublished`` for a day other than 31 March of a year with
    a return, ``DisclosureError`` when no suppression protects them."""
    why = not_published(at, ds.returns)
    if why is not None:
        raise NotPublished(why)
    return _protected(ds, at)[1]


def not_published(at: dt.date, years: Collection[int]) -> str | None:
    """Why figures of ``at`` with small numbers suppressed are not published (a day other than
    31 March of one of ``years``, the years with a return), or None. The one rule of every
    suppressed output of a date: the council's measures and the region's."""
    if (at.month, at.day) == (3, 31) and at.year in years:
        return None
    return (
        f"figures with small numbers suppressed are published for 31 March of a year with a "
        f"return only, not {at:%d/%m/%Y}: another day's beside them give hidden counts away by "
        "subtraction (a year of bed nights to 30 March less the year to 31 March is the "
        "children placed on 31 March)"
    )


def _protected(ds: Dataset, at: dt.date) -> tuple[Protection, dict[str, Result]]:
    from sufficiency.report.build import statement_inputs
    from sufficiency.report.protect import protect_measures

    shown, context = statement_inputs(ds, at.year)
    protection, protected, _ = protect_measures(ds, shown, context=context)
    return protection, protected[at]


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
