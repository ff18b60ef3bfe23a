"""Reads about customers that the other apps reuse (kiosk, tickets, outages)."""

import functools
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import DateField, DecimalField, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Round
from django.utils import timezone

from supply_service.core.html import choice_label
from supply_service.core.i18n_fields import translated_value
from supply_service.core.prepared import Bind, PagedStatement, Read, fetch, prepared
from supply_service.core.together import run
from supply_service.customers.models import Bill, Customer, Meter, Payment

MONTHS_OF_BILLS = 24
LATEST_PAYMENTS = 12  # on the kiosk's account page
_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Value(Decimal("0.00"), output_field=_MONEY)


def mask_name(name: str) -> str:
    """张三 -> 张*, 张小三 -> 张*三, 欧阳小明 -> 欧**明; Latin names keep their first and last letter."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """13812341234 -> 138****1234; short numbers keep only their last two digits."""
    digits = phone.strip()
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) > 2:
        return "*" * (len(digits) - 2) + digits[-2:]
    return digits


def customer_search(*, query: str) -> QuerySet[Customer]:
    """Customers by account number (prefix), name (part) or phone (part); empty for an empty query."""
    query = query.strip()
    if not query:
        return Customer.objects.none()
    condition = Q(name__icontains=query)
    if query.replace("-", "").isdigit():
        condition |= Q(account_number__startswith=query) | Q(phone__contains=query) | Q(phone2__contains=query)
    return Customer.objects.filter(condition).select_related("office").order_by("account_number")


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(day: date, months: int) -> date:
    """The first day of the month `months` before the month of `day`."""
    index = day.year * 12 + (day.month - 1) - months
    return date(index // 12, index % 12 + 1, 1)


class BillRow(NamedTuple):
    """A bill as the account pages show it — a row of the table and a bar of the chart — read as a tuple: no model
    instance (24 of them were a fifth of a millisecond on each customer and kiosk page; issue 12)."""

    period: date
    kwh: Decimal
    amount: Decimal
    due_date: date
    status: str

    def get_status_display(self) -> str:
        return choice_label(Bill._meta.get_field("status"), self.status)


_BILLS_SINCE = prepared(lambda: Bill.objects.filter(
    customer_id=Bind("customer", IntegerField()), period__gte=Bind("since", DateField())
).order_by("-period").values_list(*BillRow._fields)[:MONTHS_OF_BILLS])


def bills_last_24_months(*, customer: Customer, today: date | None = None) -> list[BillRow]:
    """The latest 24 monthly bills, newest first (S10.3.1): those of the last 24 billed months — this month's bill is
    often not issued yet, so the window reaches one month further back and keeps 24."""
    return fetch(bills_read(customer_pk=customer.pk, today=today))


def bills_read(*, customer_pk: int, today: date | None = None) -> Read:
    """`bills_last_24_months` as a read to send with a page's others (`core.together`)."""
    today = today or timezone.localdate()
    return _BILLS_SINCE.read(customer=customer_pk, since=months_back(today, MONTHS_OF_BILLS)).then(_bill_rows)


def _bill_rows(rows) -> list[BillRow]:
    return list(map(BillRow._make, rows))


class MeterRow(NamedTuple):
    """A meter as the customer page lists it (number, kind, installed on): a tuple read by a statement compiled once
    — the related manager's queryset built and compiled on each view cost more than the read (issue 12)."""

    number: str
    kind: str
    installed_on: date

    def get_kind_display(self) -> str:
        return choice_label(Meter._meta.get_field("kind"), self.kind)


_METERS = prepared(lambda: Meter.objects.filter(customer_id=Bind("customer", IntegerField()))
                   .order_by("number").values_list(*MeterRow._fields))


def meters_of(*, customer: Customer) -> list[MeterRow]:
    """Every meter of the customer (active or not), by number — `customer.meters.all()` as tuples."""
    return fetch(meters_read(customer=customer))


def meters_read(*, customer: Customer) -> Read:
    return _METERS.read(customer=customer.pk).then(_meter_rows)


def _meter_rows(rows) -> list[MeterRow]:
    return list(map(MeterRow._make, rows))


_PAYMENT_PAGES: dict[int, PagedStatement] = {}


class PaymentPageRow(NamedTuple):
    """A payment as the staff customer page lists it: a tuple, its method named in the active language (the rule of
    `TranslatedField`, in SQL), no model instances (issue 12)."""

    paid_at: datetime
    amount: Decimal
    method_name: str
    reference: str


def payments_page(*, customer: Customer, page, per_page: int):
    """One page (Django's `Page`) of the customer's payments with their method's name, newest first, as a Paginator
    over them gives it, in one statement compiled once (core.prepared.PagedStatement); rows are `PaymentPageRow`s."""
    return run(payments_page_read(customer=customer, page=page, per_page=per_page))


def payments_page_read(*, customer: Customer, page, per_page: int):
    """`payments_page` as reads to send with a page's others (`core.together`: a generator)."""
    statement = _PAYMENT_PAGES.get(per_page)
    if statement is None:
        statement = _PAYMENT_PAGES[per_page] = PagedStatement(
            lambda: Payment.objects.filter(customer_id=Bind("customer", IntegerField())).order_by("-paid_at", "-pk")
            .values_list("paid_at", "amount", translated_value("method__name"), "reference"), per_page=per_page)
    found = yield from statement.page_reads(page, customer=customer.pk)
    found.object_list = list(map(PaymentPageRow._make, found.object_list))
    return found


