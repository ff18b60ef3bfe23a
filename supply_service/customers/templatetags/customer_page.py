"""The staff customer page's own sections written by Python: `{% customer_head_html %}` (the heading, the account
card, arrears, supply and meters) and `{% customer_tail_html %}` (bills with the chart, payments, the kiosk PIN).
The page template keeps its skeleton and the other apps' panels between the two.

Why: the page's template nodes (a hundred and twenty, each resolved on every view) were a quarter of its time, more
than its thirteen queries (issue 12: the customer page within 2× a bare view). Each tag writes exactly what the
template it replaced wrote, in every staff language and every state of the page (masked, disconnected, owing or
not, a PIN form with errors): tests/customers/test_customer_page_tags.py keeps that template as the reference and
compares whole pages. The strings are the same msgids as before (gettext here, `{% translate %}` there)."""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from supply_service.core.html import esc, table_head, translated_words
from supply_service.core.templatetags import once
from supply_service.core.templatetags.account_rows import _day, staff_bill_rows_html, staff_payment_rows_html
from supply_service.core.templatetags.chart_tags import consumption_chart
from supply_service.core.templatetags.language_names import language_name
from supply_service.core.templatetags.partial_tags import pagination_html

register = template.Library()

def _static() -> dict:
    """The fixed markup of the sections in the active language, made once per language and script prefix."""
    return once.remembered(("customer_page", get_script_prefix()), _make_static)


def _make_static() -> dict:
    t = translated_words(("customer_page", get_script_prefix()), _WORDS)
    return {
        **t,
        "search": escape(reverse("customers:search")),
        "bills_head": table_head(t["month"], t["kwh"], t["amount"], t["due_date"], t["status"]),
        "payments_head": table_head(t["paid_at"], t["amount"], t["method"], t["transaction"]),
    }


_WORDS = {
    "find": gettext_noop("Find a customer"),
    "masked": gettext_noop("A customer of another office: name, phone and address are shown masked. You can take a "
                           "request for them; the PIN and the contact details are changed at their home office."),
    "account": gettext_noop("Account"),
    "category": gettext_noop("Category"),
    "important": gettext_noop("Important customer"),
    "phone": gettext_noop("Phone"),
    "address": gettext_noop("Address"),
    "office": gettext_noop("Office"),
    "line": gettext_noop("Supply line and transformer area"),
    "language": gettext_noop("Preferred language"),
    "manager": gettext_noop("Customer manager"),
    "home": gettext_noop("Home service"),
    "disabled": gettext_noop("Disabled customer"),
    "elderly": gettext_noop("Elderly, limited mobility"),
    "arrears": gettext_noop("Arrears"),
    "overdue": gettext_noop("A bill is past its due date."),
    "meters": gettext_noop("Meters"),
    "no_meter": gettext_noop("No meter."),
    "bills": gettext_noop("Bills of the last 24 months"),
    "month": gettext_noop("Month"),
    "kwh": gettext_noop("Energy (kWh)"),
    "amount": gettext_noop("Amount (yuan)"),
    "due_date": gettext_noop("Due date"),
    "status": gettext_noop("Status"),
    "no_bill": gettext_noop("No bill in the last 24 months."),
    "payments": gettext_noop("Payments"),
    "paid_at": gettext_noop("Paid at"),
    "method": gettext_noop("Payment method"),
    "transaction": gettext_noop("Transaction number"),
    "no_payment": gettext_noop("No payment yet."),
    "pin": gettext_noop("Kiosk query PIN"),
    "no_pin": gettext_noop("No PIN yet: the customer cannot see the account at the kiosk."),
    "reset": gettext_noop("Reset the PIN"),
    "set": gettext_noop("Set the PIN"),
}


def _or_dash(value) -> str:
    """`{{ value|default:"—" }}`."""
    return esc(value) if value else "—"


