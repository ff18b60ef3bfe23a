"""What the appointments app adds to the kernel's registries besides its work kind: the staff menu entry and the
arrival measure (S10.2.7)."""

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
                                   order=20)
    from supply_service.appointments.ticket_link import step_check, ticket_panel

    hooks.register("ticket_step_check", step_check)

    panels.register_ticket_panel("appointments", "appointments/partials/ticket_panel.html", ticket_panel, order=20)


def customer_panel(*, request, customer) -> dict | None:
    """The customer's latest appointments on the staff customer page (one query), and home-service eligibility."""
    from supply_service.appointments.selectors import appointments_for_customer
    from supply_service.appointments.services import home_service_eligible

    if not request.user.has_perm("appointments.view_appointment"):
        return None
    return {"rows": appointments_for_customer(customer_id=customer.pk), "eligible": home_service_eligible(customer)}
