"""A scripted deployment, as docs/deploy.md describes it: a throwaway PostgreSQL, migrate, the
production server (`sufficiency serve`: gunicorn + WhiteNoise + JSON logs) with single sign-on
against a stand-in OpenID Connect provider this test runs, then sign in through it over HTTP."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.web,
    # The inner PostgreSQL run of the web suite (test_web_postgresql) would start a second server.
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
    ),
]

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "sufficiency-test"
CLIENT_SECRET = secrets.token_urlsafe(16)
EMAIL = "Jo.Analyst@council.example"
GROUP = "SG-Performance"


class StandInProvider:
    """A minimal OpenID Connect provider: discovery, authorize (signs the user straight in),
    token (an RS256 id_token with the nonce), userinfo (email and groups) and JWKS."""

    def __init__(self) -> None:
        import jwt
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]}
        self.codes: dict[str, str] = {}  # code -> nonce
        self.tokens: set[str] = set()
        self.calls: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def id_token(self, nonce: str) -> str:
        import jwt

        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": "user-1",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "email": EMAIL,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "test-key"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _json(self, body: object, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                provider.calls.append(url.path)
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": provider.url,
                            "authorization_endpoint": f"{provider.url}/authorize",
                            "token_endpoint": f"{provider.url}/token",
                            "userinfo_endpoint": f"{provider.url}/userinfo",
                            "jwks_uri": f"{provider.url}/jwks",
                            "response_types_supported": ["code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                elif url.path == "/authorize":
                    if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                        self._json({"error": "invalid_request"}, 400)
                        return
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query.get("nonce", "")
                    target = (
                        query["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": query["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        self._json({"error": "invalid_token"}, 401)
                        return
                    self._json(
                        {
                            "sub": "user-1",
                            "email": EMAIL,
                            "given_name": "Jo",
                            "family_name": "Analyst",
                            "groups": ["Everyone", GROUP],
                        }
                    )
                elif url.path == "/jwks":
                    self._json(provider.jwks)
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                provider.calls.append(self.path)
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if (
                    self.path != "/token"
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("code") not in provider.codes
                ):
                    self._json({"error": "invalid_grant"}, 400)
                    return
                nonce = provider.codes.pop(form["code"])
                access = secrets.token_urlsafe(16)
                provider.tokens.add(access)
                self._json(
                    {
                        "access_token": access,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(nonce),
                    }
                )

        return Handler

    @contextmanager
    def running(self) -> Iterator[StandInProvider]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fresh_database(server_url: str) -> str:
    """A new, empty database on the throwaway server; its DATABASE_URL."""
    import psycopg

    name = "deploy_" + secrets.token_hex(4)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


@contextmanager
def _server(
    cmd: list[str], env: dict[str, str], out: Path, err: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``cmd`` in its own process group; always stop the whole group."""
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=stdout, stderr=stderr, start_new_session=True
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


