"""Saved scenarios on the web: owned by whoever saved them (others copy, never change or delete
them), multipliers from 0 to 5 and additions within the rates observed, each refusal a named
error in the GOV.UK error summary."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

HALF = "entries:\n  - {category: external_residential, multiply: 0.5}"


def save(client: Client, name: str, text: str) -> int:
    response = client.post("/forecast/scenarios/new/", {"name": name, "text": text})
    return response.status_code


def refusal(client: Client, text: str) -> str:
    """The page a refused scenario gets (400, error summary), unescaped."""
    response = client.post("/forecast/scenarios/new/", {"name": "bad", "text": text})
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    return body


def test_others_copy_a_scenario_but_cannot_change_or_delete_it(
    client_for: Callable[[str], Client],
) -> None:
    from sufficiency.web.dashboard.models import Scenario

    owner, other = client_for("commissioner"), client_for("analyst")
    assert save(owner, "step_down", HALF) == 302
    scenario = Scenario.objects.get()
    assert scenario.owner is not None and scenario.owner.username == "commissioner_user"
    assert other.get(f"/forecast/scenarios/{scenario.pk}/").status_code == 403
    changed = other.post(f"/forecast/scenarios/{scenario.pk}/", {"name": "step_down", "text": "{}"})
    assert changed.status_code == 403
    assert other.post(f"/forecast/scenarios/{scenario.pk}/delete/").status_code == 403
    assert Scenario.objects.get().text == HALF
    # the copy starts from the text under a free name, and is the copier's own
    form = other.get(f"/forecast/scenarios/{scenario.pk}/copy/").context["form"]
    assert form.initial == {"name": "step_down_copy", "text": HALF}
    copied = other.post(
        f"/forecast/scenarios/{scenario.pk}/copy/", {"name": "step_down_copy", "text": HALF}
    )
    assert copied.status_code == 302
    copy = Scenario.objects.get(name="step_down_copy")
    assert copy.owner is not None and copy.owner.username == "analyst_user"
    assert other.post(f"/forecast/scenarios/{copy.pk}/delete/").status_code == 302
    assert owner.post(f"/forecast/scenarios/{scenario.pk}/delete/").status_code == 302
    assert not Scenario.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "entries:\n  - {category: external_residential, multiply: 1000000}\n",
            "entries[0].multiply: 1,000,000 is outside 0 to 5 (a multiplier of the rate observed)",
        ),
        (
            "rates:\n  - {from: ifa, to: NOT_IN_CARE, multiply: 5.5}\n",
            "rates[0].multiply: 5.5 is outside 0 to 5",
        ),
        (
            "rates:\n  - {from: ifa, to: in_house_fostering, add_per_year: 0.1}\n",
            "rates[0].add_per_year: an addition is checked against the rates observed in the "
            "loaded returns: load a return first",
        ),
    ],
    ids=["million", "five-and-a-half", "addition-without-data"],
)
def test_a_multiplier_outside_0_to_5_is_a_named_error(
    client_for: Callable[[str], Client], text: str, message: str
) -> None:
    from sufficiency.web.dashboard.models import Scenario

    body = refusal(client_for("commissioner"), text)
    assert message in body
    assert not Scenario.objects.exists()


def test_an_addition_beyond_the_rates_observed_is_a_named_error(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.forecast import fit_model
    from sufficiency.web import bridge
    from sufficiency.web.dashboard.scenario_limits import observed_limits

    ds = bridge.dataset_or_none()
    assert ds is not None
    limits = observed_limits(ds, bridge.revision())
    model = fit_model(ds)
    entrants = float(model.entrants.sum()) * model.config.year_in_days
    assert limits.entrants_per_year == pytest.approx(entrants, abs=0.05)
    assert limits.rate_per_year > 0
    client = client_for("commissioner")
    over = limits.entrants_per_year + 1
    body = refusal(client, f"entries:\n  - {{add_per_year: {over}}}\n")
    assert "entries[0].add_per_year:" in body
    assert "(the children entering care a year observed)" in body
    rate = round(limits.rate_per_year * 2, 3)
    body = refusal(client, f"rates:\n  - {{from: ifa, to: NOT_IN_CARE, add_per_year: -{rate}}}\n")
    assert (
        "rates[0].add_per_year:" in body
        and "(the highest rate observed per child per year)" in body
    )
    within = round(limits.entrants_per_year / 2, 1)
    assert save(client, "more_entrants", f"entries:\n  - {{add_per_year: {within}}}\n") == 302
