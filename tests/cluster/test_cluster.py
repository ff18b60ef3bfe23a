"""Past one machine, tested (issue 12): Redis on loopback, the test's PostgreSQL database, two gunicorn masters and
two django-q2 clusters on the Redis broker. A bounded load on the kiosk and the work lists runs while an outage is
published to many customers and two breach sweeps run at once (one in each cluster). Every message is delivered
exactly once, every overdue clock breached once, and no request fails.

`make test` runs the slim size in its PostgreSQL pass; `make bench-cluster` runs it with CLUSTER_SCALE=bench and
prints the numbers."""

import json
import os
import threading
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from supply_service.core.models import Outbox, SlaClock
from supply_service.core.services.sla import sla_record_many
from supply_service.customers.models import Customer
from supply_service.customers.services import customer_set_pin
from supply_service.outages.models import AffectedCustomer
from supply_service.outages.services import outage_approve
from tests.cluster import harness
from tests.factories import tickets as make
from tests.factories.core import PASSWORD
from tests.factories.customers import CustomerFactory, FeederFactory, TransformerAreaFactory
from tests.factories.outages import notice as make_notice
from tests.kernel_app.models import SampleItem

pytestmark = [pytest.mark.postgresql, pytest.mark.cluster, pytest.mark.django_db(transaction=True)]

SIZES = {  # customers told of the outage, overdue clocks, HTTP requests, client threads, seconds for the load
    "slim": {"customers": 1000, "overdue": 200, "requests": 200, "clients": 6, "seconds": 20},
    "bench": {"customers": 20_000, "overdue": 3000, "requests": 3000, "clients": 16, "seconds": 120},
}
SIZE = SIZES[os.environ.get("CLUSTER_SCALE", "slim")]
PIN = "246810"
PUBLISH = """
import time
from django.db import transaction
from supply_service.core.models import User
from supply_service.outages.models import OutageNotice
from supply_service.outages.services import outage_publish
from django_q.tasks import async_task
started = time.perf_counter()
outage_publish(notice=OutageNotice.objects.get(pk={notice}), by=User.objects.get(pk={manager}))
print("publish_ms", round((time.perf_counter() - started) * 1000))
for _ in range(2):  # two sweeps at once: one in each cluster, or both in one — each clock is breached once
    async_task("supply_service.core.tasks.sla_sweep_task", task_name=f"sweep-{{_}}-{{time.time()}}")
"""


def database_url() -> str:
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    return f"postgres://{quote(s['USER'] or '')}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def process_env(tmp_path, redis_url: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SMS_", "Q_"))}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "tests.cluster.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "cluster-run-key-9f8e7d6c5b4a39281706f5e4d3c2b1a0-zyxwvutsrqponmlkjihg",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "Q_WORKERS": "2",
        "SMS_BACKEND": "supply_service.core.sms.FileSmsBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms"),
        "SUPPLY_VAR_DIR": str(tmp_path / "var"),
    }


@pytest.fixture
def world(reference_data, office, manager, clerk, agent, dispatcher):
    """Staff with phones only (every alert is an SMS the file backend records), open repair calls for the work
    lists, a kiosk customer with a PIN, customers on one transformer area, and overdue clocks."""
    from django.contrib.auth import get_user_model

    for n, user in enumerate((manager, clerk, agent, dispatcher)):
        user.email, user.phone = "", f"1390000{n:04d}"
        user.save()
    get_user_model().objects.exclude(pk__in=[manager.pk, clerk.pk, agent.pk, dispatcher.pk]).update(email="")
    for _ in range(12):
        make.repair(agent)
    kiosk_customer = CustomerFactory(office=office, account_number="3100000555", email="", phone="")
    customer_set_pin(customer=kiosk_customer, pin=PIN, by=clerk)
    area = TransformerAreaFactory(feeder=FeederFactory(office=office, code="10kV-801"), code="TA-801-01")
    Customer.objects.bulk_create([
        Customer(account_number=f"{3500000000 + i}", name="客户", category="residential", voltage="220v",
                 importance="first", phone=f"135{i:08d}", email="", address="x", office=office,
                 feeder=area.feeder, transformer_area=area) for i in range(SIZE["customers"])
    ], batch_size=5000)
    items = SampleItem.objects.bulk_create([
        SampleItem(number=f"TS-20261127-{n:05d}", office=office, channel="counter", first_responder=clerk,
                   owner=clerk) for n in range(SIZE["overdue"])
    ], batch_size=5000)
    started = timezone.now() - timedelta(hours=3)
    sla_record_many(commitment="repair_arrival", items=[(i, started, None, office) for i in items])
    notice = make_notice(dispatcher, areas=[area])
    outage_approve(notice=notice, by=manager)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"notice": notice, "manager": manager, "agent": agent}


def _login(browser: harness.Browser, kind: str) -> None:
    if kind == "kiosk":
        browser.request("GET", "/kiosk/verify/")
        status, text, _t = browser.request("POST", "/kiosk/verify/", {"account_number": "3100000555", "pin": PIN})
    else:
        browser.request("GET", "/accounts/login/")
        status, text, _t = browser.request("POST", "/accounts/login/", {"username": "agent", "password": PASSWORD})
    assert status == 302, (kind, status, text[:2000])


