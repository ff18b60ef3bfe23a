from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "supply_service.tickets"
    label = "tickets"
    verbose_name = _("Electronic work tickets")

    def ready(self) -> None:
        """Every ticket kind is a work-item kind of the kernel's registry (work lists, homes, customer page)."""
        from supply_service.core.registry import WorkKind, register_kind
        from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS, State

        def labeller(model):
            return lambda state: model.STATE_LABELS.get(state) or State(state).label

        for key, model in TICKET_KINDS.items():
            register_kind(WorkKind(
                key=key, model=model, url_name="tickets:detail", final_states=tuple(FINAL_STATES),
                assignee_field="crew" if key == "repair" else "", state_label=labeller(model),
                callback_state=State.RESOLVED,
            ))
