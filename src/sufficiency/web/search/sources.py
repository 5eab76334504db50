"""What the search looks in: each source names the capability that may see it, and finds its
matches (a queryset-backed list of results: text, link, a line of detail)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet

from sufficiency.web.registers.access import title
from sufficiency.web.registers.models import EDITABLE_REGISTERS
from sufficiency.web.registers.views import search_rows


@dataclass(frozen=True)
class Hit:
    """One result: what it is called, where it opens, a line about it."""

    text: str
    href: str
    detail: str = ""


@dataclass(frozen=True)
class Source:
    """A kind of record the search looks in."""

    id: str
    title: str
    capability: str
    find: Callable[[str], QuerySet[Any]]
    hit: Callable[[Any], Hit]
    #: Where the whole list, searched and filtered, is (``{q}`` is the search, quoted).
    list_href: str = ""


def _children(q: str) -> QuerySet[Any]:
    from sufficiency.web.data.models import Child

    return (
        Child.objects.filter(child__icontains=q)
        .order_by("child")
        .values_list("child", flat=True)
        .distinct()
    )


def _child(cid: str) -> Hit:
    return Hit(cid, f"/data/children/{quote(cid, safe='')}/", "record and timeline")


def _register(name: str) -> Callable[[str], QuerySet[Any]]:
    def find(q: str) -> QuerySet[Any]:
        return search_rows(EDITABLE_REGISTERS[name], q).order_by("pk")

    return find


def _row(name: str, detail_columns: int = 3) -> Callable[[Any], Hit]:
    model = EDITABLE_REGISTERS[name]

    def hit(row: Any) -> Hit:
        first, *rest = [getattr(row, c) for c in model.columns[: detail_columns + 1]]
        detail = ", ".join(
            f"{c.replace('_', ' ')} {v}"
            for c, v in zip(model.columns[1:], rest, strict=False)
            if v not in (None, "", [])
        )
        return Hit(str(first), f"/registers/{name}/{row.pk}/history/", detail)

    return hit


def _vacancy(row: Any) -> Hit:
    """A vacancy opens on the vacancy board (home finders); its register row for other roles."""
    return _row("vacancies")(row)


def board_href(hit: Hit) -> Hit:
    """The vacancy board's page of a vacancy ``hit`` (for roles with ``matching``)."""
    return Hit(hit.text, f"/vacancies/{quote(hit.text, safe='')}/", hit.detail)


def _referrals(q: str) -> QuerySet[Any]:
    from sufficiency.web.matching.models import Referral

    return Referral.objects.filter(referral_id__icontains=q).order_by("-created_at")


def _referral(r: Any) -> Hit:
    data = r.data or {}
    detail = ", ".join(
        f"{k.replace('_', ' ')} {data[k]}" for k in ("urgency", "needed_by") if data.get(k)
    )
    return Hit(r.referral_id, f"/matching/{quote(r.referral_id, safe='')}/", detail)


SOURCES: tuple[Source, ...] = (
    Source("children", "Children", "child_data", _children, _child, "/data/children/?q={q}"),
    Source(
        "carers",
        title("carers"),
        "registers_view",
        _register("carers"),
        _row("carers"),
        "/registers/carers/?q={q}",
    ),
    Source(
        "homes",
        title("homes"),
        "registers_view",
        _register("homes"),
        _row("homes"),
        "/registers/homes/?q={q}",
    ),
    Source(
        "vacancies",
        title("vacancies"),
        "registers_view",
        _register("vacancies"),
        _vacancy,
        "/registers/vacancies/?q={q}",
    ),
    Source("referrals", "Referrals", "matching", _referrals, _referral),
)
