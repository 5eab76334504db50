"""What a reader knows from outside an output: the DfE's published figures for the council.

The DfE publishes each council's children looked after, starts, ceased, UASC, adoptions and
special guardianship orders, and percentages (placement groups, stability, care leavers,
distance) for every year. A reader of the council's statement can set those beside it, so
disclosure control must treat them as published: a secondary suppression of a figure the DfE
already prints protects nothing, and a published percentage pins its count to within its
rounding. A year's figures are used only when the DfE's children looked after agree with the
council's data, and then only those that agree too (a figure from another version of the
return tells a reader nothing exact about this one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sufficiency.disclosure.linear import INF, Relation, System
from sufficiency.measures.identities import ref
from sufficiency.published.areas import UnknownArea, resolve_la
from sufficiency.published.comparators import Figure, comparators, published_measures

#: The figure that says whether the DfE's figures for a year are of this data.
HEADLINE = "cla_count"


@dataclass
class Outside:
    """Figures a reader has exactly (``known``) and relations they can rely on."""

    known: dict[str, float] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    #: Published figures that disagree with the council's data (not used; said in the audit).
    disagree: list[str] = field(default_factory=list)


def _figure(la_code: str, measure_id: str, year: int) -> Figure | None:
    """The council's own published figure for exactly that year (never a lagged one)."""
    comparison = comparators(la_code, measure_id, year)
    if comparison is None or comparison.year != year:
        return None
    figure = comparison.published_la
    if figure is None or figure.value is None or figure.symbol:
        return None
    return figure


def _half_step(value: float) -> float:
    """Half the last published decimal place: 0.5 for a whole number, 0.05 for one decimal."""
    text = repr(float(value))
    decimals = 0 if text.endswith(".0") else len(text.partition(".")[2])
    return 0.5 * 10.0 ** (-decimals)


def _share_refs(measure_id: str, at: dt.date) -> tuple[str, str]:
    """The count and denominator a published percentage stands for: a breakdown's key out of
    the children looked after, or a share's own count and denominator."""
    if "." in measure_id:
        head, _, key = measure_id.partition(".")
        return ref(head, (key,), at), ref("cla_count", (), at)
    return ref(measure_id, ("count",), at), ref(measure_id, ("denominator",), at)


def dfe_published(system: System, la_code: str, dates: Iterable[dt.date]) -> Outside:
    """The council's DfE figures for every 31 March among ``dates`` that agree with the
    figures of ``system``: counts as known values, percentages as the range they pin."""
    out = Outside()
    if not la_code:
        return out
    try:
        resolve_la(la_code)
    except UnknownArea:
        return out
    for at in sorted(set(dates)):
        if (at.month, at.day) != (3, 31) or not _same_return(out, system, la_code, at):
            continue
        for info in published_measures():
            figure = _figure(la_code, info.measure_id, at.year)
            if figure is None:
                continue
            if info.unit == "count":
                _exact(out, system, ref(info.measure_id, (), at), float(figure.value or 0))
            elif info.unit == "percent":
                count, den = _share_refs(info.measure_id, at)
                if figure.count is not None:
                    _exact(out, system, count, float(figure.count))
                if figure.denominator is not None:
                    _exact(out, system, den, float(figure.denominator))
                _percent(out, system, count, den, float(figure.value or 0), info.measure_id)
    return out


def _same_return(out: Outside, system: System, la_code: str, at: dt.date) -> bool:
    """The DfE's figures for a year describe this data only when its headline agrees: the
    children looked after on 31 March (a percentage of another council's, or of another
    version of the return, says nothing about these children)."""
    figure = _figure(la_code, HEADLINE, at.year)
    reference = ref(HEADLINE, (), at)
    var = system.vars.get(reference)
    if figure is None or var is None:
        return False
    if var.value != figure.value:
        out.disagree.append(reference)
        return False
    return True


def _exact(out: Outside, system: System, reference: str, value: float) -> None:
    var = system.vars.get(reference)
    if var is None:
        return
    if var.value == value:
        out.known[reference] = value
    else:
        out.disagree.append(reference)


def _percent(
    out: Outside, system: System, count: str, den: str, pct: float, measure_id: str
) -> None:
    """100 x count lies within half a published step of pct x denominator."""
    if count not in system.vars or den not in system.vars:
        return
    c, d = system.vars[count].value, system.vars[den].value
    h = _half_step(pct)
    if d <= 0 or not (pct - h - 1e-9 <= 100.0 * c / d <= pct + h + 1e-9):
        out.disagree.append(f"{measure_id} ({count})")
        return
    label = f"DfE published {measure_id} {pct:g}%"
    out.relations.append(Relation(((count, 100.0), (den, -(pct + h))), -INF, 0.0, label))
    out.relations.append(Relation(((count, 100.0), (den, -(pct - h))), 0.0, INF, label))


def agreeing(system: System, figures: Mapping[str, float]) -> Outside:
    """Figures a reader has from elsewhere (the council's previous statement) that are figures
    of ``system`` with the same value; the rest are listed in ``disagree`` or ignored."""
    out = Outside()
    for reference, value in figures.items():
        _exact(out, system, reference, float(value))
    return out
