"""Admin for the counter's set-up: queue services and windows per office, the counter payment methods (never fewer
offered than the payment_methods_min policy: S10.3.4). Nothing is deleted; every change has history."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from supply_service.core.admin import NoDeleteMixin
from supply_service.core.services.policy import policy_int
from supply_service.counter.models import Service, Tender, Window


@admin.register(Service)
class ServiceAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["office", "letter", "kind", "position", "is_active"]
    list_filter = ["office", "kind", "is_active"]
    list_select_related = ["office"]


@admin.register(Window)
class WindowAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["office", "number", "is_open", "clerk", "green_channel"]
    list_filter = ["office", "is_open", "green_channel"]
    list_select_related = ["office", "clerk"]
    filter_horizontal = ["services"]
    raw_id_fields = ["clerk"]


class TenderForm(forms.ModelForm):
    class Meta:
        model = Tender
        fields = ["code", "name_zh_hans", "name_en", "name_ug", "name_bo", "payment_method", "is_cash", "is_active",
                  "position"]

    def clean_is_active(self):
        active = self.cleaned_data["is_active"]
        was_active = self.instance.pk and Tender.objects.filter(pk=self.instance.pk, is_active=True).exists()
        if was_active and not active:
            offered = Tender.objects.filter(is_active=True).count()
            minimum = policy_int("payment_methods_min")
            if offered - 1 < minimum:
                raise ValidationError(_("At least %(count)s payment methods must stay offered (S10.3.4).") % {
                    "count": minimum})
        return active


@admin.register(Tender)
class TenderAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    form = TenderForm
    list_display = ["code", "name_zh_hans", "payment_method", "is_cash", "is_active", "position"]
    list_select_related = ["payment_method"]
