"""What the appointments app adds to the kernel's registries besides its work kind: the staff menu entry and the
arrival measure (S10.2.7)."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


def register() -> None:
    from supply_service.appointments import measures, selectors
    from supply_service.core import hooks
    from supply_service.core.measures import Measure, register_measure
    from supply_service.core.nav import NavLink, register_nav

    register_nav(NavLink("appointments", _("Appointments"), "appointments:plan",
                         permissions=("appointments.view_appointment",), order=45))
    register_measure(Measure(key="appointment_arrival_in_window", requirements=("S10.2.7",),
                             label=_("Appointment visits reached within the agreed window"),
                             compute=measures.arrival_within_window, order=55))

    def code_check(*, code, office, **_kwargs):
        return selectors.appointment_code_valid_today(code=code, office=office)

    code_check.__qualname__ = "appointment_code_check"
    hooks.register("appointment_code_check", code_check)

    from supply_service.core import panels

    panels.register_customer_panel("appointments", "appointments/partials/customer_panel.html", customer_panel,
                                   order=20, writer=customer_panel_html)
    from supply_service.appointments.ticket_link import step_check, ticket_panel

    hooks.register("ticket_step_check", step_check)

    panels.register_ticket_panel("appointments", "appointments/partials/ticket_panel.html", ticket_panel, order=20)


def customer_panel(*, request, customer):
    """The customer's latest appointments on the staff customer page (one query, sent with the page's others:
    `core.together`), and home-service eligibility."""
    from supply_service.appointments.selectors import appointment_rows_read
    from supply_service.appointments.services import home_service_eligible

    if not request.user.has_perm("appointments.view_appointment"):
        return None
    rows = yield appointment_rows_read(customer_id=customer.pk)
    return {"rows": rows, "rows_html": customer_appointment_rows_html(rows), "eligible": home_service_eligible(customer)}


def customer_panel_html(panel: dict, *, request, customer) -> SafeString:
    """`appointments/partials/customer_panel.html` (its writer: `core.panels`)."""
    from django.urls import reverse
    from django.utils.translation import gettext, gettext_noop

    from supply_service.core.html import esc, panel_section_html

    button = ""
    if request.user.has_perm("appointments.add_appointment"):
        button = (f'<p class="no-print"><a class="button" id="book-for-customer" '
                  f'href="{esc(reverse("appointments:book"))}?account_number={esc(customer.account_number)}">'
                  f'{esc(gettext("Book an appointment"))}</a></p>')
    eligible = (f'<p class="ap-home" id="customer-home-service">'
                f'{esc(gettext("Home service: home visit, priority place, no fee"))}</p>') if panel["eligible"] else ""
    return mark_safe(panel_section_html(  # noqa: S308  (every value escaped)
        "appointments", gettext_noop("Appointments"), lines=(button, eligible), table_id="customer-appointments",
        labels=(gettext_noop("Number"), gettext_noop("Kind"), gettext_noop("Time"), gettext_noop("State")),
        rows_html=panel["rows_html"] if panel["rows"] else "", empty=gettext_noop("No appointment.")))


def customer_appointment_rows_html(rows) -> SafeString:
    """The panel's table rows (tests/core/test_panel_rows.py compares them with the template loop they replace)."""
    from supply_service.appointments.models import Appointment
    from supply_service.core.html import choice_label, esc, minute_text, number_linker

    state, link = Appointment._meta.get_field("state"), number_linker("appointments:detail")
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        f'<tr><td>{link(a.number)}</td>'
        f'<td>{esc(a.kind_label())}</td><td><bdi dir="ltr">{minute_text(a.starts_at)}</bdi></td>'
        f'<td>{esc(choice_label(state, a.state))}</td></tr>'
        for a in rows))
