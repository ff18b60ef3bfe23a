"""The kiosk's bilingual headings written by Python: the same markup as `kiosk/partials/heading_text.html` and
`kiosk/partials/section_heading.html` (kept as the reference tests/kiosk/test_kiosk_tags.py compares with). A page has
a dozen of them; as includes they were a sixth of the account page (issue 12). Headings are the same for every
customer, so each is written once per process and language set (`Part` is a frozen value)."""

from html import escape

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from supply_service.core.html import table_head, time_html, translated_words
from supply_service.core.templatetags.once import remembered

register = template.Library()

LIMIT = 2048
_TEXT: dict[tuple, str] = {}


def _text(parts) -> str:
    key = tuple(parts)
    html = _TEXT.get(key)
    if html is None:
        html = "".join(
            ('<span class="h-sep" aria-hidden="true"> · </span>' if i else "")
            + f'<span lang="{escape(part.lang)}" dir="{"rtl" if part.rtl else "ltr"}" '
              f'class="{"h-main" if part.primary else "h-alt"}">{escape(str(part.text))}</span>'
            for i, part in enumerate(parts)) + "\n"
        if len(_TEXT) >= LIMIT:
            _TEXT.clear()
        _TEXT[key] = html
    return html


@register.simple_tag
def heading_text(parts) -> SafeString:
    """`{% include "kiosk/partials/heading_text.html" with parts=parts only %}`."""
    return mark_safe(_text(parts))  # noqa: S308  (escaped above)


@register.simple_tag
def section_heading(id, parts) -> SafeString:  # noqa: A002  (the partial's name for it)
    """`{% include "kiosk/partials/section_heading.html" with id=id parts=parts only %}`."""
    return mark_safe(f'<h2 id="{escape(str(id))}" class="kiosk-h2">{_text(parts)}</h2>\n')  # noqa: S308


def _iso(value) -> str:
    """`value|date:'c'` of an aware datetime."""
    return timezone.localtime(value).isoformat()


def _stage_html(stage, t: dict) -> str:
    if stage.done:
        state, css = f"{t['done']} {time_html(stage.at)}", "done"
    elif stage.current:
        state, css = t["in_progress"], "current"
    else:
        state, css = t["not_yet"], "pending"
    due = ""
    if stage.due_at:
        due = (f'<span class="stage-due" data-due="{_iso(stage.due_at)}">{t["due_by"]} <time datetime="'
               f'{_iso(stage.due_at)}" dir="ltr">{escape(stage.due_label)}</time></span>')
    return (
        "\n"
        f'      <li class="stage {css}" data-done="{1 if stage.done else 0}">\n'
        '        <span class="stage-mark" aria-hidden="true"></span>\n'
        f'        <span class="stage-label">{escape(str(stage.label))}</span>\n'
        f'        <span class="stage-state">{state}</span>\n'
        f"        {due}\n"
        "      </li>\n"
        "      "
    )


@register.simple_tag
def application_html(app) -> SafeString:
    """`{% include "kiosk/partials/application.html" %}` for one application (its stage timeline)."""
    t = translated_words(("kiosk_application",), _APPLICATION_TEXTS)
    finished = ""
    if app.finished_at:
        finished = (f' · <span class="finished-at">{t["cancelled"] if app.cancelled else t["finished"]} '
                    f"{time_html(app.finished_at)}</span>")
    clock = ""
    if app.clock:
        commitment = app.clock.commitment
        paused = f' · <span class="status">{t["paused"]}</span>' if app.paused else ""
        clock = (f'<p class="clock-note">{escape(str(commitment.display_title))}: '
                 f"{escape(str(commitment.display_limit))}{paused}</p>")
    waiting = ""
    if app.paused:
        waiting = (f'<p class="msg warning waiting-for" role="status">{t["waiting"]} <bdi dir="auto">'
                   f"{escape(str(app.waiting_for))}</bdi></p>")
    css, finished_at = (" finished", f' data-finished="{_iso(app.finished_at)}"') if app.finished_at else ("", "")
    return mark_safe(  # noqa: S308  (every value escaped)
        f'<article class="card application{css}" data-number="{escape(app.number)}"{finished_at}>\n'
        f'    <h3><bdi dir="ltr">{escape(app.number)}</bdi> · {escape(str(app.business))} · '
        f"{escape(str(app.applicant_class))}</h3>\n"
        f'    <p>{t["state"]}: <strong>{escape(str(app.state_label))}</strong>{finished}</p>\n'
        f"    {clock}\n"
        f"    {waiting}\n"
        '    <ol class="timeline">\n'
        "      " + "".join(_stage_html(stage, t) for stage in app.stages) + "\n"
        "    </ol>\n"
        "  </article>"
    )


