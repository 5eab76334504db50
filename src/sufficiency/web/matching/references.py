"""Referral references: one key space shared by the referrals made in the workspace and the rows
of the referrals register, compared ignoring case as the register's own check compares them
(``R00001`` and ``r00001`` are one reference).

``holders`` is the one rule every way in asks (the new-referral form, the register's row form,
its restore, and register and data folder imports); ``clashes`` names the references a workspace
already holds twice, so the figures and the matcher still read (``feed`` keeps one of each) and
every page says which they are until an administrator changes one (``rename``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from sufficiency.ingest.problems import Problem


@dataclass(frozen=True)
class Holder:
    """Something that holds a reference: a web referral or a row of the referrals register."""

    reference: str
    web: bool
    retired: bool = False

    def text(self) -> str:
        """How a message names it."""
        if self.web:
            return f"referral {self.reference} made in the workspace"
        return f"row {self.reference} of the referrals register" + (
            " (retired)" if self.retired else ""
        )


def lock() -> None:
    """Serialise the check of a reference with its save (call inside ``transaction.atomic``):
    no unique constraint spans the web's referrals and the register's rows."""
    from sufficiency.web.serialised import serialise

    serialise("referral references")


def holders(
    reference: str, *, web_pk: int | None = None, register_pk: int | None = None
) -> list[Holder]:
    """Who already holds ``reference`` (ignoring case), other than the web referral ``web_pk``
    and the register row ``register_pk`` (the one being saved)."""
    from sufficiency.web.matching.models import Referral
    from sufficiency.web.registers.models import ReferralRecord

    rid = reference.strip()
    if not rid:
        return []
    web = Referral.objects.filter(referral_id__iexact=rid)
    if web_pk is not None:
        web = web.exclude(pk=web_pk)
    rows = ReferralRecord.rows.filter(referral_id__iexact=rid)
    if register_pk is not None:
        rows = rows.exclude(pk=register_pk)
    return [Holder(str(r), True) for r in web.values_list("referral_id", flat=True)] + [
        Holder(str(r), False, retired is not None)
        for r, retired in rows.values_list("referral_id", "retired_at")
    ]


def in_use_message(reference: str, found: Iterable[Holder]) -> str:
    """What a form says of a reference another referral or register row holds."""
    named = "; ".join(h.text() for h in found)
    held = f" It is held by {named} (references are compared ignoring case)." if named else ""
    return (
        f"Referral reference {reference} is already in use: open it from the list of referrals "
        f"to change it, or choose another reference.{held}"
    )


def import_problems(frame: pl.DataFrame | None, file: str) -> list[Problem]:
    """An error for each row of a referrals register file whose reference a web referral holds
    spelled otherwise (``r00001`` beside ``R00001``): the two would be one reference. A row with
    the web referral's own spelling is its row in an exported folder imported again, which the
    web referral stands for (``feed``)."""
    from sufficiency.web.matching.models import Referral

    if frame is None or frame.height == 0 or "referral_id" not in frame.columns:
        return []
    web = {str(r).lower(): str(r) for r in Referral.objects.values_list("referral_id", flat=True)}
    problems = []
    for row, value in enumerate(frame.get_column("referral_id").to_list(), start=2):
        rid = "" if value is None else str(value).strip()
        held = web.get(rid.lower())
        if held is not None and held != rid:
            problems.append(
                Problem(
                    "error",
                    "referral_reference_in_use",
                    file,
                    row,
                    "referral_id",
                    rid,
                    f"referral_id {rid!r} is the reference of {Holder(held, True).text()}, "
                    "the same ignoring case: use that spelling, or another reference",
                )
            )
    return problems


def clashes() -> list[list[Holder]]:
    """Groups of references the workspace holds more than once ignoring case: two web referrals,
    or a web referral and a register row in use spelled otherwise (the same spelling is an
    exported folder imported again, which the web referral stands for). Kept until a change."""
    from sufficiency.web import data_version

    return data_version.until_changed(("referral reference clashes",), _clashes)


def _clashes() -> list[list[Holder]]:
    from sufficiency.web.matching.models import Referral
    from sufficiency.web.registers.models import ReferralRecord

    groups: dict[str, list[Holder]] = {}
    for r in Referral.objects.order_by("created_at", "pk").values_list("referral_id", flat=True):
        groups.setdefault(str(r).lower(), []).append(Holder(str(r), True))
    for r in ReferralRecord.objects.order_by("pk").values_list("referral_id", flat=True):
        found = groups.get(str(r).lower())
        if found is not None and not any(h.reference == r for h in found):
            found.append(Holder(str(r), False))
    return [g for g in groups.values() if len(g) > 1]


def clash_text(groups: list[list[Holder]]) -> str:
    """The clashes in one sentence for a page's banner ('' when there are none)."""
    if not groups:
        return ""
    named = "; ".join(" and ".join(h.text() for h in group) for group in groups)
    return (
        f"Referral references repeated ignoring case: {named}. The figures and the matcher use "
        "the first referral of each made in the workspace and leave the others out. An "
        "administrator can change a workspace referral's reference from its page."
    )


def kept_referrals(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Web referral rows (oldest first) without those repeating an earlier one's reference
    ignoring case (``clashes`` names them), so the register the Dataset reads stays readable."""
    seen: set[str] = set()
    kept = []
    for row in rows:
        key = row["referral_id"].lower()
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def rename(referral: Any, new: str, user: Any = None) -> list[Holder]:
    """Change web referral ``referral``'s reference to ``new`` (an administrator's way out of a
    clash), audited with both spellings; returns who holds ``new`` already (nothing changed)."""
    from auditlog.models import LogEntry
    from django.db import transaction
    from django.utils import timezone

    from sufficiency.web.audited import record
    from sufficiency.web.matching.models import Referral

    new = new.strip()
    with transaction.atomic():
        lock()
        taken = holders(new, web_pk=referral.pk)
        if taken:
            return taken
        old = str(referral.referral_id)
        data = {**(referral.data or {}), "id": new}
        Referral.objects.filter(pk=referral.pk).update(
            referral_id=new, data=data, updated_at=timezone.now()
        )
        referral.referral_id = new
        referral.data = data
        record(
            referral,
            new,
            LogEntry.Action.UPDATE,
            object_pk=referral.pk,
            changes={"referral_id": [old, new]},
            actor=user,
            event="reference changed",
        )
    return []


def clash_context(request: Any) -> dict[str, Any]:
    """Template context: ``reference_clashes``, the sentence naming repeated references, for
    every page of a user who may see referrals (empty for others, and when there are none)."""
    from sufficiency.web.accounts.roles import can

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"reference_clashes": ""}
    if not (can(user, "referrals_view") or can(user, "matching")):
        return {"reference_clashes": ""}
    return {"reference_clashes": clash_text(clashes())}
