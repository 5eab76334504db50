"""Child-level registers (a child's disability and EHCP, permanence plans, care leavers, children
referred and what became of the referrals) are seen as a child's record is: only by the roles
that may see children's records (home finders: referrals and outcomes), and every view audited.
Before, a commissioner, home finder or fostering manager refused a child's page read the same
child's disability in the disabled children register, with no trace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sufficiency.schema import REGISTERS
from sufficiency.web.accounts.roles import CAPABILITIES, ROLES, register_view_capability

CHILD_LEVEL = sorted(n for n, s in REGISTERS.items() if s.children)
OTHERS = ("disabled_children", "permanence_plans", "care_leavers_25")


def _views() -> int:
    from auditlog.models import LogEntry

    return int(LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count())


def test_the_child_level_registers_are_declared_and_seen_as_children_are() -> None:
    assert CHILD_LEVEL == [
        "care_leavers_25",
        "disabled_children",
        "outcomes",
        "permanence_plans",
        "referrals",
    ]
    for name in OTHERS:
        assert register_view_capability(name) == "child_data"
    for name in ("referrals", "outcomes"):
        seen_by = CAPABILITIES[register_view_capability(name)]
        assert seen_by == CAPABILITIES["child_data"] | CAPABILITIES["matching"]
    assert register_view_capability("carers") == "registers_view"


@pytest.mark.parametrize("role", ["commissioner", "home_finder", "fostering_manager"])
def test_roles_refused_a_childs_record_are_refused_its_registers(
    loaded: Path, client_for: Callable[[str], Client], role: str
) -> None:
    from sufficiency.web.data.models import Child

    client = client_for(role)
    child = Child.objects.values_list("child", flat=True).first()
    assert client.get(f"/data/children/{child}/").status_code == 403
    for name in OTHERS:
        for page in ("", f"?q={child}", "export.csv", "export.xlsx", "1/history/"):
            response = client.get(f"/registers/{name}/{page}")
            assert response.status_code == 403, (role, name, page)
            assert str(child) not in response.content.decode()
    index = client.get("/registers/").content.decode()
    assert "/registers/disabled_children/" not in index and "/registers/carers/" in index
    referrals = client.get("/registers/referrals/").status_code
    assert referrals == (200 if role == "home_finder" else 403)


def test_every_view_of_a_child_level_register_is_audited(
    loaded: Path, users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    client = client_for("analyst")
    before = _views()
    assert client.get("/registers/disabled_children/?q=100").status_code == 200
    assert client.get("/registers/disabled_children/?q=100").status_code == 200  # cached or not
    assert client.get("/registers/permanence_plans/?page=2").status_code == 200
    row = EDITABLE_REGISTERS["disabled_children"].rows.values_list("pk", flat=True).first()
    assert client.get(f"/registers/disabled_children/{row}/history/").status_code == 200
    assert _views() == before + 4
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("-pk")[:4]
    assert [e.object_repr for e in entries] == [
        f"disabled_children register: row {row}, its history",
        "permanence_plans register: rows, page 2",
        "disabled_children register: rows matching '100'",
        "disabled_children register: rows matching '100'",
    ]
    assert {e.actor for e in entries} == {users["analyst"]}
    assert client.get("/registers/carers/").status_code == 200
    assert _views() == before + 4  # a register of no child is not


def test_the_director_sees_child_level_registers_and_the_analyst_keeps_them(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    assert client_for("director").get("/registers/disabled_children/").status_code == 200
    assert client_for("director").get("/registers/disabled_children/new/").status_code == 403
    assert client_for("analyst").get("/registers/disabled_children/new/").status_code == 200
    assert client_for("commissioner").get("/registers/disabled_children/new/").status_code == 403
    assert client_for("home_finder").get("/registers/referrals/new/").status_code == 200
    for role in ROLES:
        if role not in CAPABILITIES["child_data"]:
            assert client_for(role).get("/registers/care_leavers_25/").status_code == 403
