from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "supply_service.appointments"
    label = "appointments"
    verbose_name = _("Appointments and home service")

    def ready(self) -> None:
        """Appointments are work items of the kernel (open work, homes, work lists), with a staff menu entry and the
        arrival measure (S10.2.7)."""
        from supply_service.appointments import registrations
        from supply_service.appointments.models import FINAL_STATES, Appointment, State
        from supply_service.core.registry import WorkKind, register_kind

        register_kind(WorkKind(
            key="appointment", model=Appointment, url_name="appointments:detail", final_states=tuple(FINAL_STATES),
            assignee_field="assignee", callback_state=State.DONE,
            skip_transitions=frozenset({"cancel", "reopen", "call_back", "reschedule", "miss"}),
        ))
        registrations.register()
