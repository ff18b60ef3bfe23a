from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KioskConfig(AppConfig):
    """Customer self-service pages (S8.5, S9.5). No models: views, forms, selectors and templates only."""

    name = "supply_service.kiosk"
    label = "kiosk"
    verbose_name = _("Self-service kiosk")
