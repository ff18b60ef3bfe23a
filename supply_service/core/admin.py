from datetime import date, timedelta

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
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
from supply_service.core.models.commitments import with_article_rank
from supply_service.core.registry import exclude_hidden_rows, exclude_hidden_subjects
from supply_service.core.services.calendar import calendar_missing_years, deadline_text
from supply_service.core.services.holiday_notice import PERMISSION as HOLIDAY_NOTICE_PERMISSION
from supply_service.core.services.holiday_notice import (
    holiday_notice_apply,
    holiday_notice_preview,
    missing_year_message,
)
from supply_service.core.services.outbox import outbox_retry
from supply_service.core.services.sla import sla_waive

# The administration is branded as the office's, in the user's language (not "Django administration").
admin.site.site_header = gettext_lazy("Power Supply Business Office administration")
admin.site.site_title = gettext_lazy("Power Supply Business Office")
admin.site.index_title = gettext_lazy("Administration")


class HiddenSubjectsAdminMixin:
    """Rows that name an item hidden from the reader — a complaint about them, a report without the report
    permission — are left out (core.registry: `register_hidden_subjects` for rows with a generic relation,
    `register_hidden_rows` for others): list, search, the record's page and its history (also the history of a
    record the list leaves out: simple-history would fall back to the historical rows) answer as if it did not
    exist."""

    def get_queryset(self, request):
        qs = exclude_hidden_rows(super().get_queryset(request), request.user)
        if any(f.name == "object_id" for f in self.model._meta.fields):
            qs = exclude_hidden_subjects(qs, request.user)
        return qs

    def _visible_or_404(self, request, object_id) -> None:
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError, ValidationError):
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


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


class LabelledRowForm(forms.ModelForm):
    """A table row of inputs (a changelist's editable cells, a tabular inline) whose inputs carry an accessible
    name: the column and the row ("working day, 2026-10-01"; "price, 2" for a new row) — a column header does not
    label an input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = (self.prefix or "").rsplit("-", 1)[-1]
        row = str(self.instance) if self.instance.pk else (str(int(index) + 1) if index.isdigit() else "")
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", f"{field.label}, {row}" if row else str(field.label))


class LabelledRowsMixin:
    """list_editable inputs with labels (axe: every form field has a name)."""

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=LabelledRowForm, **kwargs)


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs have labels (see LabelledRowForm)."""

    form = LabelledRowForm


class ArticleOrderChangeList(ChangeList):
    """Sorting by `article` means the standard's natural order (S10.2.2 before S10.2.10), via `article_rank`."""

    def get_ordering(self, request, queryset):
        ranked = {"article": "article_rank", "-article": "-article_rank"}
        return [ranked.get(field, field) if isinstance(field, str) else field
                for field in super().get_ordering(request, queryset)]


class ArticleOrderMixin:
    def get_queryset(self, request):
        return with_article_rank(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return ArticleOrderChangeList


class CommitmentListFilter(admin.RelatedFieldListFilter):
    """The commitments of a filter in the standard's order, each with its title in the user's language."""

    def field_choices(self, field, request, model_admin):
        rows = sorted(field.related_model.objects.all(), key=lambda commitment: commitment.sort_key)
        return [(row.pk, str(row)) for row in rows]


@admin.register(CalendarDay)
class CalendarDayAdmin(LabelledRowsMixin, NoDeleteMixin, SimpleHistoryAdmin):
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
                ngettext("%(count)s day of %(year)s added, Monday to Friday as working days: mark the holidays and "
                         "make-up days now.",
                         "%(count)s days of %(year)s added, Monday to Friday as working days: mark the holidays and "
                         "make-up days now.", len(rows)) % {"count": len(rows), "year": year},
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
    """One sentence, each count with its own plural ("1 day written, 2 running clocks moved, 1 of them …")."""
    days, moved, breached = len(result.diff.changes), len(result.recompute.moved), len(result.recompute.breached)
    parts = {
        "year": result.diff.notice.year,
        "days": ngettext("%(count)s day written", "%(count)s days written", days) % {"count": days},
        "moved": ngettext("%(count)s running clock moved", "%(count)s running clocks moved", moved) % {"count": moved},
        "breached": ngettext("%(count)s of them now overdue and breached", "%(count)s of them now overdue and breached",
                             breached) % {"count": breached},
    }
    return _("The notice for %(year)s is in the calendar: %(days)s, %(moved)s, %(breached)s.") % parts


@admin.register(Commitment)
class CommitmentAdmin(ArticleOrderMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "title_shown", "limit_shown", "article", "family", "applies_when", "is_active"]
    list_filter = ["unit", "is_active", "family"]
    search_fields = ["code", "title", "article", "family"]

    @admin.display(description=gettext_lazy("title"), ordering="title")
    def title_shown(self, obj):
        return obj.display_title

    @admin.display(description=gettext_lazy("limit"), ordering="limit")
    def limit_shown(self, obj):
        return obj.display_limit

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []


@admin.register(Policy)
class PolicyAdmin(ArticleOrderMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "title_shown", "value", "article"]
    search_fields = ["code", "title"]

    @admin.display(description=gettext_lazy("title"), ordering="title")
    def title_shown(self, obj):
        return obj.display_title

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["code", "title", "article"]


class SlaPauseInline(LabelledTabularInline):
    model = SlaPause
    extra = 0
    can_delete = False
    readonly_fields = ["started_at", "ended_at", "reason", "paused_by", "resumed_by"]

    def has_add_permission(self, request, obj=None):
        return False


class WaiveForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=2000)


@admin.register(SlaClock)
class SlaClockAdmin(HiddenSubjectsAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["subject_label", "commitment", "office", "owner", "state", "started_at", "due", "stopped_at"]
    list_filter = ["state", ("commitment", CommitmentListFilter), "office"]
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
        messages.success(request, ngettext("%(count)s clock waived.", "%(count)s clocks waived.", waived)
                         % {"count": waived})

    def has_waive_permission(self, request):
        return request.user.has_perm("core.waive_slaclock")


@admin.register(Callback)
class CallbackAdmin(HiddenSubjectsAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["item_number", "at", "by", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["item_number"]


@admin.register(Chase)
class ChaseAdmin(HiddenSubjectsAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["item_number", "at", "by", "note"]
    search_fields = ["item_number"]


@admin.register(HandOver)
class HandOverAdmin(HiddenSubjectsAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["item_number", "at", "from_user", "to_user", "reason"]
    search_fields = ["item_number"]


@admin.register(Outbox)
class OutboxAdmin(HiddenSubjectsAdminMixin, ReadOnlyAdminMixin, SimpleHistoryAdmin):
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
        messages.success(request, ngettext("%(count)s message queued again.", "%(count)s messages queued again.",
                                           retried) % {"count": retried})

    def has_retry_permission(self, request):
        return request.user.has_perm("core.retry_outbox")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(HiddenSubjectsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
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


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    """django-axes' list of login attempts, with its status column translated and counted in words."""

    @admin.display(description=gettext_lazy("status"))
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return _("Locked out")
        return ngettext("%(count)s attempt left", "%(count)s attempts left", left) % {"count": left}
