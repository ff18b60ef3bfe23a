"""Demo data of the customers app: reference content (feeders, transformer areas, tariffs, fee items) and synthetic
customers with a meter, months of bills and their payments. Called by `manage.py seed_demo`; idempotent.

The reference content (`demo_content.py`, invented but plausible, marked as demo data there) is upserted by code
and saved one row at a time, with history, because managers edit it in the admin like any other reference data.

The synthetic customers are **demo data only** and are written with `bulk_create`: no model `save()`, no signals
and **no django-simple-history rows** for customers, meters, bills or payments — 100 000 customers with 24 months
are ~5 million rows, and a history of rows nobody ever edited would only double that. Customer `k` (1, 2, 3 …)
always gets account number `3190000000 + k` (the demo range 3190000001–3199999999, clear of the test factories'
31000…) and everything about it comes from `random.Random(SEED + k)`: seeding N customers again adds only the
numbers that are missing, and the same numbers always get the same people (their bills end with last month at the
time they are created). Bill statuses are computed while generating (paid when the customer's payments cover the
bill, oldest first — the rule of `services.bill_statuses_refresh`), never by a per-customer call.

Work goes in chunks of `CHUNK` customers, one transaction each (a chunk is all there or not at all, so a run that
is stopped half-way is finished by the next run), and rows are inserted `BATCH` at a time, so memory stays flat
whatever N is. While it runs, the SQL log of DEBUG and Python's cyclic garbage collector are off and SQLite takes
its real parameter limit (see the context managers below): 100 000 customers × 24 months take a few minutes.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import math
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from supply_service.core.bulk import wide_batches
from supply_service.core.models import Office, User
from supply_service.customers import demo_content as content
from supply_service.customers import seed
from supply_service.customers.models import (
    Bill,
    Customer,
    Feeder,
    FeeItem,
    Meter,
    Payment,
    PaymentMethod,
    Tariff,
    TariffItem,
    TransformerArea,
)
from supply_service.customers.selectors import months_back

SEED = 20_260_101
DEMO_ACCOUNT_BASE = 3_190_000_000
MAX_DEMO_CUSTOMERS = 9_999_999
CHUNK = 5_000  # customers per transaction
BATCH = 5_000  # rows per bulk_create call
PROGRESS_EVERY = 10_000
CHANGE_REASON = "customers.demo_seed"


def demo_account_number(k: int) -> str:
    """The account number of the k-th demo customer (k ≥ 1)."""
    return str(DEMO_ACCOUNT_BASE + k)


def demo_customers():
    """All demo customers (the demo account range)."""
    return Customer.objects.filter(
        account_number__gte=demo_account_number(1), account_number__lte=demo_account_number(MAX_DEMO_CUSTOMERS)
    )


def seed_demo_customers(*, options: dict, stdout=None) -> dict:
    """`seed_demo` entry point: reference content, then at least `--customers` demo customers with `--months`."""
    seed_reference_content()
    result = seed_customers(count=options.get("customers", 200), months=options.get("months", 24), stdout=stdout)
    demo_kiosk_login(stdout=stdout)
    return result


KIOSK_DEMO_PIN = "246810"


def demo_kiosk_login(*, stdout=None) -> None:
    """Give the first demo customer a kiosk PIN (set once; a PIN set later at the counter is kept) and say so."""
    from django.contrib.auth.hashers import make_password

    customer = Customer.objects.filter(account_number__startswith="319").order_by("account_number").first()
    if customer is None:
        return
    if not customer.pin_hash:
        customer.pin_hash = make_password(KIOSK_DEMO_PIN)
        customer.pin_set_at = timezone.now()
        customer._change_reason = "customers.demo_pin"
        customer.save(update_fields=["pin_hash", "pin_set_at"])
    if stdout is not None:
        stdout.write(f"Kiosk demo: account {customer.account_number}, PIN {KIOSK_DEMO_PIN} (unless changed)")


# --- Reference content --------------------------------------------------------------------------------------------


def _upsert(model, existing: dict, key, lookup: dict, values: dict):
    """Create the row or update the fields that differ (saved with history); unchanged rows are not written."""
    obj = existing.get(key)
    if obj is None:
        obj = model(**lookup, **values)
        changed = True
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
    if changed:
        obj._change_reason = CHANGE_REASON
        obj.save()
    return obj


@transaction.atomic
def seed_reference_content() -> None:
    """Feeders and transformer areas of the demo offices, tariffs with their price items, fee items. Idempotent;
    reads each table once, writes only what is missing or different."""
    offices = Office.objects.in_bulk(content.DEMO_OFFICE_CODES, field_name="code")
    missing = set(content.DEMO_OFFICE_CODES) - set(offices)
    if missing:
        raise CommandError(
            f"Demo offices {sorted(missing)} are missing: run supply_service.core.demo.seed_demo_base first."
        )
    seed.seed_payment_methods(PaymentMethod)  # from a migration, but a flushed test database lacks them

    feeders = Feeder.objects.in_bulk([content.feeder_code(n) for n, *_ in content.FEEDERS], field_name="code")
    area_codes = [content.area_code(n, a) for n, _o, _s, areas in content.FEEDERS for a in range(1, areas + 1)]
    areas = TransformerArea.objects.in_bulk(area_codes, field_name="code")
    for number, office_code, street, area_count in content.FEEDERS:
        code = content.feeder_code(number)
        feeder = _upsert(Feeder, feeders, code, {"code": code},
                         {"name": content.feeder_name(street), "office": offices[office_code]})
        for a in range(1, area_count + 1):
            code = content.area_code(number, a)
            _upsert(TransformerArea, areas, code, {"code": code},
                    {"name": content.area_name(street, a), "feeder": feeder})

    tariffs = Tariff.objects.in_bulk([spec["code"] for spec in content.TARIFFS], field_name="code")
    items = {(item.tariff.code, item.position): item
             for item in TariffItem.objects.filter(tariff__code__in=tariffs).select_related("tariff")}
    for spec in content.TARIFFS:
        values = {k: v for k, v in spec.items() if k not in ("code", "items")}
        tariff = _upsert(Tariff, tariffs, spec["code"], {"code": spec["code"]}, values)
        for position, item in enumerate(spec["items"], start=1):
            values = {k: v for k, v in item.items() if k != "price_key"}
            values["price"] = content.PRICE[item["price_key"]]
            _upsert(TariffItem, items, (tariff.code, position), {"tariff": tariff, "position": position}, values)

    fees = FeeItem.objects.in_bulk([spec["code"] for spec in content.FEE_ITEMS], field_name="code")
    for spec in content.FEE_ITEMS:
        _upsert(FeeItem, fees, spec["code"], {"code": spec["code"]},
                {k: v for k, v in spec.items() if k != "code"})


# --- Synthetic customers ------------------------------------------------------------------------------------------

# Monthly use relative to the year's average: air conditioning in summer, heating and light in winter.
SEASON = {1: 1.30, 2: 1.20, 3: 1.00, 4: 0.88, 5: 0.85, 6: 1.00, 7: 1.25, 8: 1.22, 9: 0.95, 10: 0.88, 11: 1.05,
          12: 1.25}
SEASON_AGRICULTURE = {1: 0.3, 2: 0.3, 3: 0.6, 4: 1.3, 5: 1.6, 6: 1.8, 7: 1.8, 8: 1.6, 9: 1.2, 10: 0.8, 11: 0.4,
                      12: 0.3}
CAPACITY_KVA = {"10kv": [315, 400, 500, 630, 800, 1000, 1250, 1600, 2000],
                "35kv": [3150, 5000, 6300, 8000, 10000], "110kv": [20000, 31500, 40000, 50000]}
# Average monthly kWh (median of a log-normal) by kind of customer.
MEDIAN_KWH = {"residential": 150, "380v": 1500, "380v-agriculture": 2500, "10kv": 40000}
METHOD_WEIGHTS = [("mobile", 50), ("bank_withholding", 25), ("counter", 15), ("kiosk", 10)]
ARREARS_SHARE = 0.05
LATE_SHARE = 0.03

# Prices in ten-thousandths of a yuan, so that bills are computed in integers and rounded once to the cent.
_P = {key: int(price * 10000) for key, price in content.PRICE.items()}
_ENERGY_PRICE = {
    ("general-commercial", "380v"): _P["com_lv"], ("general-commercial", "10kv"): _P["com_10kv"],
    ("general-commercial", "35kv"): _P["com_35kv"], ("large-industry", "10kv"): _P["ind_10kv"],
    ("large-industry", "35kv"): _P["ind_35kv"], ("large-industry", "110kv"): _P["ind_110kv"],
    ("agriculture", "380v"): _P["agr_lv"], ("agriculture", "10kv"): _P["agr_10kv"],
}


def _cum_weights(weights):
    return list(itertools.accumulate(weights))


_SURNAME_CUM = _cum_weights([1 / (i + 8) for i in range(len(content.SURNAMES))])
_NON_RESIDENTIAL_CUM = _cum_weights([kind[0] for kind in content.NON_RESIDENTIAL])
_METHOD_CUM = _cum_weights([w for _code, w in METHOD_WEIGHTS])


@dataclass
class _Area:
    id: int
    number: int


@dataclass
class _Feeder:
    id: int
    office_id: int
    street: str
    areas: list[_Area]


@dataclass
class _Run:
    """What every customer of one run shares: offices, lines, payment methods, the billed months."""

    offices: list[tuple[int, str, list[_Feeder]]]  # (office id, office code, its feeders)
    methods: dict[str, int]
    manager_id: int | None
    now: datetime
    periods: list[date]
    labels: list[str]
    due_dates: list[date]
    issued_on: list[date]  # first day of the month after the period
    season: list[float]
    season_agriculture: list[float]
    tz: object
    counts: dict = field(default_factory=lambda: {"customers": 0, "bills": 0, "payments": 0, "arrears": 0})


@dataclass
class _Profile:
    """One customer to create, and how it uses and pays for electricity."""

    k: int
    rng: random.Random
    customer: Customer
    tariff: str
    voltage: str
    median_kwh: float
    capacity_kva: int = 0
    peak_share: float = 0.0
    method: str = "mobile"


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(content.MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def _other(rng: random.Random, names: list[str], not_this: str) -> str:
    """A name from the list that differs from `not_this` (no 买买提·买买提, no 次仁次仁)."""
    i = rng.randrange(len(names))
    return names[i] if names[i] != not_this else names[(i + 1) % len(names)]


def _person_name(rng: random.Random, office_code: str) -> tuple[str, str]:
    """(name, preferred language): mostly Han names; some Uyghur and Tibetan names as written in Chinese."""
    r = rng.random()
    uyghur_share = 0.12 if office_code == "tianshan" else 0.05
    if r < uyghur_share:
        given = rng.choice(content.UYGHUR_GIVEN)
        name = f"{given}·{_other(rng, content.UYGHUR_FATHER, given)}"
        return name, "ug" if rng.random() < 0.7 else "zh-hans"
    if r < uyghur_share + 0.03:
        first = rng.choice(content.TIBETAN_FIRST)
        name = first + _other(rng, content.TIBETAN_SECOND, first)
        return name, "bo" if rng.random() < 0.6 else "zh-hans"
    if rng.random() < 0.01:
        surname = rng.choice(content.COMPOUND_SURNAMES)
    else:
        surname = content.SURNAMES[bisect.bisect(_SURNAME_CUM, rng.random() * _SURNAME_CUM[-1])]
    given = rng.choice(content.GIVEN_ONE) if rng.random() < 0.3 else rng.choice(content.GIVEN_TWO)
    return surname + given, "en" if rng.random() < 0.01 else "zh-hans"


def _profile(k: int, run: _Run) -> _Profile:
    rng = random.Random(SEED + k)
    account = demo_account_number(k)
    office_id, office_code, feeders = run.offices[(k - 1) % len(run.offices)]
    feeder = rng.choice(feeders)
    area = rng.choice(feeder.areas)
    common = {"account_number": account, "office_id": office_id, "phone": _mobile(rng)}
    if rng.random() < 0.9:
        name, language = _person_name(rng, office_code)
        floor = rng.randint(1, 18)
        address = (f"{feeder.street}{area.number}号院{rng.randint(1, 24)}栋{rng.randint(1, 4)}单元"
                   f"{floor}{rng.randint(1, 4):02d}室")
        home = rng.random()
        customer = Customer(
            **common, name=name, category=Customer.Category.RESIDENTIAL, voltage=Customer.Voltage.V220,
            phone2=_mobile(rng) if rng.random() < 0.15 else "",
            email=f"user{account}@example.com" if rng.random() < 0.08 else "",
            address=address, feeder_id=feeder.id, transformer_area_id=area.id,
            is_disabled=home < 0.012, is_elderly_limited_mobility=0.012 <= home < 0.032,
            preferred_language=language, notify_outages=rng.random() < 0.3,
        )
        time_of_use = rng.random() < 0.15
        return _Profile(
            k, rng, customer, "residential-time-of-use" if time_of_use else "residential-tiered", "220v",
            min(900.0, max(20.0, rng.lognormvariate(math.log(MEDIAN_KWH["residential"]), 0.45))),
            peak_share=rng.uniform(0.5, 0.75), method=_method(rng),
        )
    _weight, voltage, tariff, importance, pattern, kinds = content.NON_RESIDENTIAL[
        bisect.bisect(_NON_RESIDENTIAL_CUM, rng.random() * _NON_RESIDENTIAL_CUM[-1])
    ]
    kind = rng.choice(kinds)
    if pattern == "public":
        name = f"{rng.choice(content.DISTRICTS)}{rng.choice(content.ORDINALS)}{kind}"
    else:
        name = f"{rng.choice(content.BRANDS)}{kind}"
    important = importance != "none"
    capacity = rng.choice(CAPACITY_KVA[voltage]) if voltage in CAPACITY_KVA else 0
    if voltage == "380v":
        median = MEDIAN_KWH["380v-agriculture" if tariff == "agriculture" else "380v"]
    elif tariff == "large-industry" or voltage != "10kv":
        median = capacity * 720 * rng.uniform(0.15, 0.4)
    else:
        median = MEDIAN_KWH["10kv"]
    customer = Customer(
        **common, name=name, category=Customer.Category.NON_RESIDENTIAL, voltage=voltage, importance=importance,
        phone2=f"{content.LANDLINE_PREFIX}{rng.randint(2_000_000, 8_999_999)}" if rng.random() < 0.6 else "",
        email=f"service{account}@example.com" if rng.random() < 0.4 else "",
        address=f"{feeder.street}{rng.randint(1, 399)}号",
        feeder_id=feeder.id if voltage in ("380v", "10kv") else None,
        transformer_area_id=area.id if voltage == "380v" else None,
        preferred_language="ug" if office_code == "tianshan" and rng.random() < 0.05 else "zh-hans",
        notify_outages=important or rng.random() < 0.5,
        customer_manager_id=run.manager_id if important or voltage in ("35kv", "110kv") else None,
    )
    return _Profile(
        k, rng, customer, tariff, voltage,
        median * rng.lognormvariate(0, 0.6 if voltage in ("380v", "10kv") and tariff != "large-industry" else 0.1),
        capacity_kva=capacity, method=_method(rng),
    )


def _method(rng: random.Random) -> str:
    return METHOD_WEIGHTS[bisect.bisect(_METHOD_CUM, rng.random() * _METHOD_CUM[-1])][0]


def _meter(profile: _Profile, customer_id: int, first_period: date) -> Meter:
    rng = profile.rng
    if profile.voltage == "220v":
        kind = Meter.Kind.SINGLE_PHASE
    elif profile.voltage == "380v":
        kind = Meter.Kind.THREE_PHASE
    else:
        kind = Meter.Kind.HIGH_VOLTAGE
    return Meter(number=f"DM{profile.customer.account_number}", customer_id=customer_id, kind=kind,
                 installed_on=first_period - timedelta(days=rng.randint(20, 3650)))


def _cents(profile: _Profile, kwh: int) -> int:
    """The month's amount in cents (kWh × the tariff's prices, rounded half up once)."""
    tariff = profile.tariff
    if tariff == "residential-tiered":
        tier1 = min(kwh, content.TIER1_KWH)
        tier2 = min(max(kwh - content.TIER1_KWH, 0), content.TIER2_KWH - content.TIER1_KWH)
        tier3 = max(kwh - content.TIER2_KWH, 0)
        value = tier1 * _P["res_tier1"] + tier2 * _P["res_tier2"] + tier3 * _P["res_tier3"]
    elif tariff == "residential-time-of-use":
        peak = round(kwh * profile.peak_share)
        value = peak * _P["res_peak"] + (kwh - peak) * _P["res_valley"]
    else:
        value = kwh * _ENERGY_PRICE[(tariff, profile.voltage)] + profile.capacity_kva * _P["ind_capacity"]
    return (value + 50) // 100


def _paid_at(rng: random.Random, method: str, issued_on: date, tz) -> datetime:
    """When the bill issued on `issued_on` is paid: direct debit on the 12th at night, the rest mostly early in the
    month, a few late (after the due date)."""
    if method == "bank_withholding":
        day, hour = issued_on + timedelta(days=11), rng.randint(1, 4)
    else:
        offset = rng.randint(25, 50) if rng.random() < LATE_SHARE else int(rng.random() ** 1.5 * 23)
        day = issued_on + timedelta(days=offset)
        hour = rng.randint(7, 22) if method == "mobile" else rng.randint(9, 17)
    return datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=tz)


def _bills_and_payments(profile: _Profile, customer_id: int, run: _Run, bills: list, payments: list) -> None:
    """Append the profile's bills and payments. Payments cover the oldest bills exactly (never a future payment), so
    a bill is paid iff it is in that covered prefix — the rule of `bill_statuses_refresh`."""
    rng = profile.rng
    account = profile.customer.account_number
    months = len(run.periods)
    unpaid_tail = rng.randint(1, 3) if rng.random() < ARREARS_SHARE else 0
    paying = True
    season = run.season_agriculture if profile.tariff == "agriculture" else run.season
    damp = 1.0 if profile.voltage == "220v" or profile.tariff == "agriculture" else 0.5
    methods = run.methods
    for i in range(months):
        if profile.voltage == "220v" and rng.random() < 0.015:
            kwh = rng.randint(3, 15)  # nobody home that month
        else:
            factor = 1 + (season[i] - 1) * damp
            kwh = max(3, round(profile.median_kwh * factor * rng.uniform(0.85, 1.15)))
        cents = _cents(profile, kwh)
        amount = Decimal(cents).scaleb(-2)
        status = Bill.Status.ISSUED
        if paying and i < months - unpaid_tail:
            method = profile.method if rng.random() < 0.85 else rng.choice(("mobile", "counter", "kiosk"))
            paid_at = _paid_at(rng, method, run.issued_on[i], run.tz)
            if paid_at <= run.now:
                payments.append(Payment(customer_id=customer_id, reference=f"DM{account}{run.labels[i]}",
                                        paid_at=paid_at, amount=amount, method_id=methods[method]))
                status = Bill.Status.PAID
            else:
                paying = False
        else:
            paying = False
        bills.append(Bill(customer_id=customer_id, period=run.periods[i], kwh=Decimal(kwh), amount=amount,
                          due_date=run.due_dates[i], status=status))
    if unpaid_tail:
        run.counts["arrears"] += 1


@contextmanager
def _no_cyclic_gc():
    """Millions of short-lived model instances make Python's cyclic garbage collector run hundreds of full
    collections that find nothing (measured: half of the CPU time). Reference counting frees the rows of each
    batch as usual; the collector is back on afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _no_debug_sql_log():
    """With DEBUG on, Django keeps the SQL of every query with its parameters spelled out: for 5 000-row INSERTs
    that costs minutes and hundreds of MB. The seeding turns it off (a `CaptureQueriesContext`, which forces the
    debug cursor, still counts every query)."""
    if not settings.DEBUG:
        yield
        return
    with override_settings(DEBUG=False):
        yield


