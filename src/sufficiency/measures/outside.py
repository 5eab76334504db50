"""What a reader knows from outside an output: the DfE's published figures for the council.

The DfE publishes each council's children looked after, starts, ceased, UASC, adoptions and
special guardianship orders, and percentages (placement groups, stability, care leavers,
distance) for every year. A reader of the council's statement can set those beside it, so
disclosure control must treat them as published: a secondary suppression of a figure the DfE
already prints protects nothing, and a published percentage pins its count to within its
rounding. Each figure is used when it agrees with the council's data (one from another version
of the return tells a reader nothing exact about this one; one that agrees is what any reader
downloads, whatever else changed). For a year the package ships no release of (the statement's
own year, published before the DfE's November release), the DfE will publish the same return's
figures later: they are expected as the DfE prints them (``expected_release``: counts other
than 1 to 5, the counts and denominators beside its percentages, and a count its whole
percentage pins exactly), so that a suppression made today does not become worthless when they
appear.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sufficiency.disclosure import SMALL_MAX
from sufficiency.disclosure.linear import INF, Relation, System
from sufficiency.measures.identities import ref
from sufficiency.published.areas import UnknownArea, resolve_la
from sufficiency.published.comparators import (
    Figure,
    comparators,
    published_measures,
    published_parts,
)

#: The figure that says whether the DfE's figures for a year are of this data.
HEADLINE = "cla_count"


@dataclass
class Outside:
    """Figures a reader has exactly (``known``) and relations they can rely on."""

    known: dict[str, float] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    #: Published figures that disagree with the council's data (not used; said in the audit).
    disagree: list[str] = field(default_factory=list)
    #: Counts the DfE will print as ``c``: a reader knows they are 1 to 5.
    suppressed: set[str] = field(default_factory=set)


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
    figures of ``system``: counts as known values, percentages as the range they pin; for a
    year with no release shipped, the figures the DfE will publish (``expected_release``)."""
    out = Outside()
    if not la_code:
        return out
    try:
        resolve_la(la_code)
    except UnknownArea:
        return out
    for at in sorted(set(dates)):
        if (at.month, at.day) != (3, 31):
            continue
        if not _released(la_code, at.year):
            expected_release(out, system, at)
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
                if den in out.known:  # a percentage of another denominator says nothing here
                    _percent(out, system, count, den, float(figure.value or 0), info.measure_id)
    return out


def _released(la_code: str, year: int) -> bool:
    """True when the package ships the DfE's release of ``year`` for the council (a figure or
    a symbol for its children looked after)."""
    comparison = comparators(la_code, HEADLINE, year)
    return (
        comparison is not None and comparison.year == year and comparison.published_la is not None
    )


def expected_release(out: Outside, system: System, at: dt.date) -> None:
    """What the DfE will publish of the return of ``at`` once released, from the council's own
    figures, as its last release printed them: each count (children looked after, starts,
    ceased, UASC, adoptions, special guardianship orders) unless it is 1 to 5, the DfE's ``c``
    (then ``suppressed``: a reader knows it is 1 to 5); each percentage as a whole per cent
    unless its count is 1 to 5, with the count and denominator beside it where the DfE prints
    them (``published_parts``)."""
    for info in published_measures():
        if info.unit == "count":
            _expect(out, system, ref(info.measure_id, (), at))
        elif info.unit == "percent":
            count, den = _share_refs(info.measure_id, at)
            if count not in system.vars or den not in system.vars:
                continue
            with_count, with_den = published_parts(info.measure_id)
            if with_den or den == ref(HEADLINE, (), at):
                _expect(out, system, den)
            if with_count:
                _expect(out, system, count)
            c, d = system.vars[count].value, system.vars[den].value
            if _dfe_small(c) or d <= 0:
                out.suppressed.add(count)
                continue
            if den in out.known:
                _pinned(out, system, count, float(math.floor(100.0 * c / d + 0.5)), d)


def _dfe_small(value: float) -> bool:
    """A count the DfE prints as ``c``."""
    return 1 <= value <= SMALL_MAX


def _expect(out: Outside, system: System, reference: str) -> None:
    """A count of children the DfE will print: known, or ``suppressed`` when 1 to 5."""
    var = system.vars.get(reference)
    if var is None or var.kind != "children":
        return
    if _dfe_small(var.value):
        out.suppressed.add(reference)
    else:
        out.known[reference] = var.value


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
    """100 x count lies within half a published step of pct x denominator; with the
    denominator known and one whole count in that range, the count is known."""
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
    if den in out.known:
        _pinned(out, system, count, pct, d)


def _pinned(out: Outside, system: System, count: str, pct: float, d: float) -> None:
    """A count of children known from its percentage of a known denominator ``d`` when the
    percentage's rounding leaves one whole count; what ``System.pinned_by`` then works out is
    known too."""
    h = _half_step(pct)
    if system.vars[count].kind == "children":
        low = math.ceil((pct - h) * d / 100.0 - 1e-9)
        if low == math.floor((pct + h) * d / 100.0 + 1e-9):
            out.known[count] = system.vars[count].value


def agreeing(system: System, figures: Mapping[str, float]) -> Outside:
    """Figures a reader has from elsewhere (the council's previous statement) that are figures
    of ``system`` with the same value; the rest are listed in ``disagree`` or ignored."""
    out = Outside()
    for reference, value in figures.items():
        _exact(out, system, reference, float(value))
    return out
