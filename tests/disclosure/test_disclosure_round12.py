"""Disclosure round 12: the DfE's release of the statement's own year, months after the
statement, prints whole percentages of the children looked after for each placement group. For
a council of up to about 100 children one whole per cent pins a group exactly, and a group the
statement hid as a further suppression came back with it (49 children: 16% gives the children's
homes group, 8; less the 6 in external homes and 0 in secure homes, the 2 in the council's own).
The attacker here is the tests' own (it reads only the written files), given the groups the
DfE will print, worked out from the return by the DfE's rule."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from attacker import recover, statement_knowledge
from disclosure_helpers import insider, load, synth, write
from test_disclosure_acceptance import _drawing_without_figures

#: The placement groups the DfE publishes for each council (LAIT), as whole percentages.
DFE_GROUPS = (
    "foster_placements",
    "placed_with_parents",
    "independent_and_supported_living",
    "secure_and_childrens_homes",
    "other_residential_settings",
    "other_placements",
)


def dfe_groups_pinned(truth: dict[str, float], at: str) -> dict[str, float]:
    """The groups the DfE's whole percentage of the children looked after pins exactly (its
    ``c`` for 1 to 5 aside), by the statement's reference."""
    cla = truth[f"cla_count@{at}"]
    out: dict[str, float] = {}
    for group in DFE_GROUPS:
        key = f"cla_by_national_placement_group.{group}@{at}"
        count = truth.get(key)
        if count is None or 1 <= count <= 5:
            continue
        pct = math.floor(100 * count / cla + 0.5)
        low = math.ceil((pct - 0.5) * cla / 100 - 1e-9)
        if low == math.floor((pct + 0.5) * cla / 100 + 1e-9):
            out[key] = count
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "children", "la"),
    [(3, 40, "E06000017"), (1, 60, "E06000019"), (22, 35, "E06000053")],
    ids=["rutland-49", "seed1-60", "scilly-35"],
)
def test_the_dfe_groups_of_the_statements_year_give_nothing_back(
    seed: int, children: int, la: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sufficiency.report.charts.render_svg", _drawing_without_figures)
    ds = load(synth(tmp_path / "data", seed, children, tuple(range(2022, 2027)), la))
    folder = write(ds, 2026, "publish", tmp_path / "published")
    truth, _ = insider(ds, 2026)
    reader = statement_knowledge(folder)
    pinned = dfe_groups_pinned(truth, "2026-03-31")
    assert pinned  # the case: some group is given by the DfE
    for key, value in pinned.items():
        reader.numbers.setdefault(key, value)
    found = recover(reader, truth)
    assert not found, "\n".join(str(f) for f in found)