def _run_context(months: int, now: datetime) -> _Run:
    offices = Office.objects.in_bulk(content.DEMO_OFFICE_CODES, field_name="code")
    streets = {content.feeder_code(number): street for number, _office, street, _areas in content.FEEDERS}
    feeders: dict[int, _Feeder] = {}
    areas = TransformerArea.objects.filter(feeder__code__in=streets).select_related("feeder").order_by("code")
    for area in areas:
        feeder = feeders.get(area.feeder_id)
        if feeder is None:
            feeder = feeders[area.feeder_id] = _Feeder(area.feeder_id, area.feeder.office_id,
                                                       streets[area.feeder.code], [])
        feeder.areas.append(_Area(area.pk, int(area.code.rsplit("-", 1)[1])))
    office_list = [
        (offices[code].pk, code, [f for f in feeders.values() if f.office_id == offices[code].pk])
        for code in content.DEMO_OFFICE_CODES if code in offices
    ]
    today = timezone.localdate(now)
    periods = [months_back(today, months - i) for i in range(months)]
    issued_on = [months_back(today, months - i - 1) for i in range(months)]
    manager = User.objects.filter(username="manager").values_list("pk", flat=True).first()
    return _Run(
        offices=office_list,
        methods=dict(PaymentMethod.objects.values_list("code", "pk")),
        manager_id=manager,
        now=now,
        periods=periods,
        labels=[f"{p.year}{p.month:02d}" for p in periods],
        due_dates=[d + timedelta(days=24) for d in issued_on],
        issued_on=issued_on,
        season=[SEASON[p.month] for p in periods],
        season_agriculture=[SEASON_AGRICULTURE[p.month] for p in periods],
        tz=timezone.get_default_timezone(),
    )


