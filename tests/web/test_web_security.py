"""Sign-in security: lockout after 5 failures (django-axes), TOTP second factor (django-otp),
OIDC group-to-role mapping, CSRF, secure cookies, session timeout and the CSP header."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from home_finding_records import VACANCY

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_five_wrong_passwords_lock_the_account(users: dict[str, Any], password: str) -> None:
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "analyst_user", "wrong-password").status_code == 200
    fifth = _sign_in(client, "analyst_user", "wrong-password")
    assert fifth.status_code == 429
    # even the right password is refused while locked, with the GOV.UK lockout page
    locked = _sign_in(client, "analyst_user", password)
    assert locked.status_code == 429
    assert "Sign-in is locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_then_the_right_one_signs_in(
    users: dict[str, Any], password: str
) -> None:
    client = Client()
    for _ in range(4):
        _sign_in(client, "viewer_user", "wrong-password")
    response = _sign_in(client, "viewer_user", password)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/statement/").status_code == 200


def _totp_token(device: Any, offset: int = 0) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):0{device.digits}d}"


def test_a_user_with_an_authenticator_must_enter_a_code_before_pages_load(
    users: dict[str, Any], password: str
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=users["commissioner"], name="phone", confirmed=True)
    client = Client()
    assert _sign_in(client, "commissioner_user", password).status_code == 302
    page = client.get("/forecast/")
    assert page.status_code == 302 and page["Location"] == "/accounts/verify/?next=%2Fforecast%2F"
    wrong = client.post(
        "/accounts/verify/",
        {"token": "000000" if _totp_token(device) != "000000" else "111111", "next": "/forecast/"},
    )
    assert wrong.status_code == 400
    assert "The code is not right or has expired" in wrong.content.decode()
    assert client.get("/registers/").status_code == 302
    # django-otp slows down guessing (a wait after each wrong code); skip the wait here
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post("/accounts/verify/", {"token": _totp_token(device), "next": "/registers/"})
    assert right.status_code == 302 and right["Location"] == "/registers/"
    assert client.get("/registers/").status_code == 200


def test_verify_refuses_to_redirect_off_site(users: dict[str, Any], password: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=users["viewer"], name="phone", confirmed=True)
    client = Client()
    _sign_in(client, "viewer_user", password)
    response = client.post(
        "/accounts/verify/", {"token": _totp_token(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_when_an_admin_requires_totp_users_must_set_it_up(
    users: dict[str, Any], password: str
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = Client()
    admin.force_login(users["admin"])
    assert admin.post("/accounts/security/", {"require_totp": "on"}).status_code == 302
    client = Client()
    _sign_in(client, "home_finder_user", password)
    response = client.get("/matching/")
    assert (
        response.status_code == 302
        and response["Location"] == "/accounts/totp/?next=%2Fmatching%2F"
    )
    setup = client.get("/accounts/totp/?next=/matching/")
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=users["home_finder"])
    assert not device.confirmed
    secret = setup.content.decode().split('id="totp-secret">')[1].split("<")[0].replace(" ", "")
    import base64

    assert base64.b32decode(secret) == device.bin_key
    done = client.post("/accounts/totp/", {"token": _totp_token(device), "next": "/matching/"})
    assert done.status_code == 302 and done["Location"] == "/matching/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/matching/").status_code == 200
    # the change of setting is in the audit log
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(
        content_type__model="securitysetting", actor=users["admin"]
    ).exists()


def test_only_admins_change_security_settings(client_for: Any) -> None:
    assert (
        client_for("analyst").post("/accounts/security/", {"require_totp": "on"}).status_code == 403
    )
    from sufficiency.web.accounts.models import SecuritySetting

    assert SecuritySetting.current().require_totp is False


def test_forms_refuse_posts_without_a_csrf_token(users: dict[str, Any], password: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "viewer_user", "password": password})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_session_and_csrf_cookies_are_secure_and_http_only(
    users: dict[str, Any], password: str
) -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    client = Client()
    _sign_in(client, "viewer_user", password)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"] == "Lax"


def test_sessions_time_out_after_30_idle_minutes(users: dict[str, Any], password: str) -> None:
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.core.cache import caches
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_REFRESH_SECONDS == 60
    client = Client()
    _sign_in(client, "viewer_user", password)
    assert client.get("/statement/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    caches[settings.SESSION_CACHE_ALIAS].clear()  # its copy read on each request lapses with it
    response = client.get("/statement/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_every_response_carries_a_strict_csp(users: dict[str, Any], password: str) -> None:
    client = Client()
    for response in (
        client.get("/accounts/login/"),
        client.get("/"),
        _sign_in(client, "viewer_user", password),
    ):
        csp = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "object-src 'none'" in csp
            and "frame-ancestors 'none'" in csp
        )
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"


# ------------------------------------------------------------------ OIDC role mapping

MAPPING = "admin=SG-Suff-Admins;analyst=SG-Performance;home_finder=SG-Placements,SG-Fostering;viewer=SG-All-Staff"


def test_groups_map_to_the_most_trusted_role() -> None:
    from sufficiency.web.accounts.oidc import claim_groups, parse_role_groups, role_for_groups

    mapping = parse_role_groups(MAPPING)
    assert mapping["home_finder"] == ("SG-Placements", "SG-Fostering")
    assert role_for_groups(["SG-All-Staff", "sg-fostering"], mapping) == "home_finder"
    assert role_for_groups(["SG-All-Staff", "SG-Suff-Admins", "SG-Performance"], mapping) == "admin"
    assert role_for_groups(["SG-All-Staff"], mapping) == "viewer"
    assert role_for_groups(["SG-Finance"], mapping) is None
    assert role_for_groups([], mapping) is None
    assert claim_groups({"groups": "SG-Performance, SG-All-Staff"}) == [
        "SG-Performance",
        "SG-All-Staff",
    ]
    assert claim_groups({"roles": ["a", "b"]}, "roles") == ["a", "b"]
    assert claim_groups({}) == []


def test_a_bad_role_mapping_names_the_part() -> None:
    from sufficiency.web.accounts.oidc import parse_role_groups

    with pytest.raises(ValueError, match="'manager=SG-X' should be ROLE=GROUP"):
        parse_role_groups("admin=SG-A;manager=SG-X")


OIDC_SETTINGS = {
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_RP_CLIENT_ID": "sufficiency",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_ROLE_GROUPS": MAPPING,
    "OIDC_GROUPS_CLAIM": "groups",
}


def test_the_oidc_backend_creates_users_with_their_role_and_refreshes_it(settings: Any) -> None:
    for key, value in OIDC_SETTINGS.items():
        setattr(settings, key, value)
    from sufficiency.web.accounts.oidc import RoleMappingOIDCBackend
    from sufficiency.web.accounts.roles import role_of

    backend = RoleMappingOIDCBackend()
    claims = {"email": "jo.bloggs@council.example", "groups": ["SG-Placements"], "given_name": "Jo"}
    assert backend.verify_claims(claims)
    assert not backend.verify_claims({"email": "x@council.example", "groups": ["SG-Finance"]})
    assert not backend.verify_claims({"groups": ["SG-Placements"]})
    user = backend.create_user(claims)
    assert (
        role_of(user) == "home_finder"
        and not user.has_usable_password()
        and user.first_name == "Jo"
    )
    # moved to the performance team at the IdP: the next sign-in changes the role
    user = backend.update_user(user, {**claims, "groups": ["SG-Performance", "SG-All-Staff"]})
    assert role_of(user) == "analyst" and not user.is_superuser
    user = backend.update_user(user, {**claims, "groups": ["SG-Suff-Admins"]})
    assert role_of(user) == "admin" and user.is_superuser


# ------------------------------------------------------------------ lockout, unlock, proxies


def _attempt(client: Client, username: str, password: str, address: str, **headers: str) -> Any:
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_a_lockout_holds_one_account_at_one_address_only(
    users: dict[str, Any], password: str
) -> None:
    for _ in range(5):
        _attempt(Client(), "analyst_user", "wrong-password", "10.0.0.7")
    assert _attempt(Client(), "analyst_user", password, "10.0.0.7").status_code == 429
    # a colleague behind the same proxy address still signs in
    assert _attempt(Client(), "viewer_user", password, "10.0.0.7").status_code == 302
    # and the same person from another address
    assert _attempt(Client(), "analyst_user", password, "10.0.0.8").status_code == 302


def test_twenty_failures_in_an_hour_lock_the_account_at_every_address(
    users: dict[str, Any], password: str
) -> None:
    for i in range(19):  # one wrong password from each of 19 addresses: no pair reaches 5
        assert _attempt(Client(), "analyst_user", "wrong", f"10.1.0.{i + 1}").status_code == 200
    assert _attempt(Client(), "analyst_user", "wrong", "10.1.0.100").status_code == 429
    locked = _attempt(Client(), "analyst_user", password, "10.2.0.1")
    assert locked.status_code == 429 and "Sign-in is locked" in locked.content.decode()
    assert _attempt(Client(), "viewer_user", password, "10.2.0.1").status_code == 302


def test_an_admin_sees_and_clears_a_lock_and_the_unlock_is_audited(
    users: dict[str, Any], password: str, client_for: Any
) -> None:
    from auditlog.models import LogEntry

    for _ in range(5):
        _attempt(Client(), "analyst_user", "wrong-password", "10.0.0.7")
    assert _attempt(Client(), "analyst_user", password, "10.0.0.7").status_code == 429
    admin = client_for("admin")
    page = admin.get("/accounts/lockouts/")
    assert page.status_code == 200
    assert "analyst_user" in page.content.decode() and "10.0.0.7" in page.content.decode()
    # only administrators may see or clear locks
    assert client_for("analyst").get("/accounts/lockouts/").status_code == 403
    assert (
        client_for("viewer")
        .post("/accounts/lockouts/unlock/", {"username": "analyst_user"})
        .status_code
        == 403
    )
    assert admin.get("/accounts/lockouts/unlock/").status_code in (403, 405)
    response = admin.post("/accounts/lockouts/unlock/", {"username": "analyst_user"})
    assert response.status_code == 302
    assert "No sign-in is locked" in admin.get("/accounts/lockouts/").content.decode()
    assert _attempt(Client(), "analyst_user", password, "10.0.0.7").status_code == 302
    entry = LogEntry.objects.get(object_repr="sign-in unlocked: analyst_user")
    assert entry.actor == users["admin"]


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(
    users: dict[str, Any], password: str, settings: Any
) -> None:
    from django.test import RequestFactory

    from sufficiency.web.clientip import client_ip, parse_networks

    settings.TRUSTED_PROXIES = "10.9.9.9, 192.168.0.0/24"
    rf = RequestFactory()
    via_proxy = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_ip(via_proxy) == "203.0.113.5"  # right-most untrusted: the client's own
    two_proxies = rf.get(
        "/", REMOTE_ADDR="192.168.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.9.9.9"
    )
    assert client_ip(two_proxies) == "203.0.113.5"
    forged = rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(forged) == "198.51.100.1"
    with pytest.raises(ValueError, match=r"'10\.9\.9\.300'"):
        parse_networks("10.9.9.9, 10.9.9.300")
    # through the proxy, each person behind it has their own lockout
    for _ in range(5):
        _attempt(
            Client(),
            "analyst_user",
            "wrong-password",
            "10.9.9.9",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    blocked = _attempt(
        Client(), "analyst_user", password, "10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    assert blocked.status_code == 429
    other = _attempt(
        Client(), "analyst_user", password, "10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert other.status_code == 302


def test_sign_ins_and_failed_sign_ins_are_audited(users: dict[str, Any], password: str) -> None:
    from auditlog.models import LogEntry

    assert _attempt(Client(), "analyst_user", "wrong-password", "10.0.0.7").status_code == 200
    assert _attempt(Client(), "analyst_user", password, "10.0.0.9").status_code == 302
    failed = LogEntry.objects.get(object_repr="failed sign-in: analyst_user")
    assert failed.remote_addr == "10.0.0.7" and failed.actor is None
    assert "wrong-password" not in str(failed.additional_data)
    signed_in = LogEntry.objects.get(object_repr="sign-in: analyst_user")
    assert signed_in.remote_addr == "10.0.0.9" and signed_in.actor == users["analyst"]
    assert signed_in.object_pk == str(users["analyst"].pk)


# ------------------------------------------------------------------ passwords


def test_weak_passwords_are_refused_with_the_rules_message(db: None) -> None:
    from django.contrib.auth.models import User

    from sufficiency.web.operations import create_user

    for weak, message in [
        ("short1", "too short"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
    ]:
        with pytest.raises(ValueError, match=message):
            create_user("jo.bloggs", "viewer", weak)
    assert not User.objects.filter(username="jo.bloggs").exists()
    assert (
        create_user("jo.bloggs", "viewer", "a-long-enough-passphrase") == "a-long-enough-passphrase"
    )
    generated = create_user("sam", "viewer")
    assert len(generated) >= 12


@pytest.mark.slow
def test_the_user_command_refuses_a_weak_password_and_state_files_are_private(
    tmp_path: Any,
) -> None:
    import os
    import stat
    import subprocess
    import sys

    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SUFFICIENCY_LOG_FILE")}
    env["SUFFICIENCY_STATE_DIR"] = str(state)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sufficiency.cli", "user", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    weak = run("jo", "--role", "viewer", "--password", "abc12")
    assert weak.returncode == 1
    assert "This password is too short. It must contain at least 12 characters." in weak.stderr
    ok = run("jo", "--role", "viewer", "--password", "a-long-enough-passphrase")
    assert ok.returncode == 0, ok.stderr
    mode = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [state, *state.rglob("*")]}
    assert mode["state"] == 0o700
    assert mode["sufficiency.sqlite3"] == 0o600
    assert mode["secret_key"] == 0o600
    assert mode["logs"] == 0o700 and mode["web.log"] == 0o600
    assert all(m & 0o077 == 0 for m in mode.values()), mode


# ------------------------------------------------------------------ caching, exports, health, logs


def test_every_page_is_no_store_but_static_files_are_cacheable(
    client_for: Any, settings: Any
) -> None:
    client = client_for("admin")
    for url in ["/", "/registers/", "/audit/", "/accounts/security/", "/statement/"]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
    assert "no-store" in Client().get("/accounts/login/")["Cache-Control"]
    static = client.get("/static/web/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    assert "max-age" in static["Cache-Control"]


def test_spreadsheet_cells_cannot_run_as_formulas() -> None:
    from sufficiency.cells import safe_cell, safe_row

    assert safe_row(['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]) == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert safe_row(["Oak House", "", -3, 2.5, None, "a=b"]) == [
        "Oak House",
        "",
        -3,
        2.5,
        None,
        "a=b",
    ]
    assert safe_cell("'=already") == "'=already"


def test_register_csv_exports_neutralise_formulas(client_for: Any) -> None:
    import csv
    import io

    from sufficiency.web.registers.models import Vacancy

    client = client_for("commissioner")
    assert client.post("/registers/vacancies/new/", VACANCY).status_code == 302
    Vacancy.objects.filter(vacancy_id="V1").update(provider_id='=HYPERLINK("http://evil","x")')
    response = client.get("/registers/vacancies/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["provider_id"] == '\'=HYPERLINK("http://evil","x")'
    assert rows[0]["places"] == "2"


def test_statement_workbooks_store_text_never_formulas(tmp_path: Any) -> None:
    import zipfile

    import xlsxwriter

    from sufficiency.cells import XLSX_OPTIONS

    target = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(target), XLSX_OPTIONS)
    ws = wb.add_worksheet()
    ws.write(0, 0, '=HYPERLINK("http://evil","x")')
    ws.write_row(1, 0, ["=1+1", "http://evil.example"])
    wb.close()
    with zipfile.ZipFile(target) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
        strings = zf.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "hyperlink" not in sheet.lower()
    assert "=1+1" in strings


def test_health_needs_no_sign_in_and_names_no_one(users: dict[str, Any]) -> None:
    import json

    response = Client().get("/health/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {"Database(alias='default')": "OK", "StaticFiles()": "OK"}
    assert "no-store" in response["Cache-Control"]
    assert not any(u.username in response.content.decode() for u in users.values())


def test_health_reports_missing_static_files(db: None, settings: Any) -> None:
    settings.WHITENOISE_USE_FINDERS = False
    response = Client().get("/health/")
    assert response.status_code == 500
    assert "static files are missing" in response.content.decode()


def test_each_request_is_one_json_log_line(
    users: dict[str, Any], client_for: Any, caplog: Any
) -> None:
    import json
    import logging

    from sufficiency.web.logging import JsonFormatter

    caplog.set_level(logging.INFO, logger="sufficiency.web.requests")
    client_for("analyst").get("/registers/?q=C0001")
    Client().get("/nowhere/")
    records = [r for r in caplog.records if r.name == "sufficiency.web.requests"]
    assert len(records) == 2
    lines = [json.loads(JsonFormatter().format(r)) for r in records]
    assert {k: lines[0][k] for k in ("method", "path", "status", "user_id")} == {
        "method": "GET",
        "path": "/registers/",
        "status": 200,
        "user_id": users["analyst"].pk,
    }
    assert isinstance(lines[0]["duration_ms"], float)
    assert lines[1]["status"] == 404 and lines[1]["user_id"] is None


def test_errors_are_logged_with_their_traceback() -> None:
    import json
    import logging
    import sys

    from sufficiency.web.logging import JsonFormatter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/x/",),
            sys.exc_info(),
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["message"] == "Internal Server Error: /x/"
    assert "Traceback" in line["traceback"] and "RuntimeError: boom" in line["traceback"]
