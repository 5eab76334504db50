"""Operations on the web database: users, backup / restore, retention (pure Django, no CLI)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import secrets
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sufficiency.web.data_retention import retention_problem

BACKUP_APPS = (
    "auth",
    "accounts",
    "web_data",
    "web_registers",
    "web_matching",
    "web_dashboard",
    "auditlog",
    "otp_totp",
)
#: Rebuilt by migrate after a flush, so neither dumped nor counted.
NOT_BACKED_UP = ("auth.Permission",)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def create_user(username: str, role: str, password: str | None = None) -> str:
    """Create or update a user with one role; returns the password set.

    The password must pass the workspace's rules (AUTH_PASSWORD_VALIDATORS: 12 characters or
    more, not common, not all digits, not like the user name): a ValueError carries the rules'
    messages and nothing is saved.
    """
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from sufficiency.web.accounts.roles import ROLES

    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    longest = User._meta.get_field("username").max_length  # the model's own rule
    if not username.strip() or len(username) > (longest or 0):
        raise ValueError(f"user name {username!r} refused: 1 to {longest} characters, not blank")
    password = password or secrets.token_urlsafe(16)
    user = User.objects.filter(username=username).first()
    if user is None:
        twin = User.objects.filter(username__iexact=username).first()
        if twin is not None:
            raise UsernameTaken(username, twin.get_username())
        user = User(username=username)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValueError(f"password refused: {' '.join(exc.messages)}") from exc
    try:
        with transaction.atomic():
            user.set_password(password)
            set_role(user, role)
    except IntegrityError as exc:  # made by a request sent at the same moment (a double click)
        if user.pk is not None and User.objects.filter(pk=user.pk).exists():
            raise
        twin = User.objects.filter(username__iexact=username).first()
        raise UsernameTaken(username, twin.get_username() if twin else username) from exc
    return password


class UsernameTaken(ValueError):
    """An account has the user name already, compared ignoring case (the database holds it:
    ``accounts`` migration 0002)."""

    def __init__(self, username: str, holder: str) -> None:
        super().__init__(
            f"There is already an account called {holder}: choose another name (user names "
            "are compared ignoring case)."
            if holder != username
            else f"There is already an account called {username}: choose another name."
        )
        self.username = username


def set_role(user: Any, role: str) -> None:
    """Give ``user`` exactly one role (a group); admins are also Django superusers. Saves."""
    from django.contrib.auth.models import Group

    from sufficiency.web.accounts.roles import forget_role

    user.is_superuser = role == "admin"
    user.is_staff = role == "admin"
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    forget_role(user)


def _backed_up_models() -> list[Any]:
    """Every model a backup holds, in the order of ``BACKUP_APPS``."""
    from django.apps import apps

    return [
        model
        for label in BACKUP_APPS
        if _has_app(label)
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_BACKED_UP
    ]


def counts() -> dict[str, int]:
    """Row counts of every backed-up model (used to verify a restore)."""
    return {m._meta.label: m._default_manager.count() for m in _backed_up_models()}


def _counts_in(dump: str) -> dict[str, int]:
    """Row counts of every backed-up model in a dump (``counts`` as the dump holds them)."""
    labels = {m._meta.label_lower: m._meta.label for m in _backed_up_models()}
    out = dict.fromkeys(labels.values(), 0)
    for row in json.loads(dump):
        out[labels[row["model"]]] += 1
    return out


def _dump() -> str:
    """Every backed-up table as one snapshot (PostgreSQL: one repeatable-read transaction; in
    SQLite a transaction reads one state): a backup taken while people work holds the rows of
    one moment, so each row's references are in it and its counts are its own. Dumped table by
    table outside one, an audit entry written meanwhile made the counts disagree and no restore
    of it was possible."""
    from django.core.management import call_command
    from django.db import connection, transaction

    buf = io.StringIO()
    alone = not connection.in_atomic_block  # a transaction of its own: its isolation is ours
    with transaction.atomic():
        if connection.vendor == "postgresql" and alone:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            *[a for a in BACKUP_APPS if _has_app(a)],
            "--natural-foreign",
            "--natural-primary",
            *[f"--exclude={m}" for m in NOT_BACKED_UP],
            stdout=buf,
        )
    return buf.getvalue()


def backup(dest: Path) -> dict[str, int]:
    """Write a zip with the database (Django JSON dump) and the uploads folder; returns counts
    (the dump's own, which a restore checks)."""
    from django.conf import settings

    dump = _dump()
    snapshot = _counts_in(dump)
    if not dest.parent.is_dir():
        raise RuntimeError(f"{dest}: no such folder {dest.parent}: nothing written")
    tmp = dest.with_name(dest.name + ".partial")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("database.json", dump)
            zf.writestr(
                "manifest.json",
                json.dumps({"created": dt.datetime.now(dt.UTC).isoformat(), "counts": snapshot}),
            )
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                for f in media.rglob("*"):
                    if f.is_file():
                        zf.write(f, f"uploads/{f.relative_to(media)}")
        tmp.replace(dest)
    except OSError as exc:  # a full disk, a folder not ours: no half-written backup is left
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"{dest}: cannot be written ({exc}): nothing written") from None
    return snapshot


