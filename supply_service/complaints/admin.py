"""The admin shows complaints read-only: every change goes through the services (the staff pages), so that the
permission, office, visibility and clock rules hold everywhere. No identity field is shown here, and the sealed
`ReporterIdentity` is not registered at all; reports need `complaints.view_report_complaint`; an item never shows
to the staff member it concerns."""

from django.contrib import admin

from supply_service.complaints.models import Complaint, CorrectiveAction, IdentityRequest
from supply_service.complaints.selectors import complaint_visible_q
from supply_service.core.admin import ReadOnlyAdminMixin

HIDDEN = {"id", "tracking_secret", "customer_name", "customer_phone"}


class _Visible:
    path = ""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        q = complaint_visible_q(user=request.user)
        return qs.filter(q) if not self.path else qs.filter(**{f"{self.path}__in": Complaint.objects.filter(q)})

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(_Visible, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "kind", "category", "state", "channel", "office", "owner", "created_at", "replied_at"]
    list_filter = ["kind", "state", "channel", "category", "office"]
    list_select_related = ["office", "owner"]
    search_fields = ["number"]
    date_hierarchy = "created_at"
    fields = [f.name for f in Complaint._meta.fields if f.name not in HIDDEN]
    readonly_fields = fields


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(_Visible, ReadOnlyAdminMixin, admin.ModelAdmin):
    path = "complaint"
    list_display = ["complaint", "description", "owner", "due_date", "done_at"]
    list_select_related = ["complaint", "owner"]
    readonly_fields = [f.name for f in CorrectiveAction._meta.fields if f.name != "id"]


@admin.register(IdentityRequest)
class IdentityRequestAdmin(_Visible, ReadOnlyAdminMixin, admin.ModelAdmin):
    path = "complaint"
    list_display = ["complaint", "requested_by", "requested_at", "state", "decided_by", "decided_at"]
    list_select_related = ["complaint", "requested_by", "decided_by"]
    readonly_fields = [f.name for f in IdentityRequest._meta.fields if f.name != "id"]
