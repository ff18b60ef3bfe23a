import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "supply_service.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "Zq8!vX2@pL9#mN4$rT7%wY1^bC6&dF3*gH5(jK0)sA-uE+oI=yU_8x",
    "DJANGO_ALLOWED_HOSTS": "service.example.cn",
}


def manage(*args, env=None, tmp_path=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    if tmp_path is not None:
        base["SUPPLY_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **(env or {})},
        # a whole `migrate` of every app takes 30–60 s here and over 120 s when the two passes share the cores
        # with other work: the limit only catches a hang
        capture_output=True, text=True, timeout=600,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_handling_is_off_only_when_asked(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    on = manage("shell", "--no-imports", "-c", code, env=PROD_ENV, tmp_path=tmp_path)
    assert on.stdout.strip() == "True True True True", on.stderr
    off = manage("shell", "--no-imports", "-c", code, env={**PROD_ENV, "DJANGO_HTTPS": "0"}, tmp_path=tmp_path)
    assert off.stdout.strip() == "False False False False", off.stderr
    proxy = manage(
        "shell", "--no-imports", "-c", code + ";print(s.SECURE_PROXY_SSL_HEADER)",
        env={**PROD_ENV, "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_TRUST_X_FORWARDED_PROTO": "1"}, tmp_path=tmp_path,
    )
    assert proxy.stdout.split("\n")[:2] == ["False True True True", "('HTTP_X_FORWARDED_PROTO', 'https')"]


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "x"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
    ],
)
def test_bad_or_missing_settings_fail_loudly(tmp_path, env, message):
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "supply_service.settings", **env}, tmp_path=tmp_path)
    assert result.returncode != 0 and message in result.stderr


def test_sqlite_runs_in_wal_mode_with_busy_timeout_and_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection as c; cur=c.cursor();"
        "cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]);"
        "cur.execute('PRAGMA busy_timeout'); print(cur.fetchone()[0]);"
        "print(c.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env={"DJANGO_DEBUG": "1"}, tmp_path=tmp_path)
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"], result.stderr


def test_redis_url_selects_the_redis_broker(tmp_path):
    code = "from django.conf import settings as s; print('redis' in s.Q_CLUSTER, 'orm' in s.Q_CLUSTER)"
    orm = manage("shell", "--no-imports", "-c", code, env={"DJANGO_DEBUG": "1"}, tmp_path=tmp_path)
    assert orm.stdout.strip() == "False True", orm.stderr
    redis = manage("shell", "--no-imports", "-c", code, env={"DJANGO_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"},
                   tmp_path=tmp_path)
    assert redis.stdout.strip() == "True False", redis.stderr


def test_migrations_are_complete(tmp_path):
    result = manage("makemigrations", "--check", "--dry-run", env={"DJANGO_DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_served_app_is_secure_by_default(tmp_path):
    """wsgi.py has no debug default: without a secret key and hosts it refuses to start."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", "import supply_service.wsgi"], cwd=ROOT,
        env={**base, "SUPPLY_VAR_DIR": str(tmp_path)}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
