"""SSDA903 returns on the web: checked against every loaded return, staged, confirmed, kept.

An upload runs exactly the library's load (``sufficiency validate``'s checks) twice: the files
alone, which tells the return's year from its dates (never from a form), and then the files among
every other loaded return, which finds the problems across years. Nothing is written until the
uploader confirms what would change; then the return lands in one transaction and the version it
replaces is archived (``ReturnArchive``), from where it can be checked and restored the same way.
Every change writes one summarised audit entry, never one per row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from sufficiency.ingest import LoadResult, load_data
from sufficiency.ingest.loader import load_with_registers
from sufficiency.ingest.problems import Problem
from sufficiency.web import audited, bridge
from sufficiency.web.data import narrative
from sufficiency.web.data.models import CouncilProfile, ReturnArchive, ReturnYear, StagedUpload
from sufficiency.web.registers import store as register_store

#: The folder the files are first read from: no return ends in 1900, so the library reads them as
#: the year their dates show (and says so, in a warning this module drops).
PLACEHOLDER_YEAR = 1900
YEAR_FOLDER = re.compile(r"(19|20)\d\d")
_LOCATION = re.compile(r"^ssda903/((?:19|20)\d\d)(?:/(.*))?$")
#: Staged uploads nobody confirmed are deleted after this long (they hold child records).
STAGED_FOR = dt.timedelta(days=1)


class UploadError(Exception):
    """A staged upload cannot be confirmed; the message is shown to the user as it is."""


def label(year: int) -> str:
    """``2025`` -> ``2024-25`` (returns are named by the year they end)."""
    return f"{year - 1}-{str(year)[2:]}"


@dataclass
class Check:
    """What the checks found in a set of return files and what loading them would change."""

    year: int | None
    problems: list[Problem] = field(default_factory=list)
    children: int = 0
    episodes: int = 0
    current: ReturnYear | None = None

    @property
    def ok(self) -> bool:
        """True when nothing blocks the load (warnings do not)."""
        return self.year is not None and not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    def change(self) -> str:
        """ "replaces the 2024-25 return: 858 -> 290 episodes, 661 -> 661 children" (or "adds")."""
        if self.year is None:
            return ""
        if self.current is None:
            return (
                f"adds the {label(self.year)} return: {self.episodes:,} episodes, "
                f"{self.children:,} children"
            )
        return (
            f"replaces the {label(self.year)} return: {self.current.episodes:,} -> "
            f"{self.episodes:,} episodes, {self.current.children:,} -> {self.children:,} children"
        )


# ----------------------------------------------------------------------------------- files
def zip_files(files: Mapping[str, bytes]) -> bytes:
    """The files as one zip (names kept, folders dropped)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(Path(name).name, content)
    return buf.getvalue()


