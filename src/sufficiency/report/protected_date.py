"""One date's measures as a published output shows them: the same suppressions whichever output
a reader takes them from, so that putting two outputs side by side gives nothing away.

For 31 March of a year with a return they are the publish-mode statement's figures for that
year (and the viewer's dashboard's): its measures and the trend measures of the years before,
protected together (``protect.protect_measures``). Another date's measures are protected
together on their own (a viewer never sees such a date; an analyst's export may).
"""

from __future__ import annotations

import datetime as dt

from sufficiency.dataset import Dataset
from sufficiency.results import Result


def protected_results(ds: Dataset, at: dt.date) -> dict[str, Result]:
    """Every catalogue measure of ``at``, protected as published (small counts of children
    suppressed at the council's threshold, further figures where arithmetic would reveal them,
    providers by sector). Raises ``DisclosureError`` when no suppression protects them."""
    from sufficiency.report.build import statement_inputs
    from sufficiency.report.protect import protect_measures
    from sufficiency.report.sources import measure_results

    if (at.month, at.day) == (3, 31) and at.year in ds.returns:
        shown, context = statement_inputs(ds, at.year)
    else:
        shown, context = {at: measure_results(ds, at)}, {}
    _, protected, _ = protect_measures(ds, shown, context=context)
    return protected[at]
