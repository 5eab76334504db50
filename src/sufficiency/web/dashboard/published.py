"""Publishing the statement: the publish-mode files of the current data and narrative kept for
good as a numbered version of that year's statement (``models.PublishedStatement``).

The files are the ones the statement page's publish-mode download gives: built once per data
version by ``statement_views.generate`` (its background worker, ``statement_jobs``) into the
state folder. This module checks the approval, copies the built files' bytes into a new version
with their SHA-256 (one transaction, one audit entry), and reads a version's file back, checking
its hash: a later change of the data or narrative builds new files and never touches a version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from sufficiency.report.sign_off import SignOffError, parse_sign_off
from sufficiency.web.dashboard.models import PublishedFile, PublishedStatement

#: What a refusal tells the person to do.
WHERE_TO_APPROVE = (
    "Record who approved it and when under 'Sign-off and review' on the statement page, "
    "then publish."
)
#: Two people publishing the same year at the same moment: the later one takes the next number.
ATTEMPTS = 3


class NotApproved(Exception):
    """The statement has no approval to publish under (the message says what is missing)."""


class ChangedFile(Exception):
    """A stored file's bytes no longer match the SHA-256 recorded when it was published."""


@dataclass(frozen=True)
class Approval:
    """The sign-off a version is published under: its 'Approved by' and 'Approved on' lines, and
    who saved them in the workspace and when ('' and the import's time when imported)."""

    approved_by: str
    approved_on: dt.date
    recorded_by: str
    recorded_at: dt.datetime | None


def approval() -> Approval:
    """The current sign-off's approval; raises ``NotApproved`` when it names no approver or
    date, or does not read."""
    from sufficiency.web.data.models import Narrative
    from sufficiency.web.data.narrative import SIGN_OFF

    row = Narrative.objects.filter(section=SIGN_OFF).select_related("updated_by").first()
    try:
        signed = parse_sign_off(row.text if row is not None else "")
    except SignOffError as exc:
        raise NotApproved(
            f"This statement cannot be published: its sign-off does not read ({exc}). "
            + WHERE_TO_APPROVE
        ) from exc
    if row is None or signed.approved_by is None or signed.approved_on is None:
        missing = "' or '".join(m for m in signed.missing if m != "Next review")
        raise NotApproved(
            "This statement cannot be published: it has not been approved (the sign-off has "
            f"no '{missing}'). " + WHERE_TO_APPROVE
        )
    who = row.updated_by.get_username() if row.updated_by is not None else ""
    return Approval(signed.approved_by, signed.approved_on, who, row.updated_at)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def next_number(year: int) -> int:
    """The number the year's next published version takes."""
    latest = PublishedStatement.objects.filter(year=year).aggregate(n=Max("number"))["n"]
    return int(latest or 0) + 1


def publish(
    year: int, folder: Path, formats: list[str], approved: Approval, request: HttpRequest
) -> PublishedStatement:
    """Store ``folder``'s ``statement.<format>`` files as the year's next version, published by
    ``request.user`` under ``approved``; one audit entry names the version and each file's hash.
    The data version is the folder's (``statement_views.statement_folder``)."""
    files = {fmt: (folder / f"statement.{fmt}").read_bytes() for fmt in formats}
    for _ in range(ATTEMPTS - 1):
        try:
            return _create(year, folder.parent.name, files, approved, request)
        except IntegrityError:  # someone else took the number first: take the next
            continue
    return _create(year, folder.parent.name, files, approved, request)


def _create(
    year: int, data_version: str, files: dict[str, bytes], approved: Approval, request: HttpRequest
) -> PublishedStatement:
    from auditlog.models import LogEntry

    from sufficiency.web.audited import record

    hashes = {fmt: sha256(content) for fmt, content in files.items()}
    with transaction.atomic():
        version: PublishedStatement = PublishedStatement.objects.create(
            year=year,
            number=next_number(year),
            published_at=timezone.now(),
            published_by=request.user,
            published_by_name=request.user.get_username(),
            approved_by=approved.approved_by,
            approved_on=approved.approved_on,
            approval_recorded_by=approved.recorded_by,
            approval_recorded_at=approved.recorded_at,
            data_version=data_version,
        )
        PublishedFile.objects.bulk_create(
            PublishedFile(
                statement=version,
                format=fmt,
                content=content,
                sha256=hashes[fmt],
                size=len(content),
            )
            for fmt, content in files.items()
        )
        record(
            PublishedStatement,
            str(version),
            LogEntry.Action.CREATE,
            object_pk=version.pk,
            request=request,
            event="statement published",
            year=year,
            version=version.number,
            data_version=data_version,
            approved_by=approved.approved_by,
            approved_on=approved.approved_on.isoformat(),
            sha256=hashes,
        )
    return version


def versions() -> QuerySet[PublishedStatement]:
    """Every published version, newest first, with its files' formats, sizes and hashes (not
    their bytes)."""
    files = PublishedFile.objects.defer("content").order_by("pk")
    return PublishedStatement.objects.order_by("-published_at", "-pk").prefetch_related(
        Prefetch("files", queryset=files)
    )


def stored_file(version: Any, fmt: str) -> tuple[PublishedFile, bytes]:
    """The version's file in ``fmt`` and its bytes as published; raises
    ``PublishedFile.DoesNotExist``, or ``ChangedFile`` when the bytes fail their hash."""
    found = PublishedFile.objects.select_related("statement").get(statement=version, format=fmt)
    content = bytes(found.content)
    if sha256(content) != found.sha256:
        raise ChangedFile(f"{found}: the stored bytes do not match the SHA-256 {found.sha256}")
    return found, content
