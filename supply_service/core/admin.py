from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from supply_service.core.access import OtherOfficeDenied
from supply_service.core.models import (
    CalendarDay,
    Callback,
    Chase,
    Commitment,
    HandOver,
    Office,
    Outbox,
    PersonalDataAccess,
    Policy,
    ServiceLanguage,
    SlaClock,
    SlaPause,
    User,
)
from supply_service.core.services.calendar import calendar_missing_years, deadline_text
from supply_service.core.services.holiday_notice import PERMISSION as HOLIDAY_NOTICE_PERMISSION
from supply_service.core.services.holiday_notice import (
    holiday_notice_apply,
    holiday_notice_preview,
    missing_year_message,
)
from supply_service.core.services.outbox import outbox_retry
from supply_service.core.services.sla import sla_waive


class ReadOnlyAdminMixin:
    """Business records that change only through services: viewable, never added or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Office)
class OfficeAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "region", "opens_at", "closes_at", "signage_language", "is_active"]
    list_filter = ["is_active", "signage_language", "region"]
    search_fields = ["name", "code", "address"]
    filter_horizontal = ["customer_managers"]


@admin.register(ServiceLanguage)
class ServiceLanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(User)
class StaffAdmin(NoDeleteMixin, UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "office", "is_active", "is_staff"]
    list_filter = ["office", "groups", "is_active", "is_staff", "languages_served"]
    list_select_related = ["office"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (gettext_lazy("Office and languages"), {"fields": ["office", "phone", "languages_served"]}),
    ]
    filter_horizontal = [*UserAdmin.filter_horizontal, "languages_served"]


class AddYearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)


class HolidayNoticeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text of the notice"), widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        max_length=20000,
        help_text=gettext_lazy("Paste the whole notice (国务院办公厅关于XXXX年部分节假日安排的通知) from gov.cn."),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False,
        help_text=gettext_lazy("Only needed when the pasted text has no title naming the year."),
    )
    digest = forms.CharField(widget=forms.HiddenInput, required=False)


@admin.register(CalendarDay)
class CalendarDayAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["date", "weekday", "is_working_day", "name", "source"]
    list_filter = ["is_working_day", "source", ("date", admin.DateFieldListFilter)]
    list_editable = ["is_working_day", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]
    change_list_template = "admin/core/calendarday/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return ["date", "source"] if obj else ["source"]

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def get_urls(self):
        return [
            path("add-year/", self.admin_site.admin_view(self.add_year_view), name="core_calendarday_add_year"),
            path("import-notice/", self.admin_site.admin_view(self.import_notice_view),
                 name="core_calendarday_import_notice"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(HOLIDAY_NOTICE_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and not request.GET:
            # The calendar opens at this month (the date hierarchy's links lead to other months and years).
            today = timezone.localdate()
            return redirect(f"{request.path}?date__year={today.year}&date__month={today.month}")
        for year in calendar_missing_years():
            messages.warning(request, missing_year_message(year))
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def add_year_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:core_calendarday_changelist")
        form = AddYearForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            day, rows = date(year, 1, 1), []
            existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
            while day.year == year:
                if day not in existing:
                    rows.append(CalendarDay(date=day, is_working_day=day.weekday() < 5))
                day += timedelta(days=1)
            with transaction.atomic():
                CalendarDay.objects.bulk_create(rows)
            messages.success(
                request,
                _("%(count)s days of %(year)s added, Monday to Friday as working days: mark the holidays and make-up "
                  "days now.") % {"count": len(rows), "year": year},
            )
            return redirect("admin:core_calendarday_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("Add a year to the calendar")}
        return render(request, "admin/core/calendarday/add_year.html", context)

    def import_notice_view(self, request):
        """Paste → preview (the diff) → apply. The service checks the permission; this only hides the page."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = HolidayNoticeForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("Import the State Council's notice")}
        if request.method != "POST" or not form.is_valid():
            return render(request, "admin/core/calendarday/import_notice.html", context)
        text, year = form.cleaned_data["text"], form.cleaned_data["year"]
        try:
            if "apply" in request.POST:
                result = holiday_notice_apply(text=text, year=year, by=request.user,
                                              digest=form.cleaned_data["digest"])
                messages.success(request, notice_applied_message(result))
                return redirect("admin:core_calendarday_changelist")
            diff = holiday_notice_preview(text=text, year=year, by=request.user)
        except ValidationError as exc:
            form.add_error("text" if getattr(exc, "line", None) is not None else None, exc)
            return render(request, "admin/core/calendarday/import_notice.html", context)
        form = HolidayNoticeForm(initial={"text": text, "year": year, "digest": diff.digest})
        context.update(form=form, diff=diff, title=_("Changes the notice makes to the calendar"))
        return render(request, "admin/core/calendarday/import_preview.html", context)


