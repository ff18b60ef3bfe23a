from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "supply_service.quality"
    label = "quality"
    verbose_name = _("Supply quality")

    def ready(self) -> None:
        """Measures for the audit and the dashboard (S6.1, S6.4, S5.3), the staff menu link and the outage hook."""
        from supply_service.core import hooks
        from supply_service.core.measures import register_measure
        from supply_service.core.nav import NavLink, register_nav
        from supply_service.quality.measures import MEASURES
        from supply_service.quality.services_reliability import outage_months_refresh

        hooks.register("outage_changed", outage_months_refresh)  # the stored reliability sums, same transaction
        for measure in MEASURES:
            register_measure(measure)
        register_nav(NavLink(key="quality", label=_("Supply quality"), url_name="quality:figures",
                             permissions=("quality.view_voltagemonth",), order=70))
