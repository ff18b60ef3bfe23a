"""The tickets in the admin: every kind with its state machine (steps taken through the services, so that the SLA
clocks follow), filters, search, history and a CSV export; counter transactions and 95598 calls read-only.

Nothing is added or deleted here: tickets are made at the workbench (numbers, first responder, clocks) and closed or
cancelled, never deleted.
"""

import csv
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_fsm.admin import FSMAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from supply_service.core.access import OtherOfficeDenied, may_act_on
from supply_service.core.admin import NoDeleteMixin, ReadOnlyAdminMixin
from supply_service.core.ids import IdModelChoiceField
from supply_service.core.models import Office, SlaClock
from supply_service.core.services.privacy import REASON_MAX, may_export_personal_data, personal_data_export
from supply_service.customers.models import Customer
from supply_service.tickets.models import (
    BillQuery,
    BusinessExpansion,
    CallRecord,
    Consultation,
    CounterTransaction,
    MeterFaultTicket,
    RepairTicket,
)
from supply_service.tickets.services import repair_link_outage, ticket_cancel, ticket_transition

logger = logging.getLogger(__name__)

# --- CSV export (one generic helper for every admin) ------------------------------------------------------------

EXPORT_CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportColumn:
    """One column: an ORM path (`office__name`) or an annotation, with its header and, for codes, their labels."""

    path: str
    label: Any = None
    choices: Sequence[tuple[Any, Any]] | None = None


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def _model_field(model: type[models.Model], path: str) -> models.Field | None:
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:  # an annotation: no model field
            return None
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field


def _header(model: type[models.Model], column: ExportColumn) -> str:
    if column.label is not None:
        return str(column.label)
    first = model._meta.get_field(column.path.split("__", 1)[0])  # office__name is headed "Office"
    return capfirst(str(first.verbose_name))


def _formatter(model: type[models.Model], column: ExportColumn) -> Callable[[Any], str]:
    field = _model_field(model, column.path)
    choices = column.choices if column.choices is not None else (field.flatchoices if field is not None else None)
    labels = {value: str(label) for value, label in choices} if choices else {}
    yes, no = _("yes"), _("no")

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if labels and value in labels:
            return labels[value]
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(value) else str(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, bool):
            return yes if value else no
        text = str(value)
        # A cell Excel would read as a formula (=HYPERLINK…) is written as text.
        return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text

    return cell


def csv_rows(queryset: QuerySet, columns: Sequence[ExportColumn]) -> Iterator[str]:
    """The CSV lines (UTF-8 BOM first, so that Excel reads Chinese) of `queryset`, read in ONE query, streamed."""
    model = queryset.model
    headers = [_header(model, column) for column in columns]  # labels resolved now, in the user's language
    formatters = [_formatter(model, column) for column in columns]
    writer = csv.writer(_Echo())

    def generate() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(headers)
        values = queryset.values_list(*[column.path for column in columns])
        for row in values.iterator(chunk_size=EXPORT_CHUNK):
            yield writer.writerow([fmt(value) for fmt, value in zip(formatters, row, strict=True)])

    return generate()


def csv_export_response(queryset: QuerySet, columns: Sequence[ExportColumn], *, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(queryset, columns), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def export_columns_for(model: type[models.Model], *, extra: Iterable[ExportColumn] = ()) -> list[ExportColumn]:
    """Every concrete field of the model; a user by username, an office by name, a customer by account number."""
    user_model = get_user_model()
    shown_as = {user_model: "username", Office: "name", Customer: "account_number"}
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            attribute = shown_as.get(field.related_model, "pk")
            columns.append(ExportColumn(f"{field.name}__{attribute}"))
        else:
            columns.append(ExportColumn(field.name))
    return [*columns, *extra]


class ExportReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why is this personal data exported?"), max_length=REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))


@admin.action(description=gettext_lazy("Export the selected rows as CSV (opens in Excel)"), permissions=["export"])
def export_csv(modeladmin, request, queryset):
    """The rows hold customers' names, phones and account numbers (personal data, PIPL): the export needs
    `core.export_personal_data` and a reason, and is logged (`PersonalDataAccess`) before the file is sent."""
    form = ExportReasonForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        try:
            personal_data_export(user=request.user, model=queryset.model, count=queryset.count(),
                                 reason=form.cleaned_data["reason"], where="admin")
        except PermissionDenied:
            modeladmin.message_user(request, _("You may not export personal data."), level=messages.ERROR)
            return None
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            return csv_export_response(queryset, modeladmin.get_export_columns(),
                                       name=modeladmin.model._meta.model_name)
    context = {**modeladmin.admin_site.each_context(request), "form": form, "opts": modeladmin.model._meta,
               "count": queryset.count(), "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
               "select_across": request.POST.get("select_across", "0"),
               "title": _("Export personal data")}
    return render(request, "admin/export_reason.html", context)


class ExportMixin:
    actions = [export_csv]
    export_extra: Sequence[ExportColumn] = ()

    def get_export_columns(self) -> list[ExportColumn]:
        return export_columns_for(self.model, extra=self.export_extra)

    def has_export_permission(self, request) -> bool:
        return may_export_personal_data(request.user)


# --- clock state of a counter transaction or a call (one clock each) --------------------------------------------


def with_clock_state(queryset: QuerySet) -> QuerySet:
    clocks = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model), object_id=OuterRef("pk")
    ).order_by("-started_at")
    return queryset.annotate(clock_state=Subquery(clocks.values("state")[:1]))


