"""Synthetic council generator: a whole DATA folder (returns, registers, la.toml) from a seed.

``generate`` simulates a fictional council on a real council's geography and returns its files
in memory; ``write_data_folder`` writes them atomically (temp folder, then rename). Same seed,
same arguments -> same bytes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sufficiency.dates import last_ended_year, year_end
from sufficiency.profile import LAProfile

DEFAULT_LA = "E06000019"
DEFAULT_YEARS = (2022, 2026)


@dataclass
class SynthCouncil:
    """A generated council: its profile, returns by year (table -> frame) and registers."""

    profile: LAProfile
    returns: dict[int, dict[str, pl.DataFrame]]
    registers: dict[str, pl.DataFrame]
    #: Ground truth kept for tests and calibration (days since epoch).
    truth: object = None
    stats: dict[str, float] = field(default_factory=dict)
    #: The council's own words, ``narrative/<id>.md`` (the statement's sign-off).
    narrative: dict[str, str] = field(default_factory=dict)


def sign_off_text(last_year: int) -> str:
    """The demo council's ``narrative/sign_off.md``: approved on 30 June after its last return
    (the statement's own year), next reviewed a year later."""
    return (
        "The statement was agreed by the Corporate Parenting Board and is reviewed each year.\n\n"
        "Approved by: Director of Children's Services\n"
        f"Approved on: {last_year}-06-30\n"
        f"Next review: {last_year + 1}-06-30\n"
    )


def parse_years(text: str) -> list[int]:
    """'2022-2026' -> [2022, ..., 2026]; '2024' -> [2024]. Raises ValueError with a clear message."""
    parts = text.strip().split("-")
    try:
        if len(parts) == 1:
            lo = hi = int(parts[0])
        elif len(parts) == 2:
            lo, hi = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"--years must look like 2022-2026 (years the returns end), got {text!r}"
        ) from None
    if not (2000 <= lo <= hi <= 2100):
        raise ValueError(
            f"--years must be an ascending range of years such as 2022-2026, got {text!r}"
        )
    ended = last_ended_year()
    if hi > ended:  # its registers' dates would be in the future: validate refuses them
        raise ValueError(
            f"--years {text}: the return for {hi} ends on {year_end(hi):%d/%m/%Y}, after today; "
            f"expected years up to {ended}"
        )
    return list(range(lo, hi + 1))


def generate(
    seed: int = 0,
    children: int | None = None,
    years: list[int] | None = None,
    la_code: str = DEFAULT_LA,
) -> SynthCouncil:
    """Simulate a council and cut it into returns and registers (nothing written)."""
    from sufficiency.dates import year_end
    from sufficiency.synth.daynumbers import date_of, return_year
    from sufficiency.synth.extras import simulate_extras
    from sufficiency.synth.parameters import SimConfig
    from sufficiency.synth.postcodes import geography, upper_tier_names
    from sufficiency.synth.presets import (
        ENGLAND_RATE_PER_10K,
        ENGLAND_UASC_SHARE,
        MAX_CHILDREN,
        MIN_CHILDREN,
        PRESETS,
        UNDER_18_PER_POSTCODE,
        published_preset,
    )
    from sufficiency.synth.registers import build_registers
    from sufficiency.synth.registers.duty import build_duty_registers
    from sufficiency.synth.returns import build_return
    from sufficiency.synth.simulate import simulate

    years = sorted(years or list(range(DEFAULT_YEARS[0], DEFAULT_YEARS[1] + 1)))
    geo = geography(la_code)
    preset = PRESETS.get(la_code) or published_preset(la_code)
    real_name = preset.name if preset else upper_tier_names().get(la_code, la_code)
    if preset is not None:
        pop = preset.population_under_18
        stock = preset.cla
        uasc_share = preset.uasc_share
        region = preset.region
    else:
        pop = int(geo.inside.height * UNDER_18_PER_POSTCODE)
        stock = max(1, round(pop * ENGLAND_RATE_PER_10K / 10_000))
        uasc_share = ENGLAND_UASC_SHARE
        region = ""
    if children is None and stock < MIN_CHILDREN:  # a demo too small to publish: scaled up
        children = MIN_CHILDREN
    if children is not None:
        if not 1 <= children <= MAX_CHILDREN:
            raise ValueError(
                f"--children must be from 1 to {MAX_CHILDREN:,} (England has about 84,000 "
                f"children looked after), not {children:,}"
            )
        # a council of a different size: scale the population so the rate stays the same
        pop = max(1000, round(pop * children / stock))
        stock = children
    end = year_end(years[-1])
    cfg = SimConfig(
        seed=seed,
        stock=stock,
        uasc_share=uasc_share,
        window_start=date_of(return_year(years[0])[0]),
        window_end=end,
        entry_age_p=preset.entry_age_p if preset is not None else None,
    )
    sim = simulate(cfg, geo)
    population = {
        y: round(pop * (1 + 0.004 * (y - 2023))) for y in range(years[0] - 1, years[-1] + 1)
    }
    profile = LAProfile(
        name=f"Demo Council ({real_name} geography)",
        code=la_code,
        region=region,
        neighbours=geo.neighbours,
        population_under_18={y: population[y] for y in years},
    )
    extras = simulate_extras(sim, seed)
    returns = {y: build_return(sim, y, extras, seed) for y in years}
    registers = build_registers(sim, end, years, population, seed, la_code, profile.name)
    registers.update(build_duty_registers(returns, end, seed, stock))
    return SynthCouncil(
        profile=profile,
        returns=returns,
        registers=registers,
        truth=sim,
        narrative={"sign_off": sign_off_text(years[-1])},
    )


def write_data_folder(council: SynthCouncil, out: Path) -> None:
    """Write ``council`` as a DATA folder at ``out`` (atomically; ``out`` must not hold data)."""
    from sufficiency.ingest.registers import write_register

    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} already exists and is not empty: choose a new folder")
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=parent))
    try:
        (tmp / "la.toml").write_text(council.profile.to_toml(), encoding="utf-8")
        for year, tables in council.returns.items():
            folder = tmp / "ssda903" / str(year)
            folder.mkdir(parents=True)
            for name, frame in tables.items():
                if frame.height == 0 and name not in ("header", "episodes"):
                    continue  # a blank optional table is left out rather than written empty
                frame.write_csv(folder / f"{name}.csv", null_value="")
        reg = tmp / "registers"
        reg.mkdir()
        for name, frame in council.registers.items():
            write_register(name, frame, reg / f"{name}.csv")
        if council.narrative:
            (tmp / "narrative").mkdir()
            for nid, text in council.narrative.items():
                (tmp / "narrative" / f"{nid}.md").write_text(text, encoding="utf-8")
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
