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
