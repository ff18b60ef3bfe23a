#!/usr/bin/env python3
"""`make bench`: seed (or reuse) the benchmark database, time every staff, kiosk and public page against a bare view,
print one table, exit 1 when a page exceeds its budget (benchmarks/budgets.toml).

Environment: BENCH_CUSTOMERS (default 100000), BENCH_ITEMS (default 500000), BENCH_RUNS (N, default 30),
BENCH_ONLY (comma-separated words: only pages whose name contains one; "jobs": the sweep and the outage fan-out;
"http": the HTTP run), DATABASE_URL (else a SQLite file under
var/bench/ named by the scale, reused between runs), BENCH_SWEEP (e.g. "10000,100000,1000000": the flatness run —
one database grown to each number of items in turn, the work lists timed at each; `make bench-flat`)."""

import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"


def _machine() -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import sqlite3

            db = f"SQLite {sqlite3.sqlite_version}"
        else:
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
    cores = os.cpu_count()
    return f"{platform.node()} · {cores} cores · Python {platform.python_version()} · Django {django.get_version()} · " \
           f"{db} · {date.today().isoformat()}"


def main() -> int:
    import django

    django.setup()
    from benchmarks import run
    from benchmarks import settings as bench_settings
    from benchmarks.seed import seed

    customers, items = bench_settings.bench_scale()
    n = int(os.environ.get("BENCH_RUNS", "30"))
    only = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()] or None
    sweep = [int(v) for v in os.environ.get("BENCH_SWEEP", "").split(",") if v.strip()]
    if sweep:
        return _sweep(customers, sweep, n)
    if os.environ.get("BENCH_PROFILE"):
        from benchmarks.profile import profile

        profile(os.environ["BENCH_PROFILE"], n=n)
        return 0
    started = time.monotonic()
    info = seed(customers=customers, items=items)
    print(f"database ready in {time.monotonic() - started:.0f} s: {customers} customers, {items} tickets "
          f"({info['open']} open), {info['clocks']} SLA clocks")
    results = run.run_pages(n=n, only=only)
    jobs = None
    if only is None or "jobs" in only:  # the sweep and the outage fan-out, rolled back after timing
        jobs = _jobs()
    http = None
    if only is None or "http" in only:
        from benchmarks.http import http_ok, http_run, http_table

        http = http_run(seconds=float(os.environ.get("BENCH_HTTP_SECONDS", "10")))
    print()
    print(_machine())
    print(f"scale: {customers} customers (24 months of bills), {items} tickets ({info['open']} open), "
          f"{info['clocks']} SLA clocks; N={n} runs per page, in-process client")
    print(run.table(results))
    failed = [r.page.name for r in results if not r.ok]
    if jobs is not None:
        from benchmarks.jobs import jobs_table

        print("\nJobs (each in a transaction rolled back afterwards):")
        print(jobs_table(jobs))
        failed += [j.name for j in jobs if not j.ok]
    if http is not None:
        floor = run.budgets().get("kiosk_http")
        print("\nOver HTTP (gunicorn, 2 sync workers, 8 connections):")
        print(http_table(*http, floor))
        kiosk, bare = http
        if not http_ok(kiosk, bare, floor):
            failed.append("kiosk account over HTTP")
    if failed:  # every page over its budget named, the HTTP run's too
        print(f"\nOver budget: {', '.join(failed)}")
        return 1
    print("\nEvery page within its budget.")
    return 0


def _jobs():
    from benchmarks.jobs import outage_jobs, sweep_job
    from benchmarks.run import HALL
    from supply_service.core.models import Office, User

    office = Office.objects.get(code=HALL)
    users = {name: User.objects.get(username=name) for name in ("dispatcher", "manager")}
    found = [sweep_job()]
    print(f"  {found[-1].name}: {found[-1].seconds:.2f} s", flush=True)
    found += outage_jobs(dispatcher=users["dispatcher"], manager=users["manager"], office=office)
    for job in found[1:]:
        print(f"  {job.name}: {job.seconds:.2f} s", flush=True)
    return found


def _sweep(customers: int, sweep: list[int], n: int) -> int:
    from benchmarks import run
    from benchmarks.seed import seed

    rows = []
    failed = False
    from benchmarks.seed import seeded_items

    for items in sorted(sweep):
        if seeded_items() > items:
            print(f"skipping {items} items: the sweep's database already holds {seeded_items()} (delete it to start over)")
            continue
        info = seed(customers=customers, items=items)
        results = run.run_pages(n=n, only=["work list:", "staff home"])
        failed = failed or any(not r.ok for r in results)
        rows.append((items, info, results))
    if not rows:
        return 0
    print()
    print(_machine())
    print(f"flatness: {customers} customers; one database grown to each number of tickets; median ms (ratio to bare)")
    names = [r.page.name for r in rows[0][2]]
    print("| page | " + " | ".join(f"{items:,} items ({info['open']:,} open)" for items, info, _r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for i, name in enumerate(names):
        cells = [f"{res[i].median:.2f} ({res[i].ratio:.2f}x)" for _items, _info, res in rows]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
