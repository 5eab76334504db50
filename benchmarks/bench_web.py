"""Web workspace under load: N signed-in clients on loopback, each requesting a page and pausing
1 s, against the production server (``sufficiency serve``: gunicorn, WhiteNoise) on PostgreSQL
when its binaries are installed (SQLite otherwise, said in the results), load generator on the
same machine. p50 / p95 per page beside the goals of issue 16: p95 <= 300 ms for the dashboard,
a theme, a register, the statement page and a referral; <= 1 s for the forecast page.

Each client signs in with an account of its own (administrators, so every page is theirs to
see). Full run: 100 clients for 60 s after a 15 s warm-up (every worker process builds its
caches for the data version then); ``--quick``: 20 clients for 15 s after 10 s. The council is made by
``sufficiency synth`` and imported by ``sufficiency serve --data``; neither is timed. Bounded:
start-up gives up after 300 s, each request after 30 s.

Each row also gives the machine's load average as the timed load began and ended, and the
server's CPU per request (gunicorn's processes and PostgreSQL's, and PostgreSQL's part): the
load generator shares the machine, and so may other work, so times from a busy machine read
higher while the CPU per request stays comparable. A failed request counts in the percentiles
with the time it took, and its status (or error) is listed.

``--edit-every S`` adds a commissioner's register change every S seconds to the timed load: each
is a new data version whose figures every page then needs again (a busy office's edits), where
the read-only load measures pages of one data version.

``python -m benchmarks.bench_web [--quick] [--clients N] [--seconds S] [--edit-every S]`` prints
the rows.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PASSWORD = "bench-web-password-2026"
#: page -> (path, p95 goal in ms)
PAGES: dict[str, tuple[str, float]] = {
    "dashboard": ("/", 300),
    "placements theme": ("/?theme=placements", 300),
    "carers register": ("/registers/carers/", 300),
    "statement page": ("/statement/", 300),
    "referral": ("/matching/BENCH-R1/", 300),
    "forecast": ("/forecast/", 1000),
}
SETUP = """
import datetime as dt, sys
from sufficiency.web.setup import setup_django
setup_django()
from sufficiency.web.operations import create_user, migrate
migrate()
for i in range(int(sys.argv[2])):
    create_user(f"bench{i}", "admin", sys.argv[1])
from sufficiency.web.matching.models import Referral
Referral.objects.get_or_create(referral_id="BENCH-R1", defaults={"data": {
    "id": "BENCH-R1", "child": {"age": 12, "sex": "F", "uasc": False, "disability": False},
    "needed_by": dt.date.today().isoformat(), "urgency": "today", "siblings": 0,
    "suitability": {"foster": "preferred", "residential": "suitable", "supported": "unsuitable"},
    "needs": [], "avoid_areas": []}})
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, seconds: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {proc.returncode}) before listening")
        time.sleep(0.2)
    raise RuntimeError(f"nothing listened on port {port} within {seconds:.0f} s")


#: The process id of the PostgreSQL server ``_postgresql`` started (its CPU is the server's too).
POSTMASTER: list[int] = []


