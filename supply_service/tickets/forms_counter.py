"""Forms of the counter desk (S10.2.1) and the 95598 desk (S10.2.6)."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from supply_service.customers.models import Customer, account_number_validator, phone_validator
from supply_service.tickets.models import TICKET_KINDS, BusinessExpansion, CounterTransaction, RepairTicket

# A sanity bound for a ring time (an hour); the commitment itself (12 s) comes from the Commitment table.
MAX_RING_SECONDS = 3600
FUTURE_TOLERANCE = timedelta(minutes=1)  # clocks of PCs and the telephone system differ a little
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]


def customer_by_account_number(value: str) -> Customer | None:
    """The customer of an optional account number field: None when empty; a form error when unknown."""
    value = (value or "").strip()
    if not value:
        return None
    account_number_validator(value)
    customer = Customer.objects.filter(account_number=value).first()
    if customer is None:
        raise ValidationError(_("No customer has the account number %(number)s."), params={"number": value})
    return customer


def _account_number_field() -> forms.CharField:
    return forms.CharField(
        label=_("Account number (optional)"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}),
    )


class CounterStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Business"), choices=CounterTransaction.Kind.choices, widget=forms.RadioSelect)
    account_number = _account_number_field()

    def __init__(self, *args, limits: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if limits:
            # "Residential fee collection (5 minutes)": the limit as the Commitment table has it.
            self.fields["kind"].choices = [
                (value, f"{label} ({limits[value]})" if value in limits else label)
                for value, label in CounterTransaction.Kind.choices
            ]

    def clean_account_number(self):
        self.cleaned_data["customer"] = customer_by_account_number(self.cleaned_data["account_number"])
        return self.cleaned_data["account_number"].strip()


class CounterFinishForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=255)


class CallRecordForm(forms.Form):
    rang_at = forms.DateTimeField(
        label=_("Call came in at"), input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"),
    )
    ring_seconds = forms.IntegerField(
        label=_("Ring time (seconds)"), min_value=0, max_value=MAX_RING_SECONDS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    caller_phone = forms.CharField(
        label=_("Caller's phone"), required=False, max_length=20, validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "dir": "ltr"}),
    )
    account_number = _account_number_field()
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=255)

    def clean_rang_at(self):
        value = self.cleaned_data["rang_at"]
        if value > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(_("The call cannot have come in the future."))
        return value

    def clean_account_number(self):
        self.cleaned_data["customer"] = customer_by_account_number(self.cleaned_data["account_number"])
        return self.cleaned_data["account_number"].strip()


def _field_label(model, name: str):
    return capfirst(model._meta.get_field(name).verbose_name)


def _blank_first(choices) -> list:
    return [("", "—"), *choices]


# The fields each kind needs besides the request, in the order the form shows them.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    RepairTicket.KIND: ("fault_address",),
    BusinessExpansion.KIND: ("business_type", "applicant_class", "site_address"),
}


class CallTicketForm(forms.Form):
    """One step from a call to a ticket: the kind, what the caller asks, and what that kind needs."""

    kind = forms.ChoiceField(label=_("Kind of ticket"))
    request = forms.CharField(label=_("What the caller asks for"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    fault_address = forms.CharField(label=_field_label(RepairTicket, "fault_address"), required=False, max_length=255)
    business_type = forms.ChoiceField(
        label=_field_label(BusinessExpansion, "business_type"), required=False,
        choices=_blank_first(BusinessExpansion.BusinessType.choices),
    )
    applicant_class = forms.ChoiceField(
        label=_field_label(BusinessExpansion, "applicant_class"), required=False,
        choices=_blank_first(BusinessExpansion.ApplicantClass.choices),
    )
    site_address = forms.CharField(label=_field_label(BusinessExpansion, "site_address"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _blank_first(
            [(kind, capfirst(model._meta.verbose_name)) for kind, model in TICKET_KINDS.items()]
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        for name in KIND_FIELDS.get(kind, ()):
            value = data.get(name)
            if not (value or "").strip():
                self.add_error(name, _("Needed for a %(kind)s.") % {"kind": TICKET_KINDS[kind]._meta.verbose_name})
        return data

    @property
    def model(self):
        return TICKET_KINDS[self.cleaned_data["kind"]]

    def ticket_fields(self) -> dict:
        """The kind-specific fields for `call_create_ticket` (only those of the chosen kind)."""
        return {name: self.cleaned_data[name].strip() for name in KIND_FIELDS.get(self.cleaned_data["kind"], ())}

    @property
    def kind_fieldsets(self) -> list[tuple[str, object, list]]:
        """(kind, its name, its bound fields) for the template: one fieldset per kind that needs more fields."""
        return [
            (kind, TICKET_KINDS[kind]._meta.verbose_name, [self[name] for name in names])
            for kind, names in KIND_FIELDS.items()
        ]


class CallImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
