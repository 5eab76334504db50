"""Key messages written from the numbers by fixed rules (no language model).

Each rule reads measure values (already suppressed in publish mode) and comparators, and either
returns one plain-English sentence the numbers support or nothing. A rule never states a
suppressed (``"c"``) or missing value, and never claims a direction the numbers do not show.
The sentences are ranked by materiality (``RULES``: the share of the year's spend, of the
children looked after, or the distance from the comparators each is about), so money and
children come before small changes; spend is said to be modelled (nights x rates), not outturn.
A figure a table also prints is written as that table prints it (``model.fmt_value`` on the
same rule's value), so the text and the table never show one figure two ways.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.disclosure import is_number, is_suppressed
from sufficiency.measures.change import change, percent_change
from sufficiency.measures.comparators import Comparator, comparator_for, lags
from sufficiency.report.model import Cell, CellKind, fmt_value
from sufficiency.report.sections.blocks import pct_cell, round1
from sufficiency.report.sources import YearValues

#: The distance measure set beside the DfE's published comparators: its LACDistance indicator
#: (outside the council and more than 20 miles from home), not ``placed_over_20_miles``, for
#: which nothing is published (docs/measures.md).
DISTANCE_COMPARED = "placed_over_20_miles_outside_la"

AREA_NAMES = {
    "england": "England",
    "region": "the region",
    "statistical_neighbours": "statistical neighbours",
}


def _num(value: Any) -> float | None:
    """A usable number, or None when missing or suppressed."""
    return float(value) if is_number(value) else None


def _shown(value: Any, kind: CellKind) -> str:
    """``value`` as a table cell of ``kind`` prints it (``model.fmt_value``)."""
    return fmt_value(Cell(value, kind))


def _count(value: Any) -> str:
    """A count as the tables print one ("1,030")."""
    return _shown(value, "count")


def _pct(value: Any) -> str:
    """A percentage as the tables print one: one decimal place ("2.5%", "10.0%")."""
    return _shown(value, "pct")


#: A share on fewer children than this is not worth a headline (and may be noise).
MIN_DENOMINATOR = 5


def _pct_of(value: Any) -> float | None:
    """The percentage of a share the rules may state: not suppressed, not on a tiny base."""
    if isinstance(value, Mapping):
        den = _num(value.get("denominator"))
        if den is None or den < MIN_DENOMINATOR:
            return None
        return _num(value.get("pct"))
    return _num(value)


def _comparison(value: float, marks: Sequence[Comparator], measure_id: str, year: int) -> str:
    """', below statistical neighbours (9.8%) and England (10.0%)' style clause, or ''."""
    above: list[str] = []
    below: list[str] = []
    same: list[str] = []
    for area in ("statistical_neighbours", "region", "england"):
        mark = comparator_for(marks, measure_id, year, area)
        if mark is None:
            continue
        kind: CellKind = "rate" if measure_id in ("cla_rate_per_10k",) else "pct"
        # comparators lag: say which year's figure is used when it is not this year's
        when = f", {mark.year - 1}-{str(mark.year)[2:]}" if lags(mark, year) else ""
        label = f"{AREA_NAMES[area]} ({_shown(mark.value, kind)}{when})"
        if round(value, 1) > round(mark.value, 1):
            above.append(label)
        elif round(value, 1) < round(mark.value, 1):
            below.append(label)
        else:
            same.append(label)
    parts = []
    if above:
        parts.append("above " + " and ".join(above))
    if below:
        parts.append("below " + " and ".join(below))
    if same:
        parts.append("the same as " + " and ".join(same))
    return (", " + "; ".join(parts)) if parts else ""


Rule = Callable[[list[YearValues], Sequence[Comparator], Mapping[str, Any]], str | None]


def cla_change(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """Children looked after rose / fell N% from A to B (the last two years)."""
    if len(years) < 2:
        cur = _num(years[-1].get("cla_count")) if years else None
        if cur is None:
            return None
        return f"{_count(cur)} children were looked after on 31 March {years[-1].year}."
    prev, cur = _num(years[-2].get("cla_count")), _num(years[-1].get("cla_count"))
    if prev is None or cur is None:
        return None
    if cur == prev:
        return (
            f"Children looked after stayed at {_count(cur)} between 31 March {years[-2].year} "
            f"and 31 March {years[-1].year}."
        )
    verb = "rose" if cur > prev else "fell"
    # the trend table's "change on previous year" (``percent_change``, one decimal)
    pct = percent_change(prev, cur)
    if not isinstance(pct, float):  # from zero: no per cent change
        return f"Children looked after {verb} from 0 to {_count(cur)}."
    return (
        f"Children looked after {verb} {_pct(abs(pct))} from {_count(prev)} to {_count(cur)} "
        f"(31 March {years[-2].year} to 31 March {years[-1].year})."
    )


def cla_rate(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """The rate per 10,000 against the comparators."""
    if not years:
        return None
    rate = _num(years[-1].get("cla_rate_per_10k"))
    if rate is None:
        return None
    cmp = _comparison(rate, marks, "cla_rate_per_10k", years[-1].year)
    return f"The rate of children looked after was {_shown(rate, 'rate')} per 10,000 children{cmp}."


def stability(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """Share with three or more placements, against comparators and last year."""
    if not years:
        return None
    pct = _pct_of(years[-1].get("stability_three_plus"))
    if pct is None:
        return None
    cmp = _comparison(pct, marks, "stability_three_plus", years[-1].year)
    trend = ""
    if len(years) >= 2:
        prev = _pct_of(years[-2].get("stability_three_plus"))
        moved = change(prev, pct)
        if prev is not None and isinstance(moved, float | int) and moved:
            trend = f" ({'up' if moved > 0 else 'down'} from {_pct(prev)} a year earlier)"
    return f"{_pct(pct)} of children looked after had three or more placements in the year{trend}{cmp}."


def long_term_stability(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """Share of long-term children in the same placement for two years or more."""
    if not years:
        return None
    pct = _pct_of(years[-1].get("stability_long_term"))
    if pct is None:
        return None
    cmp = _comparison(pct, marks, "stability_long_term", years[-1].year)
    return (
        f"{_pct(pct)} of children under 16 looked after for two and a half years or more had "
        f"lived in the same placement for at least two years{cmp}."
    )


def distance(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """Children placed more than 20 miles from home, and 100 miles or more; the DfE's measure
    (outside the council and more than 20 miles) beside its published comparators, like for
    like (nothing is published for all children more than 20 miles away)."""
    if not years:
        return None
    over20 = years[-1].get("placed_over_20_miles")
    over100 = years[-1].get("placed_over_100_miles")
    pct20 = _pct_of(over20)
    n100 = _num(over100.get("count")) if isinstance(over100, Mapping) else None
    if pct20 is None:
        return None
    text = f"{_pct(pct20)} of children looked after lived more than 20 miles from home"
    dfe = _pct_of(years[-1].get(DISTANCE_COMPARED))
    if dfe is not None:
        cmp = _comparison(dfe, marks, DISTANCE_COMPARED, years[-1].year)
        text += (
            f"; {_pct(dfe)} lived outside the council's area and more than 20 miles away "
            f"(the DfE's measure){cmp}"
        )
    text += "."
    if n100 is not None:
        pct100 = _pct_of(over100)
        share = f" ({_pct(pct100)})" if pct100 is not None else ""
        text += f" {_count(n100)} children{share} lived 100 miles or more away."
    return text


def uasc(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """Unaccompanied asylum-seeking (separated migrant) children, as a share of all CLA."""
    if not years:
        return None
    n = _num(years[-1].get("uasc_count"))
    total = _num(years[-1].get("cla_count"))
    if n is None or total is None or total == 0:
        return None
    # the uasc table's "% of children looked after": the share rule on the same two counts
    share = pct_cell(years[-1].get("uasc_count"), years[-1].get("cla_count"), "").value
    of_all = f" ({_pct(share)})" if is_number(share) else ""
    return (
        f"{_count(n)} children looked after{of_all} were unaccompanied "
        f"asylum-seeking (separated migrant) children."
    )


def largest_type(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """The most common placement type and its share."""
    if not years:
        return None
    by_type = years[-1].get("cla_by_placement_type")
    total = _num(years[-1].get("cla_count"))
    if not isinstance(by_type, Mapping) or not total:
        return None
    known = {k: _num(v) for k, v in by_type.items()}
    usable = {k: v for k, v in known.items() if v is not None}
    if not usable:
        return None
    key = max(usable, key=lambda k: usable[k])
    value = usable[key]
    if value == 0:
        return None
    title = PLACEMENT_TYPE_TITLES.get(key, key).lower()
    # the placement type table's "%": the share rule on the same two counts
    share = pct_cell(by_type.get(key), years[-1].get("cla_count"), "").value
    of_all = f" ({_pct(share)} of children looked after)" if is_number(share) else ""
    return f"The most common placement was {title}: {_count(value)} children{of_all}."


def _nights(years: list[YearValues], ptype: str) -> float | None:
    by_type = years[-1].get("bed_nights_by_placement_type") if years else None
    return _num(by_type.get(ptype)) if isinstance(by_type, Mapping) else None


def _cost_rises(
    years: list[YearValues], extra: Mapping[str, Any]
) -> list[tuple[float, str, float, float, int, int]]:
    """Each placement type's rise in average weekly cost between its last two cost years, in
    pounds over the latest year's nights of care: (pounds, type, before, after, years)."""
    weekly = extra.get("weekly_costs")
    if not isinstance(weekly, Mapping):
        return []
    out = []
    for ptype, by_year in weekly.items():
        yrs = sorted(int(y) for y in by_year)
        nights = _nights(years, ptype)
        if len(yrs) < 2 or nights is None:
            continue
        a, b = _num(by_year[str(yrs[-2])]), _num(by_year[str(yrs[-1])])
        if a is None or b is None or b <= a:
            continue
        out.append(((b - a) * nights / 7, ptype, a, b, yrs[-2], yrs[-1]))
    return sorted(out, key=lambda r: (-r[0], r[1]))


