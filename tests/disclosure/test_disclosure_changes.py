"""A trend's change may go either way: a reader who sees it as ``[c]`` (or not at all) does not
know its sign. The system once took the first definition of a change, a figure like any other
that is at least 0 when its value is, so the protection and the gate both believed a reader
knew that each year's hidden count was no less than the last; with a small three-year count
that narrowed every year's adoptions to 1 to 2 and Bracknell Forest's statement (synth seed 4)
was refused."""

from __future__ import annotations

import datetime as dt
import math

from sufficiency.disclosure.audit import audit
from sufficiency.disclosure.linear import Relation, Var
from sufficiency.measures.identities import measure_system
from sufficiency.results import Count, Record, Result

LAST, NOW = dt.date(2025, 3, 31), dt.date(2026, 3, 31)
CHANGE = "trends.adoptions.2026.change@2026-03-31"


def _years() -> dict[dt.date, dict[str, Result]]:
    trends = Record(
        {"adoptions": {"2025": {"value": 1, "change": None}, "2026": {"value": 2, "change": 1}}}
    )
    return {
        LAST: {"adoptions": Count(1)},
        NOW: {"adoptions": Count(2), "trends": trends},
    }


def test_a_change_is_tied_to_its_two_years_and_may_be_negative() -> None:
    system = measure_system(_years())
    assert system.vars[CHANGE].lower == -math.inf
    assert system.derived[CHANGE] == ("adoptions@2026-03-31", "adoptions@2025-03-31")
    assert any(r.label == f"{CHANGE} = change" for r in system.relations)


def test_a_hidden_change_does_not_order_the_hidden_years() -> None:
    system = measure_system(_years())
    # the two years add up to a [c] (1 to 5): with the change's sign known, 2025 <= 2026 would
    # narrow 2025 to 1 or 2; without it, each year is 1 to 4
    system.add_var("both", Var(3.0))
    system.relate(Relation.equal(["both"], ["adoptions@2025-03-31", "adoptions@2026-03-31"]))
    hidden = {"adoptions@2025-03-31", "adoptions@2026-03-31", CHANGE, "both"}
    assert audit(system, hidden) == []
    signed = Var(1.0, "number", lower=0.0)
    system.vars[CHANGE] = signed
    (exposed,) = audit(system, hidden, only={"adoptions@2025-03-31"})
    assert (exposed.low, exposed.high) == (1.0, 2.0)
