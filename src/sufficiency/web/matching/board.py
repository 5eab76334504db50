"""The vacancy board: every vacancy in the register with its status, expiry and provider contact.

A vacancy's status follows from its places and what takes them: ``allocated`` when live
allocations fill every place, else ``expired`` when its offer's expiry day has passed, else
``held`` when allocations and live holds fill every place, else ``open``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sufficiency.codes import PLACEMENT_TYPE_TITLES
from sufficiency.web.matching import holds, services
from sufficiency.web.matching.models import ProviderContact
from sufficiency.web.registers.models import Home, Vacancy

STATUSES: tuple[tuple[str, str], ...] = (
    ("open", "Open"),
    ("held", "Held"),
    ("allocated", "Allocated"),
    ("expired", "Expired"),
)
#: GOV.UK tag colour of each status.
STATUS_TAGS = {
    "open": "govuk-tag--green",
    "held": "govuk-tag--yellow",
    "allocated": "govuk-tag--blue",
    "expired": "govuk-tag--grey",
}
PROVIDER_KIND_TITLES = {
    "in_house_carer": "In-house foster carer",
    "ifa": "Independent fostering agency",
    "children_home": "Children's home",
    "supported_accommodation": "Supported accommodation",
}


def status(
    places: int, allocated: int, held: int, expires_on: dt.date | None, today: dt.date
) -> str:
    """A vacancy's status (see the module's description)."""
    if allocated >= places:
        return "allocated"
    if expires_on is not None and expires_on < today:
        return "expired"
    if allocated + held >= places:
        return "held"
    return "open"


@dataclass(frozen=True)
class BoardRow:
    vacancy_id: str
    provider_kind: str
    provider_id: str
    provider: str
    placement_type: str
    places: int
    allocated: int
    held: int
    available_from: dt.date | None
    expires_on: dt.date | None
    status: str
    contact: ProviderContact | None

    @property
    def status_title(self) -> str:
        return dict(STATUSES)[self.status]

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def free(self) -> int:
        return max(self.places - self.allocated - self.held, 0)


def provider_names() -> dict[str, str]:
    """Provider id -> name: the contact's name, else the homes register's (by URN)."""
    names = {
        str(urn): str(name or provider or "")
        for urn, name, provider in Home.objects.values_list("urn", "name", "provider")
    }
    names.update(dict(ProviderContact.objects.values_list("provider_id", "name")))
    return {k: v for k, v in names.items() if v}


def board_rows(
    *, state: str = "", provider_kind: str = "", placement_type: str = "", q: str = ""
) -> list[BoardRow]:
    """Every vacancy in the register (filtered), soonest available first."""
    allocated = services.allocated_places()
    held = holds.held_places()
    expiry = holds.expiry_dates()
    contacts = {c.provider_id: c for c in ProviderContact.objects.all()}
    names = provider_names()
    today = holds.today()
    vacancies: Any = Vacancy.objects.order_by("available_from", "vacancy_id")
    if provider_kind:
        vacancies = vacancies.filter(provider_kind=provider_kind)
    if placement_type:
        vacancies = vacancies.filter(placement_type=placement_type)
    rows = []
    needle = q.strip().lower()
    for v in vacancies:
        vid, pid = str(v.vacancy_id), str(v.provider_id or "")
        row = BoardRow(
            vacancy_id=vid,
            provider_kind=PROVIDER_KIND_TITLES.get(v.provider_kind, str(v.provider_kind)),
            provider_id=pid,
            provider=names.get(pid, ""),
            placement_type=PLACEMENT_TYPE_TITLES.get(v.placement_type, str(v.placement_type)),
            places=int(v.places or 0),
            allocated=allocated.get(vid, 0),
            held=held.get(vid, 0),
            available_from=v.available_from,
            expires_on=expiry.get(vid),
            status=status(
                int(v.places or 0), allocated.get(vid, 0), held.get(vid, 0), expiry.get(vid), today
            ),
            contact=contacts.get(pid),
        )
        if state and row.status != state:
            continue
        if needle and needle not in f"{vid} {pid} {row.provider}".lower():
            continue
        rows.append(row)
    return rows
