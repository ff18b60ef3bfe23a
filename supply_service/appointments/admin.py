"""Admin for appointments: managers keep the kinds, slot templates, exceptions and the duty rota here; appointments
and the waiting list are read-only (they change only through the services: staff pages, kiosk, public page)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from supply_service.appointments.models import (
    Appointment,
    AppointmentKind,
    DutyShift,
    SlotException,
    SlotTemplate,
    WaitingEntry,
)
from supply_service.core.admin import NoDeleteMixin, ReadOnlyAdminMixin


@admin.register(AppointmentKind)
class AppointmentKindAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["kind_name", "code", "place", "duration_minutes", "serving_role", "home_service", "is_active"]
    list_filter = ["place", "is_active"]
    readonly_fields = ["code"]

    @admin.display(description=_("name"), ordering="name")
    def kind_name(self, obj: AppointmentKind) -> str:
        return obj.display_name

    def has_add_permission(self, request):
        return False  # the six kinds of S9.4 come from the data migration


@admin.register(SlotTemplate)
class SlotTemplateAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["office", "weekday", "kind", "days", "starts_at", "ends_at", "capacity", "priority_reserve"]
    list_filter = ["office", "weekday", "kind", "days"]


@admin.register(SlotException)
class SlotExceptionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["date", "office", "kind", "capacity", "reason"]
    list_filter = ["office", "kind"]
    date_hierarchy = "date"


@admin.register(DutyShift)
class DutyShiftAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["date", "office", "person", "starts_at", "ends_at"]
    list_filter = ["office", "date"]
    filter_horizontal = ["kinds"]
    date_hierarchy = "date"


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "starts_at", "kind", "office", "state", "place", "assignee", "home_service"]
    list_filter = ["state", "kind", "office", "home_service", "place"]
    search_fields = ["number", "customer_name", "customer_phone", "account_number"]
    date_hierarchy = "starts_at"
    list_select_related = ["kind", "office", "assignee"]
    exclude = ["access_code"]


@admin.register(WaitingEntry)
class WaitingEntryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "kind", "office", "name", "state", "created_at"]
    list_filter = ["state", "office", "kind"]
    list_select_related = ["kind", "office"]
