from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "supply_service.core"
    label = "core"
    verbose_name = _("Office kernel")

    def ready(self) -> None:
        from supply_service.core import ids, web

        ids.register_lookups()  # an out-of-range id in any query matches nothing instead of crashing SQLite
        ids.register_converter()  # <id:pk> in URLs
        web.register_converters()  # <item_number:number> in URLs
        from supply_service.core.templatetags import fast_tags

        fast_tags.install()  # constant {% translate %}, {% url %}, {% static %} written once (issue 12)
        from supply_service.core import admin_guards

        admin_guards.apply()  # no revert from history pages; action selections must be ids
