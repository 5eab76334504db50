"""Targets (registers/targets) and progress towards them: read once, one direction rule, one RAG.

Direction: the register's ``direction`` (up or down) when given, else the published polarity of
the measure (``POLARITY``, taken from the DfE Local Authority Interactive Tool's data dictionary,
where "High" is good = up and "Low" is good = down). A measure with neither (the DfE gives no
polarity for the number or rate of children looked after) gets no direction and a note asking for
one: a target is never judged on a guessed direction.

Status (RAG), given a direction and the latest value:

* Green - the target is met: latest at or beyond the target in the target's direction;
* Amber - not met, but better than the baseline (moved in the target's direction);
* Red - neither;
* Not available - no latest value (or no target figure);
* Direction needed - no direction from the register or a published polarity;
* Baseline needed - no baseline: without a starting point progress cannot be judged, so a
  target with a blank baseline gets no RAG (the statement's action plan and the forecast's
  target status alike).

Progress is how far the latest value has gone from the baseline towards the target, as a per
cent of the distance: 0 at the baseline, 100 at the target, negative when it moved away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

if TYPE_CHECKING:
    from sufficiency.dataset import Dataset

Direction = Literal["up", "down"]
Status = Literal["Green", "Amber", "Red", "Not available", "Direction needed", "Baseline needed"]
#: The statuses that are a RAG rating (the others say what is missing to give one).
RAG_STATUSES: tuple[Status, ...] = ("Green", "Amber", "Red")
DirectionFrom = Literal["register", "polarity"]


@dataclass(frozen=True)
class Polarity:
    """Which way is better for a measure, and the published measure the polarity comes from."""

    direction: Direction
    source: str


_LAIT = "DfE Local Authority Interactive Tool, data dictionary"
#: Published polarity of the catalogue measures targets commonly use: the LAIT measure each is
#: taken from (its ``Measure_short`` code and name) and its "Polarity" (High -> up, Low -> down).
#: ``cla_count`` and ``cla_rate_per_10k`` are deliberately absent: LAIT gives "LACnum" and
#: "LAC" no polarity ("-"), so a target on them must say its direction.
POLARITY: dict[str, Polarity] = {
    "stability_three_plus": Polarity(
        "down",
        f"{_LAIT}: LACStable_2016on, Placement 1 - % CLA with three or more placements (Low)",
    ),
    "stability_long_term": Polarity(
        "up", f"{_LAIT}: LAC_LongStable%, Long Term Placement Stability (%) (High)"
    ),
    "placed_over_20_miles_outside_la": Polarity(
        "down",
        f"{_LAIT}: LACDistance, Children looked after placed more than 20 miles from home, "
        "outside LA Boundary (%) (Low)",
    ),
    "placed_over_20_miles": Polarity(
        "down",
        f"{_LAIT}: LACDistance, of the children placed more than 20 miles from home outside "
        "the council (placed_over_20_miles_outside_la) (Low); this measure counts them wherever "
        "placed, and lower is better alike",
    ),
    "fostering_share": Polarity(
        "up", f"{_LAIT}: LAC_Foster_Placements, % of CLA in foster care (High)"
    ),
    "care_leavers_suitable_accommodation": Polarity(
        "up", f"{_LAIT}: CareLeaverAcc, Care Leavers - Suitable accommodation (%) (High)"
    ),
    "care_leavers_eet": Polarity(
        "up",
        f"{_LAIT}: CareLeaverEET, Care Leavers - Education, Employment & Training (EET) (%) (High)",
    ),
    "care_leavers_neet": Polarity(
        "down", f"{_LAIT}: CareLeaversNEET, Care Leavers - NEET (%) (Low)"
    ),
    "care_leavers_in_touch": Polarity(
        "up",
        f"{_LAIT}: CareLeavers_LA_NotInTouch, Care Leavers - Local authority not in touch (%) "
        "(Low; in touch is its complement)",
    ),
}


@dataclass(frozen=True)
class Target:
    """One row of registers/targets, with its direction resolved."""

    row: int
    measure_id: str
    baseline_date: dt.date | None
    baseline: float | None
    target: float | None
    target_date: dt.date | None
    direction: Direction | None
    direction_from: DirectionFrom | None
    note: str | None = None


@dataclass(frozen=True)
class Progress:
    """A target judged against the latest value: status (RAG), met, progress per cent."""

    target: Target
    latest: float | None
    status: Status
    met: bool | None
    progress_pct: float | None


def direction_for(measure_id: str, given: Any) -> tuple[Direction | None, DirectionFrom | None]:
    """The register's direction when it gives one, else the measure's published polarity."""
    text = str(given or "").strip().lower()
    if text in ("up", "down"):
        return text, "register"  # type: ignore[return-value]
    polarity = POLARITY.get(measure_id)
    if polarity is not None:
        return polarity.direction, "polarity"
    return None, None


def read_targets(frame: pl.DataFrame | None) -> list[Target]:
    """Every row of a targets register with a measure id, in register order; [] when absent.

    ``row`` is the spreadsheet row (the header is row 1). A row whose direction cannot be
    resolved carries a note saying so.
    """
    if frame is None or frame.height == 0 or "measure_id" not in frame.columns:
        return []
    out: list[Target] = []
    for i, r in enumerate(frame.iter_rows(named=True)):
        mid = r["measure_id"]
        if not mid:
            continue
        direction, source = direction_for(mid, r.get("direction"))
        note = (
            None
            if direction is not None
            else f"registers/targets row {i + 2}: {mid} has no direction and no published "
            "polarity: direction needed (up or down)"
        )
        out.append(
            Target(
                row=i + 2,
                measure_id=mid,
                baseline_date=r["baseline_date"],
                baseline=r["baseline"],
                target=r["target"],
                target_date=r["target_date"],
                direction=direction,
                direction_from=source,
                note=note,
            )
        )
    return out


def targets(ds: Dataset) -> list[Target]:
    """The council's targets from registers/targets ([] when it supplied none)."""
    return read_targets(ds.register("targets"))


def meets(direction: Direction | None, value: float | None, target: float | None) -> bool | None:
    """True when ``value`` is at or beyond ``target`` in ``direction``; None when any is missing."""
    if direction is None or value is None or target is None:
        return None
    return value >= target if direction == "up" else value <= target


def rag(
    latest: float | None, baseline: float | None, target: float | None, direction: Direction | None
) -> Status:
    """The status (module docstring): Green met, Amber better than baseline, Red neither; no
    RAG without a direction or a baseline."""
    if direction is None:
        return "Direction needed"
    if baseline is None:
        return "Baseline needed"
    if latest is None or target is None:
        return "Not available"
    if meets(direction, latest, target):
        return "Green"
    if latest > baseline if direction == "up" else latest < baseline:
        return "Amber"
    return "Red"


def progress(latest: float | None, baseline: float | None, target: float | None) -> float | None:
    """Per cent of the way from ``baseline`` to ``target`` (one decimal); None when any is
    missing or the target equals the baseline."""
    if latest is None or baseline is None or target is None or target == baseline:
        return None
    return round(100.0 * (latest - baseline) / (target - baseline), 1)


def assess(target: Target, latest: float | None) -> Progress:
    """``target`` judged against the latest value of its measure."""
    return Progress(
        target=target,
        latest=latest,
        status=rag(latest, target.baseline, target.target, target.direction),
        met=meets(target.direction, latest, target.target),
        progress_pct=progress(latest, target.baseline, target.target),
    )
