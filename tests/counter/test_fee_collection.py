"""Fee collection at the window (S10.2.1, S10.3.4): payment against the arrears, bills paid oldest first, change
for cash, receipt numbers from a daily sequence, reversal by a manager with a reason, cash-up totals, the guard
that keeps at least the policy's number of payment methods offered."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from supply_service.counter import selectors, services, services_pay
from supply_service.counter.models import Receipt, Tender
from supply_service.customers.models import Bill, Payment
from supply_service.customers.selectors import customer_get_with_arrears
from tests.counter.conftest import NOW
from tests.factories.core import PASSWORD
from tests.factories.customers import BillFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(office):
    customer = CustomerFactory(office=office, account_number="3100000888")
    BillFactory(customer=customer, period=date(2026, 9, 1), amount=Decimal("100.00"))
    BillFactory(customer=customer, period=date(2026, 10, 1), amount=Decimal("50.00"))
    return customer


@pytest.fixture
def serving(fee, win1, clerk, customer, frozen):
    services.ticket_take(service=fee)
    services.window_open(window=win1, by=clerk)
    ticket = services.ticket_call_next(window=win1, by=clerk)
    return services.ticket_serve(ticket=ticket, by=clerk, customer=customer)


def tender(code):
    return Tender.objects.get(code=code)


def arrears(customer):
    return customer_get_with_arrears(pk=customer.pk).arrears


def test_cash_payment_clears_the_oldest_bill_first_and_gives_change(serving, clerk, customer):
    receipt = services_pay.payment_take(ticket=serving, by=clerk, amount=Decimal("100"), tender=tender("cash"),
                                        tendered=Decimal("120"))
    assert receipt.number == "SK-20261127-0001" and receipt.change == Decimal("20.00")
    assert receipt.arrears_before == Decimal("150.00") and arrears(customer) == Decimal("50.00")
    statuses = dict(Bill.objects.filter(customer=customer).values_list("period__month", "status"))
    assert statuses == {9: "paid", 10: "issued"}
    payment = Payment.objects.get(reference=receipt.number)
    assert payment.method.code == "counter" and payment.amount == Decimal("100.00")


def test_full_payment_by_mobile_pay_leaves_no_arrears(serving, clerk, customer):
    services_pay.payment_take(ticket=serving, by=clerk, amount=Decimal("150"), tender=tender("mobile_pay"))
    assert arrears(customer) == 0 and not Bill.objects.filter(status="issued").exists()
    second = services_pay.payment_take(ticket=serving, by=clerk, amount=Decimal("20"), tender=tender("bank_card"))
    assert second.number == "SK-20261127-0002" and second.change == 0  # a prepaid top-up


@pytest.mark.parametrize(("amount", "tendered"), [(Decimal("0"), None), (Decimal("-5"), None),
                                                   (Decimal("50"), Decimal("40")), (Decimal("50"), None)])
def test_bad_amounts_change_nothing(serving, clerk, amount, tendered):
    with pytest.raises(ValidationError):
        services_pay.payment_take(ticket=serving, by=clerk, amount=amount, tender=tender("cash"), tendered=tendered)
    assert not Payment.objects.exists() and not Receipt.objects.exists()


def test_only_the_clerk_serving_the_customer_takes_the_payment(serving, crew, manager):
    with pytest.raises(PermissionDenied):
        services_pay.payment_take(ticket=serving, by=crew, amount=Decimal("1"), tender=tender("cash"),
                                  tendered=Decimal("1"))
    with pytest.raises(ValidationError):
        services_pay.payment_take(ticket=serving, by=manager, amount=Decimal("1"), tender=tender("bank_card"))


def test_reversal_needs_a_manager_and_a_reason_and_deletes_nothing(serving, clerk, manager, customer, frozen):
    receipt = services_pay.payment_take(ticket=serving, by=clerk, amount=Decimal("150"), tender=tender("bank_card"))
    with pytest.raises(PermissionDenied):
        services_pay.receipt_reverse(receipt=receipt, by=clerk, reason="刷错卡")
    with pytest.raises(ValidationError):
        services_pay.receipt_reverse(receipt=receipt, by=manager, reason="  ")
    services_pay.receipt_reverse(receipt=receipt, by=manager, reason="刷错卡")
    receipt.refresh_from_db()
    assert receipt.reversed_by == manager and arrears(customer) == Decimal("150.00")
    assert Payment.objects.count() == 2 and Bill.objects.filter(status="issued").count() == 2
    with pytest.raises(ValidationError):
        services_pay.receipt_reverse(receipt=receipt, by=manager, reason="再来一次")


def test_cash_up_totals_per_clerk_window_and_method(serving, clerk, manager, office):
    services_pay.payment_take(ticket=serving, by=clerk, amount=Decimal("10"), tender=tender("cash"),
                              tendered=Decimal("10"))
    services_pay.payment_take(ticket=serving, by=clerk, amount=Decimal("20.50"), tender=tender("cash"),
                              tendered=Decimal("50"))
    card = services_pay.payment_take(ticket=serving, by=clerk, amount=Decimal("5"), tender=tender("bank_card"))
    services_pay.receipt_reverse(receipt=card, by=manager, reason="重复")
    start, end = selectors.today_bounds(NOW)
    rows = {(r.clerk, r.window, r.tender): r for r in selectors.cash_up(office=office, start=start, end=end)}
    cash = rows[("clerk", 1, "现金")] if ("clerk", 1, "现金") in rows else rows[("clerk", 1, "Cash")]
    assert cash.count == 2 and cash.total == Decimal("30.50") and cash.reversed_total == 0
    assert sum(r.reversed_total for r in rows.values()) == Decimal("5.00")
    assert selectors.cash_up(office=office, start=end, end=end + timedelta(days=1)) == []


def test_payment_methods_never_below_the_policy_minimum_S10_3_4(manager, clerk, hall):
    extra = Tender.objects.create(code="voucher", name_zh_hans="代金券", payment_method=tender("cash").payment_method)
    with pytest.raises(PermissionDenied):
        services_pay.tender_set_active(tender=extra, by=clerk, active=False)
    services_pay.tender_set_active(tender=extra, by=manager, active=False)
    with pytest.raises(ValidationError):
        services_pay.tender_set_active(tender=tender("cash"), by=manager, active=False)
    assert Tender.objects.filter(is_active=True).count() == 3


def test_pay_at_the_window_then_print_the_receipt(client, serving, clerk, win1, customer):
    assert client.login(username=clerk.username, password=PASSWORD)
    html = client.get(reverse("counter:window", args=[win1.pk])).content.decode()
    assert 'id="pay-form"' in html, html[html.find('cur-h'):][:3000]
    assert 'data-arrears="150.00"' in html
    response = client.post(reverse("counter:pay", args=[win1.pk, serving.pk]),
                           {"amount": "150.00", "tender": tender("cash").pk, "tendered": "200"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-change="50.00"' in page and 'data-arrears-now="0.00"' in page and 'id="print-button"' in page
    assert 'data-action="reverse"' not in page  # a clerk cannot reverse
    bad = client.post(reverse("counter:pay", args=[win1.pk, serving.pk]), {"amount": "abc", "tender": "x"})
    assert bad.status_code == 302 and Receipt.objects.count() == 1
    assert client.get(reverse("counter:cashup")).status_code == 200
