"""Simulate a council's children in care, child by child and event by event (vectorised).

The steps, each its own module, run in this order on one random stream (the order is part of
the output: same seed, same bytes): periods of care, their children, legal statuses, placements,
the providers that take them (``allocation``: a capacity queue, the one light Python loop),
episodes, and children on short breaks. The result is the ground truth the returns are cut from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sufficiency.synth.allocation import assign_providers
from sufficiency.synth.children import draw_children
from sufficiency.synth.daynumbers import days
from sufficiency.synth.episodes import build_episodes
from sufficiency.synth.legal import draw_legal_statuses
from sufficiency.synth.parameters import SimConfig
from sufficiency.synth.periods import draw_care_periods
from sufficiency.synth.placements import draw_placements, place_code, separate_home_postcodes
from sufficiency.synth.postcodes import Geography
from sufficiency.synth.providers import Providers
from sufficiency.synth.short_breaks import draw_short_breaks


@dataclass
class Simulation:
    """Ground truth: children, periods of care, placements and episodes (days since epoch)."""

    children: pl.DataFrame
    periods: pl.DataFrame
    placements: pl.DataFrame
    episodes: pl.DataFrame
    carers: pl.DataFrame
    homes: pl.DataFrame
    settings: pl.DataFrame
    agencies: pl.DataFrame


def simulate(cfg: SimConfig, geo: Geography) -> Simulation:
    """Run the simulation for ``cfg`` on ``geo``'s postcodes."""
    rng = np.random.default_rng(cfg.seed)
    w0, w1 = days(cfg.window_start), days(cfg.window_end)
    care = draw_care_periods(rng, cfg)
    kids = draw_children(rng, care, w1)
    legal = draw_legal_statuses(rng, care)
    period_frame = care.frame(kids.period_cidx)
    plc = draw_placements(rng, care, legal, period_frame)

    # --- postcodes, URNs, carers and homes
    sup = Providers(rng, geo, w1)
    home_post = sup.inside_postcodes(care.size)
    period_frame = period_frame.with_columns(pl.Series("HOME_POST", home_post))
    plc = plc.join(period_frame.select("pid", "HOME_POST"), on="pid").sort("pkey")
    pl_post, urn, provider, holder = assign_providers(sup, plc)
    plc = plc.with_columns(
        pl.Series("PL_POST", pl_post),
        pl.Series("URN", urn),
        pl.Series("PLACE_PROVIDER", provider),
        pl.Series("holder", holder),
    )
    plc, period_frame = separate_home_postcodes(plc, period_frame, sup.pool_pcd[0].to_numpy())
    plc = plc.with_columns(place_code().alias("PLACE"))

    episodes = build_episodes(rng, legal.frame, plc, period_frame)
    children = kids.frame
    # short breaks (V3/V4) for a few disabled children
    sb_children, sb_eps = draw_short_breaks(rng, cfg, sup, w0, w1, kids.count, kids.ids)
    if sb_children.height:
        children = pl.concat([children, sb_children], how="vertical_relaxed")
        episodes = pl.concat([episodes, sb_eps.select(episodes.columns)], how="vertical_relaxed")
    return Simulation(
        children=children,
        periods=period_frame,
        placements=plc,
        episodes=episodes.sort("cidx", "DECOM"),
        carers=sup.carers_frame(),
        homes=sup.homes_frame(),
        settings=sup.settings_frame(),
        agencies=sup.agencies_frame(),
    )
