"""Django settings for the sufficiency web workspace.

Secure by default: strict CSP (no inline scripts, no eval), secure cookies outside DEBUG, CSRF,
login lockout (django-axes), optional TOTP (django-otp), optional OpenID Connect single sign-on
(mozilla-django-oidc, switched on when OIDC_RP_CLIENT_ID is set), session timeout, audit log.
Database: SQLite by default, PostgreSQL (or anything) via DATABASE_URL.
Production serving (docs/deploy.md): WhiteNoise static files, JSON logs to stdout and
STATE_DIR/logs/web.log, /health/. State files are private to the service account (0600 / 0700).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from sufficiency.web.clientip import parse_networks
from sufficiency.web.data_retention import MIN_RETENTION_YEARS
from sufficiency.web.logging import logging_config

WEB_DIR = Path(__file__).resolve().parent
STATE_DIR = Path(os.environ.get("SUFFICIENCY_STATE_DIR", Path.cwd() / ".sufficiency-web")).resolve()
STATE_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
STATE_DIR.chmod(0o700)


def _whole_number(name: str, default: int, low: int, high: int) -> int:
    """The environment's ``name`` as a whole number from ``low`` to ``high``: a typo stops
    start-up with a message naming it (``SUFFICIENCY_RETENTION_YEARS=0`` would have deleted every
    return on the next retention run)."""
    text = os.environ.get(name, str(default)).strip()
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ValueError(f"{name}={text!r}: expected a whole number from {low} to {high}")
    return value


def _private_file(path: Path, text: str = "") -> None:
    """Create ``path`` readable by its owner only (0600) unless it exists; tighten it if it does."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        path.chmod(0o600)
        return
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def _secret_key() -> str:
    env = os.environ.get("DJANGO_SECRET_KEY")
    if env:
        return env
    path = STATE_DIR / "secret_key"
    _private_file(path, secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SUFFICIENCY_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",") if h
]
# Origins a form may be posted from when they differ from the Host header (e.g. https://suff.example.gov.uk).
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "sufficiency.web.accounts",
    "sufficiency.web.data",
    "sufficiency.web.registers",
    "sufficiency.web.matching",
    "sufficiency.web.dashboard",
]
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")

MIDDLEWARE = [
    "sufficiency.web.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sufficiency.web.middleware.NoStoreMiddleware",
    "sufficiency.web.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sufficiency.web.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sufficiency.web.accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sufficiency.web.middleware.ClientAddressAuditlogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "sufficiency.web.middleware.RevisionPerRequestMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("sufficiency.web.accounts.oidc.RoleMappingOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
    OIDC_TIMEOUT = 15  # seconds for each call to the identity provider
    OIDC_USERNAME_ALGO = "sufficiency.web.accounts.oidc.username_from_email"
# The IdP claim holding the user's groups and which groups give which role (accounts/oidc.py).
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_ROLE_GROUPS = os.environ.get("OIDC_ROLE_GROUPS", "")

ROOT_URLCONF = "sufficiency.web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sufficiency.web.accounts.roles.role_context",
                "sufficiency.web.data.context.council",
                "sufficiency.web.matching.references.clash_context",
            ]
        },
    }
]
WSGI_APPLICATION = "sufficiency.web.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{STATE_DIR / 'sufficiency.sqlite3'}"),
        # Each server thread keeps its connection for a minute (checked before reuse) instead of
        # opening one per request: a PostgreSQL connection costs a process and a sign-in.
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Transactions take SQLite's write lock when they begin, so a second writer waits for it
    # (up to the timeout) instead of failing with "database is locked" when it upgrades a read.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    if str(DATABASES["default"]["NAME"]) not in ("", ":memory:"):
        # The SQLite file holds child records: create it private before SQLite creates it 0644.
        _private_file(Path(DATABASES["default"]["NAME"]))
