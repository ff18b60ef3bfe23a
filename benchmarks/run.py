"""Time every staff, kiosk and public page with the in-process test client against a bare view, in one run.

Each page's N runs alternate with N runs of its bare view (so that a busy machine slows both alike); the ratio is
median over median. Query counts come from one more run. Budgets: benchmarks/budgets.toml."""

from __future__ import annotations

import statistics
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks import bare

BUDGETS = Path(__file__).with_name("budgets.toml")


@dataclass
class Page:
    name: str
    url: str
    user: str | None = None  # username to log in with (force_login); None: anonymous
    budget: str = "page"  # key in budgets.toml ("page": every page without a budget of its own)
    against: str = "bare"  # "bare" or "sql" (the same SQL done bare)
    kiosk: bool = False  # a verified kiosk session for customer 1
    status: int = 200


@dataclass
class Result:
    page: Page
    n: int
    median: float
    p95: float
    queries: int
    sql_ms: float  # time in the database driver (one run): the rest of `median` is Python and templates
    bare_median: float
    budget: float | None

    @property
    def ratio(self) -> float:
        return self.median / self.bare_median if self.bare_median else 0.0

    @property
    def ok(self) -> bool:
        return self.budget is None or self.ratio <= self.budget


def budgets() -> dict[str, float]:
    return tomllib.loads(BUDGETS.read_text())["budgets"]


def _showcase():
    from supply_service.customers.demo import demo_account_number
    from supply_service.customers.models import Customer
    from supply_service.tickets.models import RepairTicket

    customer = Customer.objects.get(account_number=demo_account_number(1))
    ticket = RepairTicket.objects.filter(customer=customer).order_by("pk").first()
    return customer, ticket


def _busiest_agent() -> str:
    """The bench agent of the first office who owns the most open work (the "mine" list's user)."""
    from django.db.models import Count

    from supply_service.core.models import OpenWork

    row = (OpenWork.objects.filter(owner__username__startswith="bench-", owner__groups__name="agent_95598")
           .values("owner__username").annotate(n=Count("pk")).order_by("-n").first())
    return row["owner__username"] if row else "agent"


HALL = "city-centre"  # the demo office whose hall the counter pages show


def _pad_key() -> str:
    """The rating pad of window 1 of the demo hall (seed_demo_counter)."""
    from supply_service.counter.models import Window

    return Window.objects.filter(office__code=HALL, number=1).values_list("pad_key", flat=True).get()


