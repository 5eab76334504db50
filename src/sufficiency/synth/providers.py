"""The council's providers as the simulation creates them: its foster carer households, the
children's homes and supported accommodation it uses, and the fostering and adoption agencies.

A household, home or setting is created when a placement first needs one (see ``allocation``);
the registers are cut from these frames.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from sufficiency.synth.daynumbers import YEAR
from sufficiency.synth.parameters import MBU, RES_EXT, RES_INHOUSE, RESSCHOOL, SECURE
from sufficiency.synth.postcodes import Geography


class Providers:
    """Carers, homes, supported settings and agencies, allocated as placements need them."""

    def __init__(self, rng: np.random.Generator, geo: Geography, end: int) -> None:
        self.rng = rng
        self.geo = geo
        self.end = end
        self.pools = [
            geo.inside,
            geo.neighbouring if geo.neighbouring.height else geo.inside,
            geo.distant,
        ]
        # Series, not numpy arrays: the distant pool holds ~1.9M postcodes, and making Python
        # strings of them all took 0.3 s of every council's synth; only those drawn are made
        self.pool_pcd = [p.get_column("postcode") for p in self.pools]
        self.pool_la = [p.get_column("upper_la") for p in self.pools]
        self.urn_seq = 0
        self.urns_used: set[str] = set()
        self.carers: list[dict[str, Any]] = []
        self.homes: list[dict[str, Any]] = []
        self.settings: list[dict[str, Any]] = []
        self.agencies: list[dict[str, Any]] = []
        self.la_fostering = self._agency(
            "fostering_service", "local_authority", 0, "Fostering service"
        )
        self.la_adoption = self._agency("adoption_agency", "local_authority", 0, "Adoption service")
        self.ifas = [
            self._agency(
                "ifa",
                "private" if i % 4 else "voluntary",
                int(self.rng.choice(3, p=[0.4, 0.35, 0.25])),
                f"Independent fostering agency {i + 1}",
            )
            for i in range(12)
        ]
        self.ifa_w = self.rng.dirichlet(np.ones(len(self.ifas)) * 1.5)
        self.other_la = self._agency(
            "fostering_service", "local_authority", 1, "Neighbouring council fostering service"
        )

    # ---- helpers
    def postcode(self, band: int) -> tuple[str, str]:
        """A random postcode of a location band (0 inside, 1 neighbouring, 2 distant) and its LA."""
        i = int(self.rng.integers(0, len(self.pool_pcd[band])))
        return str(self.pool_pcd[band][i]), str(self.pool_la[band][i])

    def inside_postcodes(self, n: int) -> np.ndarray:
        """``n`` random postcodes inside the council (children's home addresses)."""
        idx = self.rng.integers(0, len(self.pool_pcd[0]), n)
        return np.asarray(self.pool_pcd[0].gather(idx).to_numpy(), dtype=object)

    def new_urn(self) -> str:
        """A fresh Ofsted-style URN (SC + 6 digits) not used before."""
        while True:
            self.urn_seq += 1
            # SC9xxxxx is left for the registers' extra (unused) homes, so URNs never collide
            urn = f"SC{int(self.rng.integers(100000, 900000)):06d}"
            if urn not in self.urns_used:
                self.urns_used.add(urn)
                return urn

    def _agency(self, kind: str, sector: str, band: int, name: str) -> dict[str, Any]:
        """Create and record a fostering service, adoption agency or IFA."""
        pcd, la = self.postcode(band)
        row: dict[str, Any] = {
            "urn": self.new_urn(),
            "name": name,
            "kind": kind,
            "sector": sector,
            "postcode": pcd,
            "local_authority": la,
        }
        self.agencies.append(row)
        return row

    def new_household(self, kind: str, first_use: int, band: int) -> dict[str, Any]:
        """Create a foster carer household (mainstream, kinship or short breaks) first used on ``first_use``."""
        rng = self.rng
        r = rng.random(4)
        places = 1 if kind == "kinship" else (1 if r[0] < 0.42 else (2 if r[0] < 0.84 else 3))
        approved = first_use - (int(r[3] * 14) if kind == "kinship" else 20 + int(r[3] * 480))
        row: dict[str, Any] = {
            "household_id": f"FC{len(self.carers) + 1:05d}",
            "kind": kind,
            "places": places,
            "approved": approved,
            "postcode": self.postcode(band)[0],
            "last_end": first_use,
            "placements": [],
            "age_min": 0 if kind == "kinship" else (0, 0, 5, 11)[int(r[1] * 4)],
            # an approval range never ends before it starts (11 to 10 would be no range at all)
            "age_max": 18
            if kind == "kinship"
            else max((10, 17, 18, 18)[int(r[2] * 4)], (0, 0, 5, 11)[int(r[1] * 4)] + 5),
        }
        self.carers.append(row)
        return row

    def new_home(self, kind: int, band: int, first_use: int) -> int:
        """Create a children's home (or other residential setting) of a placement kind; its index."""
        rng = self.rng
        pcd, la = self.postcode(band)
        inhouse = kind == RES_INHOUSE
        sector = (
            "local_authority"
            if inhouse or kind == SECURE
            else ("voluntary" if rng.random() < 0.15 else "private")
        )
        places = (
            int(rng.integers(2, 6)) if kind in (RES_INHOUSE, RES_EXT) else int(rng.integers(4, 12))
        )
        home_type = {
            RES_INHOUSE: "childrens_home",
            RES_EXT: "childrens_home",
            MBU: "family_centre",
            RESSCHOOL: "residential_special_school",
            SECURE: "secure_childrens_home",
        }[kind]
        provider_code = (
            "PR1"
            if inhouse
            else ("PR2" if kind == SECURE else ("PR5" if sector == "voluntary" else "PR4"))
        )
        row: dict[str, Any] = {
            "urn": self.new_urn(),
            "postcode": pcd,
            "local_authority": la,
            "places": places,
            "our_slots": places if inhouse else max(1, min(places, int(rng.integers(1, 3)))),
            "in_house": inhouse,
            "sector": sector,
            "home_type": home_type,
            "provider_code": provider_code,
            "registered": first_use - int(rng.integers(200, 6000)),
            "placements": [],
        }
        self.homes.append(row)
        return len(self.homes) - 1

    def new_setting(self, band: int, first_use: int) -> int:
        """Create a supported accommodation setting; its index."""
        rng = self.rng
        pcd, la = self.postcode(band)
        inhouse = band == 0 and rng.random() < 0.25
        row: dict[str, Any] = {
            "urn": self.new_urn(),
            "postcode": pcd,
            "local_authority": la,
            "units": int(rng.integers(2, 9)),
            "provider_code": "PR1" if inhouse else "PR4",
            "registered": first_use - int(rng.integers(100, 3000)),
            "placements": [],
        }
        self.settings.append(row)
        return len(self.settings) - 1

    def short_break_places(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Short-break carer households (approval type short_breaks) for ``n`` children."""
        hh = [
            self.new_household("short_breaks", self.end - int(YEAR * 3), 0)
            for _ in range(max(1, n // 2))
        ]
        pick = self.rng.integers(0, len(hh), n)
        post = np.array([hh[i]["postcode"] for i in pick], dtype=object)
        holder = np.array([hh[i]["household_id"] for i in pick], dtype=object)
        urn = np.full(n, self.la_fostering["urn"], dtype=object)
        return post, urn, holder

    # ---- frames
    def carers_frame(self) -> pl.DataFrame:
        """The carer households created, with their first use."""
        return pl.DataFrame(
            [
                {
                    "household_id": c["household_id"],
                    "kind": c["kind"],
                    "places": c["places"],
                    "approved": c["approved"],
                    "postcode": c["postcode"],
                    "last_end": c["last_end"],
                    "age_min": c["age_min"],
                    "age_max": c["age_max"],
                    "first_use": min((s for s, _ in c["placements"]), default=c["approved"]),
                }
                for c in self.carers
            ],
            schema={
                "household_id": pl.Utf8,
                "kind": pl.Utf8,
                "places": pl.Int64,
                "approved": pl.Int64,
                "postcode": pl.Utf8,
                "last_end": pl.Int64,
                "age_min": pl.Int64,
                "age_max": pl.Int64,
                "first_use": pl.Int64,
            },
        )

    def homes_frame(self) -> pl.DataFrame:
        """The children's homes and other residential settings created."""
        cols = [
            "urn",
            "postcode",
            "local_authority",
            "places",
            "in_house",
            "sector",
            "home_type",
            "provider_code",
            "registered",
        ]
        return pl.DataFrame(
            [{c: h[c] for c in cols} for h in self.homes],
            schema={
                "urn": pl.Utf8,
                "postcode": pl.Utf8,
                "local_authority": pl.Utf8,
                "places": pl.Int64,
                "in_house": pl.Boolean,
                "sector": pl.Utf8,
                "home_type": pl.Utf8,
                "provider_code": pl.Utf8,
                "registered": pl.Int64,
            },
        )

    def settings_frame(self) -> pl.DataFrame:
        """The supported accommodation settings created."""
        cols = ["urn", "postcode", "local_authority", "units", "provider_code", "registered"]
        return pl.DataFrame(
            [{c: h[c] for c in cols} for h in self.settings],
            schema={
                "urn": pl.Utf8,
                "postcode": pl.Utf8,
                "local_authority": pl.Utf8,
                "units": pl.Int64,
                "provider_code": pl.Utf8,
                "registered": pl.Int64,
            },
        )

    def agencies_frame(self) -> pl.DataFrame:
        """The fostering services and agencies created."""
        return pl.DataFrame(self.agencies)