_APPLICATION_TEXTS = {
    "state": gettext_noop("State"), "cancelled": gettext_noop("Cancelled on"), "finished": gettext_noop("Finished on"),
    "paused": gettext_noop("Paused"), "waiting": gettext_noop("Waiting for you:"), "done": gettext_noop("Done"),
    "in_progress": gettext_noop("In progress"), "not_yet": gettext_noop("Not yet"), "due_by": gettext_noop("Due by"),
}


@register.simple_tag
def kiosk_ticket_rows_html(rows, l_number, l_kind, l_state, l_received, l_due) -> SafeString:
    """The account page's other open requests (`TicketRow`s), as the template loop wrote them."""
    number, kind, state, received, due = (escape(str(label)) for label in (l_number, l_kind, l_state, l_received, l_due))
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td data-label="{number}"><bdi dir="ltr">{escape(row.number)}</bdi></td><td data-label="{kind}">'
        f'{escape(str(row.kind_label))}</td><td data-label="{state}">{escape(str(row.state_label))}</td>'
        f'<td data-label="{received}">{time_html(row.created_at)}</td><td data-label="{due}">'
        + (f'<time datetime="{_iso(row.due)}" dir="ltr">{escape(row.due_label)}</time>' if row.due else "—")
        + "</td></tr>"
        for row in rows))


# --- the account page's content ------------------------------------------------------------------------------------
# `{% kiosk_account_html %}` writes what `kiosk/account.html`'s block wrote (tests/kiosk/test_account_page_tag.py
# keeps that template as the reference and compares whole pages): its nodes were a fifth of the page (issue 12).

_ACCOUNT_WORDS = {
    "account_number": gettext_noop("Account number"), "name": gettext_noop("Name"), "address": gettext_noop("Address"),
    "overdue": gettext_noop("A bill is past its due date."), "nothing_owed": gettext_noop("Nothing is owed."),
    "how_to_pay": gettext_noop("How to pay"), "month": gettext_noop("Month"), "kwh": gettext_noop("Energy (kWh)"),
    "amount": gettext_noop("Amount (yuan)"), "due_date": gettext_noop("Due date"), "status": gettext_noop("Status"),
    "no_bill": gettext_noop("No bill in the last 24 months."), "paid_at": gettext_noop("Paid at"),
    "method": gettext_noop("Payment method"), "no_payment": gettext_noop("No payment yet."),
    "no_application": gettext_noop("No application in progress."), "number": gettext_noop("Number"),
    "kind": gettext_noop("Kind"), "state": gettext_noop("State"), "received": gettext_noop("Received"),
    "due": gettext_noop("Due"), "no_outage": gettext_noop("No outage is planned for your address."),
}


def _account_words() -> dict:
    key = (get_script_prefix(), get_urlconf())
    pay_url = remembered(("kiosk_pay_url", *key), lambda: escape(reverse("kiosk:payment_methods")))
    return {**translated_words(("kiosk_account", *key), _ACCOUNT_WORDS), "pay_url": pay_url}


def _table(heading_id: str, table_id: str, labels: tuple, rows_html: str) -> str:
    return (f'  <div class="table-scroll stack" tabindex="0" role="region" aria-labelledby="{heading_id}">'
            f'<table class="list" id="{table_id}">\n'
            f"    {table_head(*labels)}\n"
            f"    <tbody>{rows_html}</tbody>\n"
            "  </table></div>\n")


def _notice_html(notice, tz) -> str:
    """`kiosk/partials/notice.html`."""
    from django.template.defaultfilters import linebreaksbr  # noqa: PLC0415

    text = notice.text
    text_html = f'<p dir="auto">{linebreaksbr(text, autoescape=True)}</p>' if text else ""
    number = escape(notice.number)
    return (f'<article class="card notice notice-{escape(notice.kind)}" id="notice-{number}" data-number="{number}">\n'
            f'  <h3>{escape(notice.get_kind_display())} · <bdi dir="ltr">{number}</bdi></h3>\n'
            f'  <p class="notice-when">{time_html(notice.planned_start, tz=tz)} – '
            f"{time_html(notice.planned_end, tz=tz)}</p>\n"
            f'  <p class="notice-area"><strong><bdi>{escape(notice.area)}</bdi></strong></p>\n'
            f"  {text_html}\n"
            "</article>\n")


