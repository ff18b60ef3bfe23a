"""The processes of the scale-out run: Redis on a unix socket, gunicorn masters, django-q2 clusters and a load
of HTTP clients, all on loopback. Every process is started here and stopped by its own pid."""

import http.client
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]


def redis_server_path() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


class Process:
    """A child process whose output is collected line by line (and can be waited for)."""

    def __init__(self, args: list[str], *, env: dict[str, str], name: str):
        self.name = name
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.log.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise RuntimeError(f"{self.name} did not say {pattern!r}:\n" + "".join(self.log[-60:]))

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> str:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the master and its children only
                self.process.wait()
        time.sleep(0.1)
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return "".join(self.log)


def start_redis(folder: Path) -> tuple[Process, str]:
    socket = folder / "redis.sock"
    server = Process([redis_server_path(), "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
                      "--dir", str(folder), "--save", "", "--appendonly", "no", "--daemonize", "no"],
                     env=dict(os.environ), name="redis-server")
    try:
        server.wait_for(r"(?i)ready to accept connections", timeout=20)
    except RuntimeError:
        server.stop()
        raise
    return server, f"unix://{socket}"


def start_gunicorn(env: dict[str, str], *, name: str, workers: int = 1, threads: int = 4) -> tuple[Process, int]:
    server = Process([sys.executable, "-m", "gunicorn", "supply_service.wsgi", "-b", "127.0.0.1:0",
                      "-w", str(workers), "-k", "gthread", "--threads", str(threads), "--timeout", "60",
                      "--access-logfile", "-"], env=env, name=name)
    try:
        port = int(server.wait_for(r"Listening at: http://127\.0\.0\.1:(\d+)", timeout=40).group(1))
        server.wait_for(r"Booting worker", timeout=40)
    except RuntimeError:
        server.stop()
        raise
    return server, port


def start_qcluster(env: dict[str, str], *, name: str) -> Process:
    cluster = Process([sys.executable, "manage.py", "qcluster"], env=env, name=name)
    return cluster


def manage_shell(env: dict[str, str], code: str, timeout: float = 120) -> str:
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise RuntimeError(result.stdout + result.stderr)
    return result.stdout


class Browser:
    """One HTTP client with its own cookies (a kiosk terminal or a member of staff), talking to one port."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, float]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": f"http://127.0.0.1:{self.port}", "Referer": f"http://127.0.0.1:{self.port}/"})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for line in response.headers.get_all("Set-Cookie") or []:
            name, _eq, rest = line.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text, time.perf_counter() - started


@dataclass
class Load:
    """Bounded load: `total` requests at most, `seconds` at most, from `clients` threads."""

    total: int
    seconds: float
    statuses: list[int] = field(default_factory=list)
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, took: float, path: str) -> None:
        with self._lock:
            self._reserved -= 1
            self.statuses.append(status)
            self.times.setdefault(kind, []).append(took)
            if status >= 500:
                self.errors.append(f"{status} {path}")

    def take(self) -> bool:
        with self._lock:
            if len(self.statuses) + self._reserved >= self.total:
                return False
            self._reserved += 1
            return True

    _reserved: int = 0


def run_client(load: Load, browser: Browser, kind: str, paths: list[str], deadline: float) -> None:
    n = 0
    while time.monotonic() < deadline and load.take():
        path = paths[n % len(paths)]
        n += 1
        try:
            status, _text, took = browser.request("GET", path)
        except OSError as exc:
            status, took = 599, 0.0
            load.errors.append(f"{type(exc).__name__} {path}")
        load.record(kind, status, took, path)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