CLOCK_COLUMN = ExportColumn("clock_state", gettext_lazy("Time limit"), SlaClock.State.choices)


class ClockStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("time limit")
    parameter_name = "clock"

    def lookups(self, request, model_admin):
        return [(SlaClock.State.MET, _("Met")), (SlaClock.State.BREACHED, _("Breached")),
                (SlaClock.State.RUNNING, _("Running"))]

    def queryset(self, request, queryset):
        if self.value() in {SlaClock.State.MET, SlaClock.State.BREACHED, SlaClock.State.RUNNING}:
            return queryset.filter(clock_state=self.value())
        return queryset


# --- the steps of a ticket in the admin ---------------------------------------------------------------------------


def _users_who_may(codename: str) -> QuerySet:
    return get_user_model().objects.filter(
        Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename), is_active=True,
    ).distinct().order_by("username")


class CrewForm(forms.Form):
    crew = IdModelChoiceField(label=RepairTicket._meta.get_field("crew").verbose_name,
                                  queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crew"].queryset = _users_who_may("arrive_repairticket")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=255)


class CauseForm(forms.Form):
    cause = forms.CharField(label=RepairTicket._meta.get_field("cause").verbose_name, max_length=255)


class TextForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea, max_length=4000)


class MeterForm(forms.Form):
    meter_number = forms.CharField(label=BusinessExpansion._meta.get_field("meter_number").verbose_name,
                                   max_length=30, required=False)


# The data a step needs, by the `form` its transition declares (custom={"form": …}); the time is now.
TRANSITION_FORMS: dict[str, type[forms.Form]] = {
    "crew": CrewForm, "reason": ReasonForm, "cause": CauseForm, "text": TextForm, "meter": MeterForm,
}
TICKET_FIELDS = ["number", "state", "channel", "office", "first_responder", "owner", "created_at", "updated_at",
                 "resolved_at", "closed_at", "no_callback_reason"]
CUSTOMER_FIELDS = ["customer", "customer_name", "customer_phone", "account_number"]
LOOP_FIELDS = ["cancel_reason", "cancelled_at", "reopened", "called_back_at"]
EDITABLE = ["customer", "customer_name", "customer_phone", "account_number", "request"]


