"""Admin for the counter's set-up: queue services and windows per office, the counter payment methods (never fewer
offered than the payment_methods_min policy: S10.3.4), the clerk cards of the rating pad (photo re-encoded by
`core.images`). Queue numbers, receipts and ratings are read-only here: they change only through the services.
Nothing is deleted; every change has history."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from supply_service.core.access import acts_for_every_office
from supply_service.core.admin import NoDeleteMixin, ReadOnlyAdminMixin
from supply_service.core.images import image_clean
from supply_service.core.services.policy import policy_int
from supply_service.counter.models import ClerkCard, QueueTicket, Rating, Receipt, Service, Tender, Window


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


class _ReadOnly(ReadOnlyAdminMixin):
    """Viewable only: no add, change or delete (the services are the only writers)."""

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QueueTicket)
class QueueTicketAdmin(_ReadOnly, SimpleHistoryAdmin):
    list_display = ["number", "day", "office", "service", "priority", "state", "window", "clerk", "taken_at"]
    list_filter = ["office", "state", "priority"]
    list_select_related = ["office", "service", "window", "clerk"]
    search_fields = ["number"]
    date_hierarchy = "taken_at"
    exclude = ["phone"]


@admin.register(Receipt)
class ReceiptAdmin(_ReadOnly, SimpleHistoryAdmin):
    list_display = ["number", "office", "window", "clerk", "tender", "amount", "issued_at", "reversed_at"]
    list_filter = ["office", "tender"]
    list_select_related = ["office", "window", "clerk", "tender"]
    search_fields = ["number"]
    date_hierarchy = "issued_at"
    raw_id_fields = ["customer", "payment", "reversal_payment", "ticket"]


@admin.register(Rating)
class RatingAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["ticket", "office", "window", "clerk", "service", "score", "reason", "rated_at"]
    list_filter = ["office", "score", "reason"]
    list_select_related = ["ticket", "office", "window", "clerk", "service"]
    date_hierarchy = "rated_at"


class ClerkCardForm(forms.ModelForm):
    """The staff number and, optionally, a new photo: only real images, re-encoded as a small JPEG (no metadata)."""

    photo_upload = forms.FileField(label=_("Photo"), required=False,
                                   help_text=_("JPEG, PNG or WebP; stored re-encoded, without metadata."))

    class Meta:
        model = ClerkCard
        fields = ["user", "staff_number"]

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if not upload:
            return None
        return image_clean(upload, max_kb=policy_int("clerk_photo_max_kb"),
                           max_megapixels=policy_int("clerk_photo_max_megapixels"),
                           max_side=policy_int("clerk_photo_max_side"))


@admin.register(ClerkCard)
class ClerkCardAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Managers keep the cards of their office's staff (those who act for every office: every card)."""

    form = ClerkCardForm
    list_display = ["staff_number", "user", "photo_updated_at"]
    list_select_related = ["user"]
    search_fields = ["staff_number", "user__username"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).defer("photo")
        return qs if acts_for_every_office(request.user) else qs.filter(user__office_id=request.user.office_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            users = get_user_model().objects.filter(is_active=True)
            if not acts_for_every_office(request.user):
                users = users.filter(office_id=request.user.office_id)
            kwargs["queryset"] = users.order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        clean = form.cleaned_data.get("photo_upload")
        if clean is not None:
            obj.photo, obj.photo_updated_at = clean.data, timezone.now()
        obj._change_reason = "counter.clerk_card"
        super().save_model(request, obj, form, change)
