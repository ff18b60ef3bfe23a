from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "supply_service.complaints"
    label = "complaints"
    verbose_name = _("Complaints, reports, suggestions and praise")

    def ready(self) -> None:
        """Complaints are a work-item kind of the kernel (work lists, homes, notifications); a staff menu link; the
        measures of S13.5 (answered in time) and S13.1 (suggestion box)."""
        from supply_service.complaints import measures, panels, selectors
        from supply_service.complaints.models import FINAL_STATES, Complaint, ReporterIdentity, State
        from supply_service.core.measures import Measure, register_measure
        from supply_service.core.models import Outbox
        from supply_service.core.nav import NavLink, register_nav
        from supply_service.core.panels import register_customer_panel, register_panel
        from supply_service.core.registry import (
            WorkKind,
            register_hidden_rows,
            register_hidden_subjects,
            register_kind,
        )

        register_kind(WorkKind(
            key="complaint", model=Complaint, url_name="complaints:detail", final_states=tuple(FINAL_STATES),
            callback_state=State.REPLIED,
            skip_transitions=frozenset({"reopen", "call_back", "reject", "mark_duplicate", "return_draft"}),
            visibility=selectors.complaint_openwork_visibility, view_permissions=frozenset({selectors.VIEW_REPORTS}),
        ))
        # rows elsewhere that name a complaint (clocks, callbacks, chases, the access log) obey the same rule
        register_hidden_subjects(Complaint, selectors.complaint_hidden_q)
        register_hidden_subjects(ReporterIdentity, selectors.identity_hidden_q)
        register_hidden_rows(Outbox, "complaints", selectors.outbox_hidden_q)
        register_customer_panel("complaints", "complaints/partials/customer_panel.html",
                                panels.customer_complaints_panel, order=20, writer=panels.customer_complaints_html)
        # the kiosk's account page: a verified customer's own items (never reports), after their applications
        register_panel("kiosk_account", key="complaints", template="complaints/partials/kiosk_panel.html",
                       context_fn=panels.kiosk_complaints_panel, order=20)
        register_nav(NavLink("complaints", _("Complaints"), "complaints:list",
                             permissions=("complaints.view_complaint",), order=40))
        register_measure(Measure(key="complaints_answered_in_time", requirements=("S13.5",),
                                 label=_("Complaints and reports answered in time"),
                                 compute=measures.answered_in_time, order=60))
        register_measure(Measure(key="suggestion_box_entries", requirements=("S13.1",),
                                 label=_("Suggestion-box entries"), compute=measures.suggestion_box_entries,
                                 order=61))