def unzip_files(blob: bytes | memoryview) -> dict[str, bytes]:
    """The files of a zip written by :func:`zip_files`."""
    with zipfile.ZipFile(io.BytesIO(bytes(blob))) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _write(folder: Path, files: Mapping[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / Path(name).name).write_bytes(content)


def load_alone(
    files: Mapping[str, bytes], folder_year: int, profile: str | None = None
) -> LoadResult:
    """The library's load of one return's files in a folder named ``folder_year`` (checked
    against ``profile``, by default the workspace's la.toml)."""
    with tempfile.TemporaryDirectory(prefix="sufficiency-upload-") as tmp:
        root = Path(tmp) / "DATA"
        _write(root / "ssda903" / str(folder_year), files)
        toml = profile if profile is not None else bridge.profile_toml()
        (root / "la.toml").write_text(toml, encoding="utf-8")
        return load_data(root)


def _load_among_loaded(files: Mapping[str, bytes], year: int) -> LoadResult:
    """The library's load of the files as return ``year`` beside every other loaded return."""
    with tempfile.TemporaryDirectory(prefix="sufficiency-upload-") as tmp:
        root = Path(tmp) / "DATA"
        (root / "ssda903").mkdir(parents=True)
        (root / "la.toml").write_text(bridge.profile_toml(), encoding="utf-8")
        for other in ReturnYear.objects.exclude(year=year):
            bridge.write_return(root, other)
        _write(root / "ssda903" / str(year), files)
        return load_data(root)


def _shown(problem: Problem, year: int | None) -> Problem:
    """The problem with its file named as the user knows it: the uploaded file's own name, or
    "loaded 2023-24 return: episodes.csv" for a return already in the workspace."""
    match = _LOCATION.match(problem.file)
    if match is None:
        return problem
    folder, name = int(match.group(1)), match.group(2) or ""
    if folder in (year, PLACEHOLDER_YEAR):
        # files of no known year were read as the stand-in year's, which is no return's name
        message = problem.message.replace(
            f"the {label(PLACEHOLDER_YEAR)} return", "the uploaded return"
        )
        return dataclasses.replace(problem, file=name or "the uploaded files", message=message)
    return dataclasses.replace(problem, file=f"loaded {label(folder)} return: {name}".rstrip(": "))


def basis() -> str:
    """The loaded returns and profile the checks ran against (changes when any of them does)."""
    years = ReturnYear.objects.order_by("year").values_list("year", "pk")
    profile = CouncilProfile.objects.order_by("-updated_at").values_list("pk", "updated_at").first()
    stamp = f"{profile[0]}@{profile[1].timestamp()}" if profile else "none"
    return ",".join(f"{y}:{pk}" for y, pk in years) + f"|profile {stamp}"


# ---------------------------------------------------------------------------------- checks
def check_files(files: Mapping[str, bytes], expected_year: int | None = None) -> Check:
    """Run the library's checks on the files alone and among every loaded return.

    The year comes from the files' dates. ``expected_year``, when the user gave one, must agree.
    A return whose year has not ended is refused (the library's ``return_not_ended``).
    """
    alone = load_alone(files, PLACEHOLDER_YEAR)
    year = alone.returns[0].year if alone.returns else None
    if year == PLACEHOLDER_YEAR:
        year = None
    if year is None:
        problems = [_shown(p, None) for p in alone.problems if p.code != "folder_year_mismatch"]
        if not any(p.severity == "error" for p in problems):
            problems.append(
                Problem.whole_file(
                    "error",
                    "return_year_unknown",
                    "the uploaded files",
                    "the collection year could not be read from the episodes' dates: the files "
                    "need an episodes table with start dates (DECOM)",
                )
            )
        return Check(None, problems)
    among = _load_among_loaded(files, year)
    problems = [_shown(p, year) for p in among.problems]
    if expected_year is not None and expected_year != year:
        problems.insert(
            0,
            Problem(
                "error",
                "return_year_mismatch",
                "the uploaded files",
                None,
                "year",
                str(expected_year),
                f"the dates in these files are those of the {label(year)} return, not the "
                f"{label(expected_year)} return chosen: check these are the files you meant, or "
                f"leave the year blank to load them as the {label(year)} return",
            ),
        )
    ds = alone.dataset
    summary = next((r for r in among.returns if r.year == year), None)
    children = ds.children.height if ds is not None else (summary.children if summary else 0)
    episodes = ds.episodes.height if ds is not None else (summary.episodes if summary else 0)
    current = ReturnYear.objects.filter(year=year).select_related("uploaded_by").first()
    return Check(year, problems, children, episodes, current)


def _problems_json(problems: list[Problem]) -> list[dict[str, object]]:
    return [p.to_json() for p in problems]


def staged_check(staged: StagedUpload) -> Check:
    """What the checks found when the upload was staged (stored with it), against the return
    loaded now."""
    return Check(
        staged.year,
        [Problem(**p) for p in staged.problems],
        staged.children,
        staged.episodes,
        ReturnYear.objects.filter(year=staged.year).select_related("uploaded_by").first(),
    )


def stage(
    files: Mapping[str, bytes],
    user: Any,
    expected_year: int | None = None,
    source: str = "upload",
) -> tuple[Check, StagedUpload | None]:
    """Check the files; when nothing blocks them, keep them until ``user`` confirms."""
    StagedUpload.objects.filter(created_at__lt=_now() - STAGED_FOR).delete()
    checked = check_files(files, expected_year)
    if not checked.ok or checked.year is None:
        return checked, None
    staged = StagedUpload.objects.create(
        created_by=user,
        source=source,
        files=zip_files(files),
        year=checked.year,
        children=checked.children,
        episodes=checked.episodes,
        problems=_problems_json(checked.problems),
        basis=basis(),
    )
    return checked, staged


def _now() -> dt.datetime:
    from django.utils import timezone

    now: dt.datetime = timezone.now()
    return now


# ------------------------------------------------------------------------------ changes
def _archive(ry: ReturnYear, reason: str, user: Any) -> ReturnArchive:
    """Keep ``ry`` as it is now (its files) before it is replaced or deleted."""
    with tempfile.TemporaryDirectory(prefix="sufficiency-archive-") as tmp:
        bridge.write_return(Path(tmp), ry)
        folder = Path(tmp) / "ssda903" / str(ry.year)
        files = (
            {f.name: f.read_bytes() for f in sorted(folder.iterdir())} if folder.is_dir() else {}
        )
    archive: ReturnArchive = ReturnArchive.objects.create(
        year=ry.year,
        children=ry.children,
        episodes=ry.episodes,
        warnings=ry.warnings,
        loaded_at=ry.uploaded_at,
        loaded_by=ry.uploaded_by,
        archived_by=user if getattr(user, "pk", None) else None,
        reason=reason,
        files=zip_files(files),
    )
    return archive


def lock_returns() -> None:
    """Serialise changes to the returns: a row lock on the profile (PostgreSQL; SQLite's
    transactions already take the write lock when they begin)."""
    list(CouncilProfile.objects.select_for_update().values_list("pk", flat=True))


def _replace(
    year: int, loaded: LoadResult, warnings: int, user: Any, reason: str
) -> tuple[ReturnYear, ReturnYear | None, ReturnArchive | None]:
    """Archive the loaded version of ``year`` (if any) and store ``loaded`` in its place.

    Call inside a transaction and an audit ``bulk_change``.
    """
    assert loaded.dataset is not None
    previous = ReturnYear.objects.filter(year=year).first()
    archive = None
    if previous is not None:
        archive = _archive(previous, reason, user)
        previous.delete()
    stored = bridge.store_return(year, loaded.dataset, warnings, user)
    return stored, previous, archive


def _counts_change(previous: ReturnYear | None, stored: ReturnYear) -> dict[str, list[object]]:
    return {
        name: [getattr(previous, name) if previous else 0, getattr(stored, name)]
        for name in ("children", "episodes", "warnings")
    }


def confirm(staged: StagedUpload, user: Any) -> Check | ReturnYear:
    """Load a staged upload, in one transaction, keeping the version it replaces.

    When the loaded returns changed since the files were checked, they are checked again and the
    new :class:`Check` is returned for the user to confirm (the staged upload is updated, or
    deleted when something now blocks it). Otherwise returns the stored return.
    """
    files = unzip_files(staged.files)
    if staged.basis != basis():
        return _recheck(staged, files)
    loaded = load_alone(files, staged.year)
    if not loaded.ok or [r.year for r in loaded.returns] != [staged.year]:
        raise UploadError(
            f"The files no longer read as the {label(staged.year)} return: nothing was loaded. "
            "Upload them again."
        )
    warnings = sum(1 for p in staged.problems if p.get("severity") == "warning")
    replacing = ReturnYear.objects.filter(year=staged.year).exists()
    with (
        transaction.atomic(),
        audited.bulk_change(
            ReturnYear,
            f"{label(staged.year)} return",
            _action("update" if replacing else "create"),
            actor=user,
            event="return replaced" if replacing else "return added",
            source=staged.source,
            files=sorted(files),
        ) as summary,
    ):
        lock_returns()
        if basis() != staged.basis:
            raise UploadError(
                "Someone changed the loaded returns a moment ago: nothing was loaded. "
                "Check the files again."
            )
        who = getattr(user, "get_username", lambda: "someone")()
        stored, previous, archive = _replace(
            staged.year, loaded, warnings, user, f"replaced by {who}'s {staged.source}"
        )
        summary["object_pk"] = stored.pk
        summary["changes"] = _counts_change(previous, stored)
        summary["archive"] = archive.pk if archive else None
        staged.delete()
    return stored


def _recheck(staged: StagedUpload, files: Mapping[str, bytes]) -> Check:
    checked = check_files(files, staged.year)
    if not checked.ok:
        staged.delete()
        return checked
    staged.problems = _problems_json(checked.problems)
    staged.children, staged.episodes = checked.children, checked.episodes
    staged.basis = basis()
    staged.save()
    return checked


def _action(name: str) -> int:
    from auditlog.models import LogEntry

    return int(
        {
            "create": LogEntry.Action.CREATE,
            "update": LogEntry.Action.UPDATE,
            "delete": LogEntry.Action.DELETE,
        }[name]
    )


def delete_return(year: int, user: Any) -> ReturnArchive | None:
    """Delete the loaded ``year`` (kept as an archive, restorable); None when none is loaded."""
    with (
        transaction.atomic(),
        audited.bulk_change(
            ReturnYear,
            f"{label(year)} return",
            _action("delete"),
            actor=user,
            event="return deleted",
        ) as summary,
    ):
        lock_returns()
        ry = ReturnYear.objects.filter(year=year).first()
        if ry is None:
            raise _NothingToDelete
        who = getattr(user, "get_username", lambda: "someone")()
        archive = _archive(ry, f"deleted by {who}", user)
        summary["object_pk"] = ry.pk
        summary["changes"] = {n: [getattr(ry, n), 0] for n in ("children", "episodes")}
        summary["archive"] = archive.pk
        ry.delete()
    return archive


class _NothingToDelete(Exception):
    pass


def delete_return_if_loaded(year: int, user: Any) -> ReturnArchive | None:
    """:func:`delete_return`, or None (and no audit entry) when ``year`` is not loaded."""
    try:
        return delete_return(year, user)
    except _NothingToDelete:
        return None


def restore(archive: ReturnArchive, user: Any) -> tuple[Check, StagedUpload | None]:
    """Stage an archived version (checked like an upload; loaded once confirmed)."""
    return stage(
        unzip_files(archive.files),
        user,
        expected_year=archive.year,
        source=f"restore of the version archived {archive.archived_at:%d/%m/%Y %H:%M}",
    )


# --------------------------------------------------------------------------- data folders
def import_folder(path: Path, user: Any = None) -> list[LoadResult]:
    """Load a whole DATA folder (profile, every return, registers, narrative): checked as
    ``sufficiency validate`` checks it (and its sign-off lines as the statement reads them), then
    written in one transaction, or not at all.

    Returns ``[result]`` of the whole folder's load; nothing is written when it has errors.
    """
    whole, registers = load_with_registers(path)
    if not whole.ok:
        return [whole]
    assert whole.dataset is not None
    texts = dict(whole.dataset.narrative)
    from sufficiency.web.matching.references import import_problems

    refused = narrative.folder_problems(texts) + import_problems(
        registers.get("referrals"), "registers/referrals.csv"
    )
    if refused:
        whole.problems.extend(refused)
        whole.dataset = None
        return [whole]
    profile_file = path / "la.toml"
    if not profile_file.exists() and not CouncilProfile.objects.exists():
        whole.problems.append(
            Problem.whole_file(
                "error", "profile_missing", "la.toml", "no council profile (la.toml) to import"
            )
        )
        whole.dataset = None
        return [whole]
    profile = (
        profile_file.read_text(encoding="utf-8") if profile_file.exists() else bridge.profile_toml()
    )
    base = path / "ssda903" if (path / "ssda903").is_dir() else path
    folders = sorted(p for p in base.iterdir() if p.is_dir() and YEAR_FOLDER.fullmatch(p.name))
    singles: list[tuple[int, LoadResult, int]] = []
    for folder in folders:
        files = {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()}
        one = load_alone(files, int(folder.name), profile)
        if not one.ok or len(one.returns) != 1:
            return [one]
        warnings = sum(1 for p in one.problems if p.severity == "warning")
        singles.append((one.returns[0].year, one, warnings))
    with (
        transaction.atomic(),
        audited.bulk_change(
            ReturnYear,
            f"data folder {path.name}",
            _action("update"),
            actor=user,
            event="data folder imported",
        ) as summary,
    ):
        lock_returns()
        if profile_file.exists():
            CouncilProfile.objects.all().delete()
            CouncilProfile.objects.create(toml=profile)
        for year, one, warnings in singles:
            stored, previous, _ = _replace(
                year, one, warnings, user, "replaced by a data folder import"
            )
            for name, (before, after) in _counts_change(previous, stored).items():
                summary["changes"][f"{label(year)} {name}"] = [before, after]
        if (path / "registers").is_dir():
            summary["changes"].update(
                _register_changes(register_store.import_frames(registers, user))
            )
        summary["changes"].update(narrative.import_narrative(texts, user))
    return [whole]


def _register_changes(counts: Mapping[str, Mapping[str, int]]) -> dict[str, list[int]]:
    """The data folder import's audit entry for its registers: "carers rows": [before, after]
    for each register whose rows in use changed in number, in the registers' own order."""
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    return {
        f"{name} rows": [counts[name]["before"], counts[name]["after"]]
        for name in EDITABLE_REGISTERS
        if name in counts and counts[name]["before"] != counts[name]["after"]
    }
