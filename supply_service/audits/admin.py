"""Admin: the checklists (weights and critical flags are a manager's to tune), audits and corrective actions to read
(their steps go through the staff pages and the services), and the engagement records managers keep."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from supply_service.audits.models import (
    Audit,
    ChecklistItem,
    ChecklistTemplate,
    CorrectiveAction,
    DutyShift,
    EngagementRecord,
    MajorIncident,
    ServiceSupervisor,
    SurveyResult,
)
from supply_service.core.access import office_may_act
from supply_service.core.admin import NoDeleteMixin, ReadOnlyAdminMixin


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "kind", "standard_version", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyHistoryAdmin):
    list_display = ["requirement", "key", "template", "answer_type", "weight", "critical"]
    list_filter = ["template", "answer_type", "critical"]
    search_fields = ["requirement", "key", "question_zh_hans", "question_en"]


@admin.register(Audit)
class AuditAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "kind", "office", "planned_for", "auditor", "state", "score", "passed"]
    list_filter = ["state", "kind", "office"]
    search_fields = ["number"]
    list_select_related = ["office", "auditor"]


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["number", "requirement", "office", "owner", "state", "created_at"]
    list_filter = ["state", "office"]
    search_fields = ["number"]
    list_select_related = ["office", "owner"]


class OfficeRecordAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Records of an office: a manager adds and changes those of their own office (the kernel's office rule)."""

    recorder_field = ""

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or office_may_act(request.user, obj.office_id))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            from supply_service.core.access import acts_for_every_office
            from supply_service.core.models import Office

            if not acts_for_every_office(request.user):
                kwargs["queryset"] = Office.objects.filter(pk=request.user.office_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        return [self.recorder_field] if self.recorder_field else []

    def save_model(self, request, obj, form, change):
        if self.recorder_field and not change:
            setattr(obj, self.recorder_field, request.user)
        super().save_model(request, obj, form, change)


@admin.register(EngagementRecord)
class EngagementRecordAdmin(OfficeRecordAdmin):
    list_display = ["held_on", "kind", "title", "office", "participant_count"]
    list_filter = ["kind", "office"]
    search_fields = ["title", "participants", "minutes"]
    recorder_field = "recorded_by"


@admin.register(ServiceSupervisor)
class ServiceSupervisorAdmin(OfficeRecordAdmin):
    list_display = ["name", "organisation", "office", "appointed_on", "is_active"]
    list_filter = ["is_active", "office"]


@admin.register(SurveyResult)
class SurveyResultAdmin(OfficeRecordAdmin):
    list_display = ["period", "surveyor", "office", "respondents", "satisfaction"]
    list_filter = ["year", "office"]
    recorder_field = "imported_by"


@admin.register(MajorIncident)
class MajorIncidentAdmin(OfficeRecordAdmin):
    list_display = ["occurred_on", "office", "is_major", "description"]
    list_filter = ["is_major", "office"]
    recorder_field = "recorded_by"


@admin.register(DutyShift)
class DutyShiftAdmin(OfficeRecordAdmin):
    list_display = ["staff", "office", "starts_at", "ends_at"]
    list_filter = ["office"]
    list_select_related = ["staff", "office"]
    autocomplete_fields: list = []
