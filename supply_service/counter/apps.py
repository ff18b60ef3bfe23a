from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterConfig(AppConfig):
    name = "supply_service.counter"
    label = "counter"
    verbose_name = _("The counter: queue, board and fee collection")

    def ready(self) -> None:
        """The staff menu's link to the windows; the rating follow-up as a work-item kind; the counter's measures
        (S10.2.1, S10.3.4) for audits and the dashboard."""
        from supply_service.core.nav import NavLink, register_nav
        from supply_service.core.registry import WorkKind, register_kind
        from supply_service.counter.models import RatingFollowUp
        from supply_service.counter.selectors import followup_visibility

        # The follow-up case of a "not satisfied" rating: kernel work (homes, work lists, open work), hidden from
        # the clerk who was rated.
        register_kind(WorkKind(key="counter_followup", model=RatingFollowUp, url_name="counter:followup",
                               final_states=tuple(RatingFollowUp.FINAL_STATES),
                               callback_state=RatingFollowUp.State.OPEN, visibility=followup_visibility,
                               view_permissions=frozenset()))
        register_nav(NavLink(key="counter", label=_("Queue"), url_name="counter:windows",
                             permissions=("counter.call_queueticket",), order=30))
        try:
            from supply_service.counter import measures
        except ImportError:  # pragma: no cover - measures land in a later step
            return
        measures.register()
