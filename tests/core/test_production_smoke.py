"""Production smoke test (issue 10): gunicorn with the production settings behind the README's TLS proxy
(`DJANGO_SECURE_SSL_REDIRECT=0`, `DJANGO_TRUST_X_FORWARDED_PROTO=1`), headers and cookies checked over HTTP.

The server gets a copy of the test database (SQLite: the online backup API; PostgreSQL: the test database itself,
flushed afterwards as for the browser tests), so nothing is migrated twice."""

import http.client
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.factories.core import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
HOST = "service.example.cn"
ORIGIN = f"https://{HOST}"
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def database_url(tmp_path: Path) -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        target = tmp_path / "smoke.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}"


class Server:
    """gunicorn on a free loopback port (it binds port 0 and says which port it got)."""

    def __init__(self, env: dict[str, str]):
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "supply_service.wsgi", "-b", "127.0.0.1:0", "-w", "1",
             "--access-logfile", "-", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.port = self._wait_for_port()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def _wait_for_port(self) -> int:
        while True:
            try:
                line = self.lines.get(timeout=20)
            except queue.Empty:
                pytest.fail("gunicorn did not start:\n" + "".join(self.log))
            self.log.append(line)
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            if found:
                return int(found.group(1))

    def request(self, method, path, *, https=True, headers=None, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {"Host": HOST, **({"X-Forwarded-Proto": "https"} if https else {}), **(headers or {})}
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        conn.close()
        return response

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return "".join(self.log)


def cookies(response) -> dict[str, str]:
    """Cookie name -> its whole Set-Cookie line."""
    return {line.split("=", 1)[0]: line for line in response.headers.get_all("Set-Cookie") or []}


def assert_secure_cookie(line: str):
    attributes = {part.strip().split("=")[0].lower(): part for part in line.split(";")[1:]}
    assert "secure" in attributes and "httponly" in attributes, line
    assert attributes.get("samesite", "").strip().lower() == "samesite=lax", line


def assert_security_headers(response):
    assert response.status < 500
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def server(tmp_path, reference_data):
    # Hashed as production hashes (the test settings use a fast hasher production does not accept).
    user = UserFactory(username="smoke", office=None, roles=["counter_clerk"])
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "smokesalt", iterations=1000)
    user.save(update_fields=["password"])
    static_root = tmp_path / "static"
    with override_settings(STATIC_ROOT=static_root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = {
        **base,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "Zq8!vX2@pL9#mN4$rT7%wY1^bC6&dF3*gH5(jK0)sA-uE+oI=yU_8x",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_TRUST_X_FORWARDED_PROTO": "1",
        "DATABASE_URL": database_url(tmp_path),
        "SUPPLY_VAR_DIR": str(tmp_path),
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    running = Server(env)
    yield running
    log = running.stop()
    server_errors = [line for line in log.splitlines() if re.search(r'HTTP/1\.1" 5\d\d ', line)]
    assert not server_errors and "Internal Server Error" not in log, log


def test_production_server_sends_security_headers_and_secure_cookies(server):
    login = server.request("GET", "/accounts/login/")
    assert login.status == 200, login.text
    assert_security_headers(login)
    assert_secure_cookie(cookies(login)["csrftoken"])
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', login.text)
    assert stylesheet, "hashed static URL (manifest storage)"
    assert server.request("GET", stylesheet.group(1)).status == 200

    for path in ("/kiosk/", "/public/outages/", "/public/commitments/", "/admin/login/"):
        page = server.request("GET", path)
        assert page.status == 200, (path, page.status)
        assert_security_headers(page)
    missing = server.request("GET", "/no-such-page/")
    assert missing.status == 404
    assert_security_headers(missing)

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    csrf_cookie = cookies(login)["csrftoken"].split(";")[0]
    form = {"Cookie": csrf_cookie, "Origin": ORIGIN, "Content-Type": "application/x-www-form-urlencoded"}
    logged_in = server.request("POST", "/accounts/login/", headers=form,
                               body=f"csrfmiddlewaretoken={token}&username=smoke&password={quote(PASSWORD)}")
    assert logged_in.status == 302, logged_in.text
    assert_secure_cookie(cookies(logged_in)["sessionid"])
    language = server.request("POST", "/i18n/setlang/", headers=form,
                              body=f"csrfmiddlewaretoken={token}&language=ug&next=/kiosk/")
    assert language.status == 302
    assert_secure_cookie(cookies(language)["django_language"])

    # HSTS only over HTTPS (the proxy's header); a foreign Host header is refused.
    plain = server.request("GET", "/public/outages/", https=False)
    assert plain.status == 200 and "Strict-Transport-Security" not in plain.headers
    assert server.request("GET", "/public/outages/", headers={"Host": "evil.example.com"}).status == 400