def pages() -> list[Page]:
    customer, ticket = _showcase()
    agent = _busiest_agent()
    number = ticket.number
    return [
        # staff: the work lists and homes
        Page("work list: my office", "/tickets/?scope=office", "agent", "work_list"),
        Page("work list: my office, page 5", "/tickets/?scope=office&page=5", "agent", "work_list"),
        Page("work list: mine", "/tickets/?scope=mine", agent, "work_list"),
        Page("work list: waiting for my role", "/tickets/?scope=waiting", "agent", "work_list"),
        Page("work list: dispatcher's repairs", "/tickets/?scope=waiting&kind=repair&state=received", "dispatcher",
             "work_list"),
        Page("work list: search by account", f"/tickets/?q={customer.account_number}", "agent"),
        Page("staff home (manager)", reverse("core:home"), "manager", "staff_home"),
        Page("staff home (agent)", reverse("core:home"), "agent", "staff_home"),
        Page("staff home (dispatcher)", reverse("core:home"), "dispatcher", "staff_home"),
        Page("my clocks (agent)", reverse("core:my_clocks"), "agent", "work_list"),
        Page("ticket detail", reverse("tickets:detail", kwargs={"number": number}), "agent", "ticket_detail"),
        Page("ticket print", reverse("tickets:print", kwargs={"number": number}), "agent"),
        Page("new ticket (form)", reverse("tickets:new"), "agent"),
        Page("counter desk", reverse("counter:desk"), "clerk", "counter_page"),
        Page("counter: windows", reverse("counter:windows"), "clerk", "counter_page"),
        Page("counter: cash-up (today)", reverse("counter:cashup"), "manager", "counter_page"),
        Page("95598 calls", reverse("desk:calls"), "agent"),
        Page("customer search", f"{reverse('customers:search')}?q={customer.name[0]}", "clerk", "staff_search"),
        Page("staff customer page", reverse("customers:detail", kwargs={"pk": customer.pk}), "clerk",
             "customer_page"),
        Page("outage notices (staff)", reverse("outages:list"), "manager", "staff_search"),
        Page("supply quality (year)", reverse("quality:figures"), "manager", "quality"),
        Page("audits: list", reverse("audits:list"), "auditor"),
        Page("audits: verdict (office, year)", reverse("audits:verdict"), "manager", "report", against="sql"),
        Page("audits: requirement map", reverse("audits:requirements"), "auditor"),
        Page("appointments: day plan", reverse("appointments:plan"), "clerk", "appointment_plan"),
        Page("appointments: week plan", f"{reverse('appointments:plan')}?days=7", "clerk", "appointment_plan"),
        Page("appointments: book (form)", reverse("appointments:book"), "clerk", "appointments"),
        Page("complaints: list (office)", f"{reverse('complaints:list')}?scope=office", "manager"),
        Page("complaints: intake (form)", reverse("complaints:new"), "clerk"),
        Page("dashboard (manager)", reverse("dashboard:index"), "manager", "dashboard", against="sql"),
        # kiosk
        Page("kiosk home", reverse("kiosk:home")),
        Page("kiosk verify (form)", reverse("kiosk:verify")),
        Page("kiosk account", reverse("kiosk:account"), None, "kiosk_account", against="sql", kiosk=True),
        Page("kiosk tariffs", reverse("kiosk:tariffs")),
        Page("kiosk procedures", reverse("kiosk:procedures")),
        Page("kiosk payment methods", reverse("kiosk:payment_methods")),
        Page("kiosk energy saving", reverse("kiosk:tips")),
        Page("kiosk outages", reverse("kiosk:outages")),
        # the waiting hall: the board's feed (polled every second), the rating pad, the number printer
        Page("counter: board feed", reverse("counter:board_feed", args=[HALL]), None, "counter_hall"),
        Page("counter: rating pad", reverse("counter:pad", args=[_pad_key()]), None, "counter_hall"),
        Page("counter: take a number (form)", reverse("counter:take_at", args=[HALL]), None, "counter_hall"),
        # public
        Page("public outages", reverse("public_outages:list")),
        Page("public outages feed", reverse("public_outages:feed")),
        Page("public outages iCalendar", reverse("public_outages:upcoming_ics")),
        Page("public commitments", reverse("public_commitments:page")),
        Page("public appointment booking", reverse("public_appointments:book"), None, "appointments"),
        Page("public appointment hold (form)", reverse("public_appointments:hold"), None, "appointments"),
        Page("public feedback form", reverse("public_feedback:new")),
    ]


def _client(page: Page) -> Client:
    from supply_service.core.models import User
    from supply_service.customers.demo import demo_account_number
    from supply_service.customers.models import Customer
    from supply_service.kiosk import access

    client = Client()
    if page.user:
        client.force_login(User.objects.get(username=page.user))
    if page.url.startswith("/kiosk/"):  # a terminal bound to the office, as in the office
        client.get(reverse("kiosk:office", args=["city-centre"]))
    if page.kiosk:
        session = client.session
        now = time.time()
        session[access.CUSTOMER] = Customer.objects.get(account_number=demo_account_number(1)).pk
        session[access.VERIFIED_AT] = now
        session[access.SEEN_AT] = now
        session.save()
        client.cookies["sessionid"] = session.session_key
    return client


