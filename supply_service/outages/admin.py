"""Admin for outage notices: lists with filters, history, and the state buttons — which go through the services
(clocks, affected customers, notifications), never straight to the model. Nothing is deleted; notices are created
in the staff editor (/outages/new/); affected customers are read-only."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_fsm.admin import FSMAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from supply_service.core.access import may_act_on
from supply_service.core.admin import NoDeleteMixin, ReadOnlyAdminMixin
from supply_service.core.i18n_fields import column_names
from supply_service.core.ids import IdModelMultipleChoiceField
from supply_service.core.web import REFUSALS, refusal_message
from supply_service.customers.models import Feeder, TransformerArea
from supply_service.outages.models import AffectedCustomer, OutageNotice
from supply_service.outages.services import (
    OutageRuleBroken,
    outage_approve,
    outage_cancel,
    outage_operate,
    outage_publish,
    outage_reschedule,
    outage_update,
)
from supply_service.outages.views.common import EDITABLE_STATES

AUDIT_FIELDS = ["number", "office", "created_by", "created_at", "approved_by", "published_at", "started_at",
                "cause_removed_at", "restored_at", "closed_at", "cancel_reason", "override_reason", "revision"]
OPERATE = ("start", "remove_cause", "restore", "close")


class AdminCancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for cancelling"), max_length=255)


class AdminRescheduleForm(forms.Form):
    start = forms.SplitDateTimeField(label=gettext_lazy("New start"), widget=AdminSplitDateTime)
    end = forms.SplitDateTimeField(label=gettext_lazy("New end"), widget=AdminSplitDateTime)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise ValidationError(_("The outage must end after it starts."))
        return data


class OutageNoticeAdminForm(forms.ModelForm):
    class Meta:
        model = OutageNotice
        fields = ["kind", "planned_start", "planned_end", "feeders", "areas", "reason", "explanation",
                  *column_names("area"), *column_names("text")]

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The outage must end after it starts."))
        return data


@admin.register(OutageNotice)
class OutageNoticeAdmin(NoDeleteMixin, FSMAdminMixin, SimpleHistoryAdmin):
    form = OutageNoticeAdminForm
    fsm_fields = ["state"]
    fsm_forms = {"cancel": AdminCancelForm, "reschedule": AdminRescheduleForm}
    list_display = ["number", "kind", "area_zh_hans", "office", "state", "planned_start", "planned_end", "revision",
                    "published_at"]
    list_filter = ["state", "kind", "office", "planned_start"]
    list_select_related = ["office"]
    search_fields = ["number", "area_zh_hans", "area_en", "area_ug", "area_bo", "reason"]
    date_hierarchy = "planned_start"
    filter_horizontal = ["feeders", "areas"]

    def has_add_permission(self, request):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:  # only the lines and areas of the notice's office
            if "feeders" in form.base_fields:
                form.base_fields["feeders"].queryset = Feeder.objects.filter(office_id=obj.office_id)
            if "areas" in form.base_fields:
                form.base_fields["areas"].queryset = TransformerArea.objects.filter(feeder__office_id=obj.office_id)
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdModelMultipleChoiceField)  # a huge id is a form error, not a 500
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None or obj.state not in EDITABLE_STATES or not may_act_on(request.user, obj):
            # A published notice changes only by its steps (reschedule, cancel …).
            return [*readonly, *(f.name for f in OutageNotice._meta.get_fields()
                                 if f.concrete and f.name not in readonly and f.name != "id")]
        return [*readonly, *(name for name in AUDIT_FIELDS if name not in readonly)]

    def save_model(self, request, obj, form, change):
        """An edit goes through `outage_update` (permission, office and state checked there, under a lock)."""
        if not may_act_on(request.user, obj):
            return  # another office's notice: read only here, its steps are refused by the services
        if obj.state in EDITABLE_STATES and form.has_changed():
            data = dict(form.cleaned_data)
            feeders = list(data.pop("feeders", obj.feeders.all()))
            areas = list(data.pop("areas", obj.areas.all()))
            try:
                outage_update(notice=obj, by=request.user, feeders=feeders, areas=areas, **data)
            except REFUSALS as exc:
                self.message_user(request, refusal_message(exc), level=messages.ERROR)

    def save_related(self, request, form, formsets, change):
        """The lines and areas were saved by `outage_update`; only inline formsets (none today) are left."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None) -> bool:
        """The buttons run the services (clocks, the affected customers, notifications), not the bare transition."""
        kwargs = kwargs or {}
        notice = OutageNotice.objects.get(pk=obj.pk)
        user = request.user
        try:
            if transition_name == "approve":
                outage_approve(notice=notice, by=user)
            elif transition_name in ("publish", "publish_emergency"):
                outage_publish(notice=notice, by=user)
            elif transition_name in OPERATE:
                outage_operate(notice=notice, action=transition_name, by=user)
            elif transition_name == "reschedule":
                outage_reschedule(notice=notice, by=user, start=kwargs["start"], end=kwargs["end"])
            elif transition_name == "cancel":
                outage_cancel(notice=notice, by=user, reason=kwargs["reason"])
            else:
                raise TransitionNotAllowed(_("This step is not possible in the notice's present state."))
        except OutageRuleBroken as broken:
            self.message_user(request, _("%(message)s Publish it on the notice page, where a manager can give the "
                                         "reason for an override.") % {"message": " ".join(broken.messages)},
                              level=messages.ERROR)
            return False
        except (ConcurrentTransition, TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
            self.message_user(request, refusal_message(exc), level=messages.ERROR)
            return False
        label = self.get_fsm_label(self._get_fsm_transition_by_name(obj=notice, transition_name=transition_name))
        self.message_user(request, _("Done: %(step)s.") % {"step": label}, level=messages.SUCCESS)
        return True


@admin.register(AffectedCustomer)
class AffectedCustomerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["notice", "customer"]
    list_select_related = ["notice", "customer"]
    list_filter = ["notice__kind", "notice__state", "notice__office"]
    search_fields = ["notice__number", "customer__account_number"]
    readonly_fields = ["notice", "customer"]

    def has_change_permission(self, request, obj=None):
        return False
