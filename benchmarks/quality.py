"""Benchmark of the quality figures (issue 18): a year of reliability and voltage figures for 100 000 customers and
their outages. Own SQLite file (var/bench/quality-<N>c-<M>o.sqlite3, reused) unless DATABASE_URL is given.

    .venv/bin/python -m benchmarks.quality          # BENCH_CUSTOMERS (100000), BENCH_OUTAGES (2000)

Data: one office with N customers in 200 transformer areas; BENCH_OUTAGES outages spread over the year (planned,
temporary, emergency, restriction; 30 min to 8 h, some across midnight and month ends), each cutting the customers
of one area (about 10 interruptions per customer a year at the defaults: 1 000 000 rows); 500 monitoring points
(classes A to D) with twelve months of figures. The data is loaded without the outage services, so the stored
reliability sums (quality.OutageMonth) are rebuilt after the load (timed: what `manage.py quality_rebuild` costs).
Timed: the selectors (reliability per month from the stored sums, voltage per month and class) and the staff page
`quality:figures` for the year: the median of RUNS runs after a warm-up, and its query count. BENCH_LIVE=1 also
times the reference computation from every affected customer (`reliability_by_month_live`) and compares."""

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "100000"))
OUTAGES = int(os.environ.get("BENCH_OUTAGES", "2000"))
AREAS = 200
POINTS = 500
YEAR = 2025
RUNS = 5
SEED = 20_261_202
if not os.environ.get("DATABASE_URL"):
    path = ROOT / "var" / "bench" / f"quality-{CUSTOMERS}c-{OUTAGES}o.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"


def _seed() -> None:
    from django.db import transaction
    from django.utils import timezone

    from supply_service.core.models import Office, User
    from supply_service.customers.models import Customer, Feeder, TransformerArea
    from supply_service.outages.models import AffectedCustomer, OutageNotice
    from supply_service.quality.models import MonitoringPoint, VoltageClass, VoltageMonth
    from supply_service.quality.seed import seed_reference

    if OutageNotice.objects.filter(number__startswith="TD-QB-").exists():
        return
    rng = random.Random(SEED)
    seed_reference()
    with transaction.atomic():
        office, _c = Office.objects.get_or_create(code="qbench", defaults={"name": "质量基准营业厅", "address": "-"})
        user, _c = User.objects.get_or_create(username="qbench-manager", defaults={"office": office})
        feeder = Feeder.objects.create(code="QB-F", name="基准线", office=office)
        areas = TransformerArea.objects.bulk_create(
            [TransformerArea(code=f"QB-TA{n:04d}", name=f"台区 {n}", feeder=feeder) for n in range(AREAS)])
        Customer.objects.bulk_create(
            [Customer(account_number=f"{3_500_000_000 + k}", name="基准用户", category="residential", voltage="220v",
                      address="-", office=office, feeder=feeder, transformer_area=areas[k % AREAS])
             for k in range(CUSTOMERS)], batch_size=5000)
        by_area: dict[int, list[int]] = {}
        for pk, area in Customer.objects.filter(office=office).values_list("pk", "transformer_area_id"):
            by_area.setdefault(area, []).append(pk)
        kinds = ["planned", "temporary", "emergency", "emergency", "restriction"]
        start_of_year = timezone.make_aware(datetime(YEAR, 1, 1))
        notices = []
        for n in range(OUTAGES):
            start = start_of_year + timedelta(minutes=rng.randint(0, 365 * 24 * 60 - 1))
            end = start + timedelta(minutes=rng.randint(30, 480))
            notices.append(OutageNotice(number=f"TD-QB-{n:06d}", office=office, kind=kinds[n % len(kinds)],
                                        state="closed", reason="基准", planned_start=start, planned_end=end,
                                        created_by=user, started_at=start, restored_at=end, closed_at=end))
        notices = OutageNotice.objects.bulk_create(notices, batch_size=2000)
        rows = []
        for notice in notices:
            for customer in by_area[rng.choice(areas).pk]:
                rows.append(AffectedCustomer(notice_id=notice.pk, customer_id=customer))
            if len(rows) > 50_000:
                AffectedCustomer.objects.bulk_create(rows, batch_size=5000)
                rows = []
        AffectedCustomer.objects.bulk_create(rows, batch_size=5000)
        classes = {c.code: c for c in VoltageClass.objects.all()}
        points = MonitoringPoint.objects.bulk_create(
            [MonitoringPoint(code=f"QB-P{n:04d}", name=f"点 {n}", category="ABCD"[n % 4], office=office,
                             voltage_class=classes["220v_1ph" if n % 4 == 3 else "10kv_3ph"])
             for n in range(POINTS)])
        VoltageMonth.objects.bulk_create(
            [VoltageMonth(point=p, month=date(YEAR, m, 1), minutes_monitored=40000, minutes_above=rng.randint(0, 50),
                          minutes_below=rng.randint(0, 50)) for p in points for m in range(1, 13)], batch_size=5000)


