"""Benchmark of the complaints list (issue 13: constant queries at 100 000 complaints). Own SQLite file
(var/bench/complaints-<N>.sqlite3, reused) unless DATABASE_URL is given.

    .venv/bin/python -m benchmarks.complaints          # BENCH_COMPLAINTS (100000)

Data: one office, a handler and a manager, N complaints of every kind and state spread over two years (bulk rows
without clocks or history: the list reads neither). Timed: the staff list (office scope; first page, page 50,
a search by number, open reports), and one item page: the median of RUNS runs after a warm-up, and the query count."""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
COMPLAINTS = int(os.environ.get("BENCH_COMPLAINTS", "100000"))
RUNS = 5
SEED = 20_261_213
if not os.environ.get("DATABASE_URL"):
    path = ROOT / "var" / "bench" / f"complaints-{COMPLAINTS}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"


def _timed(call):
    call()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _seed():
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from supply_service.complaints.models import CATEGORIES_BY_KIND, Complaint, State
    from supply_service.complaints.seed import seed_reference
    from supply_service.core.models import Office, User

    office, _c = Office.objects.get_or_create(code="cbench", defaults={"name": "投诉基准营业厅", "address": "-"})
    users = {}
    for role in ("complaint_handler", "manager"):
        user, _c = User.objects.get_or_create(username=f"cbench-{role}", defaults={"office": office})
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    if Complaint.objects.filter(office=office).exists():
        return office, users
    seed_reference()
    rng = random.Random(SEED)
    now = timezone.now()
    kinds = list(CATEGORIES_BY_KIND)
    states = list(State.values)
    rows = []
    for n in range(COMPLAINTS):
        kind = rng.choice(kinds)
        at = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        rows.append(Complaint(
            number=f"KS-{at:%Y%m%d}-{n + 1:08d}", office=office, kind=kind,
            category=rng.choice(CATEGORIES_BY_KIND[kind]), state=rng.choice(states), channel="web",
            summary=f"基准来件 {n}", description="-", first_responder=users["complaint_handler"],
            owner=users["complaint_handler"], created_at=at))
    with transaction.atomic():
        Complaint.objects.bulk_create(rows, batch_size=5000)
    return office, users


def _page(client, url) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ms, response = _timed(lambda: client.get(url))
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return ms, len(queries)


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from supply_service.complaints.models import Complaint

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    office, users = _seed()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Complaint.objects.filter(office=office).count()
    print(f"database ready in {time.monotonic() - started:.0f} s: {total} complaints", flush=True)
    client = Client()
    client.force_login(users["manager"])
    one = Complaint.objects.filter(office=office).order_by("-pk").values_list("number", flat=True).first()
    print(f"| page ({total} complaints) | median ms (N={RUNS}) | queries |\n|---|---|---|")
    for label, url in [
        ("list, my office, open", f"{reverse('complaints:list')}?scope=office"),
        ("list, my office, page 50", f"{reverse('complaints:list')}?scope=office&page=50"),
        ("list, open reports", f"{reverse('complaints:list')}?scope=office&kind=report"),
        ("list, search by number", f"{reverse('complaints:list')}?scope=office&q={one}"),
        ("item page", reverse("complaints:detail", args=[one])),
    ]:
        ms, queries = _page(client, url)
        print(f"| {label} | {ms:.0f} | {queries} |", flush=True)
    print(f"{connection.vendor}; {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