def _load(ports: list[int], load: harness.Load) -> list[threading.Thread]:
    deadline = time.monotonic() + SIZE["seconds"]
    threads = []
    for n in range(SIZE["clients"]):
        kind = "kiosk" if n % 2 == 0 else "staff"
        browser = harness.Browser(ports[(n // 2) % len(ports)])  # both servers get kiosk and staff clients
        _login(browser, kind)
        paths = ["/kiosk/account/", "/kiosk/outages/"] if kind == "kiosk" else ["/", "/tickets/"]
        thread = threading.Thread(target=harness.run_client, args=(load, browser, kind, paths, deadline))
        thread.start()
        threads.append(thread)
    return threads


def _wait_until_all_delivered(expected: int, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        done = Outbox.objects.filter(state=Outbox.State.SENT).count()
        running = SlaClock.objects.filter(state=SlaClock.State.RUNNING, due_at__lt=timezone.now()).exists()
        if done >= expected and not running:
            return time.monotonic() - started
        time.sleep(0.5)
    return -1.0


@pytest.fixture
def cluster(tmp_path):
    if harness.redis_server_path() is None:
        pytest.fail("redis-server is missing: `scripts/sysdeps.sh test` installs Debian's redis-server")
    processes = []
    redis, redis_url = harness.start_redis(tmp_path)
    processes.append(redis)
    env = process_env(tmp_path, redis_url)
    try:
        ports = []
        for n in range(2):
            web, port = harness.start_gunicorn(env, name=f"gunicorn-{n}")
            processes.append(web)
            ports.append(port)
        for n in range(2):
            processes.append(harness.start_qcluster(env, name=f"qcluster-{n}"))
        yield {"env": env, "ports": ports, "processes": processes, "sms": tmp_path / "sms"}
    finally:
        for process in reversed(processes):
            process.stop()


def test_two_web_servers_and_two_clusters_deliver_everything_once(world, cluster, capsys):
    expected_customers = SIZE["customers"]
    overdue = SIZE["overdue"]
    load = harness.Load(total=SIZE["requests"], seconds=SIZE["seconds"])
    started = time.monotonic()
    threads = _load(cluster["ports"], load)
    output = harness.manage_shell(cluster["env"], PUBLISH.format(notice=world["notice"].pk,
                                                                  manager=world["manager"].pk))
    publish_ms = int(output.split("publish_ms", 1)[1].split()[0])
    for thread in threads:
        thread.join(SIZE["seconds"] + 60)
    load_seconds = time.monotonic() - started
    # owner (clerk) and the office's manager, one SMS each per breached clock
    expected = expected_customers + 2 * overdue
    delivered_in = _wait_until_all_delivered(expected, timeout=max(60, SIZE["customers"] / 100))
    logs = {process.name: process.stop() for process in reversed(cluster["processes"])}  # Redis last

    assert delivered_in >= 0, (Outbox.objects.values("state").order_by().distinct(), logs["qcluster-0"][-3000:])
    assert AffectedCustomer.objects.count() == expected_customers
    # Every message once: each outbox row sent after one claim, and the gateway (the SMS file) saw each key once.
    assert Outbox.objects.count() == expected
    assert Outbox.objects.exclude(state=Outbox.State.SENT).count() == 0
    assert Outbox.objects.exclude(attempts=1).count() == 0
    sent = [json.loads(line)["reference"] for path in cluster["sms"].glob("sms-*.jsonl")
            for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(sent) == len(set(sent)) == expected
    assert set(sent) == set(Outbox.objects.values_list("idempotency_key", flat=True))
    # Every overdue clock breached once.
    assert SlaClock.objects.filter(state=SlaClock.State.BREACHED).count() == overdue
    assert SlaClock.history.filter(history_change_reason="core.sla_breach").count() == overdue
    # No request failed; every request was answered by a web server.
    assert not load.errors and all(status < 500 for status in load.statuses), load.errors[:20]
    assert len(load.statuses) == SIZE["requests"] or load_seconds >= SIZE["seconds"]
    for name, log in logs.items():
        assert '" 500 ' not in log and "Traceback" not in log, (name, log[-3000:])
    assert sum(1 for name in logs if name.startswith("qcluster")) == 2
    assert all('"GET /' in logs[f"gunicorn-{n}"] for n in range(2)), "both web servers served requests"

    with capsys.disabled():
        rows = [f"{kind:6} {len(times):5} requests  median {harness.percentile(times, 0.5) * 1000:6.0f} ms  "
                f"p95 {harness.percentile(times, 0.95) * 1000:6.0f} ms" for kind, times in sorted(load.times.items())]
        print("\n== scale-out run (2 gunicorn × 1 worker × 4 threads, 2 qcluster × 2 workers, Redis, PostgreSQL) ==")
        print("\n".join(rows))
        print(f"{len(load.statuses)} requests in {load_seconds:.1f} s ({len(load.statuses) / load_seconds:.0f} req/s), "
              f"0 errors")
        print(f"outage published to {expected_customers} customers: request {publish_ms} ms; "
              f"{expected} messages (with {2 * overdue} breach alerts) delivered once, all within "
              f"{delivered_in:.1f} s after the load")
        print(f"{overdue} overdue clocks breached once by two concurrent sweeps")
