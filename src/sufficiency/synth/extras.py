"""The other SSDA903 tables of a synthetic return: reviews, missing, OC2, OC3, AD1, placed for adoption.

``simulate_extras`` draws, once per council, the events that outlive a single return (adoption
decisions and matches, reviews, missing episodes), so consecutive returns agree with each other;
``extra_tables`` cuts them into one return's tables, in the codes the DfE rules of every shipped
year accept (csc-validator-be-903, lac2022_23 to lac2026_27). Per-year answers (OC2 health items,
OC3 care-leaver status) are drawn per return from their own random stream.

The OC3 cohort is the care leavers the return's own rules can verify from this return and the
previous one (rules 1001/1002 look back one year only): relevant children aged 17 to 19 at
31 March who left care no earlier than the start of the previous return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from sufficiency.synth.simulate import ADOPT, CAO, HOME, SGO, YEAR, Simulation, days

#: Placement codes of a child placed for adoption.
ADOPTION_PLACES = ("A3", "A4", "A5", "A6")
SHORT_BREAK_LS = ("V3", "V4")


@dataclass(frozen=True)
class Extras:
    """Events drawn once for the whole simulation (days since epoch)."""

    #: cidx, date_placed, ceased (null while in force), reason (RD1-RD4 when ceased)
    decisions: pl.DataFrame
    #: cidx, exit, date_match, foster_care, nb_adoptr, sex_adoptr, ls_adoptr
    adoptions: pl.DataFrame
    #: cidx, review, code
    reviews: pl.DataFrame
    #: cidx, start, end, kind (M missing, A away without authorisation)
    missing: pl.DataFrame


def _pick(rng: np.random.Generator, codes: tuple[str, ...], p: list[float], n: int) -> np.ndarray:
    """``n`` codes drawn with probabilities ``p`` (normalised)."""
    w = np.asarray(p, dtype=float)
    return np.asarray(codes, dtype=object)[rng.choice(len(codes), size=n, p=w / w.sum())]


def _add_years(day: pl.Expr, years: int) -> pl.Expr:
    """Days-since-epoch expression plus whole calendar years (29 Feb -> 28 Feb)."""
    return day.cast(pl.Int32).cast(pl.Date).dt.offset_by(f"{years}y").cast(pl.Int32).cast(pl.Int64)


def _return_year(day: pl.Expr) -> pl.Expr:
    """The collection year (year of the 31 March it ends) a day falls in."""
    d = day.cast(pl.Int32).cast(pl.Date)
    return d.dt.year() + (d.dt.month() >= 4).cast(pl.Int32)


def simulate_extras(sim: Simulation, seed: int) -> Extras:
    """Adoption decisions and matches, reviews and missing episodes of every period of care."""
    rng = np.random.default_rng([seed, 903])
    periods = sim.periods.sort("pid")
    eps = sim.episodes.filter(pl.col("pid") >= 0)
    pid = periods["pid"].to_numpy()
    entry = periods["entry"].to_numpy()
    exit_ = periods["exit"].to_numpy()
    route = periods["route"].to_numpy()
    dob = periods["dob"].to_numpy()
    cidx = periods["cidx"].to_numpy()
    n = len(pid)

    # --- decisions that a child should be placed for adoption (the agency decision maker's),
    # before the placement order (first E1 episode) and the adoptive placement
    anchors = (
        eps.filter((pl.col("LS") == "E1") | (pl.col("kind") == 10))
        .group_by("pid")
        .agg(pl.col("DECOM").min().alias("anchor"))
    )
    first_adoptive = (
        eps.filter(pl.col("kind") == 10).group_by("pid").agg(pl.col("DECOM").min().alias("a_place"))
    )
    lead = rng.integers(14, 120, n)
    match_lead = rng.integers(7, 60, n)
    adopt = (
        periods.select("pid", "cidx", "entry", "exit", "REC", "route")
        .with_columns(pl.Series("lead", lead), pl.Series("match_lead", match_lead))
        .filter(pl.col("route") == ADOPT)
        .join(anchors, on="pid", how="left")
        .join(first_adoptive, on="pid", how="left")
        .filter(pl.col("anchor").is_not_null())
        .with_columns(
            pl.max_horizontal(pl.col("entry"), pl.col("anchor") - pl.col("lead")).alias(
                "date_placed"
            )
        )
    )
    # a few decisions are reversed: young children who went home or to a special guardian
    n_rev_draw = rng.random(n)
    rev_frac = rng.uniform(0.15, 0.5, n)
    rev_len = rng.uniform(0.2, 0.9, n)
    rev_reason = _pick(rng, ("RD1", "RD2", "RD3", "RD4"), [0.3, 0.2, 0.15, 0.35], n)
    single_period = np.bincount(cidx, minlength=int(cidx.max()) + 1 if n else 0)[cidx] == 1
    dur = exit_ - entry
    reversed_ = (
        np.isin(route, [SGO, HOME, CAO])
        & ((entry - dob) < 4 * YEAR)
        & (dur > 300)
        & single_period
        & (n_rev_draw < 0.07)
    )
    r_placed = entry + (dur * rev_frac).astype(np.int64)
    r_ceased = r_placed + np.maximum(((exit_ - 1 - r_placed) * rev_len).astype(np.int64), 1)
    rev = pl.DataFrame(
        {
            "cidx": cidx[reversed_],
            "date_placed": r_placed[reversed_],
            "ceased": r_ceased[reversed_],
            "reason": rev_reason[reversed_].astype(str),
        },
        schema={"cidx": pl.Int64, "date_placed": pl.Int64, "ceased": pl.Int64, "reason": pl.Utf8},
    )
    decisions = pl.concat(
        [
            adopt.select(
                pl.col("cidx").cast(pl.Int64),
                pl.col("date_placed").cast(pl.Int64),
                pl.lit(None, pl.Int64).alias("ceased"),
                pl.lit(None, pl.Utf8).alias("reason"),
            ),
            rev,
        ]
    ).sort("cidx", "date_placed")

    # --- adoptions: the match precedes the adoptive placement, which precedes the order
    adopted = adopt.filter(pl.col("REC").is_in(["E11", "E12"]) & pl.col("a_place").is_not_null())
    k = adopted.height
    couple = rng.random(k) < 0.86
    same_sex = rng.random(k) < 0.1
    married = rng.random(k) < 0.8
    single_sex = np.where(rng.random(k) < 0.9, "F1", "M1")
    couple_sex = np.where(same_sex, np.where(rng.random(k) < 0.6, "FF", "MM"), "MF")
    sex = np.where(couple, couple_sex, single_sex)
    ls = np.where(
        couple,
        np.where(same_sex, np.where(married, "L12", "L4"), np.where(married, "L11", "L3")),
        "L0",
    )
    adoptions = adopted.select(
        pl.col("cidx").cast(pl.Int64),
        pl.col("exit").cast(pl.Int64),
        pl.col("date_placed").alias("date_int"),
        pl.max_horizontal(pl.col("date_placed"), pl.col("a_place") - pl.col("match_lead"))
        .clip(upper_bound=pl.col("a_place"))
        .alias("date_match"),
        pl.lit("0").alias("foster_care"),  # A6: not adopted by the current foster carer
        pl.Series("nb_adoptr", np.where(couple, "2", "1")),
        pl.Series("sex_adoptr", sex),
        pl.Series("ls_adoptr", ls),
    )

    # --- reviews: 20 working days after entry, three months later, then every six months
    n_rev = np.where(dur > 28, 1, 0) + np.where(dur > 119, 1 + (dur - 120) // 182, 0)
    r_pid = np.repeat(np.arange(n), n_rev)
    first_of = np.repeat(np.cumsum(n_rev) - n_rev, n_rev)
    kk = np.arange(len(r_pid)) - first_of
    offset = np.where(kk == 0, 28, 119 + 182 * np.maximum(kk - 1, 0))
    jitter = rng.integers(-6, 7, len(r_pid))
    when = np.clip(entry[r_pid] + offset + jitter, entry[r_pid] + 1, exit_[r_pid] - 1)
    review_code = _pick(
        rng,
        ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"),
        [0.36, 0.22, 0.14, 0.1, 0.05, 0.09, 0.04],
        len(r_pid),
    )
    reviews = (
        pl.DataFrame(
            {
                "cidx": cidx[r_pid].astype(np.int64),
                "review": when.astype(np.int64),
                "dob": dob[r_pid].astype(np.int64),
                "code": review_code.astype(str),
            }
        )
        .with_columns(
            pl.when(pl.col("review") < _add_years(pl.col("dob"), 4))
            .then(pl.lit("PN0"))
            .otherwise(pl.col("code"))
            .alias("code")
        )
        .unique(["cidx", "review"], keep="first", maintain_order=True)
        .select("cidx", "review", "code")
    )

    # --- missing and away without authorisation: mostly teenagers, a few go missing often
    age_in = (entry - dob) / YEAR
    prone = (age_in >= 11) & (rng.random(n) < 0.3)
    rate = np.where(prone, 4.0, np.where(age_in >= 8, 0.15, 0.01))
    span = np.maximum(exit_ - entry - 3, 0)
    n_mis = rng.poisson(rate * span / YEAR)
    m_pid = np.repeat(np.arange(n), n_mis)
    m_start = entry[m_pid] + 1 + (rng.random(len(m_pid)) * span[m_pid]).astype(np.int64)
    m_len = np.where(rng.random(len(m_pid)) < 0.4, 0, rng.geometric(0.45, len(m_pid)))
    m_end = np.minimum(m_start + m_len, exit_[m_pid] - 1)
    missing = (
        pl.DataFrame(
            {
                "cidx": cidx[m_pid].astype(np.int64),
                "start": m_start.astype(np.int64),
                "end": m_end.astype(np.int64),
                "kind": np.where(rng.random(len(m_pid)) < 0.72, "M", "A"),
            }
        )
        .filter(
            (pl.col("end") >= pl.col("start"))
            & (_return_year(pl.col("start")) == _return_year(pl.col("end")))
        )
        .sort("cidx", "start", "end")
        .filter((pl.col("start") > pl.col("end").cum_max().shift(1).over("cidx")).fill_null(True))
    )
    return Extras(decisions=decisions, adoptions=adoptions, reviews=reviews, missing=missing)


def _fmt(col: str | pl.Expr) -> pl.Expr:
    """Days-since-epoch -> dd/mm/yyyy (null stays null)."""
    e = pl.col(col) if isinstance(col, str) else col
    return e.cast(pl.Int32).cast(pl.Date).dt.strftime("%d/%m/%Y")


def continuously_looked_after(episodes: pl.DataFrame, year: int) -> pl.DataFrame:
    """CHILD of the return's episodes looked after continuously through the year, as the DfE
    rules judge it: no start (RNE S) after 1 April, no leaving (REC other than X1) before 31 March,
    no short-break episode in the year."""
    start, end = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    e = episodes.with_columns(
        pl.col("DECOM").str.to_date("%d/%m/%Y").alias("_decom"),
        pl.col("DEC").str.to_date("%d/%m/%Y").alias("_dec"),
    )
    during = (pl.col("_decom") <= end) & (pl.col("_dec").is_null() | (pl.col("_dec") >= start))
    enters = (pl.col("RNE") == "S") & (pl.col("_decom") > start) & (pl.col("_decom") <= end)
    leaves = (
        (pl.col("REC").fill_null("") != "X1") & (pl.col("_dec") >= start) & (pl.col("_dec") < end)
    ).fill_null(False)
    short = pl.col("LS").is_in(SHORT_BREAK_LS) & during
    return (
        e.group_by("CHILD")
        .agg(during.any().alias("in"), (enters | leaves | short).any().alias("broken"))
        .filter(pl.col("in") & ~pl.col("broken"))
        .select("CHILD")
    )


def care_leavers(sim: Simulation, year: int, unseen: pl.DataFrame | None = None) -> pl.DataFrame:
    """cidx of the OC3 cohort of the return ending 31 March ``year``, with ``age`` at 31 March.

    Relevant children (at least 91 days looked after since their 14th birthday, some of it after
    their 16th, counted over the episodes of this return and the previous one as the DfE rules
    do), not adopted, not transferred to another council (E3), aged 17-19 at 31 March, who left
    care before their 17th (aged 17) or 18th (aged 18) birthday and no earlier than the start of
    the previous return. Episodes in ``unseen`` (cidx, DECOM) do not count towards relevance.
    """
    prev_start = days(dt.date(year - 2, 4, 1))
    end = days(dt.date(year, 3, 31))
    kids = sim.children.select("cidx", "DOB")
    eps = sim.episodes.filter(pl.col("pid") >= 0)
    window = eps.filter((pl.col("DECOM") <= end) & (pl.col("DEC") >= prev_start)).join(
        kids, on="cidx"
    )
    if unseen is not None and unseen.height:
        window = window.with_columns(pl.col("cidx").cast(pl.Int64), pl.col("DECOM").cast(pl.Int64))
        window = window.join(unseen, on=["cidx", "DECOM"], how="anti")
    dec = pl.min_horizontal(pl.col("DEC"), pl.lit(end))
    durations = window.with_columns(
        (dec - pl.max_horizontal("DECOM", _add_years(pl.col("DOB"), 14)))
        .clip(lower_bound=0)
        .alias("d14"),
        (dec - pl.max_horizontal("DECOM", _add_years(pl.col("DOB"), 16)))
        .clip(lower_bound=0)
        .alias("d16"),
    )
    relevant = (
        durations.group_by("cidx")
        .agg(pl.col("d14").sum(), pl.col("d16").sum())
        .filter((pl.col("d14") >= 91) & (pl.col("d16") >= 1))
        .select("cidx")
    )
    last = (
        eps.sort("cidx", "DECOM")
        .group_by("cidx")
        .agg(pl.col("DEC").last().alias("left"), pl.col("REC").last().alias("rec"))
    )
    age = (
        pl.when(_add_years(pl.col("DOB"), 20) <= end)
        .then(20)
        .when(_add_years(pl.col("DOB"), 19) <= end)
        .then(19)
        .when(_add_years(pl.col("DOB"), 18) <= end)
        .then(18)
        .when(_add_years(pl.col("DOB"), 17) <= end)
        .then(17)
        .otherwise(0)
    )
    return (
        relevant.join(last, on="cidx")
        .join(kids, on="cidx")
        .with_columns(age.alias("age"))
        .filter(
            pl.col("age").is_between(17, 19)
            & ~pl.col("rec").is_in(["E11", "E12", "E2", "E3"])
            & pl.col("left").is_between(prev_start, end)
            & (
                (pl.col("age") == 19)
                | ((pl.col("age") == 17) & (pl.col("left") < _add_years(pl.col("DOB"), 17)))
                | ((pl.col("age") == 18) & (pl.col("left") < _add_years(pl.col("DOB"), 18)))
            )
        )
        .select("cidx", "age")
        .sort("cidx")
    )


def oc3_answers(rng: np.random.Generator, ages: np.ndarray) -> dict[str, np.ndarray]:
    """IN_TOUCH, ACTIV and ACCOM for care leavers of the given ages (DfE 2023 magnitudes)."""
    n = len(ages)
    touch = _pick(rng, ("YES", "NO", "REFU", "RHOM", "NREQ"), [0.89, 0.05, 0.03, 0.02, 0.01], n)
    activ = _pick(
        rng,
        ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6"),
        [0.07, 0.01, 0.2, 0.03, 0.14, 0.05, 0.04, 0.01, 0.09, 0.26, 0.1],
        n,
    )
    letters = _pick(
        rng,
        ("U", "B", "Z", "D", "E", "K", "C", "Y", "W", "V", "X", "S"),
        [0.33, 0.14, 0.1, 0.14, 0.07, 0.03, 0.03, 0.04, 0.02, 0.02, 0.05, 0.01],
        n,
    )
    # with former foster carers (staying put) only from 18
    letters = np.where((letters == "Z") & (ages < 18), "D", letters)
    suitable = np.where(rng.random(n) < 0.92, "1", "2")
    suitable = np.where(np.isin(letters, ["X", "S"]), "2", suitable)
    accom = np.char.add(letters.astype(str), suitable.astype(str)).astype(object)
    known = touch == "YES"
    return {
        "IN_TOUCH": touch.astype(str),
        "ACTIV": np.where(known, activ, "0").astype(str),
        "ACCOM": np.where(known, accom, "0").astype(str),
    }


def extra_tables(
    sim: Simulation,
    extras: Extras,
    year: int,
    header: pl.DataFrame,
    episodes: pl.DataFrame,
    cidx_of: pl.DataFrame,
    seed: int,
) -> dict[str, pl.DataFrame]:
    """reviews, missing, oc2, placed_for_adoption, ad1 of one return (string frames, DfE columns).

    ``header`` / ``episodes`` are the return's own (dd/mm/yyyy strings); ``cidx_of`` maps CHILD
    to cidx for the children with episodes in the return.
    """
    rng = np.random.default_rng([seed, 903, year])
    start, end = days(dt.date(year - 1, 4, 1)), days(dt.date(year, 3, 31))
    dob = header.select("CHILD", "DOB")
    in_return = cidx_of.join(dob, on="CHILD")
    # children whose every episode this year is a short break have no reviews (rule 399)
    not_short = episodes.filter(~pl.col("LS").is_in(SHORT_BREAK_LS)).select("CHILD").unique()
    reviews = (
        extras.reviews.filter(pl.col("review").is_between(start, end))
        .join(in_return.join(not_short, on="CHILD"), on="cidx")
        .sort("CHILD", "review")
        .select("CHILD", "DOB", _fmt("review").alias("REVIEW"), pl.col("code").alias("REVIEW_CODE"))
    )
    missing = (
        extras.missing.filter(pl.col("start").is_between(start, end))
        .join(in_return, on="cidx")
        .sort("CHILD", "start")
        .select(
            "CHILD",
            "DOB",
            pl.col("kind").alias("MISSING"),
            _fmt("start").alias("MIS_START"),
            _fmt("end").alias("MIS_END"),
        )
    )
    decisions = (
        extras.decisions.filter(
            (pl.col("date_placed") <= end)
            & (pl.col("ceased").is_null() | (pl.col("ceased") >= start))
        )
        .join(in_return, on="cidx")
        .with_columns(
            pl.when(pl.col("ceased") <= end).then(pl.col("ceased")).otherwise(None).alias("ceased")
        )
        .sort("CHILD", "date_placed")
    )
    placed = decisions.select(
        "CHILD",
        "DOB",
        _fmt("date_placed").alias("DATE_PLACED"),
        _fmt("ceased").alias("DATE_PLACED_CEASED"),
        pl.when(pl.col("ceased").is_not_null())
        .then(pl.col("reason"))
        .alias("REASON_PLACED_CEASED"),
    )
    continuous = continuously_looked_after(episodes, year)
    ad1 = (
        extras.adoptions.filter(pl.col("exit").is_between(start, end))
        .join(in_return, on="cidx")
        .join(continuous, on="CHILD", how="anti")
        .sort("CHILD")
        .select(
            "CHILD",
            "DOB",
            _fmt("date_int").alias("DATE_INT"),
            _fmt("date_match").alias("DATE_MATCH"),
            pl.col("foster_care").alias("FOSTER_CARE"),
            pl.col("nb_adoptr").alias("NB_ADOPTR"),
            pl.col("sex_adoptr").alias("SEX_ADOPTR"),
            pl.col("ls_adoptr").alias("LS_ADOPTR"),
        )
    )
    oc2 = _oc2(rng, continuous.join(dob, on="CHILD").sort("CHILD"), year)
    return {
        "reviews": reviews,
        "missing": missing,
        "oc2": oc2,
        "placed_for_adoption": placed,
        "ad1": ad1,
    }


def _oc2(rng: np.random.Generator, kids: pl.DataFrame, year: int) -> pl.DataFrame:
    """OC2 for children looked after continuously for 12 months at 31 March (DfE rules' ages)."""
    start, end = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    n = kids.height
    d = kids.with_columns(pl.col("DOB").str.to_date("%d/%m/%Y").alias("_dob"))
    at = {k: d["_dob"].dt.offset_by(f"{k}y").to_numpy() for k in (4, 5, 10, 16, 17)}
    e, s = np.datetime64(end), np.datetime64(start)
    sdq_due = (at[4] <= e) & (at[17] >= s)
    sdq_one_ok = ~((at[4] <= s) & (at[16] >= e))  # SDQ1: aged under 4 or over 17 when assessed
    has_score = rng.random(n) < 0.78
    score = np.clip(np.round(rng.normal(13.5, 7.0, n)), 0, 40).astype(int).astype(str)
    reason = _pick(rng, ("SDQ2", "SDQ3", "SDQ4", "SDQ5"), [0.15, 0.15, 0.45, 0.25], n)
    reason = np.where(sdq_one_ok & (rng.random(n) < 0.5), "SDQ1", reason)
    ten_plus = e > at[10]
    under_5 = e < at[5]
    misuse = np.where(ten_plus & (rng.random(n) < 0.07), "1", "0")
    received = np.where(rng.random(n) < 0.6, "1", "0")
    offered = np.where(rng.random(n) < 0.5, "1", "0")

    def flag(p: float) -> np.ndarray:
        return np.where(rng.random(n) < p, "1", "0")

    every = np.ones(n, dtype=bool)
    return pl.DataFrame(
        [
            kids["CHILD"],
            kids["DOB"],
            _opt("SDQ_SCORE", score, sdq_due & has_score),
            _opt("SDQ_REASON", reason, sdq_due & ~has_score),
            _opt("CONVICTED", flag(0.03), ten_plus),
            _opt("HEALTH_CHECK", flag(0.88), under_5),
            _opt("IMMUNISATIONS", flag(0.86), every),
            _opt("TEETH_CHECK", flag(0.82), every),
            _opt("HEALTH_ASSESSMENT", flag(0.89), every),
            _opt("SUBSTANCE_MISUSE", misuse, every),
            # an intervention is recorded only for a misuse problem; "offered" only if not received
            _opt("INTERVENTION_RECEIVED", received, misuse == "1"),
            _opt("INTERVENTION_OFFERED", offered, (misuse == "1") & (received == "0")),
        ]
    )


def _opt(name: str, values: np.ndarray, present: np.ndarray) -> pl.Series:
    """String column ``values`` with nulls where ``present`` is False."""
    out = pl.Series(name, np.asarray(values).astype(str), dtype=pl.Utf8)
    blank = np.flatnonzero(~present)
    return out.scatter(blank, None) if len(blank) else out
