from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutagesConfig(AppConfig):
    name = "supply_service.outages"
    label = "outages"
    verbose_name = _("Outage notices")

    def ready(self) -> None:
        """The customer page's outage panel (customers sit below outages: they learn of it through the kernel)."""
        from supply_service.core.panels import register_customer_panel
        from supply_service.outages.panels import customer_outages_html, customer_outages_panel

        register_customer_panel("outages", "outages/partials/customer_panel.html", customer_outages_panel, order=20,
                                writer=customer_outages_html)