def _money(value: float) -> str:
    """£13.9m, £540k or £950: the size a reader takes in."""
    if value >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    if value >= 10_000:
        return f"£{value / 1_000:,.0f}k"
    return f"£{value:,.0f}"


def costs(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """The rise in average weekly cost that adds most to the year's spend (the rise times the
    weeks of care bought), not the largest percentage on a handful of placements."""
    rises = _cost_rises(years, extra)
    if not rises:
        return None
    pounds, ptype, a, b, y0, y1 = rises[0]
    rise = percent_change(a, b)
    pct = f" {_pct(rise)}" if isinstance(rise, float) else ""
    return (
        f"The average weekly cost of '{PLACEMENT_TYPE_TITLES.get(ptype, ptype).lower()}' "
        f"rose{pct} from {_shown(a, 'money')} ({y0 - 1}-{str(y0)[2:]}) to {_shown(b, 'money')} "
        f"({y1 - 1}-{str(y1)[2:]}), about {_money(pounds)} more over the year's nights of "
        "care: the largest rise in pounds of any placement type."
    )


def spend(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """The year's modelled spend and the placement type that takes most of it."""
    if not years:
        return None
    total = _num(years[-1].get("spend_total"))
    by_type = years[-1].get("spend_by_placement_type")
    if not total or not isinstance(by_type, Mapping):
        return None
    known = {t: v for t, v in ((t, _num(v)) for t, v in by_type.items()) if v}
    if not known:
        return None
    top = max(known, key=lambda t: (known[t], t))
    return (
        f"Modelled spend on placements (nights of care x the council's weekly rates) was "
        f"{_money(total)} in {years[-1].year - 1}-{str(years[-1].year)[2:]}; the largest part "
        f"was '{PLACEMENT_TYPE_TITLES.get(top, top).lower()}': {_money(known[top])} "
        f"({_pct(round(known[top] / total * 100, 1))})."
    )


def gap(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """The largest forecast shortfall, when the gap analysis is available."""
    data = extra.get("gap")
    if not isinstance(data, Mapping) or not data.get("years"):
        return None
    first = data["years"][0]
    shortfalls = {
        t: _num(v.get("shortfall"))
        for t, v in first.get("by_type", {}).items()
        if isinstance(v, Mapping)
    }
    usable = {t: v for t, v in shortfalls.items() if v is not None and v > 0}
    # a type whose figures are suppressed may have any shortfall: never read as none, nor
    # passed over as smaller than the largest shown
    hidden = sum(
        1
        for v in first.get("by_type", {}).values()
        if isinstance(v, Mapping) and is_suppressed(v.get("shortfall"))
    )
    if not usable:
        whose = "1 type's" if hidden == 1 else f"{hidden} types'"
        shown = f" in the placement types it shows ({whose} figures are too small to show)"
        shown = shown if hidden else ""
        return f"The baseline forecast shows no shortfall of homes in {first.get('year')}{shown}."
    t = max(usable, key=lambda k: usable[k])
    cell = first.get("by_type", {}).get(t, {})
    price = cell.get("framework_weekly_price")
    how = (
        "bought through the framework" + (f" at £{price:,.0f} a week" if is_number(price) else "")
        if cell.get("framework")
        else "spot-purchased, one by one"
    )
    return (
        f"{'Of the placement types shown, the' if hidden else 'The'} largest gap in "
        f"{first.get('year')} between the homes children are expected to "
        f"need and the council's in-house and contracted capacity is in "
        f"'{PLACEMENT_TYPE_TITLES.get(t, t).lower()}' placements: "
        f"{_shown(round1(usable[t]), 'number')} places "
        f"to be {how}."
    )


def forecast(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any]
) -> str | None:
    """Where the baseline forecast expects children looked after to be at its last year end."""
    data = extra.get("forecast")
    if not isinstance(data, Mapping):
        return None
    scen = (data.get("scenarios") or {}).get("baseline")
    if not isinstance(scen, Mapping) or not scen.get("yearly"):
        return None
    last = scen["yearly"][-1]
    total = last.get("total") or {}
    mean, low, high = _num(total.get("mean")), _num(total.get("p10")), _num(total.get("p90"))
    if mean is None or low is None or high is None:
        return None
    when = str(last.get("date", ""))[:10]
    with contextlib.suppress(ValueError):
        when = dt.date.fromisoformat(when).strftime("%-d %B %Y")
    # as the forecast table prints its total and range (``round1``)
    mean_, low_, high_ = (_shown(round1(v), "number") for v in (mean, low, high))
    return (
        f"On current trends the council expects about {mean_} children looked after on "
        f"{when} (likely range {low_} to {high_})."
    )


Weight = Callable[[list[YearValues], Sequence[Comparator], Mapping[str, Any]], float]


def _ratio(part: float | None, whole: float | None) -> float:
    return abs(part) / whole if part is not None and whole else 0.0


def _cla(years: list[YearValues]) -> float | None:
    return _num(years[-1].get("cla_count")) if years else None


def _spend(years: list[YearValues]) -> float | None:
    return _num(years[-1].get("spend_total")) if years else None


def _versus(value: float | None, marks: Sequence[Comparator], mid: str, year: int) -> float:
    """How far ``value`` is from its comparators, as a share of the farthest's value."""
    if value is None:
        return 0.0
    gaps = [
        _ratio(value - mark.value, mark.value)
        for area in AREA_NAMES
        if (mark := comparator_for(marks, mid, year, area)) is not None
    ]
    return max(gaps, default=0.0)


def w_cla_change(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    if len(years) < 2:
        return 0.0
    prev, cur = _num(years[-2].get("cla_count")), _cla(years)
    return _ratio(None if cur is None or prev is None else cur - prev, prev)


def w_rate(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    rate = _num(years[-1].get("cla_rate_per_10k")) if years else None
    return _versus(rate, marks, "cla_rate_per_10k", years[-1].year) if years else 0.0


def w_uasc(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    return _ratio(_num(years[-1].get("uasc_count")), _cla(years)) if years else 0.0


def w_largest_type(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    by_type = years[-1].get("cla_by_placement_type") if years else None
    if not isinstance(by_type, Mapping):
        return 0.0
    return max((_ratio(_num(v), _cla(years)) for v in by_type.values()), default=0.0)


def _w_share(mid: str) -> Weight:
    def weigh(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
        pct = _pct_of(years[-1].get(mid)) if years else None
        return _versus(pct, marks, mid, years[-1].year) if years else 0.0

    return weigh


def w_distance(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    pct = _pct_of(years[-1].get("placed_over_20_miles")) if years else None
    return max(_ratio(pct, 100.0), _w_share(DISTANCE_COMPARED)(years, marks, extra))


def w_costs(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    rises = _cost_rises(years, extra)
    return _ratio(rises[0][0], _spend(years)) if rises else 0.0


def w_spend(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    by_type = years[-1].get("spend_by_placement_type") if years else None
    if not isinstance(by_type, Mapping):
        return 0.0
    return max((_ratio(_num(v), _spend(years)) for v in by_type.values()), default=0.0)


def w_forecast(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    scen = ((extra.get("forecast") or {}).get("scenarios") or {}).get("baseline") or {}
    yearly = scen.get("yearly") or [{}]
    mean = _num((yearly[-1].get("total") or {}).get("mean"))
    cur = _cla(years)
    return _ratio(None if mean is None or cur is None else mean - cur, cur)


def w_gap(years: list[YearValues], marks: Sequence[Comparator], extra: Any) -> float:
    """The places the message states (the largest shortfall), as a share of the children
    looked after: buying them is most of today's external spend, not new money."""
    first = ((extra.get("gap") or {}).get("years") or [{}])[0]
    shortfalls = [
        _num(v.get("shortfall"))
        for v in (first.get("by_type") or {}).values()
        if isinstance(v, Mapping)
    ]
    return max((_ratio(n, _cla(years)) for n in shortfalls if n), default=0.0)


#: Every rule with how material what it says is: the share of the whole it is about (money:
#: of the year's spend; children: of children looked after; against comparators: the distance
#: from the farthest, as a share of its value). Messages are ranked by it, largest first.
RULES: tuple[tuple[Rule, Weight], ...] = (
    (cla_change, w_cla_change),
    (cla_rate, w_rate),
    (uasc, w_uasc),
    (largest_type, w_largest_type),
    (distance, w_distance),
    (stability, _w_share("stability_three_plus")),
    (long_term_stability, _w_share("stability_long_term")),
    (spend, w_spend),
    (costs, w_costs),
    (forecast, w_forecast),
    (gap, w_gap),
)


def ranked_messages(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any] | None = None
) -> list[tuple[float, str]]:
    """Every sentence the data supports with its materiality, most material first (ties in
    rule order)."""
    out: list[tuple[float, int, str]] = []
    for i, (rule, weigh) in enumerate(RULES):
        text = rule(years, marks, extra or {})
        if text:
            out.append((round(weigh(years, marks, extra or {}), 4), i, text))
    return [(w, text) for w, _, text in sorted(out, key=lambda r: (-r[0], r[1]))]


def key_messages(
    years: list[YearValues], marks: Sequence[Comparator], extra: Mapping[str, Any] | None = None
) -> list[str]:
    """The key messages, ranked by materiality (``ranked_messages``)."""
    return [text for _, text in ranked_messages(years, marks, extra)]
