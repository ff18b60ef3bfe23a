"""The tickets app's panels on lower apps' pages (registered in `TicketsConfig.ready`, see `core.panels`):
the customer's work tickets on the customer page, the repair calls linked to an outage on the notice page."""

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from supply_service.core.html import esc, number_linker, panel_section_html, time_html
from supply_service.core.web import paginate
from supply_service.tickets.models import TICKET_KINDS, State
from supply_service.tickets.selectors import repairs_linked_to_outage
from supply_service.tickets.selectors_customer import tickets_for_customer_read

REPAIRS_PAGE_SIZE = 20


def customer_tickets_panel(*, request, customer):
    """The customer's tickets of every kind, open ones first (one statement, sent with the page's others:
    `core.together`)."""
    rows = yield tickets_for_customer_read(customer=customer)
    labels: dict = {}  # each kind's and state's words, translated once per panel
    for row in rows:
        state, kind = ("state", row["state"]), ("kind", row["kind"])
        if state not in labels:
            labels[state] = str(State(row["state"]).label)
        if kind not in labels:
            labels[kind] = str(TICKET_KINDS[row["kind"]]._meta.verbose_name)
        row["state_label"], row["kind_label"] = labels[state], labels[kind]
    return {"rows": rows, "rows_html": customer_ticket_rows_html(rows)}


def customer_ticket_rows_html(rows) -> SafeString:
    """The panel's table rows (tests/core/test_panel_rows.py compares them with the template loop they replace)."""
    link, tz = number_linker("tickets:detail"), timezone.get_current_timezone()
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td>{link(row["number"])}</td>'
        f'<td>{esc(row["kind_label"])}</td><td>{esc(row["state_label"])}</td>'
        f'<td>{time_html(row["created_at"], tz=tz)}</td></tr>'
        for row in rows))


def customer_tickets_html(panel: dict, *, request, customer) -> SafeString:
    """`tickets/partials/customer_panel.html` (its writer: `core.panels`)."""
    user = request.user
    button = ""
    if user.has_perm("tickets.add_repairticket") or user.has_perm("tickets.add_consultation"):
        button = (f'<p class="no-print"><a class="button" id="new-ticket-for-customer" href="{esc(reverse("tickets:new"))}'
                  f'?account={esc(customer.account_number)}">{esc(gettext("New ticket for this customer"))}</a></p>')
    return mark_safe(panel_section_html(  # noqa: S308  (every value escaped)
        "tickets", gettext_noop("Work tickets"), lines=(button,), table_id="customer-tickets",
        labels=(gettext_noop("Number"), gettext_noop("Kind"), gettext_noop("State"), gettext_noop("Received")),
        rows_html=panel["rows_html"] if panel["rows"] else "", empty=gettext_noop("No work ticket.")))


def outage_repairs_panel(*, request, notice) -> dict:
    """Repair calls linked to the outage notice, paginated (`tpage`)."""
    qs = repairs_linked_to_outage(notice_number=notice.number)
    return {"pager": paginate(request, qs, per_page=REPAIRS_PAGE_SIZE, param="tpage", anchor="repairs")}
