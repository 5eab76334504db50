"""Hertfordshire's figures, reproduced from datasets built child by child.

Seed 001 (Sufficiency Report 2017/18): "As at Dec 2017 placements types were as follows: 573
in-house fostering plus family and friends placements (including 31 UASC), 24 in-house
residential, 172 Independent Fostering Agencies (IFA) (including 22 UASC) ..., 49 Independent
Residential Placements, 100 semi-independent (including 36 UASC), 3 secure welfare, 5
residential parenting assessments, 4 in residential special schools" and "As at end April 2018
there were 907 Children Looked After". (The "11 0-25 placements" beside the IFA line name no
placement type, so they are left out.)

Seed 004 (Sufficiency Statement 2024): 978 children looked after on 31 March 2024 by age (under 1
22, 1-4 74, 5-9 137, 10-12 141, 13-15 239, 16-17 365); "Of the 978 children, 154 (16%) are
Separated Migrant Children", "aged 17 years (n100 64.9%), with all arrivals being aged over 13",
"For the financial year 2023-24, there were 101 new SMC starters"; "41% female (n403) and 39% male
(n574)"; care leavers aged 18+ in 2023-24: 18 years old 211, 19 to 21 years old 535 (the 186
aged 22-26 are not in the SSDA903 OC3 table, which covers 17-21).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEC_2017 = dt.date(2017, 12, 31)
APRIL_2018 = dt.date(2018, 4, 30)
AT_2024 = dt.date(2024, 3, 31)

#: Seed 001 rows: LA placement type -> (PLACE, PLACE_PROVIDER, children, of whom UASC).
HERTS_2017 = {
    "in_house_fostering": ("U4", "PR1", 450, 31),
    "family_and_friends": ("U1", "PR1", 123, 0),
    "in_house_residential": ("K2", "PR1", 24, 0),
    "ifa": ("U4", "PR4", 172, 22),
    "external_residential": ("K2", "PR4", 49, 0),
    "supported_accommodation": ("H5", "PR4", 100, 36),
    "secure": ("K1", "PR1", 3, 0),
    "parent_and_child": ("R3", "PR4", 5, 0),
    "residential_school": ("S1", "PR4", 4, 0),
}


def test_hertfordshire_2017_placement_types_and_april_count(seed: Any) -> None:
    b = seed.Builder()
    age = seed.dob_for_age
    ids: list[str] = []
    for place, provider, n, uasc in HERTS_2017.values():
        for i in range(n):
            years = 16 if place == "H5" else 11
            dob = age(years, DEC_2017)
            cid = b.child(dob)
            b.episode(cid, "2016-06-01", PLACE=place, PLACE_PROVIDER=provider)
            if i < uasc:
                b.uasc.append({"CHILD": cid, "SEX": "M", "DOB": dob, "DUC": None})
            ids.append(cid)
    # A former UASC (status ceased in November 2017) among the IFA children: not counted.
    former = ids[450 + 123 + 24 + 30]
    b.uasc.append({"CHILD": former, "SEX": "M", "DOB": "2004-01-01", "DUC": "2017-11-01"})
    # A UASC who left care in 2017 and a short-break child: neither is looked after in December.
    gone = b.child(age(16, DEC_2017))
    b.episode(gone, "2017-01-01", "2017-09-01", PLACE="H5", PLACE_PROVIDER="PR4")
    b.uasc.append({"CHILD": gone, "SEX": "M", "DOB": "2001-03-01", "DUC": None})
    b.episode(b.child(age(9, DEC_2017)), "2017-06-01", LS="V4", PLACE="U4", PLACE_PROVIDER="PR1")
    # December to April: 40 leave (the last on 30 April itself), 17 come into care.
    for cid in ids[:39]:
        b.episodes[ids.index(cid)]["DEC"], b.episodes[ids.index(cid)]["REC"] = "2018-02-01", "E4A"
    b.episodes[ids.index(ids[39])]["DEC"], b.episodes[ids.index(ids[39])]["REC"] = (
        "2018-04-30",
        "E4A",
    )
    for _ in range(17):
        b.episode(b.child(age(8, APRIL_2018)), "2018-03-01")

    ds = b.dataset(code="E10000015")
    got = seed.measures_json(ds, DEC_2017, ["cla_count", "cla_by_placement_type", "uasc_count"])
    assert got["cla_count"] == 930
    types = {k: v for k, v in got["cla_by_placement_type"].items() if v}
    assert types == {k: v[2] for k, v in HERTS_2017.items()}
    assert types["in_house_fostering"] + types["family_and_friends"] == 573
    assert got["uasc_count"] == 31 + 22 + 36
    april = seed.measures_json(ds, APRIL_2018, ["cla_count"])
    assert april["cla_count"] == 907


#: Seed 004 "CLA Age" table and the ages used inside each band.
AGE_2024 = {
    "under_1": (22, [0]),
    "1_to_4": (74, [1, 2, 3, 4]),
    "5_to_9": (137, [5, 6, 7, 8, 9]),
    "10_to_12": (141, [10, 11, 12]),
    "13_to_15": (239, [13, 14, 15]),
    "16_to_17": (365, [16, 17]),
}


def test_hertfordshire_2024_age_smc_sex_and_care_leavers(seed: Any) -> None:
    b = seed.Builder()
    age = seed.dob_for_age
    smc_17, smc_13_15 = 100, 54
    n = 0
    for band, (count, years) in AGE_2024.items():
        for i in range(count):
            y = 17 if band == "16_to_17" and i < smc_17 else years[i % len(years)]
            if band == "16_to_17" and i >= smc_17:
                y = 16 if i % 2 else 17
            dob = age(y, AT_2024)
            sex = "F" if n < 403 else "M" if n < 977 else "U"
            cid = b.child(dob, sex=sex)
            n += 1
            smc = (band == "16_to_17" and i < smc_17) or (band == "13_to_15" and i < smc_13_15)
            # 95 of the 154 SMC arrived in 2023-24 (RNE S in the year), the others earlier.
            arrived = smc and ((band == "16_to_17" and i < 60) or (band == "13_to_15" and i < 35))
            b.episode(cid, "2023-09-01" if arrived else "2021-09-01", PLACE="H5" if y >= 16 else "U4",
                      PLACE_PROVIDER="PR4")  # fmt: skip
            if smc:
                b.uasc.append({"CHILD": cid, "SEX": sex, "DOB": dob, "DUC": None})
    # 6 more SMC arrived in the year and turned 18 (left care) before 31 March: 101 arrivals.
    for _ in range(6):
        dob = dt.date(2006, 1, 15).isoformat()
        cid = b.child(dob)
        b.episode(cid, "2023-06-01", "2024-01-15", PLACE="H5", PLACE_PROVIDER="PR4", REC="E6")
        b.uasc.append({"CHILD": cid, "SEX": "M", "DOB": dob, "DUC": "2024-01-15"})
    # Care leavers (OC3 for 2023-24): 17s, 211 aged 18, 535 aged 19-21.
    for years, count in ((17, 60), (18, 211), (19, 180), (20, 175), (21, 180)):
        for _ in range(count):
            dob = age(years, AT_2024)
            cid = b.child(dob)
            b.oc3.append({"CHILD": cid, "DOB": dob, "IN_TOUCH": "YES", "ACTIV": "F2",
                          "ACCOM": "S1"})  # fmt: skip

    ds = b.dataset(code="E10000015")
    got = seed.measures_json(
        ds,
        AT_2024,
        [
            "cla_count", "cla_by_fine_age_band", "cla_by_sex", "uasc_count", "uasc_share",
            "uasc_by_age", "uasc_arrivals", "care_leavers_by_age",
        ],
    )  # fmt: skip
    assert got["cla_count"] == 978
    assert got["cla_by_fine_age_band"] == {**{k: v[0] for k, v in AGE_2024.items()}, "18_plus": 0}
    assert got["cla_by_sex"] == {"M": 574, "F": 403, "U": 1}
    assert got["uasc_count"] == 154
    assert got["uasc_share"] == {"count": 154, "denominator": 978, "pct": 15.7}
    assert round(got["uasc_share"]["pct"]) == 16
    assert got["uasc_by_age"]["16_to_17"] == 100
    assert got["uasc_by_age"]["13_to_15"] == 54
    assert round(100 * 100 / got["uasc_count"], 1) == 64.9
    assert got["uasc_arrivals"] == 101
    leavers = got["care_leavers_by_age"]
    assert leavers["18"] == 211
    assert leavers["19"] + leavers["20"] + leavers["21"] == 535
    assert leavers == {"17": 60, "18": 211, "19": 180, "20": 175, "21": 180}
