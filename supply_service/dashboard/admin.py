from django.contrib import admin

from supply_service.core.admin import ReadOnlyAdminMixin
from supply_service.dashboard.models import PublishedMonth


@admin.register(PublishedMonth)
class PublishedMonthAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Published months are read here; they are published (and revised) from the dashboard only."""

    list_display = ["month", "revision", "published_at", "published_by", "reason"]
    list_filter = ["month"]
    list_select_related = ["published_by"]
    readonly_fields = [f.name for f in PublishedMonth._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False
