from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterConfig(AppConfig):
    name = "supply_service.counter"
    label = "counter"
    verbose_name = _("The counter: queue, board and fee collection")