@contextlib.contextmanager
def _postgresql() -> Iterator[str | None]:
    """A throwaway PostgreSQL server's DATABASE_URL, or None when PostgreSQL is not installed."""
    POSTMASTER.clear()
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        yield None
        return
    bin_dir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="bench-web-pg-"))
    data = root / "pg"
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres user
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*as_user, str(bin_dir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
         "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c max_connections=200"
    subprocess.run(
        [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
         "-o", options, "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        _wait_port(port, 60)
        POSTMASTER.append(int((data / "postmaster.pid").read_text().split()[0]))
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def _cpu_seconds(roots: list[int]) -> float:
    """CPU seconds used so far by the processes ``roots`` and everything under them (those still
    running, and those they have reaped: ``cutime``): the server's own work, whatever else the
    machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, CPU seconds)
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        used = sum(int(f) for f in fields[11:15]) / ticks  # utime, stime, cutime, cstime
        stats[int(stat.split("/")[2])] = (int(fields[1]), used)
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        total += stats[pid][1]
        todo += [child for child, (parent, _) in stats.items() if parent == pid]
    return total


def _sign_in(base: str, user: str) -> Any:
    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    page.raise_for_status()
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": user,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=60,
    )
    if response.url.rstrip("/") != base:
        raise RuntimeError(f"{user} could not sign in (landed on {response.url})")
    return session


def _client(
    base: str, cookies: Any, offset: int, stop: float, out: dict[str, list[float]], lock: Any
) -> None:
    """One signed-in client: a page, a 1 s pause, the next page, until ``stop``."""
    import requests

    session = requests.Session()
    session.cookies.update(cookies)
    names = list(PAGES)
    i = offset
    while time.monotonic() < stop:
        name = names[i % len(names)]
        i += 1
        t0 = time.perf_counter()
        try:
            response = session.get(base + PAGES[name][0], timeout=30, allow_redirects=False)
            status = str(response.status_code)
        except requests.RequestException as exc:
            status = type(exc).__name__
        ms = (time.perf_counter() - t0) * 1000
        with lock:
            out.setdefault(name if status == "200" else f"{name} (failed {status})", []).append(ms)
        time.sleep(1.0)


def _editor(base: str, cookies: Any, every: float, stop: float, made: list[int]) -> None:
    """A commissioner's change every ``every`` s (a new action in the actions register): each
    is a new data version, so every figure the pages show is computed again for it."""
    import requests

    session = requests.Session()
    session.cookies.update(cookies)
    n = 0
    while time.monotonic() + every < stop:
        time.sleep(every)
        n += 1
        form = {"action_id": f"BENCH-{os.getpid()}-{n}", "activity": "Bench change",
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}  # fmt: skip
        try:
            response = session.post(f"{base}/registers/actions/new/", data=form, timeout=60,
                                    allow_redirects=False)  # fmt: skip
        except requests.RequestException:
            continue
        if response.status_code == 302:
            made.append(n)


def _load(
    base: str, sessions: list[Any], clients: int, seconds: float, edit_every: float = 0.0
) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    editor = None
    if edit_every:
        EDITS.clear()
        editor = threading.Thread(
            target=_editor, args=(base, sessions[0].cookies, edit_every, stop, EDITS), daemon=True
        )
        editor.start()
    threads = [
        threading.Thread(
            target=_client,
            args=(base, sessions[c % len(sessions)].cookies, c, stop, out, lock),
            daemon=True,
        )
        for c in range(clients)
    ]
    for t in threads:
        t.start()
        time.sleep(1.0 / clients)  # clients arrive spread over the first second
    for t in threads:
        t.join(seconds + 60)
    if editor is not None:
        editor.join(seconds + 60)
    return out


#: The changes ``_editor`` made in the last timed load.
EDITS: list[int] = []


def _percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def measure(
    quick: bool, clients: int | None = None, seconds: float | None = None, edit_every: float = 0.0
) -> list[dict[str, Any]]:
    """Start PostgreSQL (if installed) and ``sufficiency serve``, run the load, stop both;
    ``edit_every`` S: a register change every S seconds during the timed load (each a new data
    version whose figures are computed again)."""
    clients = clients or (20 if quick else 100)
    seconds = seconds or (15 if quick else 60)
    warm = 10 if quick else 15
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        council = tmp / "DATA"
        subprocess.run(
            [sys.executable, "-m", "sufficiency.cli", "synth", str(council), "--seed", "2026",
             "--children", "300" if quick else "1500", "--years", "2023-2025"],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
        with _postgresql() as url:
            state = tmp / "state"
            env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
            env.pop("DATABASE_URL", None)
            env.update(SUFFICIENCY_STATE_DIR=str(state), SUFFICIENCY_LOG_FILE="")
            if url:
                env["DATABASE_URL"] = url
            users = clients  # one account per client: pages are kept per role, not per user
            subprocess.run(
                [sys.executable, "-c", SETUP, PASSWORD, str(users)],
                env=env, check=True, capture_output=True, timeout=300,
            )  # fmt: skip
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            from sufficiency.web.serving import default_workers

            workers = default_workers()
            log = (tmp / "serve.log").open("wb")
            server = subprocess.Popen(
                [sys.executable, "-m", "sufficiency.cli", "serve", "--port", str(port),
                 "--workers", str(workers), "--data", str(council)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                _wait_port(port, 300, server)
                sessions = [_sign_in(base, f"bench{i}") for i in range(users)]
                _load(base, sessions, clients, warm)  # every worker builds its caches
                load_before = os.getloadavg()[0]
                web_before, db_before = _cpu_seconds([server.pid]), _cpu_seconds(POSTMASTER)
                client_before = time.process_time()
                found = _load(base, sessions, clients, seconds, edit_every)
                client_cpu = time.process_time() - client_before
                web_cpu = _cpu_seconds([server.pid]) - web_before
                db_cpu = _cpu_seconds(POSTMASTER) - db_before
                load_after = os.getloadavg()[0]
            finally:
                server.terminate()
                server.wait(60)
                log.close()
        database = "PostgreSQL" if url else "SQLite (PostgreSQL is not installed)"
        setting = f"{database}, gunicorn {workers} workers, {clients} clients, {seconds:.0f} s"
        if edit_every:
            setting += f", a register change every {edit_every:.0f} s ({len(EDITS)} made)"
        # The machine's 1-minute load average when the timed load began and ended (the load
        # generator and the server included): numbers from a busy machine read higher.
        # The server's CPU (gunicorn and PostgreSQL) per request in the timed load: what a page
        # costs, read the same on a quiet or a busy machine.
        served = sum(len(v) for v in found.values())
        load = {
            "load_average": [round(load_before, 2), round(load_after, 2)],
            "server_cpu_ms_per_request": round((web_cpu + db_cpu) * 1000 / max(served, 1), 1),
            "database_cpu_ms_per_request": round(db_cpu * 1000 / max(served, 1), 1),
            # the load generator's own CPU (this process): what the clients take from the server
            "client_cpu_ms_per_request": round(client_cpu * 1000 / max(served, 1), 1),
        }
        rows = []
        for name, (_, goal) in PAGES.items():
            failures = {k.split("(failed ")[1][:-1]: len(v) for k, v in found.items()
                        if k.startswith(f"{name} (failed ")}  # fmt: skip
            failed = sum(failures.values())
            # a failed request (an error, a timeout) counts with the time it took: a slow
            # server's failures must not leave only its fast answers in the percentiles
            times = found.get(name, []) + [
                ms for k, v in found.items() if k.startswith(f"{name} (failed ") for ms in v
            ]
            if not times:
                raise RuntimeError(f"{name}: no request was made")
            p50, p95 = _percentile(times, 50), _percentile(times, 95)
            common = {"requests": len(times) - failed, "failed": failed, "failures": failures,
                      "setting": setting, **load}  # fmt: skip
            rows.append(
                {"name": f"web {name} p50 ({setting})", "metric": "latency",
                 "value": round(p50, 1), "unit": "ms", **common}
            )  # fmt: skip
            rows.append(
                {"name": f"web {name} p95 (goal <= {goal:,.0f} ms; {setting})",
                 "metric": "latency", "value": round(p95, 1), "unit": "ms", "target": goal,
                 "target_ratio": round(goal / p95, 2), **common}
            )  # fmt: skip
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(quick: bool) -> list[dict[str, Any]]:
    return measure(quick)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_web")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--edit-every", type=float, default=0.0,
                        help="a register change every S seconds during the timed load")  # fmt: skip
    args = parser.parse_args()
    for row in measure(args.quick, args.clients, args.seconds, args.edit_every):
        met = ""
        if "target" in row:
            met = "  met" if row["value"] <= row["target"] else "  NOT MET"
        failures = ", ".join(f"{n} x {k}" for k, n in row["failures"].items())
        print(f"{row['name']}: {row['value']:,.1f} {row['unit']} "
              f"({row['requests']} requests, {row['failed']} failed{': ' + failures if failures else ''}"
              f"; load average {row['load_average'][0]} -> {row['load_average'][1]}; server CPU "
              f"{row['server_cpu_ms_per_request']} ms per request, PostgreSQL's "
              f"{row['database_cpu_ms_per_request']} of them; the clients' "
              f"{row['client_cpu_ms_per_request']} ms){met}")  # fmt: skip
