"""Benchmark settings: the production settings (DEBUG off) on a benchmark database, plus the bare views' URLs.

The database is DATABASE_URL when given (e.g. the throwaway PostgreSQL of scripts/with-postgres.sh), else a SQLite
file under var/bench/ named by the scale (BENCH_CUSTOMERS, BENCH_ITEMS), so a seeded database is reused."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_HTTPS", "0")

_ROOT = Path(__file__).resolve().parent.parent


def bench_scale() -> tuple[int, int]:
    return int(os.environ.get("BENCH_CUSTOMERS", "100000")), int(os.environ.get("BENCH_ITEMS", "500000"))


def bench_sqlite_path() -> Path:
    customers, items = bench_scale()
    var = Path(os.environ.get("SUPPLY_VAR_DIR", str(_ROOT / "var")))
    if os.environ.get("BENCH_SWEEP"):  # the flatness run grows one database through the sweep's sizes
        return var / "bench" / f"flat-{customers}c.sqlite3"
    return var / "bench" / f"bench-{customers}c-{items}i.sqlite3"


if not os.environ.get("DATABASE_URL"):
    bench_sqlite_path().parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_sqlite_path()}"

from supply_service.settings import *  # noqa: E402,F403
from supply_service.settings import STORAGES  # noqa: E402

ROOT_URLCONF = "benchmarks.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # bench users log in with force_login anyway
# No collectstatic needed: plain static URLs (the manifest lookup of production is a dict look-up of the same cost).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "supply_service.core.sms.LocmemSmsBackend"
# force_login goes through django-axes' login signal: its INFO lines would drown the table.
AXES_VERBOSE = False
import logging  # noqa: E402

logging.getLogger("axes").setLevel(logging.WARNING)