def test_a_council_deploys_and_signs_in_with_single_sign_on(
    postgres_url: str, tmp_path: Path
) -> None:
    import psycopg
    import requests

    database = _fresh_database(postgres_url)
    state = tmp_path / "state"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OIDC_", "SUFFICIENCY_", "DJANGO_")) or k == "SUFFICIENCY_CACHE_DIR"
    }  # the run's own cache folder (tests/conftest.py), never the user's
    port = _free_port()
    provider = StandInProvider()
    env.update(
        {
            "DATABASE_URL": database,
            "SUFFICIENCY_STATE_DIR": str(state),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{provider.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{provider.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{provider.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{provider.url}/jwks",
            "OIDC_ROLE_GROUPS": f"analyst={GROUP};admin=SG-Admins",
        }
    )
    # 1. migrate (docs/deploy.md: install and upgrade)
    migrate = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--settings=sufficiency.web.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    with psycopg.connect(database) as conn:
        applied = conn.execute("SELECT count(*) FROM django_migrations").fetchone()
    assert applied is not None and applied[0] > 10

    base = f"http://127.0.0.1:{port}"
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    cmd = [sys.executable, "-m", "sufficiency.cli", "serve", "--port", str(port), "--workers", "2"]
    with provider.running(), _server(cmd, env, out, err) as proc:
        # 2. the production server comes up: /health/ answers without signing in
        health_calls = 0
        deadline = time.monotonic() + 180
        health: Any = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, err.read_text()[-3000:] + out.read_text()[-2000:]
            try:
                health = requests.get(f"{base}/health/", timeout=30)
                health_calls += 1
                if health.status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # still starting (busy machine)
                pass
            time.sleep(0.5)
        assert health is not None and health.status_code == 200, err.read_text()[-3000:]
        assert health.json() == {"Database(alias='default')": "OK", "StaticFiles()": "OK"}
        assert "gunicorn" in health.headers.get("Server", "")
        assert "no-store" in health.headers["Cache-Control"]

        # 3. sign in through the identity provider, following every redirect
        session = requests.Session()
        login = session.get(f"{base}/accounts/login/", timeout=10)
        assert login.status_code == 200 and "/oidc/authenticate/" in login.text
        home = session.get(f"{base}/oidc/authenticate/", timeout=30)
        hops = [urlparse(r.url).path for r in home.history]
        assert hops == ["/oidc/authenticate/", "/authorize", "/oidc/callback/"], hops
        assert home.status_code == 200 and urlparse(home.url).path == "/"
        assert "jo.analyst@council.example" in home.text  # signed in, named by email
        assert provider.calls.count("/token") == 1 and "/userinfo" in provider.calls
        # an authenticated page is never stored by a browser or proxy
        assert "no-store" in home.headers["Cache-Control"]
        assert session.get(f"{base}/data/", timeout=30).status_code == 200  # the analyst role

        # 4. static files: collected with content hashes, served with a year's caching
        stylesheet = re.search(r'href="(/static/web/app\.[0-9a-f]{12}\.css)"', home.text)
        assert stylesheet is not None, home.text[:1500]
        css = requests.get(base + stylesheet.group(1), timeout=10)
        assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
        assert "immutable" in css.headers["Cache-Control"]
        assert "max-age=315360000" in css.headers["Cache-Control"]
        gz = requests.get(
            base + stylesheet.group(1), headers={"Accept-Encoding": "gzip"}, timeout=10
        )
        assert gz.headers.get("Content-Encoding") == "gzip"

    # the server stopped cleanly on SIGTERM
    assert proc.returncode == 0, err.read_text()[-2000:]

    # 5. one structured JSON line per request, on stdout and in the state folder's log file
    def request_lines(text: str) -> list[dict[str, Any]]:
        lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        return [line for line in lines if line.get("logger") == "sufficiency.web.requests"]

    logged = request_lines(out.read_text())
    assert [line["path"] for line in logged].count("/health/") == health_calls
    by_path = {(line["method"], line["path"]): line for line in logged}
    assert by_path["GET", "/accounts/login/"]["user_id"] is None
    callback = by_path["GET", "/oidc/callback/"]  # the request that signs the user in
    assert callback["status"] == 302 and isinstance(callback["user_id"], int)
    dashboard = [line for line in logged if line["path"] == "/" and line["status"] == 200]
    assert dashboard and dashboard[0]["user_id"] == callback["user_id"]
    assert all(
        {"time", "level", "method", "path", "status", "duration_ms", "user_id"} <= set(line)
        for line in logged
    )
    assert by_path["GET", stylesheet.group(1)]["status"] == 200
    in_file = request_lines((state / "logs" / "web.log").read_text())
    assert [(x["path"], x["status"]) for x in in_file] == [(x["path"], x["status"]) for x in logged]
    assert (state / "logs" / "web.log").stat().st_mode & 0o077 == 0

    # 6. the sign-in is in the audit log, with the role the group maps to
    with psycopg.connect(database) as conn:
        audited = conn.execute(
            "SELECT count(*) FROM auditlog_logentry WHERE object_repr = %s",
            ("sign-in: jo.analyst@council.example",),
        ).fetchone()
        role = conn.execute(
            "SELECT g.name FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id "
            "JOIN auth_user u ON u.id = ug.user_id WHERE u.username = %s",
            ("jo.analyst@council.example",),
        ).fetchall()
    assert audited is not None and audited[0] == 1
    assert role == [("analyst",)]


def test_the_stand_in_provider_signs_tokens_the_backend_accepts() -> None:
    """Guards the stand-in itself: its id_token verifies against its own JWKS with PyJWT."""
    import jwt

    provider = StandInProvider()
    token = provider.id_token("n-1")
    key = jwt.PyJWK(provider.jwks["keys"][0])
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=CLIENT_ID)
    assert claims["nonce"] == "n-1" and claims["email"] == EMAIL
