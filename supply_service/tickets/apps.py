from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "supply_service.tickets"
    label = "tickets"
    verbose_name = _("Electronic work tickets")

    def ready(self) -> None:
        """Every ticket kind is a work-item kind of the kernel's registry (work lists, homes, customer page); the
        tickets' panels on the customer and outage pages; repair calls move on when their outage is restored."""
        from supply_service.core import hooks, panels
        from supply_service.core.registry import WorkKind, register_kind
        from supply_service.tickets import panels as ticket_panels
        from supply_service.tickets.models import FINAL_STATES, TICKET_KINDS, State
        from supply_service.tickets.services import repairs_resolve_by_outage

        def labeller(model):
            return lambda state: model.STATE_LABELS.get(state) or State(state).label

        for key, model in TICKET_KINDS.items():
            register_kind(WorkKind(
                key=key, model=model, url_name="tickets:detail", final_states=tuple(FINAL_STATES),
                assignee_field="crew" if key == "repair" else "", state_label=labeller(model),
                callback_state=State.RESOLVED,
            ))

        panels.register_customer_panel("tickets", "tickets/partials/customer_panel.html",
                                       ticket_panels.customer_tickets_panel, order=10,
                                       writer=ticket_panels.customer_tickets_html)
        panels.register_panel("outage", key="repairs", template="tickets/partials/outage_repairs_panel.html",
                              context_fn=ticket_panels.outage_repairs_panel, order=10)
        hooks.register("outage_restored", repairs_resolve_by_outage)
