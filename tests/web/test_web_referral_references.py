"""Referral references are one key space, compared ignoring case, shared by the referrals made in
the workspace and the referrals register: every way in refuses a reference another holds (the new
referral form, the register's row form, register and data folder imports), and a workspace that
holds one twice from before still reads, names the twins on every page and lets an administrator
change one."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client
from home_finding_records import make_referral, make_vacancy, referral_form

IN_USE = "is already in use: open it from the list of referrals to change it"


def _body(response: Any) -> str:
    return html.unescape(response.content.decode())


def _register_row(rid: str) -> dict[str, str]:
    return {
        "referral_id": rid,
        "age": "9",
        "sex": "M",
        "needed_by": "2024-01-01",
        "urgency": "later",
        "referred_date": "2024-01-01",
        "siblings": "0",
    }


def _dataset_reads() -> bool:
    from sufficiency.web import bridge

    return bridge.dataset_or_none() is not None


def test_a_new_referral_repeating_a_register_rows_reference_in_another_case_is_refused(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.matching.models import Referral
    from sufficiency.web.registers.models import ReferralRecord

    assert ReferralRecord.objects.filter(referral_id="R00001").exists()
    response = client_for("home_finder").post("/matching/", referral_form("r00001"))
    assert response.status_code == 400
    body = _body(response)
    assert f"Referral reference r00001 {IN_USE}" in body
    assert "held by row R00001 of the referrals register" in body
    assert not Referral.objects.exists()
    assert _dataset_reads()


def test_a_register_row_repeating_a_web_referrals_reference_is_refused_in_any_case(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.registers.models import ReferralRecord

    home_finder = client_for("home_finder")
    assert home_finder.post("/matching/", referral_form("RACE0")).status_code == 302
    before = ReferralRecord.rows.count()
    for rid in ("race0", "RACE0"):
        response = home_finder.post("/registers/referrals/new/", _register_row(rid))
        assert response.status_code == 400, rid
        assert "held by referral RACE0 made in the workspace" in _body(response)
    assert ReferralRecord.rows.count() == before
    # a register row cannot be edited to take it either
    row = ReferralRecord.objects.get(referral_id="R00001")
    from sufficiency.web.registers.forms import initial_values

    edit = {k: v for k, v in initial_values(row).items() if not isinstance(v, list)}
    edit.update(referral_id="Race0", read_version=str(row.version))
    response = home_finder.post(f"/registers/referrals/{row.pk}/edit/", edit)
    assert response.status_code == 400 and "held by referral RACE0" in _body(response)
    assert _dataset_reads()


def test_a_register_import_repeating_a_web_referrals_reference_in_another_case_is_refused(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.registers import imports

    make_referral("RACE0")
    exported = client_for("admin").get("/registers/referrals/export.csv").content.decode()
    header, first, *rest = exported.splitlines()
    assert first.startswith("R00001,")
    twin = "\n".join([header, "race0," + first.split(",", 1)[1], *rest]) + "\n"
    frame, problems = imports.check_file("referrals", "referrals.csv", twin.encode())
    assert frame is None
    assert [(p.row, p.column, p.message) for p in problems if p.severity == "error"] == [
        (
            2,
            "referral_id",
            "referral_id 'race0' is the reference of referral RACE0 made in the workspace, the "
            "same ignoring case: use that spelling, or another reference",
        )
    ]
    # the web referral's own spelling is its row in an exported folder imported again
    same = "\n".join([header, "RACE0," + first.split(",", 1)[1], *rest]) + "\n"
    frame, problems = imports.check_file("referrals", "referrals.csv", same.encode())
    assert frame is not None


def test_a_workspace_holding_twins_still_reads_names_them_and_an_admin_renames_one(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.matching.models import Referral

    make_vacancy("V1", places=2)
    # made before the rule, straight into the database: a case twin of a register row, and two
    # web referrals that differ only in case
    make_referral("r00001")
    make_referral("RW-A")
    make_referral("rw-a")
    assert _dataset_reads()
    analyst, home_finder, admin = (client_for(r) for r in ("analyst", "home_finder", "admin"))
    dashboard = _body(analyst.get("/"))
    assert "could not be read" not in dashboard
    forecast = analyst.get("/forecast/")
    assert forecast.status_code == 200 and "No returns are loaded yet" not in _body(forecast)
    page = _body(home_finder.get("/matching/RW-A/"))
    assert "No data is loaded" not in page
    assert page.count('id="option-') == 10, page[page.find("There is a problem") :][:500]
    banner = (
        "Referral references repeated ignoring case: referral r00001 made in the workspace and "
        "row R00001 of the referrals register; referral RW-A made in the workspace and referral "
        "rw-a made in the workspace."
    )
    assert banner in page
    assert "Referral references repeated" in dashboard  # the analyst may see referrals
    commissioner = _body(client_for("commissioner").get("/"))
    assert "could not be read" not in commissioner
    assert "Referral references repeated" not in commissioner  # who may not, is not told them
    # a home finder cannot rename; an administrator can, to a reference nobody holds
    assert home_finder.get("/matching/rw-a/reference/").status_code == 403
    taken = admin.post("/matching/rw-a/reference/", {"referral_id": "r00002"})
    assert taken.status_code == 400 and "held by row R00002" in _body(taken)
    done = admin.post("/matching/rw-a/reference/", {"referral_id": "RW-B"})
    assert done.status_code == 302 and done["Location"] == "/matching/RW-B/"
    renamed = Referral.objects.get(referral_id="RW-B")
    assert renamed.data["id"] == "RW-B"
    entry = LogEntry.objects.filter(content_type__model="referral").latest("pk")
    assert entry.changes == {"referral_id": ["rw-a", "RW-B"]} and entry.actor is not None
    page = _body(home_finder.get("/matching/RW-B/"))
    assert "referral RW-A made in the workspace and referral rw-a" not in page
    assert "referral r00001 made in the workspace and row R00001" in page