def _write(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def seed_customers(*, count: int, months: int = 24, now: datetime | None = None, stdout=None,
                   chunk: int = CHUNK, batch: int = BATCH) -> dict:
    """Make sure demo customers 1…`count` exist; each one created gets a meter, `months` bills ending with last
    month and its payments. Returns the counts of what was created. Needs `seed_reference_content()` first."""
    if not 0 <= count <= MAX_DEMO_CUSTOMERS:
        raise CommandError(f"--customers must be between 0 and {MAX_DEMO_CUSTOMERS}")
    started = time.monotonic()
    run = _run_context(months, now or timezone.now())
    if len(run.offices) != len(content.DEMO_OFFICE_CODES) or not all(feeders for _pk, _code, feeders in run.offices):
        raise CommandError("The demo feeders are missing: run seed_reference_content() first.")
    existing = set(demo_customers().values_list("account_number", flat=True))
    todo = [k for k in range(1, count + 1) if demo_account_number(k) not in existing]
    with _no_debug_sql_log(), _no_cyclic_gc(), wide_batches():
        for start in range(0, len(todo), chunk):
            _create_chunk(todo[start:start + chunk], run, batch)
            done = run.counts["customers"]
            if done // PROGRESS_EVERY != (done - len(todo[start:start + chunk])) // PROGRESS_EVERY:
                _write(stdout, f"  demo customers: {done} of {len(todo)} created "
                               f"({time.monotonic() - started:.0f} s)")
    counts = dict(run.counts, total=len(existing) + run.counts["customers"], seconds=time.monotonic() - started)
    _write(stdout, (
        f"Demo customers: {counts['total']} ({counts['customers']} new, {counts['arrears']} of them in arrears); "
        f"{counts['bills']} bills and {counts['payments']} payments created for {months} months "
        f"in {counts['seconds']:.1f} s."
    ))
    return counts


def _create_chunk(numbers: list[int], run: _Run, batch: int) -> None:
    profiles = [_profile(k, run) for k in numbers]
    with transaction.atomic():
        Customer.objects.bulk_create([p.customer for p in profiles], batch_size=batch)
        Meter.objects.bulk_create([_meter(p, p.customer.pk, run.periods[0]) for p in profiles], batch_size=batch)
        bills: list[Bill] = []
        payments: list[Payment] = []
        for profile in profiles:
            _bills_and_payments(profile, profile.customer.pk, run, bills, payments)
            _insert(Bill, bills, batch, run)
            _insert(Payment, payments, batch, run)
        _insert(Bill, bills, batch, run, final=True)
        _insert(Payment, payments, batch, run, final=True)
    run.counts["customers"] += len(profiles)


def _insert(model, rows: list, batch: int, run: _Run, *, final: bool = False) -> None:
    """Insert full batches of `rows` (and the rest when `final`), removing them from the list."""
    while len(rows) >= batch or (final and rows):
        part = rows[:batch]
        model.objects.bulk_create(part, batch_size=batch)
        run.counts[f"{model._meta.model_name}s"] += len(part)
        del rows[:batch]