def _has_app(label: str) -> bool:
    from django.apps import apps

    try:
        apps.get_app_config(label)
    except LookupError:
        return False
    return True


def _delete_backed_up_rows() -> None:
    """Empty every backed-up table (row deletes, not TRUNCATE, so it runs inside a transaction)."""
    for model in reversed(_backed_up_models()):
        model._base_manager.all().delete()


def _reset_sequences() -> None:
    """Each backed-up table's id sequence set past its highest id. PostgreSQL's sequences are
    not rolled back: a failed restore's loaddata left them at the backup's (the audit log's
    633 -> 188), and every sign-in and child view then failed on a duplicate id."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), _backed_up_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _read_backup(src: Path) -> tuple[dict[str, Any], bytes, dict[str, bytes]]:
    """A backup's manifest, database dump and uploads (by path under the uploads folder); a
    RuntimeError naming what is wrong with it (not a zip, a part missing, an upload's path that
    would leave the uploads folder), before anything is changed."""
    try:
        with zipfile.ZipFile(src) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            data = zf.read("database.json")
            uploads = {
                n.removeprefix("uploads/"): zf.read(n)
                for n in zf.namelist()
                if n.startswith("uploads/") and not n.endswith("/")
            }
    except zipfile.BadZipFile:
        raise RuntimeError(f"{src}: not a backup (not a zip file): nothing restored") from None
    except KeyError as exc:
        raise RuntimeError(f"{src}: not a backup ({exc.args[0]}): nothing restored") from None
    except (ValueError, OSError) as exc:
        raise RuntimeError(f"{src}: cannot be read ({exc}): nothing restored") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("counts"), dict):
        raise RuntimeError(f"{src}: its manifest.json has no counts: nothing restored")
    for name in uploads:
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or not parts:
            raise RuntimeError(
                f"{src}: upload {name!r} would be written outside the uploads folder: "
                "nothing restored"
            )
    return manifest, data, uploads


def restore(src: Path) -> dict[str, int]:
    """Replace the database and uploads with a backup; verifies counts against its manifest.
    The backup is read and checked whole, and its uploads written beside the uploads folder,
    before the database is replaced; the uploads folder is swapped for them last."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError, transaction

    manifest, data, uploads = _read_backup(src)
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as tmp:
        staged = Path(tmp) / "uploads"
        for name, content in uploads.items():
            target = staged / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        fixture = Path(tmp) / "database.json"
        fixture.write_bytes(data)
        from auditlog.context import disable_auditlog

        try:
            with transaction.atomic(), disable_auditlog():
                _delete_backed_up_rows()
                call_command("loaddata", str(fixture), verbosity=0)
                got = counts()
                want = {k: int(v) for k, v in manifest["counts"].items()}
                if got != want:
                    diff = {
                        k: (want.get(k), got.get(k))
                        for k in set(got) | set(want)
                        if got.get(k) != want.get(k)
                    }
                    raise RuntimeError(
                        f"restore verification failed (table: expected, found): {diff}"
                    )
        except BaseException:  # the rows are as they were: so must the id sequences be
            with contextlib.suppress(DatabaseError):  # the restore's own error is the one told
                _reset_sequences()
            raise
        if uploads:
            old = Path(tmp) / "old"
            if media.exists():
                media.replace(old)
            staged.replace(media)
    return got


def apply_retention(years: int, today: dt.date | None = None, actor: Any = None) -> list[int]:
    """Delete child-level data of returns older than ``years`` years, with an audit entry each;
    a ValueError, and nothing deleted, for fewer years than ``MIN_RETENTION_YEARS``."""
    problem = retention_problem(years)
    if problem:
        raise ValueError(problem)
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from sufficiency.web.audited import record
    from sufficiency.web.data.models import ReturnArchive, ReturnYear, StagedUpload

    today = today or dt.date.today()
    cutoff = today.year - years
    removed = []
    for ry in ReturnYear.objects.filter(year__lt=cutoff):
        removed.append(ry.year)
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(ReturnYear),
            object_pk=str(ry.pk),
            object_id=ry.pk,
            object_repr=str(ry),
            action=LogEntry.Action.DELETE,
            changes=json.dumps(
                {"retention": [f"return {ry.year} older than {years} years", "deleted"]}
            ),
            actor=actor,
        )
        with disable_auditlog():  # the entry above, not one per child and episode row
            ry.delete()
    # earlier versions and unconfirmed uploads of those years hold child records too
    for archive in ReturnArchive.objects.filter(year__lt=cutoff):
        record(
            ReturnArchive,
            str(archive),
            LogEntry.Action.DELETE,
            object_pk=archive.pk,
            changes={"retention": [f"return {archive.year} older than {years} years", "deleted"]},
            actor=actor,
        )
        archive.delete()
    StagedUpload.objects.filter(year__lt=cutoff).delete()
    return removed