@register.simple_tag(takes_context=True)
def kiosk_account_html(context) -> SafeString:
    from django.template.defaultfilters import floatformat  # noqa: PLC0415

    from supply_service.core.templatetags.account_rows import (  # noqa: PLC0415
        kiosk_bill_rows_html,
        kiosk_payment_rows_html,
    )
    from supply_service.core.templatetags.chart_tags import consumption_chart  # noqa: PLC0415

    t, o, h = _account_words(), context["o"], context["h"]
    customer, arrears, tz = o.customer, o.customer.arrears, timezone.get_current_timezone()
    if customer.has_overdue:
        note = f'<p class="msg warning">{t["overdue"]}</p>'
    else:
        note = "" if arrears else f'<p class="muted">{t["nothing_owed"]}</p>'
    pay = ""
    if arrears:
        methods = "".join(f"<li>{escape(method.name)}</li>" for method in o.payment_methods)
        pay = (f'\n  <h3 id="kiosk-pay-h">{_text(h["payment_methods"])}</h3>\n'
               f'  <ul class="chips" id="kiosk-account-methods" aria-labelledby="kiosk-pay-h">{methods}</ul>\n'
               f'  <p><a class="kbtn" href="{t["pay_url"]}" id="kiosk-how-to-pay">{t["how_to_pay"]}</a></p>\n  ')
    if o.bills:
        labels = (t["month"], t["kwh"], t["amount"], t["due_date"], t["status"])
        bills = (f"\n  {consumption_chart(o.chart)}\n  \n"
                 + _table("kiosk-bills-h", "kiosk-bills", labels, kiosk_bill_rows_html(o.bills, *labels)) + "  ")
    else:
        bills = f'<p class="empty">{t["no_bill"]}</p>'
    if o.payments:
        labels = (t["paid_at"], t["amount"], t["method"])
        payments = ("\n  \n" + _table("kiosk-payments-h", "kiosk-payments", labels,
                                      kiosk_payment_rows_html(o.payments, *labels)) + "  ")
    else:
        payments = f'<p class="empty">{t["no_payment"]}</p>'
    applications = "".join(f"\n  {application_html(app)}\n  " for app in o.applications) or (
        f'<p class="empty" id="kiosk-no-application">{t["no_application"]}</p>\n  ')
    others = ""
    if o.other_tickets:
        labels = (t["number"], t["kind"], t["state"], t["received"], t["due"])
        others = (f'\n  {section_heading("kiosk-other-h", h["other_tickets"])}\n  \n'
                  + _table("kiosk-other-h", "kiosk-tickets", labels, kiosk_ticket_rows_html(o.other_tickets, *labels))
                  + "  ")
    panels = "".join(_panel_html(context, panel) for panel in context["panels"])
    outages = "".join(_notice_html(notice, tz) + "\n  " for notice in o.outages) or (
        f'<p class="empty">{t["no_outage"]}</p>')
    return mark_safe(  # noqa: S308  (every value escaped)
        '\n<div class="grid2 account-summary">\n'
        '<section class="card" aria-labelledby="kiosk-account-h" id="account">\n'
        f'  {section_heading("kiosk-account-h", h["account_box"])}\n'
        '  <dl class="facts">\n'
        f'    <dt>{t["account_number"]}</dt><dd><bdi dir="ltr" id="kiosk-account-number">'
        f"{escape(customer.account_number)}</bdi></dd>\n"
        f'    <dt>{t["name"]}</dt><dd><bdi dir="auto" id="kiosk-name">{escape(o.name)}</bdi></dd>\n'
        f'    <dt>{t["address"]}</dt><dd><bdi dir="auto" id="kiosk-address">{escape(o.address)}</bdi></dd>\n'
        "  </dl>\n"
        "</section>\n"
        '<section class="card" aria-labelledby="kiosk-arrears-h" id="arrears">\n'
        f'  {section_heading("kiosk-arrears-h", h["arrears"])}\n'
        f'  <p class="big-number {"owing" if arrears else "clear"}" id="kiosk-arrears" '
        f'data-arrears="{floatformat(arrears, "2u")}"><bdi dir="ltr">¥ {floatformat(arrears, 2)}</bdi></p>\n'
        f"  {note}\n"
        f"  {pay}\n"
        "</section>\n"
        "</div>\n\n\n"
        '<section aria-labelledby="kiosk-bills-h" id="bills">\n'
        f'  {section_heading("kiosk-bills-h", h["bill_list"])}\n'
        f"  {bills}\n"
        "</section>\n\n"
        '<section aria-labelledby="kiosk-payments-h" id="payments">\n'
        f'  {section_heading("kiosk-payments-h", h["payment_list"])}\n'
        f"  {payments}\n"
        "</section>\n\n"
        '<section aria-labelledby="kiosk-progress-h" id="progress">\n'
        f'  {section_heading("kiosk-progress-h", h["progress"])}\n'
        f"  {applications}\n"
        f"  {others}\n"
        "</section>\n\n"
        f"{panels}\n\n"
        '<section aria-labelledby="kiosk-outages-h" id="outages">\n'
        f'  {section_heading("kiosk-outages-h", h["my_outages"])}\n'
        f"  {outages}\n"
        "</section>\n")


def _panel_html(context, panel) -> str:
    """One panel's section: its bilingual heading and `{% include panel.template with panel=panel.context only %}`."""
    heading_id = f"kiosk-{panel['key']}-h"
    body = context.template.engine.get_template(panel["template"]).render(context.new({"panel": panel["context"]}))
    return (f'\n<section aria-labelledby="{escape(heading_id)}" id="{escape(panel["key"])}" class="kiosk-panel">\n'
            f"  {section_heading(heading_id, panel['parts'])}\n"
            f"  {body}\n"
            "</section>")