# Page results per data version (web.page_cache), shared by every server process: files private
# to the service account (0700 folder, 0600 files). Several hosts behind one address would share
# them through the database instead ("django.core.cache.backends.db.DatabaseCache").
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(STATE_DIR / "cache" / "pages"),
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # Signed-in sessions read on every request: kept in files beside the database (which stays
    # the record: a session whose file is gone is read from it), shared by every process.
    "sessions": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(STATE_DIR / "cache" / "sessions"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
# How long a server process may reuse the data's revision (web.data_version; 0: ask every time).
# `sufficiency serve` sets 2 s: the longest a change made by a command outside the web goes unseen.
REVISION_RECHECK_SECONDS = float(os.environ.get("SUFFICIENCY_REVISION_RECHECK_SECONDS", "0"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = STATE_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True, mode=0o700)
STATICFILES_DIRS = [WEB_DIR / "static", WEB_DIR / "static_vendor"]
MEDIA_ROOT = STATE_DIR / "uploads"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Static files are served by WhiteNoise. The production server (`sufficiency serve`) collects them
# into STATIC_ROOT at start with content-hashed names (SUFFICIENCY_STATIC_MANIFEST=1), so they are
# cached for a year; otherwise (development, tests) WhiteNoise finds them in the package.
STATIC_MANIFEST = os.environ.get("SUFFICIENCY_STATIC_MANIFEST", "") == "1"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "sufficiency.web.staticfiles.StaticStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# Structured logs: one JSON line a request (and every error, with its traceback) to stdout and to
# SUFFICIENCY_LOG_FILE (default STATE_DIR/logs/web.log, 0600; empty: stdout only).
LOG_FILE = os.environ.get("SUFFICIENCY_LOG_FILE", str(STATE_DIR / "logs" / "web.log"))
LOGGING = logging_config(LOG_FILE)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Sessions and cookies: time out after 30 minutes idle; secure cookies unless DEBUG. The idle
# clock restarts at most once a minute (web.middleware.IdleSessionMiddleware), not with a
# database write on every request.
SESSION_COOKIE_AGE = _whole_number("SESSION_TIMEOUT_SECONDS", 1800, 60, 86_400)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = os.environ.get("SUFFICIENCY_INSECURE_COOKIES", "") != "1" and not DEBUG
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a TLS proxy (production): redirect to https, HSTS, trust the proxy's scheme header.
if os.environ.get("SUFFICIENCY_HTTPS", "") == "1":
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sign-in lockout (django-axes, accounts/lockout.py): an (account, address) pair is locked for an
# hour after 5 failures (never a whole address: behind a council proxy that is everyone), and an
# account everywhere after 20 failures within an hour. Administrators unlock at /accounts/lockouts/.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HANDLER = "sufficiency.web.accounts.lockout.PairAndAccountHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "sufficiency.web.clientip.client_ip"
ACCOUNT_FAILURE_LIMIT = 20
ACCOUNT_FAILURE_WINDOW_SECONDS = 3600
# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed
# for the client's address (lockout, audit log, request log); see web/clientip.py.
TRUSTED_PROXIES = os.environ.get("SUFFICIENCY_TRUSTED_PROXIES", "")
parse_networks(TRUSTED_PROXIES)  # a typo stops start-up with a message naming it

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

AUDITLOG_INCLUDE_ALL_MODELS = False

# Child-level data older than this many years (by return year) is deleted by `retention`.
RETENTION_YEARS = _whole_number("SUFFICIENCY_RETENTION_YEARS", 7, MIN_RETENTION_YEARS, 100)

# Where the council's profile lives for the web (la.toml); the demo writes one.
SUFFICIENCY_PROFILE = os.environ.get("SUFFICIENCY_PROFILE", str(STATE_DIR / "la.toml"))

# The region a regional team's pages (/region/) show: the path of a REGION.toml naming the member
# councils' shares (docs/regional.md). Unset: those pages say how to set it.
SUFFICIENCY_REGION = os.environ.get("SUFFICIENCY_REGION", "")

# Rows a list page (referrals, users, providers, notifications, scenarios, sign-in locks) shows
# at a time (web.listing).
LIST_PAGE_SIZE = 25

DATA_UPLOAD_MAX_MEMORY_SIZE = 200 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# How long a statement download waits for the background worker before the page says the
# statement is being prepared and asks again (web.dashboard.statement_jobs).
STATEMENT_WAIT_SECONDS = float(os.environ.get("SUFFICIENCY_STATEMENT_WAIT_SECONDS", "20"))

# Outgoing mail (referral summaries to providers, password resets), through Django's mail
# settings: an SMTP relay named by the environment. Tests use Django's in-memory backend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _whole_number("EMAIL_PORT", 25, 1, 65_535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sufficiency@localhost")
#: With SUFFICIENCY_EMAIL_DIR set, each message is written to a file in that folder instead of
#: being sent (trying the workspace without a mail relay; the browser journeys read them there).
EMAIL_FILE_PATH = os.environ.get("SUFFICIENCY_EMAIL_DIR", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.smtp.EmailBackend"
)
