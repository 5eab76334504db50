"""Seed 002 (Staffordshire Sufficiency Strategy 2023-26): "As at 07/10/2022 ... 7.1% of children
in our care (1344) have lived in 3+ placements within a 12-month period" and "64.9% of all looked
after children have lived in the same place for 2+ years".

Built child by child: 1,344 children looked after on 7 October 2022, 95 of them with three or
more placements in the 12 months to that date (95 / 1,344 = 7.1%), and a long-term cohort
(under 16, looked after for 2.5 years or more) of 590 of whom 383 have been in the same
placement for 2 years or more, or are placed for adoption with their adoptive placement plus
the one before lasting 2 years (383 / 590 = 64.9%). Each group carries the DfE definitions'
edges: temporary placements and changes of legal status are not moves, a child who turns 16 on
the date is out of the cohort, a placement starting exactly 2 years before counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

AT = dt.date(2022, 10, 7)


def _build(seed: Any) -> Any:
    b = seed.Builder()
    age = seed.dob_for_age

    # Stable cohort (378): in care since 2019, one placement. One placement started exactly
    # 2 years before the date, one care period started exactly 2.5 years before.
    for _ in range(376):
        b.episode(b.child(age(10, AT)), "2019-01-01")
    b.spell(b.child(age(10, AT)), [("2019-01-01", "S", "U4"), ("2020-10-07", "P", "U5")])
    b.episode(b.child(age(11, AT)), "2020-04-07")
    # Placed for adoption (5): foster placement from June 2019, then A3 with the same carers
    # from June 2021 - the two together last over 2 years.
    for _ in range(5):
        b.spell(b.child(age(3, AT)), [("2019-06-01", "S", "U4"), ("2021-06-01", "P", "A3")])
    # Unsettled cohort (207): in care since 2019 but moved on 1 January 2021; 40 of them moved
    # twice more in the year (3 placements: the one open on 8 October 2021 plus 2).
    for _ in range(165):
        b.spell(b.child(age(12, AT)), [("2019-01-01", "S", "U4"), ("2021-01-01", "P", "U5")])
    for _ in range(40):
        b.spell(
            b.child(age(12, AT)),
            [("2019-01-01", "S", "U4"), ("2021-01-01", "P", "U5"), ("2021-12-01", "P", "U4"),
             ("2022-03-01", "P", "K2")],
        )  # fmt: skip
    # ... a placement one day short of 2 years, and an adoptive placement whose previous
    # placement began less than 2 years ago.
    b.spell(b.child(age(9, AT)), [("2019-01-01", "S", "U4"), ("2020-10-08", "P", "U5")])
    b.spell(
        b.child(age(2, AT)),
        [("2020-01-01", "S", "U4"), ("2021-01-01", "P", "U5"), ("2022-01-01", "P", "A3")],
    )
    # Outside the cohort (754): 200 aged 16 or over (one turns 16 on the date) ...
    for _ in range(199):
        b.episode(b.child(age(16, AT)), "2019-01-01")
    b.episode(b.child(dt.date(2006, 10, 7).isoformat()), "2019-01-01")
    # ... 499 in care less than 2.5 years: 10 with a temporary placement (T1) and a return,
    # 10 with two changes of legal status only (RNE L) - neither reaches 3 placements ...
    for _ in range(479):
        b.episode(b.child(age(15, AT)), "2020-06-01")
    for _ in range(10):
        b.spell(
            b.child(age(15, AT)),
            [("2020-06-01", "S", "U4"), ("2022-03-01", "P", "T1"), ("2022-03-10", "P", "U4")],
        )
    for _ in range(10):
        cid = b.child(age(15, AT))
        b.episode(cid, "2020-06-01", "2022-01-01", REC="X1")
        b.episode(cid, "2022-01-01", "2022-05-01", RNE="L", LS="E1", REC="X1")
        b.episode(cid, "2022-05-01", RNE="L", LS="C2")
    # ... and 55 who came into care in January 2022 and moved twice (3 placements).
    for _ in range(55):
        b.spell(
            b.child(age(14, AT)),
            [("2022-01-01", "S", "U4"), ("2022-04-01", "P", "U5"), ("2022-07-01", "P", "K2")],
        )
    # Not looked after on the date: short breaks with many moves, and movers who left.
    for _ in range(20):
        b.spell(
            b.child(age(12, AT)),
            [("2022-01-01", "S", "U4"), ("2022-04-01", "P", "U5"), ("2022-07-01", "P", "U6")],
            LS="V3",
        )
    for _ in range(10):
        b.spell(
            b.child(age(12, AT)),
            [("2021-11-01", "S", "U4"), ("2022-02-01", "P", "U5"), ("2022-05-01", "P", "U6")],
            end="2022-08-01",
        )
    return b


def test_staffordshire_stability(seed: Any) -> None:
    ds = _build(seed).dataset(code="E10000028")
    got = seed.measures_json(
        ds, AT, ["cla_count", "stability_three_plus", "stability_long_term", "short_breaks_count"]
    )
    assert got["cla_count"] == 1344
    assert got["short_breaks_count"] == 20
    assert got["stability_three_plus"] == {"count": 95, "denominator": 1344, "pct": 7.1}
    assert got["stability_long_term"] == {"count": 383, "denominator": 590, "pct": 64.9}