@register.simple_tag(takes_context=True)
def customer_head_html(context) -> SafeString:
    t, customer, shown = _static(), context["customer"], context["shown"]
    masked = f'<p class="msg info" id="masked-note">{t["masked"]}</p>' if shown["masked"] else ""
    phone2 = f', {esc(shown["phone2"])}' if shown["phone2"] else ""
    home = ""
    if customer.needs_home_service:
        home = (f'<dt>{t["home"]}</dt><dd><strong>{t["disabled"] if customer.is_disabled else ""}'
                f'{" " + t["elderly"] if customer.is_elderly_limited_mobility else ""}</strong></dd>')
    arrears = customer.arrears
    billed = gettext('Billed <bdi dir="ltr">¥ %(billed)s</bdi>, paid <bdi dir="ltr">¥ %(paid)s</bdi> in all.') % {
        "billed": floatformat(customer.billed, 2), "paid": floatformat(customer.paid, 2)}
    meters = "".join(
        f'<li><bdi dir="ltr">{esc(m.number)}</bdi> · {esc(m.get_kind_display())} · {_day(m.installed_on)}</li>'
        for m in context["meters"]) or f'<li>{t["no_meter"]}</li>'
    return mark_safe(  # noqa: S308  (every value escaped)
        f'\n<p class="no-print"><a href="{t["search"]}">{t["find"]}</a></p>\n'
        f'<h1><bdi dir="ltr">{esc(customer.account_number)}</bdi> <bdi id="customer-name">{esc(shown["name"])}</bdi>'
        f"</h1>\n{masked}\n"
        '<div class="grid2">\n'
        '<section class="card" aria-labelledby="account-h">\n'
        f'  <h2 id="account-h">{t["account"]}</h2>\n'
        '  <dl class="facts">\n'
        f'    <dt>{t["category"]}</dt><dd>{esc(customer.get_category_display())} · '
        f"{esc(customer.get_voltage_display())}</dd>\n"
        f'    <dt>{t["important"]}</dt><dd>{esc(customer.get_importance_display())}</dd>\n'
        f'    <dt>{t["phone"]}</dt><dd><bdi dir="ltr" id="customer-phone">{esc(shown["phone"])}{phone2}</bdi></dd>\n'
        f'    <dt>{t["address"]}</dt><dd><bdi id="customer-address">{esc(shown["address"])}</bdi></dd>\n'
        f'    <dt>{t["office"]}</dt><dd>{esc(customer.office)}</dd>\n'
        f'    <dt>{t["line"]}</dt><dd>{_or_dash(customer.feeder)} · {_or_dash(customer.transformer_area)}</dd>\n'
        f'    <dt>{t["language"]}</dt><dd>{language_name(customer.preferred_language)}</dd>\n'
        f'    <dt>{t["manager"]}</dt><dd>{_or_dash(customer.customer_manager)}</dd>\n'
        f"    {home}\n"
        "  </dl>\n"
        "</section>\n"
        '<section class="card" aria-labelledby="money-h">\n'
        f'  <h2 id="money-h">{t["arrears"]}</h2>\n'
        f'  <p class="big-number {"owing" if arrears else "clear"}" data-arrears="{floatformat(arrears, "2u")}">'
        f'<bdi dir="ltr">¥ {floatformat(arrears, 2)}</bdi></p>\n'
        f'  {f"""<p class="msg warning">{t["overdue"]}</p>""" if customer.has_overdue else ""}\n'
        f'  <p class="muted">{billed}</p>\n'
        f"  {_supply_html(context, customer)}\n"
        f'  <h3>{t["meters"]}</h3>\n'
        f"  <ul>{meters}</ul>\n"
        "</section>\n"
        "</div>\n\n")


def _supply_html(context, customer) -> str:
    """`{% include "customers/partials/supply.html" %}`: written here when there is nothing to show or do (most
    customers); the template otherwise (a cut supply, its clocks, the forms)."""
    if customer.disconnected_at is None and not (context.get("can_disconnect") and customer.arrears):
        return '<div class="supply-state" id="supply-state" data-disconnected="no">\n\n</div>\n'
    return context.template.engine.get_template("customers/partials/supply.html").render(context)


@register.simple_tag(takes_context=True)
def customer_tail_html(context) -> SafeString:
    t, customer, bills, payments = _static(), context["customer"], context["bills"], context["payments"]
    if bills:
        bills_html = (f'\n  {consumption_chart(context["chart"])}\n'
                      '  <table class="list" id="bills">\n'
                      f'    {t["bills_head"]}\n'
                      f"    <tbody>{staff_bill_rows_html(bills)}</tbody>\n"
                      "  </table>\n  ")
    else:
        bills_html = f'<p class="empty">{t["no_bill"]}</p>'
    if payments.object_list:
        payments_html = ('\n  <table class="list">\n'
                         f'    {t["payments_head"]}\n'
                         f"    <tbody>{staff_payment_rows_html(payments)}</tbody>\n"
                         "  </table>\n"
                         f'  {pagination_html(payments, param="payments")}\n  ')
    else:
        payments_html = f'<p class="empty">{t["no_payment"]}</p>'
    return mark_safe(  # noqa: S308  (every value escaped)
        '\n\n<section aria-labelledby="bills-h">\n'
        f'  <h2 id="bills-h">{t["bills"]}</h2>\n'
        f"  {bills_html}\n"
        "</section>\n\n"
        '<section aria-labelledby="payments-h">\n'
        f'  <h2 id="payments-h">{t["payments"]}</h2>\n'
        f"  {payments_html}\n"
        "</section>\n\n"
        '<section class="card no-print" aria-labelledby="pin-h">\n'
        f'  <h2 id="pin-h">{t["pin"]}</h2>\n'
        f'  <p id="pin-status">{_pin_status(customer, t)}</p>\n'
        f"  {_pin_form(context, customer, t)}\n"
        "</section>\n")


def _pin_status(customer, t) -> str:
    if not customer.has_pin:
        return t["no_pin"]
    at = timezone.localtime(customer.pin_set_at) if customer.pin_set_at else None
    return gettext("A PIN is set (since %(at)s).") % {"at": f"{at:%Y-%m-%d %H:%M}" if at else ""}


def _pin_form(context, customer, t) -> str:
    if not context.get("can_reset_pin"):
        return ""
    form = context["pin_form"]
    errors = form.non_field_errors()
    errors_html = f'<p class="error" role="alert">{esc(" ".join(str(e) for e in errors))}</p>' if errors else ""
    if form.is_bound:
        fields = _render_fields(context)
    else:  # the unbound form's fields, once per language (`{% once %}` in the template it replaced)
        fields = once.remembered(("customer_pin_fields",), lambda: _render_fields(context))
    token = context.get("csrf_token")
    csrf = (f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'
            if token and token != "NOTPROVIDED" else "")
    return (f'\n  <form method="post" action="{esc(reverse("customers:reset_pin", args=[customer.pk]))}" '
            f'class="pin-form" autocomplete="off">{csrf}\n'
            f"    {errors_html}\n"
            f"    {fields}\n"
            f'    <button type="submit" class="primary">{t["reset"] if customer.has_pin else t["set"]}</button>\n'
            "  </form>\n  ")


def _render_fields(context) -> str:
    return context.template.engine.get_template("customers/partials/pin_fields.html").render(context)
