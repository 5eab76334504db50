"""The Dataset: the one hub every analysis takes (DESIGN.md).

Canonical Polars frames with fixed dtypes (the ``*_SCHEMA`` dicts below), the LA profile and the
registers, plus derived frames computed once on first use: ``episodes_typed`` (episodes with their
LA placement type), ``placements`` (placement spells with location and distance) and
``periods_of_care``. A Dataset never changes after it is built; ingest is the only thing that
builds one from files, tests build them from frames with :meth:`Dataset.from_frames`.

Multi-year merge (``ingest.merge``): ``episodes`` is the authoritative timeline (inside each
loaded return's year, only that return's episodes); ``history`` is every return's episodes with
the latest row winning, which links periods of care across a cut (``linked_start``) and is what
the ``standard-v1`` forecast reads; ``cuts`` says which episodes the authority cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import polars as pl

from sufficiency.codes import (
    PLACEMENT_START_RNE,
    SHORT_BREAK_LS,
    TEMPORARY_PLACE,
    placement_type_expr,
)
from sufficiency.profile import LAProfile
from sufficiency.schema import conform_register

#: header: one row per child (latest return wins). SEX is canonical M / F / U (1 -> M, 2 -> F).
CHILDREN_SCHEMA: dict[str, Any] = {
    "CHILD": pl.Utf8,
    "SEX": pl.Utf8,
    "DOB": pl.Date,
    "ETHNIC": pl.Utf8,
    "UPN": pl.Utf8,
    "MOTHER": pl.Int8,
    "MC_DOB": pl.Date,
}

#: episodes: one row per (CHILD, DECOM) after the multi-year merge and repairs.
#: ``return_year`` is the collection year (year the return ends) the row came from.
EPISODES_SCHEMA: dict[str, Any] = {
    "CHILD": pl.Utf8,
    "DECOM": pl.Date,
    "RNE": pl.Utf8,
    "LS": pl.Utf8,
    "CIN": pl.Utf8,
    "PLACE": pl.Utf8,
    "PLACE_PROVIDER": pl.Utf8,
    "DEC": pl.Date,
    "REC": pl.Utf8,
    "REASON_PLACE_CHANGE": pl.Utf8,
    "HOME_POST": pl.Utf8,
    "PL_POST": pl.Utf8,
    "URN": pl.Utf8,
    "return_year": pl.Int32,
}

#: Episodes of ``episodes`` whose start or end the multi-year merge cut at a 1 April: the DECOM
#: the history gives a cut start (``linked_DECOM``, null when the start was not cut), and
#: ``end_cut`` when the child stops being looked after only because the next loaded return does
#: not continue the episode (not a leaving of care). See ``ingest.merge``.
CUTS_SCHEMA: dict[str, Any] = {
    "CHILD": pl.Utf8,
    "DECOM": pl.Date,
    "linked_DECOM": pl.Date,
    "end_cut": pl.Boolean,
}

UASC_SCHEMA: dict[str, Any] = {
    "CHILD": pl.Utf8,
    "SEX": pl.Utf8,
    "DOB": pl.Date,
    "DUC": pl.Date,
}

#: The other SSDA903 tables, kept with DfE column names; date columns parsed to pl.Date.
OTHER_TABLE_DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "reviews": ("DOB", "REVIEW"),
    "missing": ("DOB", "MIS_START", "MIS_END"),
    "oc2": ("DOB",),
    "oc3": ("DOB",),
    "ad1": ("DOB", "DATE_INT", "DATE_MATCH"),
    "placed_for_adoption": ("DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
    "previous_permanence": ("DOB",),
    "sw_episodes": ("SW_DECOM", "SW_DEC"),
    "dolo": ("DOLO_START", "DOLO_END"),
}


#: The Polars engine for plans that filter, join or gather many rows (ingest's merge, the
#: measures): Polars 2 runs a lazy plan on its streaming engine unless told, and there such a plan
#: (a year's episodes joined to their prices) spends up to four times the CPU. Group-bys and
#: uniques of ids keep the streaming engine, faster at those (measured, issue 18).
IN_MEMORY: Final = "in-memory"


def sorted_by(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """``frame`` sorted by ``by`` (stable: ties keep their order; blanks first, as Polars sorts).
    Returned as it is when it is already in that order, which one pass finds far faster than a
    sort of text keys (returns usually list a child's episodes together, in date order)."""
    if frame.height > 1:

        def after(c: str) -> pl.Expr:  # this row's value sorts after the row above's
            prev = pl.col(c).shift(1)
            return (prev.is_null() & pl.col(c).is_not_null()) | (pl.col(c) > prev).fill_null(False)

        ordered = after(by[-1]) | pl.col(by[-1]).eq_missing(pl.col(by[-1]).shift(1))
        for c in reversed(by[:-1]):
            ordered = after(c) | (pl.col(c).eq_missing(pl.col(c).shift(1)) & ordered)
        if frame.select(ordered.all()).item():
            return frame
    return frame.sort(by, maintain_order=True)


def _conform(frame: pl.DataFrame | None, schema: Mapping[str, Any]) -> pl.DataFrame:
    """Cast ``frame`` to ``schema``: add missing columns as nulls, keep column order."""
    if frame is None:
        return pl.DataFrame(schema=dict(schema))
    exprs = []
    for name, dtype in schema.items():
        if name in frame.columns:
            col = pl.col(name)
            if dtype == pl.Date and frame.schema[name] == pl.Utf8:
                col = col.str.to_date(strict=False)
            exprs.append(col.cast(dtype).alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)


#: The files that can give a year's under-18 population.
REGISTER_FILE, PROFILE_FILE = "registers/population.csv", "la.toml"


@dataclass(frozen=True)
class Population:
    """A year's under-18 population and the file that gives it for that year (None when it is
    an earlier year's carried on, or the ONS estimate)."""

    value: int | None
    given_in: str | None


@dataclass(frozen=True)
class Dataset:
    """Immutable bundle of a council's returns, registers and profile."""

    profile: LAProfile
    children: pl.DataFrame
    episodes: pl.DataFrame
    uasc: pl.DataFrame
    tables: Mapping[str, pl.DataFrame] = field(default_factory=dict)
    registers: Mapping[str, pl.DataFrame] = field(default_factory=dict)
    narrative: Mapping[str, str] = field(default_factory=dict)
    #: Collection years (year each return ends) that were loaded, ascending.
    returns: tuple[int, ...] = ()
    #: Every return's episodes, the latest row winning (EPISODES_SCHEMA); None = ``episodes``.
    history: pl.DataFrame | None = None
    #: Episodes the multi-year merge cut (CUTS_SCHEMA); None = none.
    cuts: pl.DataFrame | None = None

    @classmethod
    def from_frames(
        cls,
        profile: LAProfile,
        *,
        children: pl.DataFrame | None = None,
        episodes: pl.DataFrame | None = None,
        uasc: pl.DataFrame | None = None,
        tables: Mapping[str, pl.DataFrame] | None = None,
        registers: Mapping[str, pl.DataFrame] | None = None,
        narrative: Mapping[str, str] | None = None,
        returns: tuple[int, ...] | None = None,
        history: pl.DataFrame | None = None,
        cuts: pl.DataFrame | None = None,
    ) -> Dataset:
        """Build a Dataset from (possibly partial) frames, casting to the canonical schema.

        Date columns given as ISO strings are parsed; registers take their declared columns and
        types (``schema.conform_register``). Used by ingest and by tests; without ``history``
        the episodes are their own history (the multi-year merge cut nothing).
        """
        eps = sorted_by(_conform(episodes, EPISODES_SCHEMA), ["CHILD", "DECOM"])
        hist = None
        if history is episodes:  # one return: its episodes are their own history, done once
            hist = eps
        elif history is not None:
            hist = sorted_by(_conform(history, EPISODES_SCHEMA), ["CHILD", "DECOM"])
        cut = None if cuts is None or cuts.height == 0 else _conform(cuts, CUTS_SCHEMA)
        if returns is None:
            years = eps.get_column("return_year").drop_nulls().unique().sort().to_list()
            returns = tuple(int(y) for y in years)
        return cls(
            profile=profile,
            children=_conform(children, CHILDREN_SCHEMA),
            episodes=eps,
            uasc=_conform(uasc, UASC_SCHEMA),
            tables=dict(tables or {}),
            registers={n: conform_register(n, f) for n, f in (registers or {}).items()},
            narrative=dict(narrative or {}),
            returns=returns,
            history=hist,
            cuts=cut,
        )

    # ------------------------------------------------------------------ derived frames
    @cached_property
    def last_date(self) -> dt.date:
        """The last day the data covers: 31 March of the latest return (or latest date seen)."""
        if self.returns:
            return dt.date(max(self.returns), 3, 31)
        dates = pl.concat(
            [self.episodes.get_column("DECOM"), self.episodes.get_column("DEC").drop_nulls()]
        )
        value = dates.max()
        return value if isinstance(value, dt.date) else dt.date.today()

    @cached_property
    def first_date(self) -> dt.date:
        """The first day the data covers: the 31 March that opens the earliest return (the
        children in care that day are in it), or the earliest DECOM seen."""
        if self.returns:
            return dt.date(min(self.returns) - 1, 3, 31)
        value = self.episodes.get_column("DECOM").min()
        return value if isinstance(value, dt.date) else self.last_date

    def outside(self, first: dt.date, last: dt.date) -> str | None:
        """Why the days ``first``..``last`` cannot be told from this data (some fall before its
        first day or after its last), or None when the returns cover them all."""
        if self.first_date <= first and last <= self.last_date:
            return None
        return (
            f"the returns loaded cover {self.first_date:%d/%m/%Y} to {self.last_date:%d/%m/%Y}, "
            f"so {first:%d/%m/%Y} to {last:%d/%m/%Y} cannot be told from them"
        )

    @cached_property
    def episodes_typed(self) -> pl.DataFrame:
        """Episodes with ``placement_type``, ``short_break`` and ``temporary`` flags, DOB and SEX,
        and from the multi-year merge ``linked_DECOM`` (the DECOM the history gives the episode:
        DECOM unless its start was cut) and ``end_cut`` (its DEC is a cut, not a leaving).

        Same rows and order as ``episodes`` (sorted by CHILD, DECOM). The placement type is worked
        out once per distinct PLACE x PLACE_PROVIDER pair, then joined back.
        """
        typed = self._episodes_types[0]
        if self.cuts is None:
            return typed.with_columns(
                pl.col("DECOM").alias("linked_DECOM"), pl.lit(False).alias("end_cut")
            )
        return typed.join(
            self.cuts, on=["CHILD", "DECOM"], how="left", maintain_order="left"
        ).with_columns(
            pl.col("linked_DECOM").fill_null(pl.col("DECOM")),
            pl.col("end_cut").fill_null(False),
        )

    @cached_property
    def history_typed(self) -> pl.DataFrame:
        """``history`` typed as ``episodes_typed`` is (the ``standard-v1`` forecast reads it)."""
        if self.history is None:
            return self.episodes_typed
        if self.history is self.episodes:  # one return: typed once
            return self._episodes_types[0]
        return self._typed(self.history)[0]

    @cached_property
    def _episodes_types(self) -> tuple[pl.DataFrame, pl.Series]:
        """``_typed`` of the episodes, shared by ``episodes_typed``, ``history_typed`` and
        ``child_rows``."""
        return self._typed(self.episodes)

    @cached_property
    def child_rows(self) -> pl.Series:
        """Each episode's row in ``children`` (its child's first row; null when the header
        lacks the child), in the order of ``episodes_typed``: found by the join that gives the
        episodes DOB and SEX, so a frame of episodes' rows takes other header columns by a
        gather, not a join (when ``one_row_per_child``)."""
        return self._episodes_types[1]

    def _typed(self, eps: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
        """``eps`` with placement type, short-break and temporary flags, DOB and SEX; and each
        row's row in ``children`` (``child_rows``)."""
        pairs = eps.select("PLACE", "PLACE_PROVIDER").unique()
        types = pairs.with_columns(  # what PLACE decides, worked out once per pair
            placement_type_expr().alias("placement_type"),
            pl.col("PLACE").is_in(TEMPORARY_PLACE).fill_null(False).alias("temporary"),
        )
        typed = (
            eps.join(
                types,
                on=["PLACE", "PLACE_PROVIDER"],
                how="left",
                nulls_equal=True,
                maintain_order="left",
            )
            .select(
                *eps.columns,
                "placement_type",
                pl.col("LS").is_in(SHORT_BREAK_LS).fill_null(False).alias("short_break"),
                "temporary",
            )
            .join(self._people, on="CHILD", how="left", maintain_order="left")
        )
        return typed.drop("_kid"), typed.get_column("_kid")

    @cached_property
    def _people(self) -> pl.DataFrame:
        """Each child's first row of ``children``: its number (``_kid``), CHILD, DOB and SEX
        (what typed episodes take)."""
        return self.children.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_kid"), "CHILD", "DOB", "SEX"
        ).unique("CHILD", keep="first")

    @cached_property
    def one_row_per_child(self) -> bool:
        """True when ``children`` holds each CHILD once: then DOB and SEX of typed episodes are
        those of any row of the child, and a frame of episodes carries them without a join."""
        return self._people.height == self.children.height

    @cached_property
    def _spell_marks(self) -> pl.DataFrame:
        """episodes_typed (sorted) plus where each period of care and placement starts and ends
        (``_marks``)."""
        return self._marks(self.episodes_typed)

    @staticmethod
    def _marks(typed: pl.DataFrame) -> pl.DataFrame:
        """Typed episodes (sorted) plus where each period of care and placement starts and ends.

        A period of care starts at a child's first episode, at RNE S, after a gap (the previous
        episode's DEC is not this DECOM, or is blank) and after an episode that ended with a
        reason other than X1 (the child left care). A placement also starts at RNE P, B, T, U.
        """
        eps = sorted_by(typed, ["CHILD", "DECOM"])
        same_child = pl.col("CHILD") == pl.col("CHILD").shift(1)
        prev_dec = pl.col("DEC").shift(1)
        prev_rec = pl.col("REC").shift(1)
        new_period = (
            ~same_child.fill_null(False)
            | (pl.col("RNE") == "S").fill_null(False)
            | prev_dec.is_null()
            | (prev_dec != pl.col("DECOM")).fill_null(True)
            | (prev_rec.is_not_null() & (prev_rec != "X1")).fill_null(False)
        )
        new_placement = new_period | pl.col("RNE").is_in(PLACEMENT_START_RNE).fill_null(False)
        return (
            eps.lazy()  # one plan
            .with_columns(
                new_period.alias("_new_period"),
                new_placement.alias("_new_placement"),
                (~same_child.fill_null(False)).alias("_first_of_child"),
            )
            .with_columns(
                pl.col("_new_period").shift(-1, fill_value=True).alias("_end_period"),
                pl.col("_new_placement").shift(-1, fill_value=True).alias("_end_placement"),
                pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
            )
            .collect(engine=IN_MEMORY)
        )

    @staticmethod
    def _spells(
        marked: pl.LazyFrame, start: str, end: str, number: str, lasts: tuple[str, ...]
    ) -> pl.LazyFrame:
        """One row per spell: the first episode's columns, the last episode's ``lasts`` columns
        prefixed ``last_``, the spell number within the child (1-based) and the count of
        episodes.

        Rows are contiguous per spell, so the first and last episodes are found by filtering
        (no group-by) and line up one to one. A lazy plan: only the columns the caller selects
        from it are copied.
        """
        index = pl.int_range(pl.len(), dtype=pl.Int64)
        child_start = pl.when(pl.col("_first_of_child")).then(index).otherwise(None).forward_fill()
        firsts = marked.filter(pl.col(start)).with_columns(
            (index - child_start + 1).cast(pl.Int32).alias(number)
        )
        last_rows = marked.filter(pl.col(end)).select(
            pl.col(c).alias(f"last_{c}") for c in (*lasts, "_row")
        )
        return pl.concat([firsts, last_rows], how="horizontal").with_columns(
            (pl.col("last__row") - pl.col("_row") + 1).cast(pl.UInt32).alias("episodes")
        )

    @cached_property
    def spell_rows(self) -> pl.DataFrame:
        """Each episode's period of care and placement: their rows in ``periods_of_care`` and
        ``placements`` (``period_row``, ``placement_row``), in the order of ``episodes_typed``.
        Both are runs of contiguous episodes, so a child's latest episode open on a date lies in
        the child's latest period and placement open on it: a frame of such episodes takes
        their columns by a gather, not a join."""
        return self._spell_marks.select(
            (pl.col("_new_period").cum_sum() - 1).cast(pl.UInt32).alias("period_row"),
            (pl.col("_new_placement").cum_sum() - 1).cast(pl.UInt32).alias("placement_row"),
        )

    @cached_property
    def periods_of_care(self) -> pl.DataFrame:
        """Periods of care: runs of contiguous episodes (see ``_marks`` for the rules).

        Columns: CHILD, period (1-based per child), start, end (null if open), REC (reason the
        period ended), LS_start, CIN_start, episodes (count), short_break (all episodes V3/V4),
        linked_start (the start of the period of care the history shows around ``start``: the
        same unless the multi-year merge cut it; time in care counts from it), end_cut (the end
        is a cut of the merge, not a leaving of care).
        """
        periods = self._periods(self._spell_marks)
        history = None if self.cuts is None else self._periods(self._marks(self.history_typed))
        return _linked(periods, history)

    @staticmethod
    def _periods(marked: pl.DataFrame) -> pl.DataFrame:
        """Periods of care of marked episodes (``_marks``)."""
        not_short = (~pl.col("short_break")).cast(pl.Int64).cum_sum()
        linked = ["linked_DECOM"] if "linked_DECOM" in marked.columns else []
        cut = ("end_cut",) if "end_cut" in marked.columns else ()
        episodes = marked.lazy().select(
            "CHILD", "DECOM", "LS", "CIN", "short_break", *linked, *cut, "_row",
            "_first_of_child", "_new_period", "_end_period", "DEC", "REC",
            not_short.alias("_not_short"),
        )  # fmt: skip
        spells = Dataset._spells(
            episodes, "_new_period", "_end_period", "period", ("DEC", "REC", "_not_short", *cut)
        )
        all_short = (
            pl.col("last__not_short")
            - pl.col("_not_short")
            + (~pl.col("short_break")).cast(pl.Int64)
        ) == 0
        end_cut = pl.col("last_end_cut") if cut else pl.lit(False)
        return spells.select(
            "CHILD",
            "period",
            pl.col("DECOM").alias("start"),
            pl.col("last_DEC").alias("end"),
            pl.col("last_REC").alias("REC"),
            pl.col("LS").alias("LS_start"),
            pl.col("CIN").alias("CIN_start"),
            "episodes",
            all_short.alias("short_break"),
            end_cut.alias("end_cut"),
            *linked,
        ).collect(engine=IN_MEMORY)

    @cached_property
    def placements(self) -> pl.DataFrame:
        """Placement spells with location and distance.

        A placement starts where a period of care starts or at an episode whose RNE is P, B, T
        or U (RNE S starts both); episodes that change only legal status (RNE L) continue it.
        Placement attributes come from its first episode. Columns: CHILD, placement (1-based
        per child), start, end (null if open), PLACE, PLACE_PROVIDER, placement_type, URN,
        HOME_POST, PL_POST, LS_start, LS_end, RNE, REASON_PLACE_CHANGE (of the episode that
        ended it), temporary, short_break (any episode V3/V4), episodes (count), period (the
        period of care it belongs to), linked_start (the start of the placement the history
        shows around ``start``: the same unless the multi-year merge cut it), plus from geo:
        pl_la, location_band, distance_miles, distance_band, location_precision.
        """
        from sufficiency.geo import enrich_locations

        # location depends only on the two postcodes (those of each placement's first
        # episode): enrich just them (its joins then carry two columns, not every column of
        # every placement), in a second thread while the spells are built (Polars lets go of
        # the GIL, so the two run side by side), and add the columns it gives
        marked = self._spell_marks
        posts = (
            marked.lazy()
            .filter(pl.col("_new_placement"))
            .select("HOME_POST", "PL_POST")
            .collect(engine=IN_MEMORY)
        )
        with ThreadPoolExecutor(max_workers=1) as pool:
            located = pool.submit(
                enrich_locations, posts, self.profile.code, self.profile.neighbours
            )
            history = None
            if self.cuts is not None:
                history = self._placements(self._marks(self.history_typed))
            frame = _linked(self._placements(marked), history)
            # a row per placement, in order
            return frame.with_columns(located.result().drop(posts.columns))

    @staticmethod
    def _placements(marked: pl.DataFrame) -> pl.DataFrame:
        """Placement spells of marked episodes (``_marks``), without location."""
        linked = ["linked_DECOM"] if "linked_DECOM" in marked.columns else []
        episodes = marked.lazy().select(
            "CHILD", "DECOM", "PLACE", "PLACE_PROVIDER", "placement_type", "URN", "HOME_POST",
            "PL_POST", "LS", "RNE", "temporary", "short_break", *linked, "_row",
            "_first_of_child", "_new_placement", "_end_placement", "DEC",
            "REASON_PLACE_CHANGE",
            pl.col("short_break").cast(pl.Int64).cum_sum().alias("_short"),
            pl.col("_new_period").cum_sum().alias("_period_id"),
        )  # fmt: skip
        spells = Dataset._spells(
            episodes,
            "_new_placement",
            "_end_placement",
            "placement",
            ("DEC", "LS", "REASON_PLACE_CHANGE", "_short"),
        )
        any_short = (
            pl.col("last__short") - pl.col("_short") + pl.col("short_break").cast(pl.Int64)
        ) > 0
        period_base = (
            pl.when(pl.col("_first_of_child")).then(pl.col("_period_id")).otherwise(None)
        ).forward_fill()
        return spells.select(
            "CHILD",
            "placement",
            pl.col("DECOM").alias("start"),
            pl.col("last_DEC").alias("end"),
            "PLACE",
            "PLACE_PROVIDER",
            "placement_type",
            "URN",
            "HOME_POST",
            "PL_POST",
            pl.col("LS").alias("LS_start"),
            pl.col("last_LS").alias("LS_end"),
            "RNE",
            pl.col("last_REASON_PLACE_CHANGE").alias("REASON_PLACE_CHANGE"),
            "temporary",
            any_short.alias("short_break"),
            "episodes",
            (pl.col("_period_id") - period_base + 1).cast(pl.Int32).alias("period"),
            *linked,
        ).collect(engine=IN_MEMORY)

    # ------------------------------------------------------------------ small helpers
    def register(self, name: str) -> pl.DataFrame | None:
        """A register frame by name (``carers``, ``homes``, ...) or None when not supplied."""
        return self.registers.get(name)

    def population_under_18(self, year: int) -> int | None:
        """Under-18 population at 31 March ``year``: registers/population.csv, else la.toml, else
        the ONS mid-year estimate the DfE uses for that 31 March (mid-year ``year - 1``)."""
        return self.population(year).value

    def population(self, year: int) -> Population:
        """``population_under_18`` with the file that gives it for the year, looked up once
        per year (every rate of every year reads it)."""
        known = self._populations
        if year not in known:
            known[year] = self._population(year)
        return known[year]

    @cached_property
    def _populations(self) -> dict[int, Population]:
        """The under-18 populations looked up so far, by year (``population``)."""
        return {}

    def _population(self, year: int) -> Population:
        """``population`` worked out: the year's own row, then an earlier year's, then the ONS
        estimate."""
        pop = self.registers.get("population")
        if pop is not None and pop.height:
            row = pop.filter(pl.col("year") == year)
            if row.height:
                return Population(int(row.get_column("population_under_18")[0]), REGISTER_FILE)
            if year in self.profile.population_under_18:  # la.toml's own year, not a carried one
                return Population(self.profile.population_under_18[year], PROFILE_FILE)
            earlier = pop.filter(pl.col("year") <= year).sort("year")
            if earlier.height:
                return Population(int(earlier.get_column("population_under_18")[-1]), None)
        if year in self.profile.population_under_18:
            return Population(self.profile.population_under_18[year], PROFILE_FILE)
        given = self.profile.population_for(year)
        if given is not None or not self.profile.code:
            return Population(given, None)
        from sufficiency import published

        try:
            estimate = published.population_under_18(self.profile.code, year)
        except published.UnknownArea:
            return Population(None, None)
        return Population(None if estimate is None else estimate.value, None)


def _linked(spells: pl.DataFrame, history: pl.DataFrame | None) -> pl.DataFrame:
    """``spells`` (CHILD, start, linked_DECOM of the first episode) plus ``linked_start``: the
    start of the ``history`` spell of the same child that holds the day the spell starts in the
    history (its first episode's ``linked_DECOM``), if earlier; else that day."""
    day = pl.col("linked_DECOM") if "linked_DECOM" in spells.columns else pl.col("start")
    spells = spells.with_columns(
        pl.min_horizontal(day.fill_null(pl.col("start")), "start").alias("_day")
    )
    if history is None:
        return spells.rename({"_day": "linked_start"}).drop("linked_DECOM", strict=False)
    hist = history.select(
        "CHILD", pl.col("start").alias("_h_start"), pl.col("end").alias("_h_end")
    ).drop_nulls(["CHILD", "_h_start"])
    joined = (
        spells.with_row_index("_order")
        .sort(["CHILD", "_day"])
        .join_asof(
            hist.sort(["CHILD", "_h_start"]),
            left_on="_day",
            right_on="_h_start",
            by="CHILD",
            strategy="backward",
            check_sortedness=False,  # sorted by date within each child, as asof needs
        )
        .sort("_order")
    )
    holds = pl.col("_h_end").is_null() | (pl.col("_h_end") > pl.col("_day"))
    return joined.with_columns(
        pl.when(pl.col("_h_start").is_not_null() & holds)
        .then(pl.min_horizontal("_h_start", "_day"))
        .otherwise(pl.col("_day"))
        .alias("linked_start")
    ).drop("_order", "_h_start", "_h_end", "_day", "linked_DECOM", strict=False)
