from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from supply_service.core.access import may_act_on
from supply_service.core.admin import LabelledRowsMixin, LabelledTabularInline, NoDeleteMixin
from supply_service.core.services.privacy import personal_data_viewed
from supply_service.customers.models import (
    Bill,
    Customer,
    Feeder,
    FeeItem,
    Meter,
    MeterReading,
    Payment,
    PaymentMethod,
    Tariff,
    TariffItem,
    TransformerArea,
)

IMPORT_KINDS = [
    ("customers", gettext_lazy("Customers")),
    ("bills", gettext_lazy("Bills")),
    ("payments", gettext_lazy("Payments")),
    ("readings", gettext_lazy("Meter readings")),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=IMPORT_KINDS)
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def clean_file(self):
        from supply_service.customers.imports.files import FileProblem, check_size

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        try:
            check_size(upload)
        except FileProblem as problem:
            raise forms.ValidationError(problem.message) from problem
        return upload


@admin.register(Feeder)
class FeederAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "office"]
    list_filter = ["office"]
    search_fields = ["code", "name"]


@admin.register(TransformerArea)
class TransformerAreaAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "feeder"]
    list_filter = ["feeder__office"]
    list_select_related = ["feeder"]
    search_fields = ["code", "name"]


class MeterInline(LabelledTabularInline):
    model = Meter
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["account_number", "name", "category", "voltage", "importance", "office", "is_active"]
    list_filter = ["office", "category", "voltage", "importance", "preferred_language", "is_disabled",
                   "is_elderly_limited_mobility", "notify_outages"]
    list_select_related = ["office"]
    search_fields = ["=account_number", "name", "phone"]
    raw_id_fields = ["feeder", "transformer_area", "customer_manager"]
    readonly_fields = ["pin_set_at", "created_at"]
    inlines = [MeterInline]
    change_list_template = "admin/customers/customer/change_list.html"

    def has_change_permission(self, request, obj=None):
        """Sensitive changes (contact details, PIN) only at the customer's home office: others see the page read-only."""
        return super().has_change_permission(request, obj) and (obj is None or may_act_on(request.user, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        customer = response.context_data.get("original") if hasattr(response, "context_data") else None
        if request.method == "GET" and response.status_code == 200 and customer is not None:
            personal_data_viewed(user=request.user, subject=customer, label=customer.account_number, where="admin")
        return response

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="customers_import"),
            path("import/<int:job_id>/", self.admin_site.admin_view(self.import_job_view),
                 name="customers_import_job"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a file from the marketing system: it is imported in the background (all or nothing, every bad row
        reported with its line) and the page moves on to the job's progress."""
        if not request.user.has_perm("customers.add_customer"):
            raise PermissionDenied
        from supply_service.customers.imports.jobs import import_job_create
        from supply_service.customers.models_imports import ImportJob

        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = import_job_create(kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                                        by=request.user)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("admin:customers_import_job", job_id=job.pk)
        context = {
            **self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
            "jobs": ImportJob.objects.filter(created_by=request.user).order_by("-created_at")[:10],
            "limits": {"bytes": settings.IMPORT_MAX_BYTES, "rows": settings.IMPORT_MAX_ROWS},
            "title": _("Import from the marketing system"),
        }
        return render(request, "admin/customers/customer/import.html", context)

    def import_job_view(self, request, job_id: int):
        """The progress of one background import (the page refreshes itself while it runs), then its outcome."""
        if not request.user.has_perm("customers.add_customer"):
            raise PermissionDenied
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        from supply_service.customers.models_imports import ImportJob

        job = ImportJob.objects.filter(pk=job_id, created_by=request.user).first()
        if job is None:
            raise Http404
        context = {
            **self.admin_site.each_context(request), "job": job, "opts": self.model._meta,
            "title": _("Import of %(name)s") % {"name": job.filename},
        }
        return render(request, "admin/customers/customer/import_job.html", context)


@admin.register(Meter)
class MeterAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["number", "customer", "kind", "installed_on", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["customer"]
    search_fields = ["=number", "=customer__account_number"]


@admin.register(MeterReading)
class MeterReadingAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["meter", "scheduled_on", "read_on", "value"]
    raw_id_fields = ["meter"]
    date_hierarchy = "scheduled_on"
    search_fields = ["=meter__number"]


@admin.register(PaymentMethod)
class PaymentMethodAdmin(LabelledRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_zh_hans", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]


class TariffItemInline(LabelledTabularInline):
    model = TariffItem
    extra = 1
    can_delete = False


@admin.register(Tariff)
class TariffAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_zh_hans", "category", "effective_from", "is_active"]
    list_filter = ["category", "is_active"]
    inlines = [TariffItemInline]


@admin.register(TariffItem)
class TariffItemAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["tariff", "name_zh_hans", "price", "unit"]


@admin.register(FeeItem)
class FeeItemAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_zh_hans", "amount", "legal_basis", "is_active"]
    list_filter = ["is_active"]


@admin.register(Bill)
class BillAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["customer", "period", "kwh", "amount", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["customer"]
    date_hierarchy = "period"
    search_fields = ["=customer__account_number"]
    list_select_related = ["customer"]


@admin.register(Payment)
class PaymentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["reference", "customer", "paid_at", "amount", "method"]
    list_filter = ["method"]
    raw_id_fields = ["customer"]
    date_hierarchy = "paid_at"
    search_fields = ["=reference", "=customer__account_number"]
    list_select_related = ["customer", "method"]
