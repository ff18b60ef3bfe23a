"""Forms of the appointment pages (staff, kiosk, public). A slot travels as "YYYY-MM-DDTHH:MM" (local time)."""

from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supply_service.appointments.models import AppointmentKind, Party
from supply_service.core.models import Callback, User

SLOT_FORMAT = "%Y-%m-%dT%H:%M"


def parse_slot(value: str) -> datetime | None:
    try:
        naive = datetime.strptime((value or "").strip(), SLOT_FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive, timezone.get_current_timezone())


class SlotField(forms.Field):
    default_error_messages = {"invalid": _("Choose one of the free times.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or len(value) > 16:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        parsed = parse_slot(value)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def kind_field(**kwargs) -> KindChoiceField:
    return KindChoiceField(queryset=AppointmentKind.objects.filter(is_active=True), label=_("Kind of appointment"),
                           empty_label=None, **kwargs)


class SearchForm(forms.Form):
    """Kind and day whose free times are shown (GET)."""

    kind = kind_field()
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    account_number = forms.CharField(label=_("Account number"), max_length=20, required=False)

    def clean_day(self) -> date:
        return self.cleaned_data["day"]


class BookForm(forms.Form):
    """Staff booking for a customer."""

    kind = kind_field(widget=forms.HiddenInput)
    slot = SlotField()
    account_number = forms.CharField(label=_("Account number"), max_length=20, required=False,
                                     widget=forms.HiddenInput)
    name = forms.CharField(label=_("Customer name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Customer phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address of the visit"), max_length=255, required=False)
    home = forms.BooleanField(label=_("Home service (disabled or elderly customer)"), required=False)
    channel = forms.ChoiceField(label=_("Asked by"), choices=[("phone", _("Phone (95598)")), ("counter", _("Counter")),
                                                              ("mail", _("Mail")), ("fax", _("Fax"))])
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    ticket_number = forms.CharField(label=_("Work ticket"), max_length=24, required=False)


class WaitForm(forms.Form):
    kind = kind_field(widget=forms.HiddenInput)
    day = forms.DateField(widget=forms.HiddenInput)
    account_number = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Customer name"), max_length=120, required=False)
    phone = forms.CharField(label=_("Customer phone"), max_length=40, required=False)


class RescheduleForm(forms.Form):
    slot = SlotField(label=_("New time"))
    reason = forms.CharField(label=_("Reason for the change"), max_length=255)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)
    party = forms.ChoiceField(label=_("Who cancels"), choices=Party.choices)


class MissForm(forms.Form):
    missed_by = forms.ChoiceField(label=_("Who missed it"), choices=Party.choices)
    reason = forms.CharField(label=_("What happened"), max_length=255)


class CallbackForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Callback.Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class NoCallbackForm(forms.Form):
    reason = forms.CharField(label=_("Reason there is no callback"), max_length=255)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PlanForm(forms.Form):
    """The plan's days, and whose: the office's, mine, or one person's of my office (who goes where, when)."""

    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.TypedChoiceField(label=_("Show"), coerce=int, required=False, empty_value=1,
                                  choices=[(1, _("One day")), (7, _("One week"))])
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args, office_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonChoiceField(
            queryset=User.objects.filter(office_id=office_id, is_active=True).order_by("username"), required=False,
            label=_("Person"), empty_label="—")

    def valid_data(self) -> dict:
        if self.is_valid():
            data = self.cleaned_data
            return {"day": data["day"] or timezone.localdate(), "days": data["days"] or 1, "mine": data["mine"],
                    "person": data["person"]}
        return {"day": timezone.localdate(), "days": 1, "mine": False, "person": None}


# --- customer side (kiosk and public page) ----------------------------------------------------------------------

class CustomerBookForm(forms.Form):
    kind = kind_field(widget=forms.HiddenInput)
    slot = SlotField()
    address = forms.CharField(label=_("Address of the visit"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)


class PhoneCodeForm(forms.Form):
    """Public page, step 1: an account number (the code goes to its phone), or phone + name (new applicant)."""

    account_number = forms.CharField(label=_("Account number"), max_length=20, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    name = forms.CharField(label=_("Name"), max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("account_number") and not (data.get("phone") and data.get("name")):
            raise forms.ValidationError(_("Give your account number, or your phone number and name."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the SMS"), max_length=8)


class ManageForm(forms.Form):
    number = forms.CharField(label=_("Appointment number"), max_length=24)
    code = forms.CharField(label=_("Code from the message"), max_length=12)
    action = forms.ChoiceField(choices=[("show", "show"), ("cancel", "cancel"), ("reschedule", "reschedule")],
                               required=False)
    slot = SlotField(label=_("New time"), required=False)


class HoldConfirmForm(forms.Form):
    """The customer confirms the place held for them from the waiting list: the phone and the code of the SMS."""

    phone = forms.CharField(label=_("Phone number"), max_length=40)
    code = forms.CharField(label=_("Code from the message"), max_length=12)
