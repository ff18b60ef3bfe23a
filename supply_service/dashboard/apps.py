from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "supply_service.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard and publication")

    def ready(self) -> None:
        from supply_service.core.nav import NavLink, register_nav

        register_nav(NavLink(key="dashboard", label=_("Dashboard"), url_name="dashboard:index",
                             permissions=("dashboard.view_dashboard",), order=90))
