from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from supply_service.customers.models import Bill, Customer, PaymentMethod
from supply_service.customers.selectors import (
    bills_last_24_months,
    customer_search,
    customers_on,
    latest_payments,
    mask_name,
    mask_phone,
    meters_of,
    months_back,
    payments_page,
    with_arrears,
)
from tests.factories.customers import (
    BillFactory,
    CustomerFactory,
    FeederFactory,
    MeterFactory,
    PaymentFactory,
    TransformerAreaFactory,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "name, masked",
    [("张三", "张*"), ("张小三", "张*三"), ("欧阳小明", "欧**明"), ("王", "王"), ("艾力·买买提", "艾****提"),
     ("Li", "L*")],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    "phone, masked", [("13812341234", "138****1234"), ("0991-4567890", "099*****7890"), ("95598", "***98")]
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_search_by_account_number_name_and_phone(office):
    zhang = CustomerFactory(account_number="3100000001", name="张小三", phone="13812341234", office=office)
    li = CustomerFactory(account_number="3100000002", name="李四", phone="13900001111", office=office)
    assert list(customer_search(query="3100000001")) == [zhang]
    assert set(customer_search(query="31000000")) == {zhang, li}
    assert list(customer_search(query="小三")) == [zhang]
    assert list(customer_search(query="0000111")) == [li]
    assert not customer_search(query="   ").exists()
    assert not customer_search(query="nobody").exists()


def test_months_back():
    assert months_back(date(2026, 11, 27), 23) == date(2024, 12, 1)
    assert months_back(date(2026, 1, 5), 1) == date(2025, 12, 1)


def test_bills_of_the_last_24_months_only_S10_3_1(office):
    customer = CustomerFactory(office=office)
    for offset in range(30):
        BillFactory(customer=customer, period=months_back(date(2026, 11, 1), offset))
    bills = list(bills_last_24_months(customer=customer, today=date(2026, 11, 27)))
    assert len(bills) == 24
    assert bills[0].period == date(2026, 11, 1) and bills[-1].period == date(2024, 12, 1)
    # This month not billed yet: still 24, reaching one month further back.
    customer.bills.filter(period=date(2026, 11, 1)).delete()
    bills = list(bills_last_24_months(customer=customer, today=date(2026, 11, 27)))
    assert len(bills) == 24 and bills[-1].period == date(2024, 11, 1)


def test_latest_payments_name_their_method_in_the_language_else_in_chinese(office):
    """The kiosk's payment rows (tuples, the method's name chosen in SQL) follow TranslatedField's rule."""
    customer = CustomerFactory(office=office)
    method = PaymentMethod.objects.create(code="test-app", name_zh_hans="掌上电力", name_ug="ئەپ", name_bo="")
    PaymentFactory(customer=customer, method=method, amount=Decimal("10.00"))
    for language, expected in (("zh-hans", "掌上电力"), ("ug", "ئەپ"), ("bo", "掌上电力"), ("en", "掌上电力")):
        with translation.override(language):
            [row] = latest_payments(customer=customer)
            assert row.method_name == expected == method.name, language
            assert row.amount == Decimal("10.00")


def test_the_staff_payments_page_names_the_method_in_the_language_else_in_chinese(office):
    """The customer page's payment rows (tuples, `PaymentPageRow`) carry what the instances did, newest first."""
    customer = CustomerFactory(office=office)
    method = PaymentMethod.objects.create(code="test-counter", name_zh_hans="柜台", name_ug="كاسسا", name_bo="")
    for n in range(3):
        PaymentFactory(customer=customer, method=method, amount=Decimal(f"{n}.50"), reference=f"R-{n}")
    for language, expected in (("zh-hans", "柜台"), ("ug", "كاسسا"), ("bo", "柜台"), ("en", "柜台")):
        with translation.override(language):
            page = payments_page(customer=customer, page="1", per_page=2)
            assert page.paginator.count == 3 and page.paginator.num_pages == 2
            reference = list(customer.payments.order_by("-paid_at", "-pk")[:2])
            assert [(r.paid_at, r.amount, r.reference, r.method_name) for r in page.object_list] == \
                   [(p.paid_at, p.amount, p.reference, p.method.name) for p in reference] and \
                   {r.method_name for r in page.object_list} == {expected}, language


def test_meters_of_lists_every_meter_by_number_with_its_kind_in_words(office):
    customer = CustomerFactory(office=office)
    MeterFactory(customer=customer, number="M2", kind="three_phase", is_active=False)
    MeterFactory(customer=customer, number="M1")
    MeterFactory(number="M0")  # another customer's
    with translation.override("zh-hans"):
        rows = meters_of(customer=customer)
        assert [(m.number, m.kind, m.installed_on, m.get_kind_display()) for m in rows] == \
               [(m.number, m.kind, m.installed_on, m.get_kind_display()) for m in customer.meters.all()]
        assert rows[1].get_kind_display() == str(Customer.meters.rel.related_model.Kind.THREE_PHASE.label)


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_customer_choice_labels_read_what_djangos_display_reads(language):
    """`ChoiceLabels` (the labels from one table per field and language) answers as Django's `get_…_display`."""
    from django.db import models

    customer = Customer(account_number="1", name="x")
    with translation.override(language):
        for field in Customer._meta.fields:
            if not field.choices:
                continue
            for value in [choice for choice, _label in field.flatchoices] + ["not-a-choice", None]:
                setattr(customer, field.attname, value)
                assert getattr(customer, f"get_{field.name}_display")() == \
                       models.Model._get_FIELD_display(customer, field), (field.name, value)


def test_arrears_arithmetic_in_sql(office, django_assert_max_num_queries):
    customer = CustomerFactory(office=office)
    BillFactory(customer=customer, period=date(2026, 8, 1), amount=Decimal("100.10"), due_date=date(2026, 8, 25))
    BillFactory(customer=customer, period=date(2026, 9, 1), amount=Decimal("200.20"), due_date=date(2026, 9, 25))
    BillFactory(customer=customer, period=date(2026, 10, 1), amount=Decimal("50.00"), due_date=date(2026, 10, 25),
                status=Bill.Status.CANCELLED)
    PaymentFactory(customer=customer, amount=Decimal("120.00"))
    overpaid = CustomerFactory(office=office)
    BillFactory(customer=overpaid, amount=Decimal("10.00"))
    PaymentFactory(customer=overpaid, amount=Decimal("15.00"))
    fresh = CustomerFactory(office=office)
    with django_assert_max_num_queries(1):
        rows = {c.pk: c for c in with_arrears(Customer.objects.all(), today=date(2026, 11, 27))}
    assert rows[customer.pk].billed == Decimal("300.30")
    assert rows[customer.pk].paid == Decimal("120.00")
    assert rows[customer.pk].arrears == Decimal("180.30")
    assert rows[customer.pk].has_overdue
    assert rows[overpaid.pk].arrears == Decimal("0.00")  # a credit is not arrears
    assert rows[fresh.pk].arrears == 0 and not rows[fresh.pk].has_overdue


def test_customers_on_feeders_and_areas(office):
    feeder = FeederFactory(office=office)
    area_a = TransformerAreaFactory(feeder=feeder)
    area_b = TransformerAreaFactory(feeder=feeder)
    on_a = CustomerFactory(office=office, transformer_area=area_a, feeder=feeder)
    on_b = CustomerFactory(office=office, transformer_area=area_b, feeder=feeder)
    elsewhere = CustomerFactory(office=office)
    CustomerFactory(office=office, transformer_area=area_a, feeder=feeder, is_active=False)
    assert set(customers_on(areas=[area_a])) == {on_a}
    assert set(customers_on(feeders=[feeder])) == {on_a, on_b}
    assert elsewhere not in customers_on(feeders=[feeder], areas=[area_b])
    assert not customers_on().exists()


def test_fully_paid_customer_has_no_arrears_despite_floating_point_sums(office):
    customer = CustomerFactory(office=office)
    for month, amount in enumerate(["41.74", "38.10", "55.55", "60.07", "12.34"], start=1):
        BillFactory(customer=customer, period=date(2026, month, 1), amount=Decimal(amount))
        PaymentFactory(customer=customer, amount=Decimal(amount))
    row = with_arrears(Customer.objects.filter(pk=customer.pk)).get()
    assert row.arrears == 0


def test_one_customers_sums_equal_with_arrears(office):
    """`customer_get_with_arrears` (written subqueries, issue 12) gives what `with_arrears` gives: sums to the cent,
    cancelled bills out, arrears never negative, overdue only for unpaid bills past due — on both databases."""
    import random

    from supply_service.customers.selectors import customer_get_with_arrears

    rng = random.Random(7)
    today = date(2026, 11, 27)
    customers = [CustomerFactory(office=office) for _ in range(8)]
    for customer in customers:
        for month in range(rng.randint(0, 6)):
            BillFactory(customer=customer, period=date(2026, month + 1, 1),
                        amount=Decimal(rng.randint(1, 99999)) / 100, due_date=date(2026, month + 1, 20),
                        status=rng.choice([Bill.Status.ISSUED, Bill.Status.PAID, Bill.Status.CANCELLED]))
        for _ in range(rng.randint(0, 3)):
            PaymentFactory(customer=customer, amount=Decimal(rng.randint(1, 99999)) / 100)
    reference = {c.pk: c for c in with_arrears(Customer.objects.filter(pk__in=[c.pk for c in customers]), today=today)}
    for customer in customers:
        one = customer_get_with_arrears(pk=customer.pk, today=today)
        expected = reference[customer.pk]
        assert (one.billed, one.paid, one.arrears, one.has_overdue) == (
            expected.billed, expected.paid, expected.arrears, expected.has_overdue), customer.pk
        assert one.billed.as_tuple().exponent == -2 and isinstance(one.has_overdue, bool)
    with pytest.raises(Customer.DoesNotExist):
        customer_get_with_arrears(pk=10**9)
