"""Benchmark of the managers' dashboard (issue 16): `/dashboard/` over BENCH_CLOCKS SLA clocks (default 1 000 000)
and the 500 000 work items of the main benchmark database, against the same SQL done bare (the page's own SELECTs
replayed through a cursor, every row rendered in a table: benchmarks/bare.py) — the ratio is median over median.

    .venv/bin/python -m benchmarks.dashboard       # BENCH_CLOCKS (1000000), BENCH_RUNS (10)

Data: a copy of the main benchmark database (var/bench/bench-100000c-500000i.sqlite3: 500 000 tickets over a year,
600 000 clocks; seeded by `make bench`) in var/bench/dashboard-<N>.sqlite3, migrated, topped up to N clocks by
copying settled clocks shifted by whole weeks (so every month of the trend holds data), then ANALYZE. Unless
DATABASE_URL is given (then that database is used as it is)."""

import os
import shutil
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
CLOCKS = int(os.environ.get("BENCH_CLOCKS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
SOURCE = ROOT / "var" / "bench" / "bench-100000c-500000i.sqlite3"
TARGET = ROOT / "var" / "bench" / f"dashboard-{CLOCKS}.sqlite3"
COLUMNS = ("commitment_id, content_type_id, object_id, subject_label, office_id, owner_id, state, started_at, due_at, "
           "paused_at, paused_seconds, stopped_at, breached_at, settled_at, waive_reason")


def _prepare_sqlite() -> None:
    if not TARGET.exists():
        if not SOURCE.exists():
            sys.exit(f"{SOURCE} is missing: run `make bench` once to seed it")
        print(f"copying {SOURCE.name} …", flush=True)
        shutil.copyfile(SOURCE, TARGET)
    os.environ["DATABASE_URL"] = f"sqlite:///{TARGET}"


def _top_up() -> int:
    """Copy settled clocks, each copy shifted back by whole weeks, until there are CLOCKS rows (raw SQL: seconds)."""
    db = sqlite3.connect(TARGET)
    have = db.execute("SELECT count(*) FROM core_slaclock").fetchone()[0]
    shift = 0
    while have < CLOCKS:
        shift += 7
        missing = CLOCKS - have
        shifted = ", ".join(
            f"datetime({c}, '-{shift} days')" if c in ("started_at", "due_at", "stopped_at", "breached_at",
                                                       "settled_at") else c
            for c in (part.strip() for part in COLUMNS.split(",")))
        sql = f"INSERT INTO core_slaclock ({COLUMNS}) SELECT {shifted} FROM core_slaclock "  # noqa: S608 (own columns)
        db.execute(f"{sql} WHERE stopped_at IS NOT NULL ORDER BY id LIMIT {int(missing)}")
        db.commit()
        have = db.execute("SELECT count(*) FROM core_slaclock").fetchone()[0]
    db.execute("ANALYZE")
    db.commit()
    db.close()
    return have


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        _prepare_sqlite()
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if os.environ["DATABASE_URL"].startswith("sqlite"):
        print(f"clocks: {_top_up()}", flush=True)
    from supply_service.core.models import Office, User
    from supply_service.dashboard.periods import month_of

    manager, _ = User.objects.get_or_create(username="bench-dashboard",
                                            defaults={"office": Office.objects.order_by("pk").first()})
    manager.groups.add(Group.objects.get(name="manager"))
    from benchmarks.run import Page, measure, table

    last = month_of().shifted(-1).key
    pages = [Page(f"dashboard {last}", f"/dashboard/?month={last}", "bench-dashboard", against="sql"),
             Page("dashboard this month", "/dashboard/", "bench-dashboard", against="sql"),
             Page("public commitments", "/public/commitments/", against="sql")]
    results = [measure(page, n=RUNS, limits={}) for page in pages]
    print(table(results))


if __name__ == "__main__":
    main()
