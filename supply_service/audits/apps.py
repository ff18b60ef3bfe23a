from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "supply_service.audits"
    label = "audits"
    verbose_name = _("Window-standard audits")

    def ready(self) -> None:
        """Corrective actions are kernel work items (open work, homes, work lists); the measures of the data below
        (core, customers, outages, this app's records); the staff navigation; the requirement map's "audited"
        column (from checklist.toml, never from the database)."""
        from supply_service.audits.checklist import checklist_requirements
        from supply_service.audits.measures import measured_requirements, register_measures
        from supply_service.audits.models import CorrectiveAction
        from supply_service.core.nav import NavLink, register_nav
        from supply_service.core.registry import WorkKind, register_kind
        from supply_service.core.requirements import register_requirement_source

        register_kind(WorkKind(key="corrective_action", model=CorrectiveAction, url_name="audits:action_detail",
                               final_states=tuple(CorrectiveAction.FINAL_STATES), skip_transitions=frozenset({"cancel"})))
        register_measures()
        register_nav(NavLink(key="audits", label=_("Audits"), url_name="audits:list",
                             permissions=("audits.view_audit",), order=80))
        register_requirement_source("audited", checklist_requirements)
        register_requirement_source("measured", measured_requirements)
