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
        from supply_service.core import csrf_mask

        csrf_mask.install()  # a CSRF mask from one read of random bytes, not 32 (issue 12)
        _quiet_fsm_fields_of_migration_states()
        from supply_service.core import admin_guards

        admin_guards.apply()  # no revert from history pages; action selections must be ids
        from django.db.models.signals import post_migrate

        from supply_service.core import dbstats

        post_migrate.connect(dbstats.refresh_after_migrate, sender=self, dispatch_uid="core-planner-statistics")


def _quiet_fsm_fields_of_migration_states() -> None:
    """django-fsm connects a `class_prepared` receiver for every state field it meets — also for each model that a
    migration renders from its historical state (thousands during a `migrate`), and every later model class then
    calls all of them: `migrate` from nothing spent most of its 90 s there. A historical model (module `__fake__`)
    has no transition methods to collect, so its field's receiver is disconnected at once."""
    from django.db.models.signals import class_prepared
    from django_fsm import FSMFieldMixin

    original = FSMFieldMixin.contribute_to_class
    if getattr(original, "quiet_in_migration_states", False):
        return

    def contribute_to_class(self, cls, name, *args, **kwargs):
        original(self, cls, name, *args, **kwargs)
        if cls.__module__ == "__fake__":
            class_prepared.disconnect(self._collect_transitions)

    contribute_to_class.quiet_in_migration_states = True
    FSMFieldMixin.contribute_to_class = contribute_to_class
