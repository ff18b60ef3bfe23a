"""Seed the benchmark database: `seed_demo --customers N` (customers, meters, 24 months of bills and payments), then
ITEMS tickets of every kind and their SLA clocks with `bulk_create` (no per-row service, no history rows), the
open-work table (`openwork_rebuild`) and ANALYZE. Deterministic: ticket k always gets the same data, and seeding a
larger ITEMS only adds the tickets that are missing (the flatness sweep grows one database).

What the data looks like: tickets over the last 365 days, 2% of them open (received in the last week; realistic for a
city office, whose open work is a backlog of days while closed work piles up for years); open items have running
clocks (past due ones are breached), closed ones met (95%) or breached clocks. 85% of tickets name a customer.
Customer 1 (the kiosk's and the customer page's benchmark account) has a fixed dozen tickets, some open, one an open
business expansion, with history rows; ticket 1 (the detail page's) is an open repair with history.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from supply_service.core.bulk import wide_batches
from supply_service.core.models import Commitment, Office, SlaClock, User
from supply_service.core.roles import AGENT_95598, COUNTER_CLERK, DISPATCHER, FIELD_CREW
from supply_service.core.services.openwork import openwork_rebuild
from supply_service.customers.demo import _no_cyclic_gc, demo_account_number
from supply_service.customers.models import Customer
from supply_service.tickets.models import (
    BillQuery,
    BusinessExpansion,
    Consultation,
    MeterFaultTicket,
    RepairTicket,
    State,
)

SEED = 20_260_601
OPEN_SHARE = 0.02
BATCH = 5_000
FIXED_FOR_CUSTOMER_1 = 12  # tickets 1..12 belong to customer 1
# One ticket in this many was chased (督办) once: history that only grows — the manager's figures must count the
# chases of open items without reading it (issue 12: they read every chase ever made).
CHASE_EVERY = 25
STAFF_PER_OFFICE = {AGENT_95598: 10, DISPATCHER: 3, FIELD_CREW: 12, COUNTER_CLERK: 4}

# kind model, weight, open states, (commitment codes, limit in hours: an approximation, enough for a benchmark)
KINDS = [
    (RepairTicket, 40, [State.RECEIVED, State.DISPATCHED, State.ON_SITE, State.CAUSE_REMOVED, State.RESOLVED],
     [("repair_arrival", 0.75), ("supply_restoration", 24)]),
    (Consultation, 20, [State.RECEIVED, State.IN_PROGRESS, State.RESOLVED], []),
    (BillQuery, 15, [State.RECEIVED, State.RESOLVED], [("bill_query_reply", 24)]),
    (MeterFaultTicket, 15, [State.RECEIVED, State.IN_PROGRESS, State.RESOLVED], [("meter_fault", 48)]),
    (BusinessExpansion, 10, [State.RECEIVED, State.ACCEPTED, State.SURVEYED, State.CONTRACT_SIGNED],
     [("resident_connection", 120)]),
]
_CUM = []
_total = 0
for _entry in KINDS:
    _total += _entry[1]
    _CUM.append(_total)


def _log(message: str) -> None:
    print(message, flush=True)


def _marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (name VARCHAR(40) PRIMARY KEY, value BIGINT NOT NULL)")


def _marker(name: str) -> int:
    _marker_table()
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_seed WHERE name = %s", [name])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _set_marker(name: str, value: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_seed WHERE name = %s", [name])
        cursor.execute("INSERT INTO bench_seed (name, value) VALUES (%s, %s)", [name, value])


def seeded_items() -> int:
    """How many tickets the database holds (0 before the first seeding)."""
    from django.db.utils import DatabaseError

    try:
        return _marker("items")
    except DatabaseError:
        return 0


def seed(*, customers: int, items: int) -> dict:
    """Make the database hold `customers` demo customers and `items` tickets (adds what is missing)."""
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    _marker_table()
    changed = False
    if _marker("customers") < customers:
        _log(f"seeding {customers} customers with 24 months of bills (seed_demo) …")
        call_command("seed_demo", customers=customers, verbosity=0)
        _set_marker("customers", customers)
        changed = True
    _bench_staff()
    have = _marker("items")  # written with each batch: a stopped run resumes where it was
    if have < items:
        _log(f"seeding tickets {have + 1}…{items} and their clocks …")
        _set_marker("dirty", 1)
        _seed_tickets(start=have + 1, stop=items, customers=customers)
        changed = True
    if _seed_chases(items):
        changed = True
    if changed or _marker("dirty"):
        _log("rebuilding the open-work table …")
        open_rows = openwork_rebuild(batch_size=BATCH)
        _set_marker("open", open_rows)
        _analyze()
        _set_marker("dirty", 0)
    return {"seconds": time.monotonic() - started, "open": _marker("open"), "clocks": SlaClock.objects.count()}


def _seed_chases(items: int) -> bool:
    """Chases on one repair ticket in `CHASE_EVERY` (open and closed alike), by a manager; added once (a marker)."""
    from supply_service.core.models import Chase
    from supply_service.core.roles import MANAGER

    if _marker("chases") >= items // CHASE_EVERY:
        return False
    _log("seeding chases …")
    by = {office: pk for pk, office in User.objects.filter(groups__name=MANAGER).values_list("pk", "office_id")}
    fallback = User.objects.filter(is_superuser=True).values_list("pk", flat=True).first()
    content_type = ContentType.objects.get_for_model(RepairTicket)
    at = timezone.now()
    done = Chase.objects.filter(content_type=content_type).order_by("-object_id").values_list("object_id", flat=True)
    rows = []
    tickets = (RepairTicket.objects.filter(pk__gt=done.first() or 0).order_by("pk")
               .values_list("pk", "number", "office_id"))
    for pk, number, office in tickets.iterator(chunk_size=BATCH):  # the tickets not chased yet: a top-up
        if pk % CHASE_EVERY == 0 and (by.get(office) or fallback):
            rows.append(Chase(content_type=content_type, object_id=pk, item_number=number, at=at,
                              by_id=by.get(office) or fallback, note="请尽快处理"))
    with transaction.atomic(), wide_batches():  # all or nothing, with its marker
        Chase.objects.bulk_create(rows, batch_size=BATCH)
        _set_marker("chases", items // CHASE_EVERY)
        _set_marker("dirty", 1)
    return True


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor != "postgresql" else "VACUUM ANALYZE")


def _bench_staff() -> None:
    """Extra staff per demo office (agents, dispatchers, crews, clerks): work spreads over realistic teams."""
    for office in Office.objects.order_by("pk"):
        for role, count in STAFF_PER_OFFICE.items():
            group = Group.objects.get(name=role)
            for n in range(1, count + 1):
                user, created = User.objects.get_or_create(
                    username=f"bench-{office.code}-{role}-{n}",
                    defaults={"office": office, "first_name": role, "last_name": str(n)},
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    user.groups.add(group)


class _Context:
    def __init__(self, customers: int):
        self.now = timezone.now()
        offices = list(Office.objects.order_by("pk"))
        self.offices = [o.pk for o in offices]
        desk = [AGENT_95598, COUNTER_CLERK, DISPATCHER]
        self.staff = {pk: list(User.objects.filter(office_id=pk, groups__name__in=desk).values_list("pk", flat=True))
                      for pk in self.offices}
        self.crew = {pk: list(User.objects.filter(office_id=pk, groups__name=FIELD_CREW).values_list("pk", flat=True))
                     for pk in self.offices}
        self.customers = customers
        self.customer_rows = {}
        self.content_types = ContentType.objects.get_for_models(*[k[0] for k in KINDS])
        self.commitments = dict(Commitment.objects.values_list("code", "pk"))

    def load_customers(self, numbers: set[int]) -> None:
        wanted = [demo_account_number(k) for k in numbers if k not in self.customer_rows]
        for i in range(0, len(wanted), 900):
            for row in Customer.objects.filter(account_number__in=wanted[i:i + 900]).values(
                    "pk", "account_number", "office_id", "name", "phone"):
                self.customer_rows[int(row["account_number"]) - int(demo_account_number(0))] = row


def _ticket(k: int, ctx: _Context):
    """Ticket k (and its clocks as tuples): everything from random.Random(SEED + k)."""
    rng = random.Random(SEED + k)
    if k <= FIXED_FOR_CUSTOMER_1:
        entry = KINDS[(k - 1) % len(KINDS)]
        customer_k = 1
        is_open = k % 2 == 1 or entry[0] is BusinessExpansion
    else:
        draw = rng.random() * _CUM[-1]
        entry = KINDS[next(i for i, c in enumerate(_CUM) if draw < c)]
        customer_k = rng.randint(1, ctx.customers) if rng.random() < 0.85 else 0
        is_open = rng.random() < OPEN_SHARE
    model, _weight, open_states, clocks = entry
    customer = ctx.customer_rows.get(customer_k) if customer_k else None
    office_id = customer["office_id"] if customer else ctx.offices[k % len(ctx.offices)]
    age = timedelta(hours=rng.uniform(0.1, 24 * 7)) if is_open else timedelta(hours=rng.uniform(24 * 7, 24 * 365))
    created = ctx.now - age
    owner = rng.choice(ctx.staff[office_id])
    fields = {
        "number": f"{model.NUMBER_PREFIX}-{timezone.localtime(created):%Y%m%d}-{k:07d}",
        "office_id": office_id, "channel": rng.choice(["counter", "phone", "phone", "phone", "kiosk", "mail"]),
        "customer_id": customer["pk"] if customer else None,
        "customer_name": customer["name"] if customer else "王先生",
        "customer_phone": customer["phone"] if customer else f"139{rng.randrange(10**8):08d}",
        "account_number": customer["account_number"] if customer else "",
        "first_responder_id": owner, "owner_id": owner, "created_at": created,
        "request": "（基准测试数据）" + rng.choice(["家中停电", "电费疑问", "表计故障", "新装申请", "咨询电价"]),
    }
    if is_open:
        state = rng.choice(open_states)
    else:
        state = State.CLOSED if rng.random() < 0.9 else State.CANCELLED
        fields["closed_at"] = created + timedelta(hours=rng.uniform(1, 72))
        fields["resolved_at"] = fields["closed_at"] if state == State.CLOSED else None
    if model is RepairTicket:
        fields["fault_address"] = "人民路 1 号"
        if state in (State.DISPATCHED, State.ON_SITE, State.CAUSE_REMOVED) or not is_open:
            fields["crew_id"] = rng.choice(ctx.crew[office_id])
    elif model is BusinessExpansion:
        fields.update(business_type="new_connection", applicant_class="lv_residential", site_address="人民路 2 号")
    ticket = model(**fields, state=state)  # a protected FSM field may be set once, when the object is made
    clock_rows = []
    for code, hours in clocks:
        due = created + timedelta(hours=hours)
        if is_open:
            breached = due < ctx.now
            clock_rows.append((code, created, due, None, "breached" if breached else "running",
                               due if breached else None))
        else:
            late = rng.random() < 0.05
            stopped = due + timedelta(hours=1) if late else created + (due - created) * rng.uniform(0.2, 0.9)
            clock_rows.append((code, created, due, stopped, "breached" if late else "met", due if late else None))
    return ticket, clock_rows


def _seed_tickets(*, start: int, stop: int, customers: int) -> None:
    ctx = _Context(customers)
    began = time.monotonic()
    with _no_cyclic_gc(), wide_batches():
        for first in range(start, stop + 1, BATCH):
            last = min(first + BATCH - 1, stop)
            with transaction.atomic():
                _seed_batch(range(first, last + 1), ctx)
                _set_marker("items", last)
            if (last // 50_000) != ((first - 1) // 50_000) or last == stop:
                _log(f"  tickets: {last} of {stop} ({time.monotonic() - began:.0f} s)")


def _seed_batch(numbers: range, ctx: _Context) -> None:
    rngs = {k: random.Random(SEED + k) for k in numbers}
    wanted = set()
    for k in numbers:  # the same draws as _ticket: the customer is the third (after kind, share)
        rng = rngs[k]
        if k <= FIXED_FOR_CUSTOMER_1:
            wanted.add(1)
            continue
        rng.random()
        wanted.add(rng.randint(1, ctx.customers) if rng.random() < 0.85 else 0)
    ctx.load_customers(wanted - {0})
    by_model: dict = {}
    for k in numbers:
        ticket, clocks = _ticket(k, ctx)
        by_model.setdefault(type(ticket), []).append((ticket, clocks))
    with transaction.atomic():
        clocks_out = []
        for model, rows in by_model.items():
            tickets = [t for t, _c in rows]
            showcase = [t for t in tickets if int(t.number[-7:]) <= FIXED_FOR_CUSTOMER_1]
            if showcase:
                _with_history(model, showcase)
            model.objects.bulk_create([t for t in tickets if t.pk is None], batch_size=BATCH)
            content_type = ctx.content_types[model]
            for ticket, clocks in rows:
                for code, started, due, stopped, state, breached_at in clocks:
                    clock = SlaClock(
                        commitment_id=ctx.commitments[code], content_type_id=content_type.pk, object_id=ticket.pk,
                        subject_label=ticket.number, office_id=ticket.office_id, owner_id=ticket.owner_id,
                        started_at=started, due_at=due, stopped_at=stopped, breached_at=breached_at,
                        settled_at=stopped if state == "met" else breached_at, state=state,
                    )
                    clocks_out.append(clock)
        SlaClock.objects.bulk_create(clocks_out, batch_size=BATCH)


def _with_history(model, tickets: list) -> None:
    """The showcase tickets get a history like real ones: created, then a step (state change) by the owner."""
    for ticket in tickets:
        model.objects.bulk_create([ticket])
        history = model.history.model
        base = {f.attname: getattr(ticket, f.attname) for f in model._meta.fields}
        history.objects.bulk_create([
            history(**{**base, "state": State.RECEIVED}, history_date=ticket.created_at, history_type="+",
                    history_user_id=ticket.owner_id, history_change_reason="tickets.create"),
            history(**base, history_date=ticket.created_at + timedelta(minutes=5), history_type="~",
                    history_user_id=ticket.owner_id, history_change_reason="tickets.dispatch"),
        ])
