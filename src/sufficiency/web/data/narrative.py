"""The council's narrative between the database and a data folder (``narrative/<section>.md``).

The library reads the files (``ingest.load_data`` into ``Dataset.narrative``) and decides where
each one goes (``report.narrative``) and what the sign-off lines mean (``report.sign_off``); this
module only stores the texts, writes them back as the same files, and saves an edit made on the
web with one audit entry (the section's history) and a version check so that nobody overwrites
someone else's words unseen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from sufficiency.ingest.problems import Problem
from sufficiency.report.sign_off import SOURCE, SignOffError, parse_sign_off
from sufficiency.web.data.models import Narrative

#: The narrative folder of a DATA folder.
FOLDER = "narrative"
#: The section whose text carries the approval lines.
SIGN_OFF = "sign_off"
#: The longest section id the database keeps (a file stem).
ID_LENGTH = Narrative._meta.get_field("section").max_length or 80


@dataclass(frozen=True)
class SectionText:
    """One section the council may write for: its id, title and stored text (None: not written)."""

    id: str
    title: str
    row: Narrative | None

    @property
    def written(self) -> bool:
        return self.row is not None and bool(self.row.text.strip())


def texts() -> dict[str, str]:
    """Every stored section's markdown, by section id (what ``Dataset.narrative`` holds)."""
    return dict(Narrative.objects.order_by("section").values_list("section", "text"))


def titles() -> dict[str, str]:
    """The statement's sections a council writes for, in statement order: the registered
    sections, then the prose-only ones (``report.narrative.known_ids``), with their titles."""
    from sufficiency.report.narrative import NARRATIVE_SECTIONS
    from sufficiency.report.sections.registry import registered

    out = {s.id: s.title for s in registered()}
    out.update({s.id: s.title for s in NARRATIVE_SECTIONS})
    return out


def sections() -> list[SectionText]:
    """Every known section with its stored text, then any stored section the statement does not
    know (it prints as a section of its own, titled from its id)."""
    from sufficiency.report.narrative import title_for

    rows = {r.section: r for r in Narrative.objects.select_related("updated_by")}
    known = titles()
    out = [SectionText(i, t, rows.get(i)) for i, t in known.items()]
    out += [SectionText(i, title_for(i), rows[i]) for i in sorted(rows) if i not in known]
    return out


def title_of(section: str) -> str | None:
    """The section's title, or None when the statement knows no such section and none is stored."""
    from sufficiency.report.narrative import title_for

    known = titles()
    if section in known:
        return known[section]
    return title_for(section) if Narrative.objects.filter(section=section).exists() else None


def write_narrative(folder: Path) -> None:
    """Write every section with text as ``folder/<section>.md`` (as the library reads it)."""
    stored = [(s, t) for s, t in texts().items() if t.strip()]
    if not stored:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for section, text in stored:
        (folder / f"{section}.md").write_text(text, encoding="utf-8")


def revision_part() -> str:
    """Changes whenever any section's text does (part of the Dataset cache key)."""
    digest = hashlib.sha256()
    for section, text in texts().items():
        digest.update(f"{section}\0{text}\0".encode())
    return f"narrative:{digest.hexdigest()[:16]}"


def sign_off_problem(text: str) -> Problem | None:
    """The sign-off lines' error (file, line, field, value, expected), or None when they read."""
    try:
        parse_sign_off(text)
    except SignOffError as exc:
        return Problem(
            "error", "sign_off_invalid", SOURCE, exc.line, exc.field, exc.value, str(exc)
        )
    return None


def folder_problems(narrative: Mapping[str, str]) -> list[Problem]:
    """Why a data folder's narrative cannot be stored: an unreadable sign-off, an id too long."""
    problems = [
        Problem.whole_file(
            "error",
            "narrative_name_too_long",
            f"{FOLDER}/{section}.md",
            f"a narrative file's name (without .md) is at most {ID_LENGTH} characters",
        )
        for section in sorted(narrative)
        if len(section) > ID_LENGTH
    ]
    if SIGN_OFF in narrative:
        bad = sign_off_problem(narrative[SIGN_OFF])
        if bad is not None:
            problems.append(bad)
    return problems


def import_narrative(narrative: Mapping[str, str], user: Any = None) -> dict[str, list[object]]:
    """Store a data folder's sections (each file replaces its section; sections the folder has
    no file for are kept), each change one audit entry in the section's history. Call inside the
    import's transaction; returns the changes (file -> [characters before, after]) for the
    import's summary entry."""
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry

    from sufficiency.web.audited import record

    who = user if getattr(user, "pk", None) else None
    changes: dict[str, list[object]] = {}
    with disable_auditlog():
        for section, text in sorted(narrative.items()):
            row = Narrative.objects.filter(section=section).first()
            before = None if row is None else row.text
            if before == text:
                continue
            if row is None:
                row = Narrative.objects.create(section=section, text=text, updated_by=who)
            else:
                row.text, row.version, row.updated_by = text, row.version + 1, who
                row.save()
            name = f"{FOLDER}/{section}.md"
            changes[name] = [None if before is None else len(before), len(text)]
            record(
                Narrative,
                name,
                LogEntry.Action.CREATE if before is None else LogEntry.Action.UPDATE,
                object_pk=row.pk,
                changes={"text": [before or "", text]},
                actor=who,
                event="narrative imported",
                section=section,
            )
    return changes


def save_section(section: str, text: str, read_version: int, user: Any, **details: Any) -> bool:
    """Save ``text`` as the section's markdown unless someone saved it since ``read_version``
    (0: it had no text); True when saved. One audit entry (text before and after, ``details``).
    Blank text removes the section's narrative."""
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry

    from sufficiency.web.audited import record

    who = user if getattr(user, "pk", None) else None
    if not text.strip():
        text = ""
    with transaction.atomic(), disable_auditlog():
        row = Narrative.objects.select_for_update().filter(section=section).first()
        if (row.version if row is not None else 0) != read_version:
            return False
        before = row.text if row is not None else ""
        if before == text:
            return True
        if not text:
            assert row is not None  # blank before and after returned above
            pk, action = row.pk, LogEntry.Action.DELETE
            row.delete()
        elif row is None:
            row = Narrative.objects.create(section=section, text=text, updated_by=who)
            pk, action = row.pk, LogEntry.Action.CREATE
        else:
            row.text, row.version, row.updated_by = text, row.version + 1, who
            row.save()
            pk, action = row.pk, LogEntry.Action.UPDATE
        record(
            Narrative,
            f"{FOLDER}/{section}.md",
            action,
            object_pk=pk,
            changes={"text": [before, text], **details.pop("changes", {})},
            actor=who,
            event=details.pop("event", "narrative edited"),
            section=section,
            **details,
        )
    return True


def history(section: str) -> list[Any]:
    """Every audit entry about the section (edits, imports that named it), newest first."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Narrative),
        object_repr=f"{FOLDER}/{section}.md",
    ).select_related("actor")
    return list(entries.order_by("-timestamp", "-pk")[:200])