class PaymentRow(NamedTuple):
    """A payment as the kiosk shows it, its method named in the active language: a tuple, no model instances."""

    paid_at: datetime
    amount: Decimal
    method_name: str


_LATEST_PAYMENTS = prepared(lambda: Payment.objects.filter(customer_id=Bind("customer", IntegerField()))
                            .order_by("-paid_at").values_list("paid_at", "amount", translated_value("method__name"))
                            [:LATEST_PAYMENTS])


def latest_payments(*, customer: Customer) -> list[PaymentRow]:
    """The customer's last `LATEST_PAYMENTS` payments with their method's name, newest first (the kiosk)."""
    return fetch(latest_payments_read(customer_pk=customer.pk))


def latest_payments_read(*, customer_pk: int) -> Read:
    return _LATEST_PAYMENTS.read(customer=customer_pk).then(_payment_rows)


def _payment_rows(rows) -> list[PaymentRow]:
    return list(map(PaymentRow._make, rows))


def _billed(outer: str = "pk") -> Subquery:
    return Subquery(
        Bill.objects.filter(customer=OuterRef(outer))
        .exclude(status=Bill.Status.CANCELLED)
        .values("customer")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=_MONEY,
    )


def _paid(outer: str = "pk") -> Subquery:
    return Subquery(
        Payment.objects.filter(customer=OuterRef(outer)).values("customer").annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=_MONEY,
    )


def with_arrears(queryset: QuerySet[Customer], *, today: date | None = None) -> QuerySet[Customer]:
    """Annotate `billed`, `paid`, `arrears` (never negative) and `has_overdue` — all in SQL."""
    today = today or timezone.localdate()
    overdue = Bill.objects.filter(customer=OuterRef("pk"), status=Bill.Status.ISSUED, due_date__lt=today)
    # Rounded to cents in SQL: SQLite sums decimals as floating point (9.09E-13 would look like arrears).
    return queryset.annotate(
        billed=Round(Coalesce(_billed(), _ZERO), 2, output_field=_MONEY),
        paid=Round(Coalesce(_paid(), _ZERO), 2, output_field=_MONEY),
    ).annotate(
        arrears=Round(Greatest(Coalesce(_billed(), _ZERO) - Coalesce(_paid(), _ZERO), _ZERO), 2, output_field=_MONEY),
        has_overdue=Exists(overdue),
    )


def _one_with_arrears():
    return with_arrears(
        Customer.objects.select_related("office", "feeder", "transformer_area", "customer_manager")
        .filter(pk=Bind("pk", IntegerField())),
        today=Bind("today", DateField()),
    )


_ONE_WITH_ARREARS = prepared(_one_with_arrears)


def customer_get_with_arrears(*, pk: int, today: date | None = None) -> Customer:
    """One customer with `billed`, `paid`, `arrears` and `has_overdue` as `with_arrears` computes them (to the cent,
    arrears never negative): the ORM's statement compiled once per process (`core.prepared`, issue 12) — building
    its five subqueries was a third of the customer page's Python. Raises Customer.DoesNotExist."""
    return fetch(customer_with_arrears_read(pk=pk, today=today))


def customer_with_arrears_read(*, pk: int, today: date | None = None) -> Read:
    """`customer_get_with_arrears` as a read to send with a page's others (`core.together`); its result raises
    Customer.DoesNotExist when there is none."""
    return _one_with_arrears_read(_ONE_WITH_ARREARS, pk=pk, today=today)


def _one_with_arrears_read(statement, *, pk: int, today: date | None) -> Read:
    return statement.read(pk=pk, today=today or timezone.localdate()).then(functools.partial(_one_customer, pk))


# What a customer sees of their own account (the kiosk): the number, the name and address (masked there), whether the
# account is active, and the sums — one model instance with five columns and the sums, not the customer with its
# office, feeder, area and account manager (61 columns, five instances: the staff page's).
_SUMMARY_WITH_ARREARS = prepared(lambda: with_arrears(
    Customer.objects.filter(pk=Bind("pk", IntegerField())).only("account_number", "name", "address", "is_active"),
    today=Bind("today", DateField())))


def customer_summary_with_arrears_read(*, pk: int, today: date | None = None) -> Read:
    """`customer_with_arrears_read` for the customer's own pages: only the account number, name, address and
    `is_active` are read (another field would be read by a query of its own: don't)."""
    return _one_with_arrears_read(_SUMMARY_WITH_ARREARS, pk=pk, today=today)


def _one_customer(pk: int, found: list) -> Customer:
    if not found:
        raise Customer.DoesNotExist(f"no customer {pk}")
    customer = found[0]
    customer.billed, customer.paid, customer.arrears = _cents(customer.billed), _cents(customer.paid), \
        _cents(customer.arrears)
    customer.has_overdue = bool(customer.has_overdue)
    return customer


def _cents(value) -> Decimal:
    """A sum from SQL as yuan and cents (SQLite hands back a float, PostgreSQL a Decimal)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def customers_on(*, feeders=(), areas=()) -> QuerySet[Customer]:
    """Active customers supplied by any of the given feeders or transformer areas (ids or objects)."""
    condition = Q(pk__in=[])
    if feeders:
        condition |= Q(feeder__in=feeders) | Q(transformer_area__feeder__in=feeders)
    if areas:
        condition |= Q(transformer_area__in=areas)
    return Customer.objects.filter(condition, is_active=True).distinct()
