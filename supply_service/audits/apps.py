from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "supply_service.audits"
    label = "audits"
    verbose_name = _("Window-standard audits")
