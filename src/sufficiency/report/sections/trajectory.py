"""The planned trajectory beside the baseline (``statement --scenario``): for each scenario of
the forecast, children looked after, the rate per 10,000, the share fostered, the share in the
council's own provision, the cost and the sufficiency gap at each 31 March.

Layout only: every figure is the forecast's (expected children by placement type, rate,
costs) or the gap's (shortfall by type) for that scenario; the shares are their sums over the
placement types named below. A suppressed type (publish mode) makes a share it enters ``[c]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sufficiency.codes import SUITABILITY_GROUPS
from sufficiency.disclosure import SUPPRESSED
from sufficiency.report.model import Block, Cell, CellKind, Row, Series, Table
from sufficiency.report.sections.blocks import chart, num_or_none, paragraph, round1, table_block

#: Fostered: the DfE's foster placements (U1-U6), as the referral suitability group has them.
FOSTERED = SUITABILITY_GROUPS["foster"]
#: The council's own provision: its foster carers (connected persons included) and its homes.
IN_HOUSE = ("in_house_fostering", "family_and_friends", "in_house_residential")

Point = dict[str, Any]


def _share(by_type: Mapping[str, Any], types: Sequence[str], total: Any) -> Any:
    """Percentage of ``total`` in ``types`` (``"c"`` when one of them is suppressed)."""
    values = [by_type.get(t) for t in types]
    if any(v == SUPPRESSED for v in values) or total == SUPPRESSED:
        return SUPPRESSED
    whole = num_or_none(total)
    if not whole:
        return None
    return round(100 * sum(num_or_none(v) or 0.0 for v in values) / whole, 1)


def _mean(value: Any) -> Any:
    """A forecast band's expected value (or the value itself: a count, ``"c"``)."""
    return value.get("mean") if isinstance(value, Mapping) else value


def _shortfall(gap: Mapping[str, Any] | None, year: int) -> Any:
    """Places to buy beyond own and contracted capacity in ``year``: the gap's total."""
    for row in (gap or {}).get("years") or []:
        if row.get("year") == year:
            return round1(row.get("total_shortfall"))
    return None


def trajectory(
    scenario: Mapping[str, Any],
    gap: Mapping[str, Any] | None,
    start: Point | None = None,
) -> list[Point]:
    """One scenario's points, one per 31 March: ``{"year", "children", "rate", "fostered",
    "in_house", "cost", "shortfall"}``; ``start`` (the statement year's actual figures) first."""
    rates = {
        str(t.get("date"))[:10]: t.get("rate_per_10k") for t in scenario.get("trajectory") or []
    }
    costs = {
        c.get("year"): c.get("total") for c in (scenario.get("costs") or {}).get("by_year") or []
    }
    points = [start] if start is not None else []
    for y in scenario.get("yearly") or []:
        year = int(y.get("year") or str(y.get("date"))[:4])
        total = _mean(y.get("total"))
        by_type = {t: _mean(v) for t, v in (y.get("by_category") or {}).items()}
        rate = rates.get(f"{year}-03-31")
        points.append(
            {
                "year": year,
                "children": round1(total),
                "rate": round1(rate),
                "fostered": _share(by_type, FOSTERED, total),
                "in_house": _share(by_type, IN_HOUSE, total),
                "cost": round1(costs.get(year)),
                "shortfall": _shortfall(gap, year),
            }
        )
    return points


def start_point(
    year: int, children: Any, rate: Any, by_type: Mapping[str, Any], spend: Any = None
) -> Point:
    """The statement year's actual figures in a trajectory's shape: its modelled spend as the
    cost, no gap (the gap looks forward)."""
    return {
        "year": year,
        "children": children,
        "rate": rate,
        "fostered": _share(by_type, FOSTERED, children),
        "in_house": _share(by_type, IN_HOUSE, children),
        "cost": round1(spend),
        "shortfall": None,
    }


ROWS: tuple[tuple[str, str, CellKind], ...] = (
    ("children", "Children looked after", "number"),
    ("rate", "Rate per 10,000 children", "rate"),
    ("fostered", "Share fostered", "pct"),
    ("in_house", "Share in the council's own provision", "pct"),
    ("cost", "Placement cost in the year ending", "money"),
    ("shortfall", "Shortfall: places to buy beyond own and contracted capacity", "number"),
)


def trajectory_blocks(
    paths: Mapping[str, list[Point]], descriptions: Mapping[str, str]
) -> list[Block]:
    """The table (each figure, baseline then each scenario) and the chart of children."""
    if len(paths) < 2:
        return []
    years = sorted({p["year"] for path in paths.values() for p in path})
    labels = [f"31 March {y}" for y in years]
    rows = []
    for key, title, kind in ROWS:
        for name, path in paths.items():
            at = {p["year"]: p.get(key) for p in path}
            rows.append(
                Row(
                    f"{title}: {_name(name)}",
                    [Cell(at.get(y), kind, source=f"scenario:{name}") for y in years],
                )
            )
    blocks = [
        paragraph(
            "The planned trajectory beside the baseline: what the council's plans would change "
            "if they work as assumed. "
            + " ".join(f"{_name(n).capitalize()}: {d}" for n, d in descriptions.items() if d)
        ),
        table_block(
            Table(
                "trajectory",
                "Planned trajectory beside the baseline",
                ["", *labels],
                rows,
                caption=f"Actual at 31 March {years[0]} (cost: modelled spend, nights x register "
                "rates), then the expected figures of each scenario of the forecast; cost is "
                "its placement cost in the financial year ending on the date; the shortfall is "
                "the sufficiency gap's",
            )
        ),
        chart(
            "trajectory_chart",
            "Children looked after: baseline and planned trajectory",
            "line",
            labels,
            [
                Series(
                    _name(name).capitalize(),
                    [num_or_none({p["year"]: p["children"] for p in path}.get(y)) for y in years],
                )
                for name, path in paths.items()
            ],
            "Date",
            "Children",
        ),
    ]
    return blocks


def _name(scenario: str) -> str:
    """A scenario's name as a reader reads it (``restorative_practice`` -> "restorative practice")."""
    return "baseline" if scenario == "baseline" else scenario.replace("_", " ").replace("-", " ")
