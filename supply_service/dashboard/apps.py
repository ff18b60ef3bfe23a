from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "supply_service.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard and publication")