class TicketAdmin(ExportMixin, NoDeleteMixin, FSMAdminMixin, SimpleHistoryAdmin):
    """Shared by every kind. Steps run through `ticket_transition` / `ticket_cancel` (permissions, clocks,
    history reason); descriptive fields may be corrected here, everything a step records is read-only."""

    fsm_fields = ["state"]
    list_display = ["number", "display_state", "channel", "office", "customer_name", "account_number",
                    "customer_phone", "owner", "created_at"]
    list_filter = ["state", "channel", "office", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["^number", "=account_number", "customer_phone"]
    list_select_related = ["office", "owner"]
    date_hierarchy = "created_at"
    raw_id_fields = ["customer"]
    kind_editable: Sequence[str] = ()

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.fsm_forms = {
            t.name: TRANSITION_FORMS.get(t.custom.get("form", ""))
            for t in model._meta.get_field("state").get_all_transitions(model)
        }

    def has_add_permission(self, request):
        return False

    def revert_disabled(self, request, obj=None):
        return True  # the history is the audit trail: nothing is reverted

    @admin.display(description=gettext_lazy("state"), ordering="state")
    def display_state(self, obj):
        return obj.state_label

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not may_act_on(request.user, obj):  # another office's ticket: read only
            return tuple(f.name for f in self.model._meta.fields if not f.primary_key)
        editable = {*EDITABLE, *self.kind_editable}
        names = ["number", "updated_at"] + [f.name for f in self.model._meta.fields
                                            if f.name not in editable and not f.primary_key]
        return tuple(dict.fromkeys(names))

    def get_fieldsets(self, request, obj=None):
        known = {*TICKET_FIELDS, *CUSTOMER_FIELDS, *LOOP_FIELDS, "request", "id"}
        kind = [f.name for f in self.model._meta.fields if f.name not in known]
        return [
            (None, {"fields": TICKET_FIELDS}),
            (_("Customer"), {"fields": CUSTOMER_FIELDS}),
            (_("Request"), {"fields": ["request", *kind]}),
            (_("Callback, cancelling, reopening"), {"fields": LOOP_FIELDS}),
        ]

    @staticmethod
    def get_fsm_block_label(fsm_field_name: str) -> str:
        return _("Steps")

    def save_model(self, request, obj, form, change):
        if change and not may_act_on(request.user, obj):
            return  # nothing of another office's ticket is saved here (its steps are refused by the services)
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        name = request.POST.get(self.fsm_post_param)
        if name and name not in self.fsm_forms:  # not a step of this kind: a message, not an error page
            self.message_user(request, _("That is not a step of this ticket."), level=messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        if transition_name not in self.fsm_forms:
            raise Http404
        return super().fsm_transition_view(request, object_id, transition_name, **kwargs)

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None) -> bool:
        """Take the step through the ticket services (permission, clocks, history reason) instead of on the model."""
        data = dict(kwargs or {})
        label = transition_name
        try:
            label = str(self.get_fsm_label(self._get_fsm_transition_by_name(obj=obj, transition_name=transition_name)))
            if transition_name == "cancel":
                ticket_cancel(ticket=obj, by=request.user, reason=data.get("reason", ""))
            else:
                ticket_transition(ticket=obj, action=transition_name, by=request.user, **data)
        except OtherOfficeDenied as exc:
            problem = str(exc)
        except PermissionDenied:
            problem = _("you may not take this step")
        except ConcurrentTransition:
            problem = _("someone else changed the ticket meanwhile; look at it again")
        except TransitionNotAllowed:
            problem = _("not possible in the ticket's present state")
        except ValidationError as exc:
            problem = "; ".join(exc.messages)
        except (AttributeError, TypeError, ValueError):
            logger.warning("Admin step %s on %s failed", transition_name, obj, exc_info=True)
            problem = _("that is not a step of this ticket")
        else:
            self.message_user(request, _("%(step)s: done.") % {"step": label}, level=messages.SUCCESS)
            return True
        self.message_user(request, _("%(step)s: %(problem)s.") % {"step": label, "problem": problem},
                          level=messages.ERROR)
        return False


@admin.register(RepairTicket)
class RepairTicketAdmin(TicketAdmin):
    list_display = [*TicketAdmin.list_display, "crew"]
    list_select_related = ["office", "owner", "crew"]
    search_fields = [*TicketAdmin.search_fields, "fault_address"]
    kind_editable = ["fault_address", "outage_ref"]

    def save_model(self, request, obj, form, change):
        """Linking a call to a known outage here is the same step as on the staff pages (the arrival clock stops)."""
        linked = change and "outage_ref" in form.changed_data and obj.outage_ref and obj.is_open
        if linked:
            number = obj.outage_ref
            obj.outage_ref = form.initial.get("outage_ref", "")
        super().save_model(request, obj, form, change)
        if linked:
            repair_link_outage(ticket=obj, notice_number=number, by=request.user)


@admin.register(BusinessExpansion)
class BusinessExpansionAdmin(TicketAdmin):
    list_display = [*TicketAdmin.list_display, "applicant_class"]
    list_filter = [*TicketAdmin.list_filter, "applicant_class", "business_type"]
    search_fields = [*TicketAdmin.search_fields, "site_address"]
    kind_editable = ["capacity_kva", "site_address"]


@admin.register(MeterFaultTicket)
class MeterFaultTicketAdmin(TicketAdmin):
    search_fields = [*TicketAdmin.search_fields, "=meter_number"]
    kind_editable = ["meter_number"]


@admin.register(BillQuery)
class BillQueryAdmin(TicketAdmin):
    kind_editable = ["bill_period"]


@admin.register(Consultation)
class ConsultationAdmin(TicketAdmin):
    list_filter = [*TicketAdmin.list_filter, "topic"]
    kind_editable = ["topic"]


# --- counter transactions and calls: read-only lists -------------------------------------------------------------


class ClockListMixin(ExportMixin, ReadOnlyAdminMixin):
    export_extra = (CLOCK_COLUMN,)

    def get_queryset(self, request):
        return with_clock_state(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    @admin.display(description=gettext_lazy("time limit"), ordering="clock_state")
    def clock(self, obj):
        return dict(SlaClock.State.choices).get(obj.clock_state, "—")


@admin.register(CounterTransaction)
class CounterTransactionAdmin(ClockListMixin, SimpleHistoryAdmin):
    list_display = ["number", "kind", "office", "clerk", "customer", "started_at", "finished_at", "clock"]
    list_filter = ["kind", ClockStateFilter, "office", ("started_at", admin.DateFieldListFilter)]
    search_fields = ["^number", "=customer__account_number", "=clerk__username"]
    list_select_related = ["office", "clerk", "customer"]
    date_hierarchy = "started_at"


@admin.register(CallRecord)
class CallRecordAdmin(ClockListMixin, SimpleHistoryAdmin):
    list_display = ["number", "external_id", "rang_at", "ring_seconds", "clock", "caller_phone", "agent", "customer",
                    "office", "ticket_number"]
    list_filter = [ClockStateFilter, "office", ("rang_at", admin.DateFieldListFilter)]
    search_fields = ["^number", "=external_id", "caller_phone", "=customer__account_number", "=agent__username",
                     "=ticket_number"]
    list_select_related = ["office", "agent", "customer"]
    date_hierarchy = "rang_at"