def _get(client: Client, url: str, expected: int) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != expected:
        raise RuntimeError(f"{url}: status {response.status_code}, expected {expected}")
    return elapsed * 1000


def _capture_sql(client: Client, url: str) -> tuple[int, float, list[tuple[str, tuple]]]:
    """(query count, ms spent in the database driver, the SELECTs with their parameters less the session's). Reads
    sent through libpq directly (`core.wire`) pass the execute wrappers before their pipeline is sent: their time is
    the whole round trip's."""
    from unittest import mock  # noqa: PLC0415

    from supply_service.core import wire  # noqa: PLC0415

    statements = []
    spent = [0.0]

    def wrapper(execute, sql, params, many, context):
        statements.append((sql, tuple(params or ())))
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    real_round_trip = wire._round_trip  # noqa: SLF001

    def round_trip(*args):
        before, started = spent[0], time.perf_counter()
        try:
            return real_round_trip(*args)
        finally:
            spent[0] = before + time.perf_counter() - started  # the round trip, not the wrappers' part of it again

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(wrapper), \
            mock.patch.object(wire, "_round_trip", round_trip):
        client.get(url)
    selects = [(sql, params) for sql, params in statements
               if sql.lstrip().upper().startswith("SELECT") and "django_session" not in sql]
    return len(captured), spent[0] * 1000, selects


def measure(page: Page, *, n: int, limits: dict[str, float]) -> Result:
    client = _client(page)
    bare_url = reverse("bench_bare") if page.against == "bare" else reverse("bench_bare_sql", args=[
        page.name.replace(" ", "-").replace(":", "").replace(",", "").replace("(", "").replace(")", "")])
    bare_client = client if page.against == "sql" else _client(Page("bare", bare_url, page.user or "agent"))
    for _ in range(3):  # warm caches (templates, content types, permissions of this process)
        _get(client, page.url, page.status)
    queries, sql_ms, selects = _capture_sql(client, page.url)
    if page.against == "sql":
        bare.SQL_BY_NAME[bare_url.rstrip("/").rsplit("/", 1)[1]] = selects
    for _ in range(3):
        _get(bare_client, bare_url, 200)
    times, bare_times = [], []
    for _ in range(n):
        times.append(_get(client, page.url, page.status))
        bare_times.append(_get(bare_client, bare_url, 200))
    return Result(page=page, n=n, median=statistics.median(times), p95=_p95(times), queries=queries, sql_ms=sql_ms,
                  bare_median=statistics.median(bare_times), budget=limits.get(page.budget))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def table(results: list[Result]) -> str:
    head = f"| {'page':<34} | {'N':>3} | {'median ms':>9} | {'p95 ms':>7} | {'queries':>7} | {'SQL ms':>6} | " \
           f"{'bare ms':>7} | " \
           f"{'ratio':>6} | {'budget':>6} | ok |"
    lines = [head, "|" + "|".join("-" * (len(cell)) for cell in head.split("|")[1:-1]) + "|"]
    for r in results:
        budget = f"{r.budget:.1f}x" if r.budget is not None else "—"
        against = " (SQL)" if r.page.against == "sql" else ""
        lines.append(
            f"| {r.page.name:<34} | {r.n:>3} | {r.median:>9.2f} | {r.p95:>7.2f} | {r.queries:>7} | {r.sql_ms:>6.2f} | "
            f"{r.bare_median:>7.2f} | {r.ratio:>5.2f}x | {budget:>6} | {'ok' if r.ok else 'NO':<2} |{against}"
        )
    return "\n".join(lines)


def run_pages(*, n: int, only: list[str] | None = None) -> list[Result]:
    limits = budgets()
    results = []
    for page in pages():
        if only and not any(word in page.name for word in only):
            continue
        results.append(measure(page, n=n, limits=limits))
        print(f"  {page.name}: {results[-1].median:.2f} ms ({results[-1].ratio:.2f}x)", flush=True)
    return results
