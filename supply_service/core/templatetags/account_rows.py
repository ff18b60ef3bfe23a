"""The bill and payment rows of the staff customer page and the kiosk account page written by one Python call per
table: the same markup as the template loops they replace (tests/core/test_account_rows_tags.py keeps those loops and
compares). Their date filters and includes were a third of those pages' time (issue 12)."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from supply_service.core.html import time_html
from supply_service.core.templatetags.chart_tags import number_writer, value_html

register = template.Library()


def _month(day) -> str:
    """`day|date:"Y-m"` of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def _day(day) -> str:
    """`day|date:"Y-m-d"` of a date."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _statuses(bills) -> dict:
    """`bill.get_status_display()` (escaped) of each status of the table, looked up once per table (a `Bill`, or the
    `customers.selectors.BillRow` the pages read)."""
    found = {}
    for bill in bills:
        if bill.status not in found:
            found[bill.status] = value_html(bill.get_status_display())
    return found


@register.simple_tag
def staff_bill_rows_html(bills) -> SafeString:
    num, statuses = number_writer(), _statuses(bills)
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td><bdi dir="ltr">{_month(bill.period)}</bdi></td><td class="num">{num(bill.kwh)}</td>'
        f'<td class="num">{num(bill.amount)}</td><td><bdi dir="ltr">{_day(bill.due_date)}</bdi></td>'
        f"<td>{statuses[bill.status]}</td></tr>"
        for bill in bills))


@register.simple_tag
def kiosk_bill_rows_html(bills, l_month, l_kwh, l_amount, l_due, l_status) -> SafeString:
    num, statuses = number_writer(), _statuses(bills)
    month, kwh, amount, due, status = (value_html(label) for label in (l_month, l_kwh, l_amount, l_due, l_status))
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr data-period="{_month(bill.period)}"><td data-label="{month}"><bdi dir="ltr">{_month(bill.period)}</bdi>'
        f'</td><td class="num" data-label="{kwh}">{num(bill.kwh)}</td><td class="num" data-label="{amount}">'
        f'{num(bill.amount)}</td><td data-label="{due}"><bdi dir="ltr">{_day(bill.due_date)}</bdi></td>'
        f'<td data-label="{status}"><span class="status status-{value_html(bill.status)}">'
        f"{statuses[bill.status]}</span></td></tr>"
        for bill in bills))


@register.simple_tag
def staff_payment_rows_html(payments) -> SafeString:
    num, tz = number_writer(), timezone.get_current_timezone()
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td>{time_html(payment.paid_at, tz=tz)}</td><td class="num">{num(payment.amount)}</td>'
        f'<td>{value_html(payment.method_name)}</td><td><bdi dir="ltr">{value_html(payment.reference)}</bdi></td></tr>'
        for payment in payments))


@register.simple_tag
def kiosk_payment_rows_html(payments, l_paid, l_amount, l_method) -> SafeString:
    num, tz = number_writer(), timezone.get_current_timezone()
    paid, amount, method = (value_html(label) for label in (l_paid, l_amount, l_method))
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td data-label="{paid}">{time_html(payment.paid_at, tz=tz)}</td><td class="num" data-label="{amount}">'
        f'{num(payment.amount)}</td><td data-label="{method}">{value_html(payment.method_name)}</td></tr>'
        for payment in payments))
