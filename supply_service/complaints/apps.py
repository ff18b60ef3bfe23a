from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "supply_service.complaints"
    label = "complaints"
    verbose_name = _("Complaints, reports, suggestions and praise")