def notice_applied_message(result) -> str:
    return _(
        "The notice for %(year)s is in the calendar: %(days)s day(s) written, %(moved)s running clock(s) moved, "
        "%(breached)s of them now overdue and breached."
    ) % {"year": result.diff.notice.year, "days": len(result.diff.changes), "moved": len(result.recompute.moved),
         "breached": len(result.recompute.breached)}


@admin.register(Commitment)
class CommitmentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "display_title", "limit", "unit", "article", "family", "applies_when", "is_active"]
    list_filter = ["unit", "is_active", "family"]
    search_fields = ["code", "title", "article", "family"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Policy)
class PolicyAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "display_title", "value", "article"]
    search_fields = ["code", "title"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["code", "title", "article"]


class SlaPauseInline(admin.TabularInline):
    model = SlaPause
    extra = 0
    can_delete = False
    readonly_fields = ["started_at", "ended_at", "reason", "paused_by", "resumed_by"]

    def has_add_permission(self, request, obj=None):
        return False


class WaiveForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=2000)


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["subject_label", "commitment", "office", "owner", "state", "started_at", "due", "stopped_at"]
    list_filter = ["state", "commitment", "office"]
    list_select_related = ["commitment", "office", "owner"]
    search_fields = ["subject_label"]
    date_hierarchy = "started_at"
    inlines = [SlaPauseInline]
    actions = ["waive_selected"]
    readonly_fields = ["due", *[f.name for f in SlaClock._meta.fields if f.name not in ("id", "due_at")]]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("due at"), ordering="due_at")
    def due(self, obj):
        """Read like every other page: a day limit ends at 24:00 of its last day."""
        return deadline_text(obj.due_at) or "—"

    @admin.action(description=gettext_lazy("Waive the selected clocks with a reason"),
                  permissions=["waive"])
    def waive_selected(self, request, queryset):
        if "reason" in request.POST:
            form = WaiveForm(request.POST)
            if form.is_valid():
                self._waive(request, queryset, form.cleaned_data["reason"])
                return None
        else:
            form = WaiveForm()
        context = {**self.admin_site.each_context(request), "form": form, "queryset": queryset,
                   "opts": self.model._meta, "title": _("Waive SLA clocks")}
        return render(request, "admin/core/slaclock/waive.html", context)

    def _waive(self, request, queryset, reason: str) -> None:
        """Waive each open clock through the service; a refused one (another office's) is named and left as is."""
        waived = 0
        for clock in queryset.filter(stopped_at__isnull=True).select_related("office"):
            try:
                sla_waive(clock=clock, reason=reason, by=request.user)
            except (PermissionDenied, ValidationError) as exc:
                problem = str(exc) if isinstance(exc, OtherOfficeDenied) else " ".join(getattr(exc, "messages", []))
                messages.error(request, _("%(clock)s: not waived. %(problem)s") % {
                    "clock": clock.subject_label, "problem": problem or _("You may not take this step.")})
            else:
                waived += 1
        messages.success(request, _("%(count)s clock(s) waived.") % {"count": waived})

    def has_waive_permission(self, request):
        return request.user.has_perm("core.waive_slaclock")


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["item_number", "at", "by", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["item_number"]


@admin.register(Chase)
class ChaseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["item_number", "at", "by", "note"]
    search_fields = ["item_number"]


@admin.register(HandOver)
class HandOverAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["item_number", "at", "from_user", "to_user", "reason"]
    search_fields = ["item_number"]


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "state", "attempts", "next_attempt_at",
                    "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["recipient", "idempotency_key", "subject"]
    readonly_fields = [f.name for f in Outbox._meta.fields if f.name not in ("id", "claim_token")]
    exclude = ["claim_token"]
    actions = ["retry_selected"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Retry the selected failed messages"), permissions=["retry"])
    def retry_selected(self, request, queryset):
        retried = 0
        for message in queryset.filter(state=Outbox.State.FAILED):
            outbox_retry(message=message, by=request.user)
            retried += 1
        messages.success(request, _("%(count)s message(s) queued again.") % {"count": retried})

    def has_retry_permission(self, request):
        return request.user.has_perm("core.retry_outbox")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The personal-data access log (PIPL): read by auditors (`core.view_personaldataaccess`), never changed or
    deleted by anyone — superusers included."""

    list_display = ["at", "user", "action", "label", "record_count", "where", "reason"]
    list_filter = ["action", "where", ("at", admin.DateFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["label", "=user__username", "reason"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in PersonalDataAccess._meta.fields if f.name != "id"]
    actions = None

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
