"""The kiosk account page over HTTP: gunicorn (2 sync workers, production settings on the benchmark database) under 8
concurrent connections for a few seconds, against the bare view served the same way, one after the other.

Throughput is what a kiosk hall feels; the budget (`kiosk_http` in budgets.toml) is a *floor*: the kiosk page must
serve at least that share of the bare view's requests per second. The two are loaded in alternating slices (ten
each); the share is the median of the ten pairs' ratios — this machine's neighbours come and go in bursts, and a
burst in one slice moves one pair, not the verdict (the whole runs' share is printed beside it). The sessions are
made in-process (a verified kiosk customer on a terminal bound to the demo hall; a logged-in agent for the bare
view), so no login runs in the timed part."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLICES = 10  # alternating slices per page (BENCH_HTTP_SECONDS / SLICES seconds each)


@dataclass
class HttpResult:
    name: str
    requests: int
    errors: int
    seconds: float
    median_ms: float
    p95_ms: float
    times: list | None = None
    pair_ratios: list | None = None  # the kiosk's: its requests per second over the bare view's, slice by slice

    @property
    def ratio(self) -> float | None:
        """The median of the paired slices' ratios (None for the bare view's result)."""
        return statistics.median(self.pair_ratios) if self.pair_ratios else None

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions() -> tuple[str, str]:
    """(kiosk session key with a verified customer, agent session key) — written to the database's session table."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from supply_service.core.models import User
    from supply_service.customers.demo import demo_account_number
    from supply_service.customers.models import Customer
    from supply_service.kiosk import access

    kiosk = SessionStore()
    now = time.time()
    kiosk[access.CUSTOMER] = Customer.objects.get(account_number=demo_account_number(1)).pk
    kiosk[access.VERIFIED_AT] = now
    kiosk[access.SEEN_AT] = now
    kiosk.save()
    agent = User.objects.get(username="agent")
    staff = SessionStore()
    staff[SESSION_KEY] = str(agent.pk)
    staff[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b)
    staff[HASH_SESSION_KEY] = agent.get_session_auth_hash()
    staff.save()
    return kiosk.session_key, staff.session_key


def _opener(base: str, session_key: str, bind_terminal: bool) -> urllib.request.OpenerDirector:
    """A client sending the session's cookies with every request as one fixed header, as a browser does — not
    through Python's cookie jar, which weighs every cookie against its policy on each request and parses each
    `Set-Cookie` (0.15 ms of the load client's CPU a kiosk request, on the cores the server shares: a cost of the
    harness, not of the page)."""
    cookies = f"sessionid={session_key}"
    if bind_terminal:  # the terminal of the demo hall, as in the office (signed cookies come back)
        jar = CookieJar()
        binder = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        binder.addheaders = [("Cookie", cookies)]
        with binder.open(f"{base}/kiosk/office/city-centre/") as response:
            response.read()
        cookies += "".join(f"; {c.name}={c.value}" for c in jar if c.name != "sessionid")
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", cookies)]
    return opener


def _load(url: str, opener, *, seconds: float, connections: int) -> HttpResult:
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                with opener.open(url, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except Exception:  # noqa: BLE001  (counted: any failure is an error of the run)
                ok = False
            if ok:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            times.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spent = time.monotonic() - started
    result = _summary(url, times, errors[0], spent)
    result.times = times
    return result


def _summary(name: str, times: list[float], errors: int, spent: float) -> HttpResult:
    ordered = sorted(times) or [0.0]
    return HttpResult(name=name, requests=len(times), errors=errors, seconds=spent,
                      median_ms=statistics.median(ordered), p95_ms=ordered[int(0.95 * (len(ordered) - 1))])


def _merge(results: list[HttpResult]) -> HttpResult:
    times = [t for r in results for t in r.times]
    return _summary(results[0].name, times, sum(r.errors for r in results), sum(r.seconds for r in results))


def http_run(*, seconds: float = 10.0, connections: int = 8, workers: int = 2) -> tuple[HttpResult, HttpResult]:
    """(kiosk account, bare view) over HTTP, each loaded for `seconds` with `connections` clients."""
    kiosk_key, staff_key = _sessions()
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "DJANGO_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "supply_service.wsgi:application", "-w", str(workers), "-b",
         f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # up within 20 s
            try:
                with urllib.request.urlopen(f"{base}/kiosk/", timeout=1) as response:  # noqa: S310
                    response.read()
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        kiosk = _opener(base, kiosk_key, bind_terminal=True)
        bare = _opener(base, staff_key, bind_terminal=False)
        for opener, url in ((kiosk, f"{base}/kiosk/account/"), (bare, f"{base}/bench/bare/")):
            for _ in range(2 * workers):  # warm every worker
                with opener.open(url) as response:
                    response.read()
        # Alternating slices, so that a change in the machine's load touches both alike; each pair (the kiosk's
        # slice and the bare view's right after it) gives a ratio, and the verdict takes their median.
        slices = SLICES
        parts = {"kiosk": [], "bare": []}
        for _ in range(slices):
            parts["kiosk"].append(_load(f"{base}/kiosk/account/", kiosk, seconds=seconds / slices,
                                        connections=connections))
            parts["bare"].append(_load(f"{base}/bench/bare/", bare, seconds=seconds / slices, connections=connections))
        kiosk_result, bare_result = (_merge(parts["kiosk"]), _merge(parts["bare"]))
        kiosk_result.pair_ratios = [k.per_second / b.per_second if b.per_second else 0.0
                                    for k, b in zip(parts["kiosk"], parts["bare"], strict=True)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    kiosk_result.name, bare_result.name = "kiosk account (HTTP)", "bare view (HTTP)"
    return kiosk_result, bare_result


def _whole_ratio(kiosk: HttpResult, bare: HttpResult) -> float:
    return kiosk.per_second / bare.per_second if bare.per_second else 0.0


def http_ratio(kiosk: HttpResult, bare: HttpResult) -> float:
    """The kiosk's throughput as a share of the bare view's: the median of the paired slices' ratios (a burst of
    another load on the machine moves one pair, not the verdict), else the whole runs'."""
    return kiosk.ratio if kiosk.ratio is not None else _whole_ratio(kiosk, bare)


def http_ok(kiosk: HttpResult, bare: HttpResult, floor: float | None) -> bool:
    return floor is None or (http_ratio(kiosk, bare) >= floor and not kiosk.errors)


def http_table(kiosk: HttpResult, bare: HttpResult, floor: float | None) -> str:
    ratio = http_ratio(kiosk, bare)
    whole = _whole_ratio(kiosk, bare)
    lines = ["| run | requests | errors | req/s | median ms | p95 ms |", "|---|---|---|---|---|---|"]
    for r in (kiosk, bare):
        lines.append(f"| {r.name} | {r.requests} | {r.errors} | {r.per_second:.1f} | {r.median_ms:.1f} | "
                     f"{r.p95_ms:.1f} |")
    pairs = " ".join(f"{value:.2f}" for value in kiosk.pair_ratios or ())
    lines.append(f"\nkiosk throughput {ratio:.2f}x the bare view's, median of {len(kiosk.pair_ratios or ())} paired "
                 f"slices ({pairs}; whole runs {whole:.2f}x) (floor {floor}x): "
                 f"{'ok' if http_ok(kiosk, bare, floor) else 'NO'}")
    return "\n".join(lines)
