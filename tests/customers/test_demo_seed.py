"""The demo seeding of the customers app: reference content and synthetic customers (supply_service.customers.demo)."""

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from supply_service.core.demo import seed_demo_base
from supply_service.customers import demo, demo_content
from supply_service.customers.models import (
    Bill,
    Customer,
    Feeder,
    FeeItem,
    Meter,
    Payment,
    Tariff,
    TariffItem,
    TransformerArea,
)
from supply_service.customers.selectors import with_arrears
from supply_service.customers.services import bill_statuses_refresh

# A fixed clock: "last month" is February 2026, so 24 months run from March 2024.
NOW = datetime(2026, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
LANGUAGES = ["zh_hans", "en", "ug", "bo"]
CENT = Decimal("0.01")
# Queries of one seeding whatever N is: 5 reads, a savepoint pair per 5 000-customer chunk, and per table one INSERT
# for each 5 000 rows (bills and payments: N × 24 / 5 000). N = 500 needs ~15; a per-customer query would need 500+.
MAX_QUERIES = 25


@pytest.fixture
def demo_base(reference_data):
    seed_demo_base()
    demo.seed_reference_content()


def seed(count: int, months: int = 24) -> dict:
    return demo.seed_customers(count=count, months=months, now=NOW)


def table_counts() -> dict:
    return {model.__name__: model.objects.count() for model in (Customer, Meter, Bill, Payment)}


@pytest.mark.django_db
def test_seeds_customers_each_with_a_meter_and_24_bills_ending_last_month(demo_base):
    counts = seed(30)

    assert counts["customers"] == 30 and counts["bills"] == 30 * 24
    customers = demo.demo_customers()
    assert sorted(customers.values_list("account_number", flat=True)) == [str(3190000000 + k) for k in range(1, 31)]
    assert set(Customer.objects.annotate(n=Count("bills")).values_list("n", flat=True)) == {24}
    assert set(Customer.objects.annotate(n=Count("meters")).values_list("n", flat=True)) == {1}
    periods = sorted(set(Bill.objects.values_list("period", flat=True)))
    assert periods[0] == date(2024, 3, 1) and periods[-1] == date(2026, 2, 1) and len(periods) == 24
    bill = Bill.objects.get(customer__account_number="3190000001", period=date(2026, 2, 1))
    assert bill.due_date == date(2026, 3, 25)
    assert bill.amount == bill.amount.quantize(CENT) and bill.amount > 0 and bill.kwh > 0
    # Demo rows are bulk-created: no history.
    assert Customer.history.count() == Meter.history.count() == Bill.history.count() == Payment.history.count() == 0


@pytest.mark.django_db
def test_the_kth_customer_is_always_the_same(demo_base):
    seed(8)

    def snapshot():
        return (
            list(Customer.objects.order_by("account_number").values_list(
                "account_number", "name", "phone", "address", "voltage", "office__code", "transformer_area__code")),
            list(Bill.objects.order_by("customer__account_number", "period").values_list(
                "customer__account_number", "period", "kwh", "amount", "status")),
            list(Payment.objects.order_by("reference").values_list("reference", "paid_at", "amount", "method__code")),
        )

    first = snapshot()
    Payment.objects.all().delete()
    Bill.objects.all().delete()
    Meter.objects.all().delete()
    Customer.objects.all().delete()
    seed(8)

    assert snapshot() == first


@pytest.mark.django_db
def test_running_again_adds_nothing(demo_base):
    seed(30)
    before = table_counts()

    again = seed(30)
    demo.seed_reference_content()

    assert again["customers"] == again["bills"] == again["payments"] == 0 and again["total"] == 30
    assert table_counts() == before


@pytest.mark.django_db
def test_raising_the_count_adds_exactly_the_missing_customers(demo_base):
    seed(30)
    before = table_counts()

    counts = seed(40)

    assert counts["customers"] == 10 and counts["total"] == 40
    after = table_counts()
    assert after["Customer"] - before["Customer"] == 10
    assert after["Meter"] - before["Meter"] == 10
    assert after["Bill"] - before["Bill"] == 10 * 24
    assert after["Payment"] - before["Payment"] == counts["payments"]
    new = Customer.objects.filter(account_number__gt="3190000030").values_list("account_number", flat=True)
    assert sorted(new) == [str(3190000000 + k) for k in range(31, 41)]


@pytest.mark.django_db
def test_bill_statuses_agree_with_payments(demo_base):
    counts = seed(120)
    assert counts["arrears"] >= 1  # ~5 % carry arrears (deterministic for this seed and clock)

    customers = list(with_arrears(demo.demo_customers(), today=TODAY).order_by("account_number"))
    unpaid = dict(Bill.objects.filter(status=Bill.Status.ISSUED).values("customer").annotate(s=Sum("amount"))
                  .values_list("customer", "s"))
    paid_bills = dict(Bill.objects.filter(status=Bill.Status.PAID).values("customer").annotate(s=Sum("amount"))
                      .values_list("customer", "s"))
    in_arrears = [c for c in customers if c.arrears > 0]
    assert len(in_arrears) >= counts["arrears"]
    for customer in [*customers[:5], *in_arrears[:5]]:
        # Quantized: on SQLite the annotation is a float difference (4.5E-13 for a customer who paid everything).
        assert customer.arrears.quantize(CENT) == unpaid.get(customer.pk, Decimal("0.00"))
        assert customer.paid.quantize(CENT) == paid_bills.get(customer.pk, Decimal("0.00"))
    # Paid bills are the oldest ones: the service that recomputes statuses from payments changes nothing.
    assert bill_statuses_refresh(customer_ids=[c.pk for c in customers]) == 0
    # One payment per paid bill, for its amount.
    assert Payment.objects.count() == Bill.objects.filter(status=Bill.Status.PAID).count()


@pytest.mark.django_db
def test_reference_content_is_there_in_four_languages(demo_base):
    assert Feeder.objects.count() == len(demo_content.FEEDERS) == 6
    assert Counter(Feeder.objects.values_list("office__code", flat=True)) == {"city-centre": 3, "tianshan": 3}
    assert Feeder.objects.get(code="10kV-101").name == "10kV 人民路线"
    assert TransformerArea.objects.get(code="TA-101-03").name == "人民路3号台区"
    assert all(5 <= n <= 10 for n in Feeder.objects.annotate(n=Count("areas")).values_list("n", flat=True))

    tiered = Tariff.objects.get(code="residential-tiered")
    assert [item.price for item in tiered.items.all()] == [Decimal("0.5283"), Decimal("0.5783"), Decimal("0.8283")]
    assert set(Tariff.objects.values_list("category", flat=True)) == {
        "residential", "commercial", "large_industry", "agriculture"}
    assert Tariff.objects.count() == 5 and FeeItem.objects.count() == 5
    for row in Tariff.objects.all():
        assert all(getattr(row, f"{base}_{lang}") for base in ("name", "notes") for lang in LANGUAGES), row.code
        assert row.legal_basis.startswith("《") and "号)" in row.legal_basis
        assert row.items.exists()
    for row in TariffItem.objects.all():
        assert all(getattr(row, f"name_{lang}") for lang in LANGUAGES), row.pk
    for row in FeeItem.objects.all():
        assert all(getattr(row, f"{base}_{lang}") for base in ("name", "standard") for lang in LANGUAGES), row.code
        assert row.legal_basis.startswith("《")
    assert FeeItem.objects.get(code="meter-test-single-phase").amount == Decimal("30.00")
    # Seeding again writes nothing (no new history rows).
    history = [model.history.count() for model in (Feeder, TransformerArea, Tariff, TariffItem, FeeItem)]
    demo.seed_reference_content()
    assert [model.history.count() for model in (Feeder, TransformerArea, Tariff, TariffItem, FeeItem)] == history


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_number_of_customers(demo_base, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert seed(50)["customers"] == 50
    with django_assert_max_num_queries(MAX_QUERIES):
        assert seed(500)["customers"] == 450
    assert Bill.objects.count() == 500 * 24

    # And the 500 look like the customers of a city office.
    customers = demo.demo_customers()
    categories = Counter(customers.values_list("category", flat=True))
    assert 0.85 <= categories["residential"] / 500 <= 0.95
    assert set(customers.filter(category="residential").values_list("voltage", flat=True)) == {"220v"}
    assert "220v" not in set(customers.filter(category="non_residential").values_list("voltage", flat=True))
    assert Counter(customers.values_list("office__code", flat=True)) == {"city-centre": 250, "tianshan": 250}
    # Each customer hangs on its own office's lines; low-voltage customers on a transformer area of their feeder.
    for c in customers.select_related("feeder", "transformer_area"):
        if c.feeder:
            assert c.feeder.office_id == c.office_id
        if c.transformer_area:
            assert c.transformer_area.feeder_id == c.feeder_id
    languages = Counter(customers.values_list("preferred_language", flat=True))
    assert languages.most_common(1)[0][0] == "zh-hans" and {"ug", "bo"} <= set(languages)
    assert customers.filter(name__contains="·").exists()  # Uyghur names as written in Chinese
    assert customers.filter(Q(is_disabled=True) | Q(is_elderly_limited_mobility=True)).exists()
    assert customers.exclude(importance="none").exists() and customers.filter(notify_outages=True).exists()
    assert all(len(p) == 11 and p.startswith("1") for p in customers.values_list("phone", flat=True))
    # Summer and winter bills are higher than spring and autumn ones.
    by_month = dict(Bill.objects.filter(customer__category="residential").values("period__month")
                    .annotate(s=Sum("kwh")).values_list("period__month", "s"))
    assert min(by_month[1], by_month[7]) > max(by_month[4], by_month[10])


@pytest.mark.django_db
def test_seed_demo_command_end_to_end(reference_data):
    out = StringIO()

    call_command("seed_demo", "--customers", "5", stdout=out)

    assert demo.demo_customers().count() == 5
    assert Bill.objects.filter(customer__in=demo.demo_customers()).count() == 5 * 24
    assert Tariff.objects.filter(code="residential-tiered").exists()
    output = out.getvalue()
    assert "Demo customers: 5 (5 new" in output and "supply_service.customers.demo.seed_demo_customers" in output
