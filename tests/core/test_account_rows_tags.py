"""The account rows tags write exactly what the template loops they replaced write (issue 12): the loops are kept
here, verbatim, as the reference."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

from supply_service.customers.models import Bill
from supply_service.customers.selectors import BillRow

STAFF_BILLS = '{% for bill in bills %}<tr><td><bdi dir="ltr">{{ bill.period|date:"Y-m" }}</bdi></td><td class="num">{{ bill.kwh }}</td><td class="num">{{ bill.amount }}</td><td><bdi dir="ltr">{{ bill.due_date|date:"Y-m-d" }}</bdi></td><td>{{ bill.get_status_display }}</td></tr>{% endfor %}'  # noqa: E501
STAFF_PAYMENTS = '{% for payment in payments %}<tr><td>{% include "partials/time.html" with value=payment.paid_at only %}</td><td class="num">{{ payment.amount }}</td><td>{{ payment.method }}</td><td><bdi dir="ltr">{{ payment.reference }}</bdi></td></tr>{% endfor %}'  # noqa: E501
KIOSK_BILLS = '{% for bill in o.bills %}<tr data-period="{{ bill.period|date:\'Y-m\' }}"><td data-label="{{ l_month }}"><bdi dir="ltr">{{ bill.period|date:"Y-m" }}</bdi></td><td class="num" data-label="{{ l_kwh }}">{{ bill.kwh }}</td><td class="num" data-label="{{ l_amount }}">{{ bill.amount }}</td><td data-label="{{ l_due }}"><bdi dir="ltr">{{ bill.due_date|date:"Y-m-d" }}</bdi></td><td data-label="{{ l_status }}"><span class="status status-{{ bill.status }}">{{ bill.get_status_display }}</span></td></tr>{% endfor %}'  # noqa: E501
KIOSK_PAYMENTS = '{% for payment in o.payments %}<tr><td data-label="{{ l_paid }}">{% include "partials/time.html" with value=payment.paid_at only %}</td><td class="num" data-label="{{ l_amount }}">{{ payment.amount }}</td><td data-label="{{ l_method }}">{{ payment.method.name }}</td></tr>{% endfor %}'  # noqa: E501
LABELS = ('{% translate "Month" as l_month %}{% translate "Energy (kWh)" as l_kwh %}'
          '{% translate "Amount (yuan)" as l_amount %}{% translate "Due date" as l_due %}'
          '{% translate "Status" as l_status %}{% translate "Paid at" as l_paid %}'
          '{% translate "Payment method" as l_method %}')


def _render(source: str, **context) -> str:
    return engines["django"].from_string("{% load i18n account_rows %}" + LABELS + source).render(context)


def _bills():
    statuses = [value for value, _label in Bill._meta.get_field("status").choices]
    return [Bill(period=date(2025 + m // 12, m % 12 + 1, 1), kwh=Decimal(f"{1234 + 17 * m}.{m:02d}"),
                 amount=Decimal(f"{m * 1000}.5") if m else Decimal("0"), due_date=date(2026, 1, m + 1),
                 status=statuses[m % len(statuses)]) for m in range(24)]


class _Method:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


class _Payment:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def _payments():
    sh = ZoneInfo("Asia/Shanghai")
    methods = [_Method("WeChat <Pay>"), _Method("Bank & counter")]
    return [_Payment(paid_at=datetime(2026, 11, m + 1, 23, 59, tzinfo=sh), amount=Decimal(f"{m}.25"),
                     reference=f"R-{m}&x", method=methods[m % 2], method_name=methods[m % 2].name)
            for m in range(12)]


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_bill_rows_tags_match_the_loops(language):
    bills = _bills()
    with translation.override(language):
        # the pages read bills as tuples (BillRow): the tags write from them what the loops wrote from the models
        for given in (bills, [BillRow(b.period, b.kwh, b.amount, b.due_date, b.status) for b in bills]):
            assert _render("{% staff_bill_rows_html bills %}", bills=given) == _render(STAFF_BILLS, bills=bills)
            assert (_render("{% kiosk_bill_rows_html o.bills l_month l_kwh l_amount l_due l_status %}",
                            o={"bills": given}) == _render(KIOSK_BILLS, o={"bills": bills}))


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug", "bo"])
def test_payment_rows_tags_match_the_loops(language):
    payments = _payments()
    with translation.override(language):
        assert (_render("{% staff_payment_rows_html payments %}", payments=payments)
                == _render(STAFF_PAYMENTS, payments=payments))
        assert (_render("{% kiosk_payment_rows_html o.payments l_paid l_amount l_method %}", o={"payments": payments})
                == _render(KIOSK_PAYMENTS, o={"payments": payments}))