def _timed(fn) -> tuple[float, object]:
    times, result = [], None
    fn()
    for _ in range(RUNS):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _page(office) -> tuple[float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from supply_service.core.models import User

    user = User.objects.get(username="qbench-manager")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(user)
    url = f"{reverse('quality:figures')}?year={YEAR}&office={office.pk}"
    ms_page, response = _timed(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return ms_page, len(queries)


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from supply_service.core.models import Office
    from supply_service.core.services.calendar import period_bounds
    from supply_service.outages.models import AffectedCustomer
    from supply_service.quality.models import OutageMonth
    from supply_service.quality.selectors_reliability import (
        reliability_by_month,
        reliability_by_month_live,
        reliability_total,
    )
    from supply_service.quality.selectors_voltage import voltage_by_month
    from supply_service.quality.services_reliability import outage_months_rebuild

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    _seed()
    if not OutageMonth.objects.exists():
        rebuilt = time.monotonic()
        rows = outage_months_rebuild()
        print(f"quality_rebuild: {rows} outage-month rows in {time.monotonic() - rebuilt:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as after any bulk load (STACK-NOTES); `make bench` does the same
    print(f"database ready in {time.monotonic() - started:.0f} s: {CUSTOMERS} customers, "
          f"{AffectedCustomer.objects.count()} customer interruptions", flush=True)
    office = Office.objects.get(code="qbench")
    start, end = period_bounds(year=YEAR)
    ms_rel, figures = _timed(lambda: reliability_by_month(office_id=office.pk, start=start, end=end))
    total = reliability_total(figures, start=start, end=end)
    live = ""
    if os.environ.get("BENCH_LIVE"):
        ms_live, reference = _timed(lambda: reliability_by_month_live(office_id=office.pk, start=start, end=end))
        same = reliability_total(reference, start=start, end=end)
        live = (f"| reliability per month, a year, from every record (reference) | {ms_live:.0f} |\n"
                f"reference: AIHC-1 {same.aihc1} h, RS-1 {same.rs1} %, RS-3 {same.rs3} %\n")
    ms_volt, _v = _timed(lambda: voltage_by_month(office_id=office.pk, first=date(YEAR, 1, 1),
                                                  after=date(YEAR + 1, 1, 1)))
    print(f"| what | median ms (N={RUNS}) |\n|---|---|\n| reliability per month, a year | {ms_rel:.0f} |\n"
          f"| voltage per month and class, a year | {ms_volt:.0f} |\n{live}", end="", flush=True)
    print(f"year {YEAR}: customers {total.customers}, AIHC-1 {total.aihc1} h, RS-1 {total.rs1} %, RS-3 {total.rs3} %, "
          f"interruptions per customer {total.interruptions_per_customer}", flush=True)
    try:
        ms_page, queries = _page(office)
    except Exception as exc:  # noqa: BLE001 - the selectors' figures stand on their own
        print(f"page not timed: {exc!r}")
    else:
        print(f"| staff page quality:figures, a year ({queries} queries) | {ms_page:.0f} |")
    print(f"{connection.vendor}; {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
