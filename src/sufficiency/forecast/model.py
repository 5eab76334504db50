"""Fit the transition model: segments of care by state, daily stock, transition and entry rates.

States are (age bracket x placement category), flattened as ``bracket * n_categories + category``.
Counting follows the cs-demand-model peer (read to learn its behaviour, not copied):

* the stock of a state on day D is the number of segments with ``start <= D < end`` (a child
  whose episode ends on D has left on D);
* a transition is counted on the day a segment ends, from its state to the state of the segment
  that starts that same day (or out of care when none does);
* the daily rate i -> j is the mean over the reference days of ``transitions(D) / stock(D - 1)``
  (on the first day the denominator is that day's stock, as the peer back-fills it);
* entrants are segments that start care (no segment of the child ends that day) on a reference
  day, per day of the period (``(end - start).days``);
* ageing is either fixed (``1 / length_in_days`` a day, the peer) or observed: episodes are split
  at the birthday that moves a child to the next bracket and those splits are counted like any
  other transition.

Everything is columnar (Polars, numpy ``add.at``); nothing loops over days or children.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl

from sufficiency.dataset import Dataset, sorted_by
from sufficiency.forecast.config import ModelConfig


@dataclass(frozen=True)
class FittedModel:
    """A fitted model: daily rates and the stock at the reference end (all numpy)."""

    config: ModelConfig
    reference_start: dt.date
    reference_end: dt.date
    #: stock per state at the reference end (n,)
    x0: np.ndarray
    #: daily transition rates between different in-care states, excluding ageing (n, n)
    transitions: np.ndarray
    #: daily ageing rates (n, n): fixed 1/length or observed birthdays
    ageing: np.ndarray
    #: daily rates out of care (n,), including ageing out of the last bracket when fixed
    exits: np.ndarray
    #: entrants per day by state (n,)
    entrants: np.ndarray
    #: raw event counts behind ``transitions`` / ``exits`` / ``entrants`` (parameter uncertainty)
    transition_counts: np.ndarray
    exit_counts: np.ndarray
    entrant_counts: np.ndarray
    warnings: tuple[str, ...] = field(default=())
    #: child-days in each state over the reference period (the exposure behind the exit rates);
    #: None for hand-built models
    exposure: np.ndarray | None = None

    @property
    def n_states(self) -> int:
        return int(self.x0.shape[0])

    @property
    def categories(self) -> tuple[str, ...]:
        return self.config.category_names

    @property
    def brackets(self) -> tuple[str, ...]:
        return self.config.bracket_names

    def state_names(self) -> list[tuple[str, str]]:
        """(bracket, category) per state index."""
        return [(b, c) for b in self.brackets for c in self.categories]

    def category_of_state(self) -> np.ndarray:
        """Category index per state (n,)."""
        return np.tile(np.arange(len(self.categories)), len(self.brackets))

    def bracket_of_state(self) -> np.ndarray:
        """Bracket index per state (n,)."""
        return np.repeat(np.arange(len(self.brackets)), len(self.categories))

    def restricted(self, idx: np.ndarray) -> FittedModel:
        """The model's arrays over the states ``idx`` only (a projection drops the states that
        can never hold a child); its config, and so ``state_names`` and ``category_of_state``,
        still describe all the states."""
        ix = np.ix_(idx, idx)
        return replace(
            self,
            x0=self.x0[idx],
            transitions=self.transitions[ix],
            ageing=self.ageing[ix],
            exits=self.exits[idx],
            entrants=self.entrants[idx],
            transition_counts=self.transition_counts[ix],
            exit_counts=self.exit_counts[idx],
            entrant_counts=self.entrant_counts[idx],
            exposure=None if self.exposure is None else self.exposure[idx],
        )


# --------------------------------------------------------------------------------------------
# Segments
# --------------------------------------------------------------------------------------------
#: A blank DEC as a day number (no date is this far from 1970; days fit 32 bits either side).
_NO_DAY = -(1 << 31)


def _peer_repair(eps: pl.DataFrame) -> pl.DataFrame:
    """The peer's episode repairs: one episode per (CHILD, DECOM) keeping the latest DEC, one per
    (CHILD, DEC) keeping the earliest DECOM, and an episode that is open or overlaps the next is
    ended at the next DECOM."""
    eps = sorted_by(eps, ["CHILD", "DECOM", "DEC"])
    same_child = pl.col("CHILD") == pl.col("CHILD").shift(-1)
    same_start = same_child & (pl.col("DECOM") == pl.col("DECOM").shift(-1))
    eps = eps.filter(~same_start.fill_null(False))  # the last of each (CHILD, DECOM)
    # the first of each (CHILD, DEC): the rows are in CHILD order, so a child's run number stands
    # for its id; run and DEC (blank: a day no date can be) packed in one integer, which Polars
    # finds distinct values of far faster than of text and dates
    days = pl.col("DEC").cast(pl.Int32).fill_null(_NO_DAY).cast(pl.Int64)
    child_dec = pl.col("CHILD").rle_id().cast(pl.Int64) * (1 << 32) + days
    eps = eps.filter(child_dec.is_first_distinct())
    nxt = pl.when(same_child).then(pl.col("DECOM").shift(-1))
    return eps.with_columns(
        pl.when(pl.col("DEC").is_null() | (pl.col("DEC") > nxt))
        .then(nxt)
        .otherwise(pl.col("DEC"))
        .alias("DEC")
    )


def _category_expr(config: ModelConfig) -> pl.Expr:
    source = "PLACE" if config.category_source == "place" else "placement_type"
    mapping = config.code_map()
    names = config.category_names
    idx = {c: i for i, c in enumerate(names)}
    other = idx[config.other_category]
    col = pl.col(source).str.strip_chars().str.to_uppercase()
    if config.category_source == "placement_type":
        col = pl.col(source)
    return (
        col.replace_strict({k: idx[v] for k, v in mapping.items()}, default=other)
        .cast(pl.Int32)
        .alias("cat")
    )


def build_segments(ds: Dataset, config: ModelConfig) -> tuple[pl.DataFrame, list[str]]:
    """Segments of care: CHILD, start, end (null = open), state, next_state (-1 = left care or
    open), entrant (bool), ageing_next (the next segment is the same episode, a birthday split).
    """
    warnings: list[str] = []
    # The peer reads every return's episodes merged latest-row-wins (the Dataset's history);
    # our own configs read the authoritative timeline (each return decides its own year).
    typed = ds.history_typed if config.episode_repair == "peer" else ds.episodes_typed
    eps = typed.select(
        "CHILD", "DECOM", "DEC", "PLACE", "placement_type", "short_break", "DOB"
    ).filter(pl.col("DECOM").is_not_null())
    if config.exclude_short_breaks:
        eps = eps.filter(~pl.col("short_break"))
    missing_dob = eps.filter(pl.col("DOB").is_null()).get_column("CHILD").n_unique()
    if missing_dob:
        warnings.append(f"{missing_dob} child(ren) have no date of birth and are left out")
        eps = eps.filter(pl.col("DOB").is_not_null())
    if config.episode_repair == "peer":
        eps = _peer_repair(eps)
    eps = sorted_by(eps.with_columns(_category_expr(config)), ["CHILD", "DECOM", "DEC"])
    brackets = config.age_brackets
    n_cat = len(config.categories)

    if config.age_basis == "episode_start":
        age = (pl.col("DECOM") - pl.col("DOB")).dt.total_days() / config.year_in_days
        bracket = pl.lit(None, dtype=pl.Int32)
        for i in range(len(brackets) - 1, -1, -1):
            b = brackets[i]
            bracket = (
                pl.when((age >= b.min) & (age < b.max))
                .then(pl.lit(i, dtype=pl.Int32))
                .otherwise(bracket)
            )
        segs = eps.with_columns(bracket.alias("bracket"))
        out_of_range = segs.filter(pl.col("bracket").is_null()).height
        if out_of_range:
            warnings.append(f"{out_of_range} episode(s) start at an age outside every bracket")
            segs = segs.filter(pl.col("bracket").is_not_null())
        segs = segs.select(
            "CHILD",
            pl.col("DECOM").alias("start"),
            pl.col("DEC").alias("end"),
            "cat",
            "bracket",
            pl.lit(False).alias("split_after"),
        )
    else:
        eps = eps.with_row_index("ep")
        cuts = []
        for i in range(1, len(brackets)):
            years = int(brackets[i].min)
            birthday = pl.col("DOB").dt.offset_by(f"{years}y")
            cuts.append(
                eps.select("ep", "DECOM", "DEC", birthday.alias("start"))
                .filter(
                    (pl.col("start") > pl.col("DECOM"))
                    & (pl.col("DEC").is_null() | (pl.col("start") < pl.col("DEC")))
                )
                .select("ep", "start")
            )
        # completed-years bracket at the episode start
        b0 = pl.lit(0, dtype=pl.Int32)
        for i in range(1, len(brackets)):
            years = int(brackets[i].min)
            b0 = b0 + (pl.col("DOB").dt.offset_by(f"{years}y") <= pl.col("DECOM")).cast(pl.Int32)
        heads = eps.select("ep", pl.col("DECOM").alias("start"), b0.alias("b0"))
        pieces = pl.concat([heads.select("ep", "start"), *cuts]).sort(["ep", "start"])
        pieces = pieces.with_columns(
            pl.col("start").shift(-1).over("ep").alias("next_cut"),
            (pl.int_range(pl.len()).over("ep")).cast(pl.Int32).alias("k"),
        )
        segs = (
            pieces.join(eps.select("ep", "CHILD", "DEC", "cat"), on="ep")
            .join(heads.select("ep", "b0"), on="ep")
            .select(
                "CHILD",
                "start",
                pl.coalesce("next_cut", "DEC").alias("end"),
                "cat",
                pl.min_horizontal(pl.col("b0") + pl.col("k"), pl.lit(len(brackets) - 1))
                .cast(pl.Int32)
                .alias("bracket"),
                pl.col("next_cut").is_not_null().alias("split_after"),
            )
        )
    segs = sorted_by(segs, ["CHILD", "start", "end"]).with_columns(
        (pl.col("bracket") * n_cat + pl.col("cat")).cast(pl.Int32).alias("state")
    )
    same_child_next = pl.col("CHILD").shift(-1) == pl.col("CHILD")
    continues = same_child_next & (pl.col("start").shift(-1) == pl.col("end"))
    if config.age_basis == "episode_start":
        # the peer counts the move into the next category within the current episode's bracket
        nxt_state = pl.col("bracket") * n_cat + pl.col("cat").shift(-1)
    else:
        nxt_state = pl.col("state").shift(-1)
    same_child_prev = pl.col("CHILD").shift(1) == pl.col("CHILD")
    follows = same_child_prev & (pl.col("end").shift(1) == pl.col("start"))
    segs = segs.with_columns(
        pl.when(continues.fill_null(False))
        .then(nxt_state)
        .otherwise(-1)
        .cast(pl.Int32)
        .alias("next_state"),
        (~follows.fill_null(False)).alias("entrant"),
        (pl.col("split_after") & continues.fill_null(False)).alias("ageing_next"),
    )
    return segs, warnings


# --------------------------------------------------------------------------------------------
# Stock and rates
# --------------------------------------------------------------------------------------------
def stock_between(segs: pl.DataFrame, start: dt.date, end: dt.date, n_states: int) -> np.ndarray:
    """Daily stock per state for each day ``start..end`` inclusive: array (days, n_states)."""
    days = (end - start).days + 1
    s = segs.select(
        (pl.col("start") - pl.lit(start)).dt.total_days().alias("a"),
        (pl.col("end") - pl.lit(start)).dt.total_days().fill_null(days).alias("b"),
        "state",
    ).with_columns(pl.col("a").clip(0, days), pl.col("b").clip(0, days))
    s = s.filter(pl.col("a") < pl.col("b"))
    diff = np.zeros((days + 1, n_states), dtype=np.int64)
    a = s.get_column("a").to_numpy()
    b = s.get_column("b").to_numpy()
    st = s.get_column("state").to_numpy()
    np.add.at(diff, (a, st), 1)
    np.add.at(diff, (b, st), -1)
    out: np.ndarray = np.cumsum(diff, axis=0)[:days]
    return out


def fit(
    ds: Dataset,
    config: ModelConfig,
    reference_start: dt.date,
    reference_end: dt.date,
    segments: tuple[pl.DataFrame, list[str]] | None = None,
) -> FittedModel:
    """Estimate daily rates over ``reference_start..reference_end`` (both inclusive)."""
    if reference_end <= reference_start:
        raise ValueError(
            f"reference period: end {reference_end} must be after start {reference_start}"
        )
    segs, warnings = segments if segments is not None else build_segments(ds, config)
    n_cat = len(config.categories)
    n_br = len(config.age_brackets)
    n = n_cat * n_br
    days = (reference_end - reference_start).days + 1
    stock = stock_between(segs, reference_start, reference_end, n)
    prev = np.vstack([stock[:1], stock[:-1]]).astype(np.float64)

    ended = segs.filter(
        pl.col("end").is_not_null()
        & (pl.col("end") >= reference_start)
        & (pl.col("end") <= reference_end)
    ).select(
        (pl.col("end") - pl.lit(reference_start)).dt.total_days().alias("day"),
        "state",
        "next_state",
        "ageing_next",
    )
    day = ended.get_column("day").to_numpy()
    frm = ended.get_column("state").to_numpy()
    to = ended.get_column("next_state").to_numpy()
    is_ageing = ended.get_column("ageing_next").to_numpy()
    denom = prev[day, frm]
    weight = 1.0 / np.maximum(denom, 1.0)
    zero_denominator = int((denom == 0).sum())
    if zero_denominator:
        warnings = [
            *warnings,
            f"{zero_denominator} transition(s) left a state that was empty the day before; "
            "counted against a stock of 1",
        ]
    to_exit = to < 0
    trans = np.zeros((n, n))
    counts = np.zeros((n, n))
    ageing = np.zeros((n, n))
    exits = np.zeros(n)
    exit_counts = np.zeros(n)
    mask_t = (~to_exit) & (~is_ageing)
    np.add.at(trans, (frm[mask_t], to[mask_t]), weight[mask_t])
    np.add.at(counts, (frm[mask_t], to[mask_t]), 1.0)
    mask_a = (~to_exit) & is_ageing
    np.add.at(ageing, (frm[mask_a], to[mask_a]), weight[mask_a])
    np.add.at(exits, frm[to_exit], weight[to_exit])
    np.add.at(exit_counts, frm[to_exit], 1.0)
    trans /= days
    ageing /= days
    exits /= days
    self_rates = np.diag(trans).copy()
    np.fill_diagonal(trans, 0.0)
    np.fill_diagonal(counts, 0.0)
    np.fill_diagonal(ageing, 0.0)

    if config.ageing == "fixed":
        for b, bracket in enumerate(config.age_brackets):
            rate = bracket.daily_ageing()
            for c in range(n_cat):
                i = b * n_cat + c
                if b + 1 < n_br:
                    ageing[i, (b + 1) * n_cat + c] += rate
                else:
                    exits[i] += rate

    # the peer caps a state's daily outflow at its whole stock: scale rows whose rates exceed 1
    out = trans.sum(1) + ageing.sum(1) + exits + self_rates
    over = out > 1.0
    if over.any():
        scale = np.where(over, 1.0 / np.where(over, out, 1.0), 1.0)
        trans *= scale[:, None]
        ageing *= scale[:, None]
        exits *= scale

    entered = segs.filter(
        pl.col("entrant")
        & (pl.col("start") >= reference_start)
        & (pl.col("start") <= reference_end)
    ).get_column("state")
    entrant_counts = np.bincount(entered.to_numpy(), minlength=n).astype(np.float64)
    period_days = max((reference_end - reference_start).days, 1)
    entrants = entrant_counts / period_days

    return FittedModel(
        config=config,
        reference_start=reference_start,
        reference_end=reference_end,
        x0=stock[-1].astype(np.float64),
        transitions=trans,
        ageing=ageing,
        exits=exits,
        entrants=entrants,
        transition_counts=counts,
        exit_counts=exit_counts,
        entrant_counts=entrant_counts,
        warnings=tuple(warnings),
        exposure=prev.sum(0),
    )


def last_event_date(ds: Dataset) -> dt.date:
    """The last DECOM or DEC in the data, every return's episodes merged (the peer's end of
    data)."""
    eps = ds.history if ds.history is not None else ds.episodes
    value = pl.concat([eps.get_column("DECOM"), eps.get_column("DEC")]).drop_nulls().max()
    if not isinstance(value, dt.date):
        raise ValueError("the data has no episodes to forecast from")
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clipping the day of month (31 Jan + 1 = 28/29 Feb)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    import calendar

    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def default_reference(ds: Dataset, config: ModelConfig) -> tuple[dt.date, dt.date]:
    """The config's default reference period: ``reference_months`` ending at the data's end."""
    end = last_event_date(ds) if config.reference_end == "last_event" else ds.last_date
    return add_months(end, -config.reference_months), end
