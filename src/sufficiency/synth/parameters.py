"""The simulation's assumptions: routes out of care, ages at entry, placement kinds and where
they are, with their probabilities (England's magnitudes unless a preset says otherwise)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

#: Supported accommodation for 16-17s had to register with Ofsted by 28 October 2023; from then
#: its placements carry a URN (a new episode, RNE T, "change in the status of placement only").
SA_REGISTRATION = dt.date(2023, 10, 28)
#: From the 2025-26 return supported accommodation is K3, which the DfE rules expect in the LA.
SA_K3_FROM = dt.date(2025, 4, 1)

# Routes out of care.
ADOPT, SGO, CAO, HOME, TO18, OTHER = range(6)
ROUTES = ("adoption", "sgo", "cao", "home", "to18", "other")

# Route probabilities by age band at entry (<1, 1-4, 5-9, 10-15, 16-17), and for UASC.
ROUTE_P = np.array(
    [
        [0.30, 0.18, 0.02, 0.28, 0.20, 0.02],
        [0.18, 0.20, 0.03, 0.35, 0.22, 0.02],
        [0.02, 0.12, 0.05, 0.44, 0.35, 0.02],
        [0.00, 0.04, 0.03, 0.52, 0.38, 0.03],
        [0.00, 0.01, 0.01, 0.30, 0.64, 0.04],
    ]
)
ROUTE_P_UASC = np.array([0.0, 0.0, 0.0, 0.04, 0.88, 0.08])

# Entry age bands (years) and their shares among non-UASC entrants.
AGE_BANDS = np.array([[0, 1], [1, 5], [5, 10], [10, 16], [16, 18]], dtype=float)
ENTRY_AGE_P = np.array([0.21, 0.15, 0.16, 0.35, 0.13])
#: Children drawn relative to the target stock before thinning to it (re-entries and the
#: age mix make the stock of a plain rate x mean-stay draw miss the target by a few percent).
OVERSAMPLE = 1.12
UASC_AGE_P = np.array([0.0, 0.0, 0.0, 0.14, 0.86])  # of which 10-15 band is 14-15 only

# Placement kinds.
(
    INHOUSE,
    KINSHIP,
    IFA,
    RES_INHOUSE,
    RES_EXT,
    SUPPORTED,
    PARENTS,
    MBU,
    RESSCHOOL,
    SECURE,
    ADOPTION,
    OTHERPUB,
) = range(12)
KIND_NAMES = (
    "inhouse",
    "kinship",
    "ifa",
    "res_inhouse",
    "res_ext",
    "supported",
    "parents",
    "mbu",
    "resschool",
    "secure",
    "adoption",
    "otherpub",
)
# Placement kind probabilities by age band at the placement's start (non-UASC) and UASC.
KIND_P = np.array(
    [
        [0.46, 0.22, 0.20, 0.00, 0.00, 0.00, 0.04, 0.07, 0.000, 0.000, 0.0, 0.01],
        [0.45, 0.25, 0.22, 0.00, 0.01, 0.00, 0.06, 0.00, 0.000, 0.000, 0.0, 0.01],
        [0.40, 0.22, 0.26, 0.01, 0.04, 0.00, 0.06, 0.00, 0.005, 0.000, 0.0, 0.005],
        [0.31, 0.14, 0.28, 0.03, 0.17, 0.00, 0.04, 0.00, 0.015, 0.005, 0.0, 0.01],
        [0.22, 0.08, 0.17, 0.02, 0.13, 0.33, 0.03, 0.00, 0.005, 0.005, 0.0, 0.005],
    ]
)
KIND_P_UASC_YOUNG = np.array([0.42, 0, 0.50, 0, 0.08, 0, 0, 0, 0, 0, 0, 0], dtype=float)
KIND_P_UASC_OLD = np.array([0.10, 0, 0.12, 0, 0.03, 0.75, 0, 0, 0, 0, 0, 0], dtype=float)

# Location band probabilities (inside, neighbouring, distant) by placement kind.
LOCATION_P = np.array(
    [
        [1.00, 0.00, 0.00],  # in-house fostering: carers live in the council
        [0.65, 0.20, 0.15],  # kinship
        [0.55, 0.30, 0.15],  # IFA
        [1.00, 0.00, 0.00],  # in-house children's home
        [0.27, 0.30, 0.43],  # external children's home
        [0.50, 0.25, 0.25],  # supported accommodation
        [1.00, 0.00, 0.00],  # with parents (at home)
        [0.00, 0.50, 0.50],  # parent and child unit
        [0.00, 0.40, 0.60],  # residential school
        [0.00, 0.30, 0.70],  # secure children's home
        [0.35, 0.35, 0.30],  # placed for adoption
        [0.00, 0.60, 0.40],  # other LA's fostering
    ]
)


def age_band(age_years: np.ndarray) -> np.ndarray:
    """Row of the tables above for each age in years (<1, 1-4, 5-9, 10-15, 16-17)."""
    return np.searchsorted(np.array([1.0, 5.0, 10.0, 16.0]), age_years, side="right")


@dataclass(frozen=True)
class SimConfig:
    """What to simulate: size (children looked after at a time), mix and the time window."""

    seed: int
    stock: int
    uasc_share: float
    window_start: dt.date
    window_end: dt.date
    short_break_share: float = 0.015
    #: Shares of non-UASC entrants by age band (<1, 1-4, 5-9, 10-15, 16-17); None = England's.
    entry_age_p: tuple[float, ...] | None = None
